/**
 * The command line as a user gets it: `npm pack`, the tarball installed into an empty folder with
 * every registry out of reach, and the installed `leadconduit-account` run there, including every
 * command line of README.md, as the README writes it (those that need LeadConduit against the
 * loopback fake, with --base-url added; the development ones in the clone).
 *
 * What is packed is the build of the current sources (scripts/fresh-build.ts), never the committed
 * dist/, which may be older: the package's files are copied to a staging folder with that build as
 * its dist/, and packed there.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { freshBuild } from '../scripts/fresh-build.js';
import { tarballUrl } from '../scripts/release-lib.js';
import { githubRepository } from '../src/schema-url.js';
import { ROOT } from './support/action-env.js';
import { startFakeLeadConduit, type FakeLeadConduit } from './support/fake-leadconduit.js';
import { SECRET_VALUES, TEST_API_KEY } from './support/sample-account.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const BIN = 'leadconduit-account';

let work: string;
let build: string;
let project: string;
let tarball: { filename: string; files: { path: string }[] };
let lc: FakeLeadConduit;

/**
 * Node 24 first; npm and the shell from the system; not this repository's node_modules/.bin, so
 * nothing runs from the clone. npm gets no user config, its own cache, and a registry nobody
 * answers on, offline: a request to any registry fails the install.
 */
