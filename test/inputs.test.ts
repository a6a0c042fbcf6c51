/**
 * Issue "Bad input": wrong inputs are refused with a message saying what is wrong and what to do,
 * before anything reaches LeadConduit or GitHub; the mode follows the event; only loopback hosts
 * may be reached over plain http.
 *
 * Made-up hosts appear here only as input. A guard around fetch refuses (and records) anything
 * but 127.0.0.1 for the whole file, so a regression fails a test instead of going out.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../src/errors.js';
import type { RunContext } from '../src/github-context.js';
import { DEFAULT_BASE_URL, isLoopback } from '../src/base-url.js';
import { DEFAULT_FILE, getSettings, resolveMode, type RequestedMode } from '../src/inputs.js';
import { PR_NUMBER, runInProcess, type ActionRun, type ActionSetup } from './support/action-env.js';
import { recordedChanges } from './support/records.js';
import { startFakeGitHub, type FakeGitHub } from './support/fake-github.js';
import { startFakeLeadConduit, type FakeLeadConduit } from './support/fake-leadconduit.js';
import { failureText } from '../src/report.js';
import { expectVerdictSaidOnce } from './support/verdict.js';

const WORKSPACE = '/home/runner/work/settings/settings';

function context(overrides: Partial<RunContext> = {}): RunContext {
  return {
    eventName: 'pull_request',
    repository: { owner: 'acme', repo: 'settings' },
    sha: 'e'.repeat(40),
    ref: 'refs/pull/7/merge',
    actor: 'octo-ops',
    serverUrl: 'https://github.com',
    apiUrl: 'https://api.github.com',
    runUrl: undefined,
    workspace: WORKSPACE,
    runnerTemp: undefined,
    pullRequest: undefined,
    ...overrides,
  };
}

/** INPUT_* variables as the runner sets them (hyphens kept). */
function inputs(values: Record<string, string>): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]));
}

