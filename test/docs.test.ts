import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderJsonSchema } from '../src/json-schema.js';
import { renderReadmeTables } from '../scripts/readme-tables-lib.js';
import { ROOT } from './support/action-env.js';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('generated files are up to date', () => {
  it('README inputs and outputs tables match action.yml (run `npm run readme`)', () => {
    const readme = read('README.md');
    expect(renderReadmeTables(read('action.yml'), readme)).toBe(readme);
  });

  it('schema/leadconduit-account.schema.json matches the zod schema (run `npm run schema`)', () => {
    expect(read('schema/leadconduit-account.schema.json')).toBe(renderJsonSchema());
  });

  it('every field of the JSON Schema has a title and a description', () => {
    const missing: string[] = [];
    const walk = (node: Record<string, unknown>, path: string[]) => {
      if (path.length > 0 && (!node.title || !node.description)) missing.push(path.join('.'));
      for (const [key, child] of Object.entries((node.properties as Record<string, Record<string, unknown>>) ?? {})) walk(child, [...path, key]);
    };
    walk(JSON.parse(read('schema/leadconduit-account.schema.json')) as Record<string, unknown>, []);
    expect(missing).toEqual([]);
  });
});

describe('action.yml keeps the contract other tooling relies on', () => {
  const action = parse(read('action.yml')) as {
    runs: { using: string; main: string };
    inputs: Record<string, { default?: string; required?: boolean }>;
    outputs: Record<string, unknown>;
  };

  it('runs the committed bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  it('has the inputs with their defaults, and api-key is not required (fork PRs still validate)', () => {
    expect(Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, input.default]))).toEqual({
      'api-key': '',
      file: 'leadconduit-account.json',
      mode: 'auto',
      'base-url': 'https://app.leadconduit.com',
      'github-token': '${{ github.token }}',
      comment: 'true',
      'allow-destructive': 'false',
      'allow-unreviewed-changes': 'false',
    });
    expect(action.inputs['api-key']?.required).toBe(false);
  });

  it('has the outputs', () => {
    expect(Object.keys(action.outputs)).toEqual(['changed', 'change-count', 'changes', 'applied', 'comment-url', 'previous-state-file', 'drift-file']);
  });
});
