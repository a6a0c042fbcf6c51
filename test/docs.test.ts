import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
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

describe('the example workflows queue the applies of a file', () => {
  /** A README code block without the indentation of the list item it stands in. */
  const dedent = (text: string) => {
    const indent = Math.min(
      ...text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => /^ */.exec(line)?.[0].length ?? 0),
    );
    return text.replace(new RegExp(`^ {${indent}}`, 'gm'), '');
  };
  const readmeBlocks = [...read('README.md').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => dedent(m[1] ?? ''));
  // Fragments (a few steps, a permissions block) are not workflows; a whole workflow must parse.
  const workflows = [...readmeBlocks, read('.github/workflows/example.yml')]
    .filter((text) => /^jobs:/m.test(text))
    .map((text) => parse(text) as Record<string, unknown>);

  /** Whether a workflow can run an apply: on push, or on a manual run (a jobs-only fragment goes with the quick start's triggers). */
  const applies = (workflow: Record<string, unknown>) => {
    const on = workflow.on as Record<string, unknown> | undefined;
    return on === undefined || 'push' in on || 'workflow_dispatch' in on;
  };

  it('finds the workflows to check in README.md and .github/workflows/example.yml', () => {
    expect(workflows.filter(applies).length).toBeGreaterThanOrEqual(4);
  });

  it.each(
    workflows
      .filter(applies)
      .map((w, i) => [`${i + 1}. ${typeof w.name === 'string' ? w.name : JSON.stringify(w.on ?? Object.keys(w.jobs as object))}`.slice(0, 60), w] as const),
  )('%s: one concurrency group per file for its applies, never cancelled', (_name, workflow) => {
    for (const job of Object.values(workflow.jobs as Record<string, Record<string, unknown>>)) {
      const concurrency = (job.concurrency ?? workflow.concurrency) as { group?: string; 'cancel-in-progress'?: unknown } | string | undefined;
      expect(concurrency, 'a concurrency group').toBeDefined();
      const group = typeof concurrency === 'string' ? concurrency : (concurrency?.group ?? '');
      const cancel = typeof concurrency === 'string' ? false : concurrency?.['cancel-in-progress'];
      // The group names the file (or the matrix's file), and does not tell a push from a manual run.
      expect(group).toMatch(/leadconduit-account\.json|matrix\.file/);
      expect(group).not.toMatch(/-\$\{\{ github\.event_name \}\}/);
      expect([false, undefined, "${{ github.event_name == 'pull_request' }}"]).toContain(cancel);
    }
  });
});

describe("README's drawing of the code", () => {
  const readme = read('README.md');
  const drawing = readme.slice(readme.indexOf('```\naction.yml'), readme.indexOf('```', readme.indexOf('```\naction.yml') + 3));
  const srcFiles = readdirSync(join(ROOT, 'src'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));

  it('names only files that exist (a moved or renamed module updates the drawing)', () => {
    // Every src/… path, and every bare module name under src/modes/.
    const named = [...drawing.matchAll(/src\/[\w/.*-]+\.ts/g)].map((m) => m[0]);
    const inModes = [...drawing.matchAll(/^ {2}([\w-]+\.ts)/gm), ...drawing.matchAll(/ ([\w-]+\.ts)(?= |$)/gm)]
      .map((m) => m[1] ?? '')
      .filter((name) => !name.includes('/'));
    expect(named.length).toBeGreaterThan(15);
    for (const path of named) {
      const pattern = new RegExp(`^${path.replace(/\./g, '\\.').replace(/\*/g, '[\\w-]*')}$`);
      expect(
        srcFiles.some((file) => pattern.test(file)),
        path,
      ).toBe(true);
    }
    for (const name of inModes) {
      expect(
        srcFiles.some((file) => file.endsWith(`/${name}`)),
        name,
      ).toBe(true);
    }
  });

  it('names every mode module', () => {
    for (const file of srcFiles.filter((f) => f.startsWith('src/modes/'))) expect(drawing, file).toContain(file.slice('src/modes/'.length));
  });
});
