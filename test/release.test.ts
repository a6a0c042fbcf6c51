/**
 * The release workflow and what it relies on: the checks and decisions of scripts/release-lib.ts,
 * the script's command line as the workflow calls it, and the workflow's shape.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { changelogSection, checkRelease, majorTagToMove, tarballName, tarballUrl } from '../scripts/release-lib.js';
import { githubRepository } from '../src/schema-url.js';
import { ROOT } from './support/action-env.js';

const CHANGELOG = `# Changelog

## [Unreleased]

### Fixed
- Something not released yet.

## [1.2.0] - 2027-01-15

### Added
- A new input.

## [1.1.0] - 2026-12-01

### Fixed
- An old fix.

[1.2.0]: https://github.com/acme/leadconduit-account-action/compare/v1.1.0...v1.2.0
`;

const INSTALL = 'npm install --save-dev https://github.com/acme/leadconduit-account-action/releases/download/v1.2.0/leadconduit-account-action-1.2.0.tgz';

const input = (overrides: Partial<Parameters<typeof checkRelease>[0]> = {}) => ({
  tag: 'v1.2.0',
  repository: 'acme/leadconduit-account-action',
  packageJson: { name: 'leadconduit-account-action', version: '1.2.0', repository: { url: 'git+https://github.com/acme/leadconduit-account-action.git' } },
  changelog: CHANGELOG,
  readme: `Install it:\n\n\`\`\`sh\n${INSTALL}   # once\n\`\`\`\n`,
  ...overrides,
});

const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; repository: { url: string } };

describe('checkRelease', () => {
  it('releases a tag that matches package.json, the repository and a dated CHANGELOG section, with that section as notes', () => {
    expect(checkRelease(input())).toEqual({ problems: [], notes: '### Added\n- A new input.' });
  });

  it('names every reason not to release, at once', () => {
    const { problems } = checkRelease(
      input({
        tag: 'v1.3.0',
        repository: 'acme/other',
        packageJson: {
          name: 'leadconduit-account-action',
          version: '1.2.0',
          repository: { url: 'git+https://github.com/OWNER/leadconduit-account-action.git' },
        },
      }),
    );
    expect(problems).toEqual([
      `package.json's version is 1.2.0, not 1.3.0: set it with "npm version 1.3.0 --no-git-tag-version", merge, and tag that commit.`,
      `package.json's repository is "git+https://github.com/OWNER/leadconduit-account-action.git", not acme/other: the "$schema" URL and the install command are built from it. Set it to git+https://github.com/acme/other.git.`,
      'CHANGELOG.md has no "## [1.3.0] - YYYY-MM-DD" section: move the entries under [Unreleased] into one.',
      "README.md's install command does not name this release's file: set it to npm install --save-dev https://github.com/acme/other/releases/download/v1.3.0/leadconduit-account-action-1.3.0.tgz",
    ]);
  });

  it("refuses a README whose install command names another release's file, or the git form", () => {
    const older = INSTALL.replaceAll('1.2.0', '1.1.0');
    expect(checkRelease(input({ readme: older })).problems).toEqual([`README.md's install command does not name this release's file: set it to ${INSTALL}`]);
    expect(checkRelease(input({ readme: 'npm install --save-dev github:acme/leadconduit-account-action#v1' })).problems).toHaveLength(1);
  });

  it('refuses a tag that is not vX.Y.Z, an undated section and an empty one', () => {
    expect(checkRelease(input({ tag: 'v1.2.0-rc.1' })).problems[0]).toBe('v1.2.0-rc.1 is not a release tag: releases are tagged vX.Y.Z, e.g. v1.2.3.');
    const undated = checkRelease(input({ changelog: '## [1.2.0]\n\n- x\n' }));
    expect(undated.problems).toEqual(['CHANGELOG.md\'s section for 1.2.0 has no release date ("## [1.2.0] - YYYY-MM-DD").']);
    const empty = checkRelease(input({ changelog: '## [1.2.0] - 2027-01-15\n\n## [1.1.0] - 2026-12-01\n- y\n' }));
    expect(empty.problems).toEqual(["CHANGELOG.md's section for 1.2.0 is empty: say what the release changes."]);
  });
});

describe('the tarball npm pack makes, which the release attaches and the README installs', () => {
  it('is named name-version.tgz, a scope written without its @ and with - for its /', () => {
    expect(tarballName({ name: 'leadconduit-account-action', version: '1.2.0' })).toBe('leadconduit-account-action-1.2.0.tgz');
    expect(tarballName({ name: '@acme/tool', version: '2.0.1' })).toBe('acme-tool-2.0.1.tgz');
  });

  it("is downloaded from the release's assets, at its tag", () => {
    expect(tarballUrl('acme/leadconduit-account-action', { name: 'leadconduit-account-action', version: '1.2.0' })).toBe(
      'https://github.com/acme/leadconduit-account-action/releases/download/v1.2.0/leadconduit-account-action-1.2.0.tgz',
    );
  });
});

describe('changelogSection', () => {
  it('ends at the next heading or the link definitions, and does not take 1.2.0 for 1.2.01', () => {
    expect(changelogSection(CHANGELOG, '1.1.0')).toEqual({ date: '2026-12-01', body: '### Fixed\n- An old fix.' });
    expect(changelogSection(CHANGELOG, '1.2.01')).toBeUndefined();
    expect(changelogSection(CHANGELOG.replace(/\n/g, '\r\n'), '1.2.0')?.body).toBe('### Added\n- A new input.');
  });
});

describe('majorTagToMove', () => {
  it('moves v1 to the newest 1.x release only', () => {
    expect(majorTagToMove('v1.2.0', ['v1', 'v1.0.0', 'v1.1.9', 'v2.0.0', 'v1.2.0'])).toBe('v1');
    expect(majorTagToMove('v1.1.10', ['v1.1.9', 'v1.1.10'])).toBe('v1'); // numbers, not text
    expect(majorTagToMove('v1.1.1', ['v1.1.1', 'v1.2.0'])).toBeUndefined(); // a fix to an older line
    expect(majorTagToMove('v2.0.0', ['v1.9.9', 'v2.0.0'])).toBe('v2');
    expect(majorTagToMove('v1.2.0-rc.1', [])).toBeUndefined();
  });
});

describe('scripts/release.ts, as the workflow runs it', () => {
  const run = (args: string[], stdin = '') =>
    spawnSync(process.execPath, ['--import', './scripts/register-ts.mjs', 'scripts/release.ts', ...args], { cwd: ROOT, input: stdin, encoding: 'utf8' });

  it('major-tag reads the tags on stdin and prints the tag to move, or nothing', () => {
    expect(run(['major-tag', 'v1.3.0'], 'v1\nv1.2.0\nv1.3.0\n')).toMatchObject({ status: 0, stdout: 'v1\n' });
    expect(run(['major-tag', 'v1.2.1'], 'v1.2.1\nv1.3.0\n')).toMatchObject({ status: 0, stdout: '\n' });
  });

  it('tarball prints the name of the file npm pack writes', () => {
    expect(run(['tarball'])).toMatchObject({ status: 0, stdout: `${tarballName(PACKAGE)}\n` });
  });

  it('check fails with one ::error:: line per problem and prints no notes', () => {
    const result = run(['check', 'v0.0.0', 'someone/else']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("::error::package.json's version is");
    expect(result.stderr).toContain("::error::package.json's repository is");
  });
});

describe('this repository is ready for the workflow', () => {
  it("CHANGELOG.md follows Keep a Changelog: an [Unreleased] section, or one for package.json's version", () => {
    const changelog = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8');
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(changelog).toMatch(/^# Changelog\n/);
    expect(changelog.includes('## [Unreleased]') || changelogSection(changelog, version) !== undefined).toBe(true);
  });

  it("README.md installs the command line from this version's release tarball, by the name npm pack gives it", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const installs = readme.match(/^npm install \S+ \S+/gm) ?? [];
    expect(installs).toEqual([`npm install --save-dev ${tarballUrl(githubRepository(PACKAGE.repository.url) ?? '', PACKAGE)}`]);
    expect(installs[0]?.endsWith(`/v${PACKAGE.version}/${tarballName(PACKAGE)}`)).toBe(true);
  });

  it('LICENSE is the MIT license package.json names; SECURITY.md and CONTRIBUTING.md exist', () => {
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
    expect((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { license: string }).license).toBe('MIT');
    for (const file of ['SECURITY.md', 'CONTRIBUTING.md']) expect(existsSync(join(ROOT, file)), file).toBe(true);
  });
});

describe('.github/workflows/release.yml', () => {
  interface Step {
    name?: string;
    uses?: string;
    run?: string;
    env?: Record<string, string>;
    with?: Record<string, unknown>;
  }
  interface Job {
    needs?: string;
    permissions?: Record<string, string>;
    steps: Step[];
  }
  const workflow = parse(readFileSync(join(ROOT, '.github/workflows/release.yml'), 'utf8')) as {
    on: { push: { tags: string[] } };
    permissions: Record<string, string>;
    concurrency: { 'cancel-in-progress': boolean };
    jobs: { test: Job; release: Job };
  };
  const runs = (job: Job) => job.steps.map((step) => step.run ?? '').join('\n');

  it('runs on vX.Y.Z tags only, one at a time, never cancelled half-way', () => {
    expect(workflow.on).toEqual({ push: { tags: ['v[0-9]+.[0-9]+.[0-9]+'] } });
    expect(workflow.concurrency['cancel-in-progress']).toBe(false);
  });

  it('tests the tagged commit (npm test: every test and check-dist) before anything is published', () => {
    expect(runs(workflow.jobs.test)).toContain('npm ci');
    expect(runs(workflow.jobs.test)).toContain('npm test');
    expect((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { test: string } }).scripts.test).toContain('check-dist');
    expect(workflow.jobs.release.needs).toBe('test');
  });

  it('gives write access to the release job only', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.jobs.test.permissions).toBeUndefined();
    expect(workflow.jobs.release.permissions).toEqual({ contents: 'write' });
  });

  it('checks, publishes with the CHANGELOG notes, then moves the major tag, in that order, with scripts that exist', () => {
    const script = runs(workflow.jobs.release);
    const order = [
      'git merge-base --is-ancestor',
      'scripts/release.ts check',
      'npm pack',
      'gh release create',
      'scripts/release.ts major-tag',
      'git push --force origin',
    ];
    const positions = order.map((text) => script.indexOf(text));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(script).toContain('--notes-file "$RUNNER_TEMP/notes.md"');
    for (const file of ['scripts/release.ts', 'scripts/register-ts.mjs']) expect(existsSync(join(ROOT, file)), file).toBe(true);
  });

  it('attaches the tarball npm pack wrote to the release: the file the README installs', () => {
    const create = workflow.jobs.release.steps.find((step) => step.run?.includes('gh release create'));
    expect(create?.run?.trim()).toMatch(/^gh release create "\$TAG" .* "\$TARBALL"$/);
  });

  it('its pack step, run as the workflow runs it, writes that file and names it in $TARBALL for the next steps', () => {
    const pack = workflow.jobs.release.steps.find((step) => step.run?.includes('npm pack'));
    expect(pack?.run).toBeDefined();
    const temp = mkdtempSync(join(tmpdir(), 'lc-release-'));
    try {
      const githubEnv = join(temp, 'github-env');
      const system = (process.env.PATH ?? '').split(delimiter).filter((entry) => !entry.includes('node_modules'));
      const result = spawnSync('bash', ['-e', '-c', pack?.run ?? ''], {
        cwd: ROOT,
        encoding: 'utf8',
        env: {
          PATH: [join(process.execPath, '..'), ...system].join(delimiter),
          HOME: temp,
          TAG: `v${PACKAGE.version}`,
          RUNNER_TEMP: temp,
          GITHUB_ENV: githubEnv,
          npm_config_registry: 'http://127.0.0.1:9/',
          npm_config_offline: 'true',
          npm_config_cache: join(temp, 'npm-cache'),
          npm_config_update_notifier: 'false',
        },
      });
      expect(result.status, result.stderr).toBe(0);
      const tarball = /^TARBALL=(.*)$/m.exec(readFileSync(githubEnv, 'utf8'))?.[1];
      expect(tarball).toBe(join(temp, tarballName(PACKAGE)));
      expect(existsSync(tarball ?? '')).toBe(true);
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  });
});