function environment(): Record<string, string> {
  const system = (process.env.PATH ?? '').split(delimiter).filter((entry) => entry !== '' && !entry.includes('node_modules'));
  return {
    PATH: [dirname(process.execPath), ...system].join(delimiter),
    HOME: work,
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_offline: 'true',
    npm_config_cache: join(work, 'npm-cache'),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
}

/** A shell command line, asynchronously: the fake LeadConduit answers from this same process. */
async function sh(command: string, cwd: string, env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn('sh', ['-c', command], { cwd, env: { ...environment(), ...env }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { status, stdout, stderr };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'lc-package-'));
  build = await freshBuild({ quiet: true });
  const staging = join(work, 'staging');
  for (const file of ['package.json', ...packageJson.files]) {
    cpSync(file.startsWith('dist') ? build : join(ROOT, file), join(staging, file), { recursive: true });
  }
  const pack = await sh(`npm pack --json --pack-destination '${work}'`, staging);
  expect(pack.status, pack.stderr).toBe(0);
  tarball = (JSON.parse(pack.stdout) as (typeof tarball)[])[0]!;

  project = join(work, 'settings-repository');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'settings-repository', private: true }, null, 2)}\n`);
  const install = await sh(`npm install --save-dev '${join(work, tarball.filename)}'`, project);
  expect(install.status, install.stderr).toBe(0);
  lc = await startFakeLeadConduit();
}, 300_000); // the build of changed sources, on a loaded machine: as long as test/e2e/bundle.test.ts waits for it

afterAll(async () => {
  await lc?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('holds both bundles, the bin, action.yml, the schema and the docs, and no sources', () => {
    const files = tarball.files.map((f) => f.path);
    for (const file of [
      'package.json',
      'dist/cli.js',
      'dist/cli/index.js',
      'dist/index.js',
      'action.yml',
      'schema/leadconduit-account.schema.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
    ]) {
      expect(files, file).toContain(file);
    }
    expect(files.filter((f) => /^(src|test|scripts|bench|node_modules|\.github)\//.test(f))).toEqual([]);
  });
});

describe('installed into an empty folder, without a registry', () => {
  it('brings nothing else: the package has no dependencies to install', () => {
    expect(readdirSync(join(project, 'node_modules')).sort()).toEqual(['.bin', '.package-lock.json', 'leadconduit-account-action']);
    const installed = JSON.parse(readFileSync(join(project, 'node_modules/leadconduit-account-action/package.json'), 'utf8')) as Record<string, unknown>;
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies']) expect(installed[field], field).toBeUndefined();
    expect(installed.bin).toEqual({ [BIN]: 'dist/cli.js' });
  });

  it('runs: --help, and validate of a good and a bad file', async () => {
    const help = await sh(`./node_modules/.bin/${BIN} --help`, project);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(new RegExp(`^Usage: ${BIN} \\[options\\] \\[command\\]`));

    writeFileSync(join(project, 'good.json'), '{ "data_retention_in_days": 365, "features": { "firehose": true } }\n');
    const good = await sh(`./node_modules/.bin/${BIN} validate good.json`, project);
    expect(good.stdout).toBe('✓ good.json is valid: 2 managed settings.\n');
    expect(good.status).toBe(0);

    writeFileSync(join(project, 'bad.json'), '{\n  "data_retention_in_days": "365"\n}\n');
    const bad = await sh(`./node_modules/.bin/${BIN} validate bad.json`, project);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('bad.json:2:3  data_retention_in_days must be a number, not the string "365"; remove the quotes');
  });
});

describe('installed by its URL, as the README says, with the registry out of reach', () => {
  it('fetches that one file and nothing else, runs no build, and package-lock.json records the URL with its integrity', { timeout: 60_000 }, async () => {
    const file = readFileSync(join(work, tarball.filename));
    const path = new URL(tarballUrl(githubRepository(packageJson.repository.url) ?? '', packageJson)).pathname;
    const served: string[] = [];
    // The release's download URL, served from 127.0.0.1 (GitHub's host is not reachable here).
    const server = createServer((request, response) => {
      served.push(`${request.method} ${request.url}`);
      if (request.url !== path) return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.length }).end(file);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
      const byUrl = join(work, 'installed-by-url');
      mkdirSync(byUrl);
      writeFileSync(join(byUrl, 'package.json'), `${JSON.stringify({ name: 'by-url', private: true }, null, 2)}\n`);
      // Not offline, so npm may fetch the URL; the registry stays a port nobody answers on.
      const install = await sh(`npm install --save-dev '${url}'`, byUrl, { npm_config_offline: 'false' });
      expect(install.status, install.stderr).toBe(0);
      expect(new Set(served)).toEqual(new Set([`GET ${path}`]));
      expect(readdirSync(join(byUrl, 'node_modules')).sort()).toEqual(['.bin', '.package-lock.json', 'leadconduit-account-action']);
      const lock = JSON.parse(readFileSync(join(byUrl, 'package-lock.json'), 'utf8')) as {
        packages: Record<string, { resolved?: string; integrity?: string }>;
      };
      expect(lock.packages['node_modules/leadconduit-account-action']).toMatchObject({
        resolved: url,
        integrity: `sha512-${createHash('sha512').update(file).digest('base64')}`,
      });
      const help = await sh(`npx --no -- ${BIN} --help`, byUrl);
      expect(help.status, help.stderr).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: ${BIN} `));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('the command lines the installed command line suggests', () => {
  it('run as written in the project that installed it (the bare name is not on its PATH)', { timeout: 60_000 }, async () => {
    const bin = `./node_modules/.bin/${BIN}`;
    const key = { LEADCONDUIT_API_KEY: TEST_API_KEY };
    writeFileSync(join(project, 'suggest.json'), '{ "features": { "firehose": true } }\n');
    const outputs = [
      await sh(`${bin} --help`, project),
      await sh(`${bin} plan --bogus`, project),
      await sh(`${bin} validate missing.json`, project),
      await sh(`${bin} plan suggest.json --base-url ${lc.url}`, project, key),
      await sh(`${bin} export suggested.json --base-url ${lc.url}`, project, key),
    ].map((run) => `${run.stdout}${run.stderr}`);
    const suggested = outputs.flatMap((text) => text.match(new RegExp(`npx --no -- ${BIN}[^"\n]*`, 'g')) ?? []);
    expect(suggested).toEqual([
      `npx --no -- ${BIN} export`,
      `npx --no -- ${BIN} plan --help`,
      `npx --no -- ${BIN} export missing.json`,
      `npx --no -- ${BIN} apply suggest.json`,
      `npx --no -- ${BIN} plan suggested.json`,
    ]);
    // Each as written, with --help added so that none reads or writes anything.
    for (const line of suggested) {
      const run = await sh(`${line} --help`, project);
      expect(run.status, `${line}\n${run.stderr}`).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: ${BIN} `));
    }
  });
});

/** The command lines of README.md's ```sh blocks, without their comments, in order. */
function readmeCommandLines(): string[] {
  return [...README.matchAll(/^```sh\n([\s\S]*?)^```$/gm)]
    .flatMap((block) => (block[1] ?? '').split('\n'))
    .map((line) => line.replace(/\s+#\s.*$/, '').trim())
    .filter((line) => line !== '');
}

const CLI_LINE = new RegExp(`^npx --no -- ${BIN}(?: (.*))?$`);
const OFFLINE = new Set(['validate', '--help', 'help', '--version']);
/** The development commands run in the clone, without their `npm ci` (which would replace node_modules under this very run). */
const IN_CLONE: Record<string, { run?: string; expect?: RegExp; why?: string }> = {
  'npm ci && npm run demo': { run: 'npm run demo', expect: /what reached the fake LeadConduit[\s\S]*PUT \/account/ },
  'npm ci && npm test': { why: 'this test suite itself' },
};

describe("README.md's command lines", () => {
  const repository = githubRepository(packageJson.repository.url);

  it('never tell anyone to run a bare `npx leadconduit-account`, which could fetch another package of that name', () => {
    for (const file of ['README.md', 'CONTRIBUTING.md', 'SECURITY.md']) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      expect(text.match(new RegExp(`npx (?!--no -- ${BIN})[^\\n\`]*${BIN}`, 'g')) ?? [], file).toEqual([]);
    }
  });

  it(
    'run as written: the command line in the installed package (offline ones with no key and no request, the others against the fake LeadConduit), the demo in the clone',
    { timeout: 120_000 },
    async () => {
      const lines = readmeCommandLines();
      const ran: string[] = [];
      for (const line of lines) {
        const clone = IN_CLONE[line];
        if (clone) {
          if (clone.run === undefined) continue;
          const run = await sh(clone.run, ROOT, { DEMO_DIST: build });
          expect(run.status, `${clone.run}\n${run.stderr}`).toBe(0);
          expect(run.stdout).toMatch(clone.expect ?? /./);
          ran.push(clone.run);
          continue;
        }
        if (line === 'export LEADCONDUIT_API_KEY=...') continue; // the environment below holds it
        if (line.startsWith('npm install ')) {
          // Done above from the packed tarball, the file the release attaches (release.yml) by this name.
          const url = tarballUrl(repository ?? '', packageJson);
          expect(line).toBe(`npm install --save-dev ${url}`);
          expect(url.endsWith(`/v${packageJson.version}/${tarball.filename}`)).toBe(true);
          continue;
        }
        const cli = CLI_LINE.exec(line);
        expect(cli, `a README command line this test neither runs nor explains: ${line}`).not.toBeNull();
        const command = (cli?.[1] ?? '').split(' ')[0] ?? '';
        const requests = lc.requests.length;
        const run = OFFLINE.has(command) ? await sh(line, project) : await sh(`${line} --base-url ${lc.url}`, project, { LEADCONDUIT_API_KEY: TEST_API_KEY });
        const output = `${run.stdout}${run.stderr}`;
        expect(run.status, `${line}\n${output}`).toBe(0);
        expect(output).not.toMatch(/\n\s+at /); // no stack trace
        for (const secret of [TEST_API_KEY, ...SECRET_VALUES]) expect(output).not.toContain(secret);
        if (OFFLINE.has(command)) expect(lc.requests.length, `${line} reached LeadConduit`).toBe(requests);
        ran.push(command);
      }
      // The quick tour: export writes the file, validate accepts it, plan and apply find nothing to do.
      expect(ran).toEqual(['export', 'validate', 'plan', 'apply', 'npm run demo']);
      expect(lc.count('PUT /account')).toBe(0);
    },
  );

  it('say which commands take --base-url, as the command line has it', async () => {
    const claim = /`(\w+)`, `(\w+)` and `(\w+)` also take `--base-url URL`/.exec(README);
    expect(claim).not.toBeNull();
    const takesBaseUrl = new Set(claim!.slice(1));
    for (const command of ['validate', 'plan', 'apply', 'export']) {
      const help = await sh(`./node_modules/.bin/${BIN} ${command} --help`, project);
      expect(help.stdout.includes('--base-url'), `${command} --help and the README disagree on --base-url`).toBe(takesBaseUrl.has(command));
      expect(help.stdout).toContain('--json');
      const row = new RegExp(`^\\| \`${command} ([^\`]*)\``, 'm').exec(README);
      for (const option of row?.[1]?.match(/--[\w-]+/g) ?? []) expect(help.stdout, `${command} ${option}`).toContain(option);
    }
  });
});
