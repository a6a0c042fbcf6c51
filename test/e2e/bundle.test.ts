/**
 * The bundles users run, built from the current sources (scripts/fresh-build.ts: the build
 * script pointed at a cache folder, never the committed dist/, which may be older than the
 * sources; check-dist proves dist/ is this same build), each started in a child process:
 *   - the action as the runner starts it: `node index.js` with INPUT_* (hyphens kept), GITHUB_*
 *     and RUNNER_* variables;
 *   - the command line as a shell starts it, answering exactly as runCli does in-process (where
 *     test/cli.test.ts tests it in full), and on a real terminal;
 *   - two plans of the same pull request at once, each in a process of its own (or one here).
 * They are in one file so that, after a change to the sources, the build (about 30 s of CPU) is
 * made once, on one worker, while the other files run on the others.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshBuild } from '../../scripts/fresh-build.js';
import { DEFAULT_TUNING } from '../../src/inputs.js';
import { commentMarker } from '../../src/reviewed-plan.js';
import { PR_NUMBER, ROOT, runDist, runInProcess, type ActionSetup } from '../support/action-env.js';
import { runCliChild, runCliInProcess, type CliOptions, type CliRun } from '../support/cli-run.js';
import { useFakes } from '../support/e2e.js';
import { ownRecordBody, recordedChanges } from '../support/records.js';
import type { FakeGitHub, GitHubComment } from '../support/fake-github.js';
import { startFakeLeadConduit, type FakeLeadConduit } from '../support/fake-leadconduit.js';
import { GatedGitHub } from '../support/gated-github.js';
import { SAMPLE_ACCOUNT_ID, SECRET_VALUES, TEST_API_KEY } from '../support/sample-account.js';

/** The folder of the build of the current sources: index.js (the action), cli.js and cli/ (the command line). */
let bundle: string;
beforeAll(async () => {
  bundle = await freshBuild({ quiet: true });
}, 300_000);

