/**
 * The README, the examples and the package agree on where things are: the "$schema" every file
 * points at, and the repository and tag workflows use.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { SCHEMA_URL, githubRepository, schemaUrl } from '../src/schema-url.js';
import { ROOT } from './support/action-env.js';
import { runCliInProcess } from './support/cli-run.js';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const README = read('README.md');
const REPOSITORY = githubRepository(packageJson.repository.url);
const MAJOR = packageJson.version.split('.')[0];

describe('one "$schema" rule: the schema released at this major version', () => {
  it('package.json names a GitHub repository, and the URL is its raw file at the major tag', () => {
    expect(REPOSITORY).toMatch(/^[\w.-]+\/[\w.-]+$/);
    expect(SCHEMA_URL).toBe(`https://raw.githubusercontent.com/${REPOSITORY}/v${MAJOR}/schema/leadconduit-account.schema.json`);
  });

  it('reads the forms npm writes for a GitHub repository, and nothing else', () => {
    expect(githubRepository('git+https://github.com/acme/leadconduit-account-action.git')).toBe('acme/leadconduit-account-action');
    expect(githubRepository('https://github.com/acme/leadconduit-account-action')).toBe('acme/leadconduit-account-action');
    expect(githubRepository('https://gitlab.com/acme/leadconduit-account-action.git')).toBeUndefined();
    expect(schemaUrl('git+https://github.com/acme/tools.git', '2.3.4')).toBe(
      'https://raw.githubusercontent.com/acme/tools/v2/schema/leadconduit-account.schema.json',
    );
  });

  it('every schema link in the README is that URL', () => {
    const links = README.match(/https:\/\/raw\.githubusercontent\.com\/\S+?\.schema\.json/g) ?? [];
    expect(links.length).toBeGreaterThanOrEqual(3); // quick start, editor support, VS Code mapping
    expect(new Set(links)).toEqual(new Set([SCHEMA_URL]));
  });

  it('every example points at it, and the published schema says it lives there', () => {
    const examples = readdirSync(join(ROOT, 'examples')).filter((name) => name.endsWith('.json'));
    expect(examples.length).toBeGreaterThan(0);
    for (const name of examples) expect((JSON.parse(read(`examples/${name}`)) as { $schema?: string }).$schema, name).toBe(SCHEMA_URL);
    expect((JSON.parse(read('schema/leadconduit-account.schema.json')) as { $id?: string }).$id).toBe(SCHEMA_URL);
  });
});

describe('what the README says export writes as "$schema"', () => {
  it('names export\'s exception, as its --help does: --force keeps the overwritten file\'s own "$schema"', async () => {
    const paragraph = README.split('\n\n').find((text) => text.includes('`export` writes')) ?? '';
    expect(paragraph).toContain('--force');
    expect(paragraph).toMatch(/overwrit\w+ a file[^.]*keeps its own/);
    expect(paragraph).not.toMatch(/writes exactly this line/);
    const dir = mkdtempSync(join(tmpdir(), 'lc-readme-'));
    try {
      const help = await runCliInProcess(dir, ['export', '--help'], { apiKey: null });
      expect(help.stdout.replace(/\s+/g, ' ')).toContain("on --force, the overwritten file's own");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('workflows in the README use this repository at its major tag', () => {
  it("every `uses:` of the action names package.json's repository @v<major>", () => {
    const uses = [...README.matchAll(/uses: (\S*leadconduit-account-action\S*)/g)].map((m) => m[1]);
    expect(uses.length).toBeGreaterThanOrEqual(4);
    expect(new Set(uses)).toEqual(new Set([`${REPOSITORY}@v${MAJOR}`]));
  });
});

describe('no placeholder is left once package.json names the real repository', () => {
  it('every "OWNER/" in the docs and examples is package.json\'s repository (replace them together)', () => {
    const placeholder = REPOSITORY?.startsWith('OWNER/') === true;
    for (const file of ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', 'SECURITY.md', 'examples/leadconduit-account.json']) {
      const text = read(file);
      const owners = [...text.matchAll(/\bOWNER\/([\w.-]+)/g)].map((m) => m[0]);
      if (placeholder) for (const owner of owners) expect(owner, file).toBe(REPOSITORY);
      else expect(owners, `${file} still has the OWNER placeholder`).toEqual([]);
    }
  });
});