function settingsError(values: Record<string, string>, run: RunContext = context()): UserError {
  try {
    getSettings(inputs(values), run);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error(`getSettings accepted ${JSON.stringify(values)}`);
}

describe('resolveMode', () => {
  it.each([
    ['pull_request', 'plan'],
    ['pull_request_target', 'plan'],
    ['merge_group', 'plan'],
    ['push', 'apply'],
    ['workflow_dispatch', 'apply'],
    ['schedule', 'check'],
    ['release', 'plan'],
    ['repository_dispatch', 'plan'],
    ['workflow_run', 'plan'],
    ['', 'plan'],
  ])('auto on %j is %s', (event, mode) => {
    expect(resolveMode('auto', event)).toBe(mode);
  });

  it.each(['plan', 'apply', 'check', 'validate'] as const)('an explicit %s wins over every event', (mode) => {
    for (const event of ['pull_request', 'push', 'schedule', 'workflow_dispatch', 'merge_group']) expect(resolveMode(mode, event)).toBe(mode);
  });
});

describe('isLoopback', () => {
  it.each(['localhost', 'LOCALHOST', 'api.localhost', '127.0.0.1', '127.1.2.3', '127.255.255.255', '[::1]', '::1'])('%s is this machine', (host) => {
    expect(isLoopback(host)).toBe(true);
  });
  it.each([
    '128.0.0.1',
    '126.0.0.1',
    'localhost.example.com',
    'mylocalhost',
    '0.0.0.0',
    '127.0.0.1.nip.io',
    '127.0.0.256',
    '10.0.0.1',
    '[::2]',
    'app.leadconduit.com',
    '',
  ])('%j is not', (host) => {
    expect(isLoopback(host)).toBe(false);
  });
});

describe('getSettings', () => {
  it('uses the defaults when no input is set, and maps the event to a mode', () => {
    const settings = getSettings({}, context());
    expect(settings).toMatchObject({
      apiKey: '',
      file: DEFAULT_FILE,
      filePath: join(WORKSPACE, DEFAULT_FILE),
      requestedMode: 'auto',
      mode: 'plan',
      baseUrl: DEFAULT_BASE_URL,
      comment: true,
      allowDestructive: false,
      allowUnreviewedChanges: false,
    });
    expect(getSettings({}, context({ eventName: 'push' })).mode).toBe('apply');
    expect(getSettings({}, context({ eventName: 'schedule' })).mode).toBe('check');
    expect(getSettings(inputs({ mode: 'Validate' }), context({ eventName: 'push' })).mode).toBe('validate');
  });

  it('reads every input, trimmed, with hyphens kept in the names', () => {
    const settings = getSettings(
      inputs({
        'api-key': '  key-123  ',
        file: 'config/leadconduit-account.json',
        mode: 'check',
        'base-url': 'http://127.0.0.1:8080/',
        'github-token': 'ghs_x',
        comment: 'False',
        'allow-destructive': 'TRUE',
        'allow-unreviewed-changes': 'true',
      }),
      context(),
    );
    expect(settings).toMatchObject({
      apiKey: 'key-123',
      file: 'config/leadconduit-account.json',
      filePath: join(WORKSPACE, 'config/leadconduit-account.json'),
      mode: 'check',
      baseUrl: 'http://127.0.0.1:8080',
      githubToken: 'ghs_x',
      comment: false,
      allowDestructive: true,
      allowUnreviewedChanges: true,
    });
  });

  it.each([
    ['an unknown mode', { mode: 'deploy' }, 'Input "mode" must be one of auto, plan, apply, check, validate, not "deploy".'],
    ['a non-boolean comment', { comment: 'yes' }, 'Input "comment" must be true or false, not "yes".'],
    ['a non-boolean allow-destructive', { 'allow-destructive': 'yes' }, 'Input "allow-destructive" must be true or false, not "yes".'],
    ['a non-boolean allow-unreviewed-changes', { 'allow-unreviewed-changes': '1' }, 'Input "allow-unreviewed-changes" must be true or false, not "1".'],
    [
      'a base-url that is no URL',
      { 'base-url': 'not a url' },
      'Input "base-url" must be a URL starting with https:// such as https://app.leadconduit.com, not "not a url".',
    ],
    [
      'a base-url without its scheme',
      { 'base-url': 'app.leadconduit.com' },
      'must be a URL starting with https:// such as https://app.leadconduit.com, not "app.leadconduit.com"',
    ],
    [
      'plain http to another host',
      { 'base-url': 'http://leadconduit.invalid' },
      'Input "base-url" must use https:// (got "http://leadconduit.invalid"): the API key must not travel in clear text.',
    ],
    ['plain http to a look-alike of localhost', { 'base-url': 'http://localhost.example.com:8080' }, 'must use https://'],
    ['plain http to 0.0.0.0', { 'base-url': 'http://0.0.0.0:8080' }, 'must use https://'],
    ['another scheme', { 'base-url': 'ftp://leadconduit.invalid' }, 'Input "base-url" must be an https:// URL, not "ftp://leadconduit.invalid".'],
    ['credentials in the base-url', { 'base-url': 'https://API:pw-123456@leadconduit.invalid' }, 'Input "base-url" must not contain a user name or password'],
    ['a query in the base-url', { 'base-url': 'https://leadconduit.invalid/?x=1' }, 'Input "base-url" must not have a query or fragment'],
    [
      'a file outside the workspace',
      { file: '../../etc/passwd' },
      `Input "file" (../../etc/passwd) must name a file inside the workspace (${WORKSPACE}); use a path relative to the repository root.`,
    ],
    ['an absolute file outside the workspace', { file: '/etc/passwd' }, 'Input "file" (/etc/passwd) must name a file inside the workspace'],
    ['the workspace itself as the file', { file: '.' }, 'Input "file" (.) must name a file inside the workspace'],
    ['the parent folder', { file: 'config/../..' }, 'must name a file inside the workspace'],
  ])('refuses %s', (_what, values, message) => {
    const error = settingsError(values);
    expect(error.message).toContain(message);
    expect(error.details).toEqual([]);
  });

  it('accepts a file in a folder whose name starts with two dots, and an absolute path inside the workspace', () => {
    expect(getSettings(inputs({ file: '..config/leadconduit-account.json' }), context()).filePath).toBe(join(WORKSPACE, '..config/leadconduit-account.json'));
    expect(getSettings(inputs({ file: join(WORKSPACE, 'a.json') }), context()).filePath).toBe(join(WORKSPACE, 'a.json'));
  });

  it('reports every wrong input at once, each on its own line', () => {
    const error = settingsError({
      mode: 'deploy',
      comment: 'yes',
      'allow-destructive': 'nope',
      'base-url': 'http://leadconduit.invalid',
      file: '../outside.json',
    });
    expect(error.message).toMatch(/^5 inputs are invalid: /);
    expect(error.details).toHaveLength(5);
    for (const part of [
      'Input "mode"',
      'Input "comment"',
      'Input "allow-destructive"',
      'Input "base-url" must use https://',
      'Input "file" (../outside.json)',
    ]) {
      expect(error.message).toContain(part);
      expect(error.details.filter((d) => d.startsWith(part))).toHaveLength(1);
    }
  });

  it('accepts the mode in any case, and refuses nothing else it should not', () => {
    for (const mode of ['auto', 'PLAN', 'Apply', 'check', 'validate'] as const) {
      expect(getSettings(inputs({ mode }), context()).requestedMode).toBe(mode.toLowerCase() as RequestedMode);
    }
    for (const url of ['https://app.leadconduit.com', 'https://leadconduit.invalid/api/', 'http://localhost:3000', 'http://127.0.0.1:9', 'http://[::1]:8080']) {
      expect(() => getSettings(inputs({ 'base-url': url }), context())).not.toThrow();
    }
  });
});

describe('a run with bad inputs', () => {
  let leadconduit: FakeLeadConduit;
  let github: FakeGitHub;
  const realFetch = globalThis.fetch;
  /** Anything the run tried to reach other than 127.0.0.1. */
  const offLoopback: string[] = [];
  const temps: string[] = [];

  beforeAll(async () => {
    [leadconduit, github] = await Promise.all([startFakeLeadConduit(), startFakeGitHub()]);
    globalThis.fetch = (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.hostname !== '127.0.0.1') {
        offLoopback.push(url.href);
        return Promise.reject(new TypeError(`test guard: refused to connect to ${url.href}`));
      }
      return realFetch(input, init);
    };
  });
  afterAll(async () => {
    globalThis.fetch = realFetch;
    await Promise.all([leadconduit.close(), github.close()]);
  });
  beforeEach(() => {
    leadconduit.requests.splice(0);
    github.requests.splice(0);
    github.comments.splice(0);
    offLoopback.splice(0);
  });
  afterEach(async () => {
    expect(github.violations.splice(0), "requests that stray from GitHub's REST description").toEqual([]);
    await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  const VALID = '{\n  "data_retention_in_days": 365\n}\n';

  async function run(setup: ActionSetup): Promise<ActionRun> {
    const result = await runInProcess({ file: VALID, leadconduitUrl: leadconduit.url, githubUrl: github.url, ...setup });
    temps.push(result.temp);
    return result;
  }

  /** The summary as a reader sees it: entities decoded, the zero-width joiners that keep text from linking dropped. */
  function readable(summary: string): string {
    return summary.replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n))).replace(/\u200D/g, '');
  }

  /**
   * Nothing went to LeadConduit or off this machine. On GitHub: nothing at all, or, where a run on a
   * pull request with the key failed on its file, only its comment, recording the failure and no plan.
   */
  function expectNothingSent({ failureComment = false } = {}): void {
    expect(leadconduit.requests, 'requests to LeadConduit').toEqual([]);
    expect(offLoopback, 'connections attempted off this machine').toEqual([]);
    if (!failureComment) {
      expect(github.requests, 'requests to GitHub').toEqual([]);
      return;
    }
    expect(new Set(github.requests.map((r) => r.route)), 'requests to GitHub').toEqual(new Set(['GET comments', 'POST comment', 'PATCH comment']));
    const comments = github.commentsOf(PR_NUMBER);
    expect(comments).toHaveLength(1);
    expect(recordedChanges(comments[0]?.body ?? ''), 'the comment records no plan').toBeNull();
  }

  function expectRefused(result: ActionRun, message: string, options: { failureComment?: boolean } = {}): void {
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`::error::${message}`);
    // The summary says it all once: the first clause as its verdict, the rest under it.
    const { reason, detail } = failureText({ error: message });
    expect(readable(result.summary.split('\n')[0] ?? '')).toContain(reason);
    expect(readable(result.summary)).toContain(detail);
    expectVerdictSaidOnce(result.summary);
    expect(result.stdout).not.toContain('    at ');
    expect(result.stdout).not.toContain('Unexpected error');
    expect(result.outputs.applied).toBe('false');
    expectNothingSent(options);
  }

  it('the fetch guard itself refuses and records a host other than 127.0.0.1', async () => {
    await expect(fetch('https://leadconduit.invalid/account')).rejects.toThrow('test guard');
    expect(offLoopback).toEqual(['https://leadconduit.invalid/account']);
    offLoopback.splice(0);
  });

  it.each([
    ['an unknown mode', { mode: 'deploy' }, 'Input "mode" must be one of auto, plan, apply, check, validate, not "deploy".'],
    ['comment: yes', { comment: 'yes' }, 'Input "comment" must be true or false, not "yes".'],
    ['allow-destructive: yes', { 'allow-destructive': 'yes' }, 'Input "allow-destructive" must be true or false, not "yes".'],
    [
      'a malformed base-url',
      { 'base-url': 'https//app.leadconduit.com' },
      'Input "base-url" must be a URL starting with https:// such as https://app.leadconduit.com, not "https//app.leadconduit.com".',
    ],
    [
      'http:// to a host that is not this machine',
      { 'base-url': 'http://leadconduit.invalid' },
      'Input "base-url" must use https:// (got "http://leadconduit.invalid"): the API key must not travel in clear text. Plain http:// is allowed only for localhost.',
    ],
    ['a file outside the workspace', { file: '../../etc/passwd' }, 'Input "file" (../../etc/passwd) must name a file inside the workspace'],
  ])('%s: refused before anything is read or sent', async (_what, values, message) => {
    const result = await run({ inputs: values, event: 'push' });
    expectRefused(result, message);
    expect(readable(result.summary)).toContain('❌ Invalid');
  });

  it('http:// to another host is refused even in validate mode, and even with an empty api-key', async () => {
    const result = await run({ inputs: { mode: 'validate', 'api-key': '', 'base-url': 'http://leadconduit.invalid:80/' } });
    expectRefused(result, 'Input "base-url" must use https://');
  });

  it('a missing file: says where it looked and what to do', async () => {
    const result = await run({ file: undefined, inputs: { file: 'config/leadconduit-account.json' } });
    expectRefused(result, 'config/leadconduit-account.json was not found in the workspace', { failureComment: true });
    expect(result.stdout).toContain('Commit it, or set the "file" input to its path relative to the repository root');
  });

  it('a directory instead of a file', async () => {
    const result = await run({ file: '{}', fileName: 'config/leadconduit-account.json', inputs: { file: 'config' } });
    expectRefused(result, 'config is a directory, not a file.', { failureComment: true });
  });

  /** A workspace holding `entries`, and a folder outside it holding a valid desired-state file. */
  async function workspaceWithLink(link: string, target: 'file' | 'folder'): Promise<{ workspace: string; outside: string }> {
    const root = await mkdtemp(join(tmpdir(), 'lc-inputs-'));
    temps.push(root);
    const workspace = join(root, 'workspace');
    const outside = join(root, 'outside');
    await mkdir(workspace, { recursive: true });
    await mkdir(outside, { recursive: true });
    // A valid file: were the link followed, the run would go on to read the live account.
    await writeFile(join(outside, 'leadconduit-account.json'), VALID);
    await mkdir(join(workspace, link, '..'), { recursive: true });
    await symlink(target === 'file' ? join(outside, 'leadconduit-account.json') : outside, join(workspace, link));
    return { workspace, outside };
  }

  it('a symlink pointing outside the workspace is refused', async () => {
    const { workspace, outside } = await workspaceWithLink('leadconduit-account.json', 'file');
    const result = await run({ file: undefined, env: { GITHUB_WORKSPACE: workspace } });
    expectRefused(
      result,
      `leadconduit-account.json is a link to ${join(outside, 'leadconduit-account.json')}, outside the workspace; the desired-state file must live in the repository.`,
      { failureComment: true },
    );
  });

  it('a file inside a symlinked folder pointing outside the workspace is refused', async () => {
    const { workspace } = await workspaceWithLink('config', 'folder');
    const result = await run({ file: undefined, inputs: { file: 'config/leadconduit-account.json' }, env: { GITHUB_WORKSPACE: workspace } });
    expectRefused(result, 'config/leadconduit-account.json is a link to', { failureComment: true });
    expect(result.stdout).toContain('outside the workspace');
  });

  it('(control) a symlink to a file inside the workspace is followed', async () => {
    const root = await mkdtemp(join(tmpdir(), 'lc-inputs-'));
    temps.push(root);
    await writeFile(join(root, 'real.json'), VALID);
    await symlink(join(root, 'real.json'), join(root, 'leadconduit-account.json'));
    const result = await run({ file: undefined, inputs: { mode: 'validate' }, env: { GITHUB_WORKSPACE: root } });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('leadconduit-account.json is valid');
  });

  it.each([
    ['apply', 'push'],
    ['apply', 'workflow_dispatch'],
    ['check', 'schedule'],
  ])('an empty api-key in %s mode (%s) is a clear error', async (mode, event) => {
    const result = await run({ event, inputs: { 'api-key': '' } });
    expectRefused(
      result,
      `Input "api-key" is empty: ${mode} mode reads the live account and needs the LeadConduit API key (api-key: \${{ secrets.LEADCONDUIT_API_KEY }}). Nothing was sent.`,
    );
  });

  it('an empty api-key in plan mode on a pull request passes: the file is validated and the summary says why the live comparison was skipped', async () => {
    const result = await run({ event: 'pull_request', inputs: { 'api-key': '' } });
    expect(result.exitCode).toBe(0);
    const summary = readable(result.summary);
    expect(summary).toContain('✅ Valid: leadconduit-account.json passed validation; the live account was not compared');
    expect(summary).toContain('The api-key input is empty. GitHub gives no secrets to pull requests from forks');
    expect(summary.match(/not compared/g)).toHaveLength(1); // the headline's
    expect(summary).toContain('api-key: ${{ secrets.LEADCONDUIT_API_KEY }}');
    expect(result.stdout).toMatch(/^::warning::The live account was not compared: the api-key input is empty/m);
    expect(result.stdout).not.toContain('::error');
    expect(result.outputs).toMatchObject({ changed: 'false', applied: 'false', 'comment-url': '' });
    expectNothingSent();
  });

  it('an empty api-key does not hide a broken file: the file is still checked first', async () => {
    const result = await run({ event: 'pull_request', file: '{"data_retention_in_days": "365"}', inputs: { 'api-key': '' } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('file=leadconduit-account.json,line=1,col=2::data_retention_in_days must be a number');
    expectNothingSent();
  });

  it('several wrong inputs are all reported, in the failure and in the summary', async () => {
    const result = await run({
      inputs: { mode: 'deploy', comment: 'yes', 'allow-destructive': 'nope', 'base-url': 'http://leadconduit.invalid', file: '../../etc/passwd' },
    });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^::error::5 inputs are invalid: /m);
    const summary = readable(result.summary);
    for (const message of [
      'Input "mode" must be one of auto, plan, apply, check, validate, not "deploy".',
      'Input "comment" must be true or false, not "yes".',
      'Input "allow-destructive" must be true or false, not "nope".',
      'Input "base-url" must use https:// (got "http://leadconduit.invalid")',
      'Input "file" (../../etc/passwd) must name a file inside the workspace',
    ]) {
      expect(result.stdout).toContain(message);
      expect(summary).toMatch(new RegExp(`^- ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
    }
    expectNothingSent();
  });

  it('credentials in the base-url are refused, and not written anywhere', async () => {
    const result = await run({ inputs: { 'base-url': 'https://API:pw-3f9a1c77e0@leadconduit.invalid' } });
    expectRefused(result, 'Input "base-url" must not contain a user name or password; the API key goes in the "api-key" input.');
    expect(result.everything).not.toContain('pw-3f9a1c77e0');
  });

  it('credentials in a base-url that is not even a valid URL are not written anywhere', async () => {
    const result = await run({ inputs: { 'base-url': 'https://API:pw-9c1d2e3f4a@exa mple' } });
    expect(result.exitCode).toBe(1);
    expect(result.everything).not.toContain('pw-9c1d2e3f4a');
  });
});