describe('the built dist/index.js run as the Actions runner runs it', () => {
  const fakes = useFakes();
  const runAction = (setup: Partial<ActionSetup>) => fakes.runDist(setup, join(bundle, 'index.js'));

  it('a hostile 3 GB answer, streamed, ends with a clear message after 8 MB, the process under 200 MB of memory', { timeout: 60_000 }, async () => {
    fakes.lc.inject('GET /account', { kind: 'flood', bytes: 3 * 1024 * 1024 * 1024 }, 10);
    const rssFile = join(await mkdtemp(join(tmpdir(), 'lc-rss-')), 'max-rss');
    const run = await runAction({
      event: 'pull_request',
      file: { data_retention_in_days: 400 },
      env: { NODE_OPTIONS: `--import=${join(ROOT, 'test/support/max-rss.mjs')}`, MAX_RSS_FILE: rssFile },
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain("::error::LeadConduit's answer to GET /account was too large: the answer was larger than 8.0 MB; it was not read further.");
    expect(fakes.lc.count('GET /account')).toBe(1);
    const maxRssMb = Number(await readFile(rssFile, 'utf8')) / 1024;
    await rm(dirname(rssFile), { recursive: true, force: true });
    expect(maxRssMb).toBeGreaterThan(10);
    expect(maxRssMb).toBeLessThan(200);
  });

  it('exists (npm run build), built from the current sources', () => {
    expect(existsSync(join(bundle, 'index.js'))).toBe(true);
  });

  it('holds one copy of undici: the one src/octokit.ts shares with ky is the one @actions/github makes its calls with', () => {
    const ours = createRequire(join(ROOT, 'src/octokit.ts')).resolve('undici');
    const actionsGithub = createRequire(fileURLToPath(import.meta.resolve('@actions/github'))).resolve('undici');
    expect(ours).toBe(actionsGithub);
  });

  it('plans a pull request: summary file, outputs file, one comment, one GET, no PUT', async () => {
    const run = await runAction({
      file: { data_retention_in_days: 30, features: { firehose: true } },
      event: 'pull_request',
      env: { RUNNER_DEBUG: '1' },
    });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.summary.split('\n')[0]).toBe('### 📝 Plan: 2 changes, 1 destructive ⚠️');
    expect(run.outputs).toMatchObject({ changed: 'true', 'change-count': '2', applied: 'false' });
    expect(run.outputs['comment-url']).toMatch(/^https:\/\/github.com\/acme\/settings\/pull\/7#issuecomment-\d+$/);
    expect(fakes.lc.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /account']);
    expect(fakes.lc.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from(`API:${TEST_API_KEY}`).toString('base64')}`);
    expect(fakes.gh.commentsOf(PR_NUMBER)).toHaveLength(1);
    expect(fakes.gh.requests.every((r) => r.headers.authorization === 'token ghs_fake_token_123')).toBe(true);
    for (const secret of [TEST_API_KEY, ...SECRET_VALUES]) expect(run.everything).not.toContain(secret);
  });

  it('applies on push: one PUT, the account changed, applied=true, rollback file written', async () => {
    const run = await runAction({
      file: { features: { firehose: true } },
      event: 'push',
    });
    expect(run.exitCode).toBe(0);
    expect(fakes.lc.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /account', 'PUT /account']);
    expect(fakes.lc.account.features?.firehose).toBe(true);
    expect(run.outputs.applied).toBe('true');
    expect(existsSync(run.outputs['previous-state-file'] ?? '')).toBe(true);
    expect(fakes.gh.requests.map((r) => r.route)).toEqual(['GET commit pulls']);
  });

  it('fails an invalid file with annotations, a summary and the comment saying so, sending nothing to LeadConduit', async () => {
    const run = await runAction({
      file: '{\n  "data_retention_in_days": "365",\n  "featurez": {}\n}\n',
      event: 'pull_request',
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      '::error title=Invalid leadconduit-account.json,file=leadconduit-account.json,line=2,col=3::data_retention_in_days must be a number, not the string "365"; remove the quotes',
    );
    expect(run.stdout).toContain(
      '::error title=Invalid leadconduit-account.json,file=leadconduit-account.json,line=3,col=3::unknown setting "featurez"; did you mean "features"?',
    );
    expect(run.stdout).not.toMatch(/^\s+at /m);
    expect(run.summary.split('\n')[0]).toBe('### ❌ Invalid: 2 problems in leadconduit-account.json');
    expect(fakes.lc.requests).toHaveLength(0);
    // Posted without a record, then signed for the login GitHub gave it.
    expect(fakes.gh.requests.map((r) => r.route)).toEqual(['GET comments', 'POST comment', 'GET comments', 'PATCH comment']);
    const [comment] = fakes.gh.commentsOf(PR_NUMBER);
    expect(comment?.body).toContain('\n### ❌ Invalid: 2 problems in leadconduit-account.json\n');
    expect(recordedChanges(comment?.body ?? '')).toBeNull();
  });
});

describe('the built command line', () => {
  const FILE = 'leadconduit-account.json';
  let lc: FakeLeadConduit;
  let dir: string;

  beforeEach(async () => {
    lc = await startFakeLeadConduit();
    dir = await mkdtemp(join(tmpdir(), 'lc-cli-'));
  });
  afterEach(async () => {
    await lc.close();
    await rm(dir, { recursive: true, force: true });
  });

  const withFake = (...args: string[]) => [...args, '--base-url', lc.url];
  const writeState = (value: unknown) => writeFile(join(dir, FILE), typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`);
  const routes = () => lc.requests.map((r) => `${r.method} ${r.path}`);

  /**
   * `node cli.js <args>`, then runCli(args) in this process from the same account: the same exit
   * code, the same output to the byte and the same requests, so test/cli.test.ts's in-process
   * tests hold for the bundle too. Answers the child's run; lc.requests holds this run's requests.
   */
  async function sameAsInProcess(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
    lc.requests.splice(0);
    const before = lc.account;
    const child = await runCliChild(join(bundle, 'cli.js'), dir, args, options);
    const sent = routes();
    lc.account = before;
    lc.requests.splice(0);
    expect(await runCliInProcess(dir, args, options)).toEqual(child);
    expect(routes()).toEqual(sent);
    return child;
  }

  it('is a node script (npm run build)', async () => {
    expect((await readFile(join(bundle, 'cli.js'), 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('validate: exit 0 on a valid file, with no network and no API key', async () => {
    await writeState({ id: SAMPLE_ACCOUNT_ID, data_retention_in_days: 365, features: { firehose: true } });
    expect(await sameAsInProcess(['validate'], { apiKey: null })).toEqual({ code: 0, stdout: `✓ ${FILE} is valid: 2 managed settings.\n`, stderr: '' });
    expect(lc.requests).toHaveLength(0);
  });

  it('plan: exit 2 and the table when the account differs, after one GET', async () => {
    await writeState({ data_retention_in_days: 30, features: { firehose: true } });
    const run = await sameAsInProcess(withFake('plan'));
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('Plan: 2 changes, 1 destructive.');
    expect(routes()).toEqual(['GET /account']);
  });

  it('apply: refuses without --yes and without a terminal; --yes sends one PUT and verifies', async () => {
    await writeState({ features: { firehose: true } });
    const refused = await sameAsInProcess(withFake('apply'), { input: 'yes\n' });
    expect(refused.code).toBe(1);
    expect(routes()).toEqual(['GET /account']);
    const applied = await sameAsInProcess(withFake('apply', '--yes'));
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`✓ Applied 1 change; the account now matches ${FILE}.`);
    expect(routes()).toEqual(['GET /account', 'PUT /account']);
    expect(lc.account.features.firehose).toBe(true);
    for (const secret of [TEST_API_KEY, ...SECRET_VALUES]) expect(`${applied.stdout}${applied.stderr}`).not.toContain(secret);
  });

  it('--version and help', async () => {
    expect((await sameAsInProcess(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect((await sameAsInProcess(['plan', '--help'])).stdout).toMatch(/^Usage: leadconduit-account plan \[options\] \[file\]\n/);
  });

  // `leadconduit-account plan | head -1`: the reader goes away and the next write fails with EPIPE.
  // Here the read end is closed before the command writes anything, so every write meets it.
  describe('on a pipe its reader closed early', () => {
    async function closedPipes(args: readonly string[], close: { stdout?: boolean; stderr?: boolean }): Promise<{ code: number | null; stderr: string }> {
      const child = spawn(process.execPath, [join(bundle, 'cli.js'), ...args], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: dir, LEADCONDUIT_API_KEY: TEST_API_KEY },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      if (close.stdout) child.stdout.destroy();
      if (close.stderr) child.stderr.destroy();
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      return { code, stderr };
    }

    it("stops writing quietly and exits with the command's own code: --help 0, plan with changes 2, export --json 0 (the file written)", async () => {
      expect(await closedPipes(['--help'], { stdout: true })).toEqual({ code: 0, stderr: '' });
      await writeState({ features: { firehose: true } });
      expect(await closedPipes(withFake('plan'), { stdout: true })).toEqual({ code: 2, stderr: '' });
      expect(routes()).toEqual(['GET /account']);
      expect(await closedPipes(withFake('export', 'exported.json', '--json'), { stdout: true })).toEqual({ code: 0, stderr: '' });
      expect(JSON.parse(await readFile(join(dir, 'exported.json'), 'utf8'))).toMatchObject({ id: SAMPLE_ACCOUNT_ID });
    });

    it('a closed stderr too: the warning it would have shown is dropped, the plan still exits 2; a failure still exits 1', async () => {
      await writeState({ subscriptions: { pro: { state: 'active', created_at: '2022-03-10T09:00:00Z' } } });
      expect(await closedPipes(withFake('plan'), { stderr: true })).toEqual({ code: 2, stderr: '' });
      expect(await closedPipes(withFake('plan'), { stdout: true, stderr: true })).toEqual({ code: 2, stderr: '' });
      expect(await closedPipes(['validate', 'missing.json'], { stdout: true, stderr: true })).toEqual({ code: 1, stderr: '' });
      const failed = await closedPipes(['validate', 'missing.json'], { stdout: true });
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(/^error: missing.json was not found/);
      expect(failed.stderr).not.toMatch(/EPIPE|^\s+at /m);
    });
  });

  // A real terminal through util-linux `script`: the spinner and the confirmation prompt.
  const hasScript = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;
  describe.skipIf(!hasScript)('on a terminal', () => {
    async function onTerminal(args: readonly string[], input: string): Promise<CliRun> {
      const command = [process.execPath, join(bundle, 'cli.js'), ...args].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
      return runScript(command, input);
    }

    async function runScript(command: string, input: string): Promise<CliRun> {
      const child = spawn('script', ['-qefc', command, '/dev/null'], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: dir, TERM: 'xterm', LEADCONDUIT_API_KEY: TEST_API_KEY },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        if (stdout.includes('Type "yes" to apply')) child.stdin.end(input);
      });
      const code = await new Promise<number>((resolve) => child.on('close', (exit) => resolve(exit ?? -1)));
      return { code, stdout, stderr: '' };
    }

    it('asks before applying; "yes" applies', async () => {
      await writeState({ features: { firehose: true } });
      const run = await onTerminal(withFake('apply'), 'yes\n');
      expect(run.stdout).toContain('Reading the account from'); // the spinner, on a terminal only
      expect(run.stdout).toContain('Apply 1 change to Acme, Inc. (5fd4371e940df5a34a3888b2)? Type "yes" to apply:');
      expect(run.code).toBe(0);
      expect(lc.account.features.firehose).toBe(true);
      expect(lc.count('PUT /account')).toBe(1);
    });

    it('anything else cancels, nothing sent', async () => {
      await writeState({ features: { firehose: true } });
      const run = await onTerminal(withFake('apply'), 'no\n');
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('Apply cancelled; nothing was sent.');
      expect(lc.count('PUT /account')).toBe(0);
    });
  });
});

// Two plans of the same pull request at once (a re-run while the last run is still going, or two
// pushes in quick succession) must end with exactly one sticky plan comment. Two in-process runs
// would share process.env, so at least one is the built action in a process of its own.
describe('two plans of the same pull request at once', () => {
  const MARKER = commentMarker('leadconduit-account.json');
  const DESIRED = { data_retention_in_days: 400, features: { firehose: true } };
  const open: Array<{ close(): Promise<void> }> = [];
  const cleanups: Array<() => Promise<void>> = [];
  let lc: FakeLeadConduit;

  async function fakes(): Promise<GatedGitHub> {
    lc = await startFakeLeadConduit();
    const gh = await new GatedGitHub().listen();
    open.push(lc, gh);
    return gh;
  }

  afterEach(async () => {
    for (const fake of open) if ('violations' in fake) expect(fake.violations, "requests that stray from GitHub's REST description").toEqual([]);
    await Promise.all(open.splice(0).map((fake) => fake.close()));
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  function setup(gh: FakeGitHub): ActionSetup {
    return { file: DESIRED, leadconduitUrl: lc.url, githubUrl: gh.url, event: 'pull_request' };
  }

  /**
   * Two plans of the same PR started together: both the built action in a child process, or,
   * where gates make them meet at one step whatever their pace, one of them in this process.
   */
  async function twoPlans(gh: FakeGitHub, where: 'two processes' | 'one here' = 'one here') {
    const action = join(bundle, 'index.js');
    // The run here gets the built action's timings: a gate may hold its request until the other
    // process, slower to start, gets there.
    const here = () => runInProcess(setup(gh), DEFAULT_TUNING);
    const runs = await Promise.all([where === 'one here' ? here() : runDist(setup(gh), action), runDist(setup(gh), action)]);
    for (const run of runs) {
      cleanups.push(run.cleanup);
      expect(run.exitCode, `${run.stdout}\n${'stderr' in run ? run.stderr : ''}`).toBe(0);
      expect(run.stdout).not.toMatch(/::warning::Could not comment/);
    }
    return runs;
  }

  const planComments = (gh: FakeGitHub): GitHubComment[] => gh.commentsOf(PR_NUMBER).filter((c) => c.body.startsWith(MARKER));

  function expectOnePlanComment(gh: FakeGitHub, runs: Array<{ outputs: Record<string, string> }>): GitHubComment {
    const comments = planComments(gh);
    expect(comments).toHaveLength(1);
    const comment = comments[0]!;
    // The one comment holds a complete plan, and both runs point at it.
    expect(recordedChanges(comment.body)?.map((c) => c.path)).toEqual(['data_retention_in_days', 'features.firehose']);
    expect(comment.body).toContain('400');
    for (const run of runs) expect(run.outputs['comment-url']).toBe(comment.html_url);
    return comment;
  }

  it('end with exactly one plan comment', async () => {
    const gh = await fakes();
    const runs = await twoPlans(gh, 'two processes');
    expectOnePlanComment(gh, runs);
    // Whichever way the runs interleaved, every comment created beyond the one kept was deleted.
    expect(gh.count('POST comment') - gh.count('DELETE comment')).toBeLessThanOrEqual(1);
  });

  it('end with exactly one plan comment when both create one (forced interleaving)', async () => {
    const gh = await fakes();
    // Both runs find no comment, then both create one: the race upsertComment must repair.
    gh.gate('GET comments', 2);
    gh.gate('POST comment', 2);
    const runs = await twoPlans(gh);
    expect(gh.count('POST comment')).toBe(2);
    const kept = expectOnePlanComment(gh, runs);
    expect(kept.id).toBe(1); // the oldest is kept
    expect(gh.count('DELETE comment')).toBeGreaterThanOrEqual(1);
  });

  it('update the one existing plan comment and create none', async () => {
    const gh = await fakes();
    const old = gh.addComment(PR_NUMBER, ownRecordBody([], 'an old plan'));
    gh.gate('GET comments', 2);
    const runs = await twoPlans(gh);
    expect(gh.count('POST comment')).toBe(0);
    expect(expectOnePlanComment(gh, runs).id).toBe(old.id);
  });
});
