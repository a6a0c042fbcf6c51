import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parseDesiredState } from '../src/desired-state.js';
import { ROOT } from './support/action-env.js';
import { INVALID_CASES, caseBytes } from './fixtures/invalid/cases.js';

// Editors validate with the committed JSON Schema, the action with zod: they must agree.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }));
const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schema/leadconduit-account.schema.json'), 'utf8')) as object);

/**
 * Problems only the action can see, because they are in how the text is written rather than in
 * the value a JSON parser hands the schema: JSON.parse keeps the last of duplicate keys, reads 1e3
 * and 365.0 as whole numbers, and decodes a stray Windows-1252 byte as a replacement character.
 */
const TEXT_ONLY = new Set([
  'windows-1252.json',
  'duplicate-top-level-key.json',
  'duplicate-nested-key.json',
  'duplicate-keys-on-one-line.json',
  'retention-exponent.json',
  'retention-decimal-zero.json',
]);

describe('the JSON Schema agrees with the action', () => {
  const validDir = join(ROOT, 'test/fixtures/valid');
  const validFiles = readdirSync(validDir).filter((name) => name.endsWith('.json'));

  it.each(validFiles)('valid/%s passes the JSON Schema and the action', (name) => {
    const bytes = readFileSync(join(validDir, name));
    expect(parseDesiredState(bytes, name).ok).toBe(true);
    const value = JSON.parse(bytes.toString('utf8')) as unknown;
    expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
  });

  it('has valid fixtures to check', () => {
    expect(validFiles.length).toBeGreaterThanOrEqual(8);
  });

  it.each(INVALID_CASES.map((c) => [c.name, c] as const))('invalid/%s fails the JSON Schema too (or is not JSON at all)', async (_name, c) => {
    const bytes = await caseBytes(c);
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      // Not JSON: an editor flags the text before any schema applies, and so does the action:
      // every problem it reports is about the text (path ''), none about a setting.
      expect(error).toBeInstanceOf(SyntaxError);
      const parsed = parseDesiredState(bytes, c.name);
      expect(parsed.ok).toBe(false);
      const problems = parsed.ok ? [] : parsed.problems;
      expect(problems.length).toBeGreaterThan(0);
      expect(problems.map((p) => p.path)).toEqual(problems.map(() => ''));
      return;
    }
    expect(validate(value), `${c.name}: ${c.problems.map((p) => String(p.message)).join('; ')}`).toBe(TEXT_ONLY.has(c.name));
  });
});
