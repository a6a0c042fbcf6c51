/**
 * Answers that are odd, compromised or huge, tried as an attacker would: nothing leaks, nothing
 * injects, nothing hangs. Each test is a reproduction of a defect found by trying it.
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commentMarker } from '../../src/reviewed-plan.js';
import { FAST_TUNING, PR_NUMBER, ROOT, runSources, type ActionRun } from '../support/action-env.js';
import { useFakes } from '../support/e2e.js';
import type { Fault } from '../support/http-fake.js';
import { runCliInProcess } from '../support/cli-run.js';
import { mkfifo } from '../support/fifo.js';
import { DEFAULT_GITHUB_TOKEN } from '../support/fake-github.js';
import { SECRET_VALUES, TEST_API_KEY, sampleAccount } from '../support/sample-account.js';

const fakes = useFakes();

const DESIRED = { data_retention_in_days: 400, features: { firehose: true } };
const plan = (setup: Parameters<typeof fakes.run>[0] = {}) => fakes.run({ event: 'pull_request', file: DESIRED, ...setup });

/** The workflow commands this action means to write; any other line starting with "::" was injected. */
const OWN_COMMANDS = /^::(add-mask|debug|notice|warning|error|group|endgroup)(::| )/;

function expectNoInjectedCommand(stdout: string): void {
  for (const line of stdout.split('\n')) {
    if (!/^\s*::/.test(line)) continue;
    expect(line, 'a line that starts a workflow command').toMatch(OWN_COMMANDS);
    expect(line).not.toMatch(/^::(stop-commands|add-mask::(?!QVBJO|lc-test|ghs_fake|acct-secret|keen-))/);
  }
  // A raw carriage return or escape is never written.
  // eslint-disable-next-line no-control-regex
  expect(stdout).not.toMatch(/[\r\u001b\u0007\u009b]/);
  // The runner also reads the legacy form "##[command]" anywhere in a line.
  for (const line of stdout.split('\n')) expect(line, 'a line holding a legacy workflow command').not.toContain('##[');
}

/** Every 8-character piece of a secret: none may appear, whole or cut. */
function expectNoSecretPiece(text: string, secrets: readonly string[]): void {
  for (const secret of secrets) {
    for (let i = 0; i + 8 <= secret.length; i++) expect(text, `a piece of ${secret.slice(0, 4)}…`).not.toContain(secret.slice(i, i + 8));
  }
}

const ALL_SECRETS = [TEST_API_KEY, ...SECRET_VALUES, DEFAULT_GITHUB_TOKEN];

/** Every channel a reader sees: the log (less the ::add-mask:: lines the runner consumes), the summary, the outputs, the comments. */
function everything(run: ActionRun): string {
  return `${run.everything}\n${fakes.gh.comments.map((c) => c.body).join('\n')}`;
}

describe('workflow-command injection through the log', () => {
  it.each([
    ['a line break and ::error', 'Acme\n::error file=.github/workflows/deploy.yml,line=1,title=Security::Rotate your secrets at https://evil.example'],
    ['::stop-commands', 'Acme\n::stop-commands::tok\n::error::now unguarded'],
    ['CR LF and ::add-mask', 'Acme\r\n::add-mask::Acme'],
    ['an escaped line break', 'Acme%0A::error::x'],
    ['a terminal escape', 'Acme\u001b[2J\u001b]0;pwned\u0007'],
  ])("an account name with %s stays data on the action's own line", async (_what, name) => {
    fakes.lc.account = sampleAccount({ name });
    const run = await plan();
    expect(run.exitCode).toBe(0);
    expectNoInjectedCommand(run.stdout);
    const readLine = run.stdout.split('\n').find((line) => line.startsWith('Read account '));
    expect(readLine).toContain('Acme');
    expect(readLine).toMatch(/\\n|\\r|%0A|\\x1b/);
  });

  it('an account name holding legacy "##[" commands mid-line: no line the runner reads as a command', async () => {
    fakes.lc.account = sampleAccount({ name: 'Acme ##[stop-commands]tok ##[error title=Security]Rotate secrets' });
    const run = await plan();
    expect(run.exitCode).toBe(0);
    expectNoInjectedCommand(run.stdout);
    expect(run.stdout.split('\n').find((line) => line.startsWith('Read account '))).toContain('Acme ##\u200B[stop-commands]tok');
  });

  it('a comment URL and a login from GitHub holding "##[" and "::" reach the log as data', async () => {
    const own = fakes.gh.addComment(PR_NUMBER, `${commentMarker('leadconduit-account.json')}\nan old plan`);
    own.html_url = 'https://github.com/acme/settings/pull/7 ##[error title=Security]Rotate secrets';
    fakes.gh.addComment(PR_NUMBER, `${commentMarker('leadconduit-account.json')}\nplanted`, { login: '::error::mallory ##[warning]x' });
    const run = await plan();
    expect(run.exitCode).toBe(0);
    expectNoInjectedCommand(run.stdout);
    expect(run.stdout).toContain('Updated the plan comment: https://github.com/acme/settings/pull/7 ##\u200B[error');
  });

  it('the command line never writes a line the runner reads as a command: "##[" mid-line, "::" at the start', async () => {
    fakes.lc.account = sampleAccount({ name: '::error::Acme ##[error]Rotate secrets' });
    const run = await fakes.run({ event: 'workflow_dispatch', file: DESIRED, inputs: { mode: 'validate' } });
    const text = await runCliInProcess(run.workspace, ['plan', '--base-url', fakes.lc.url], { env: { NO_COLOR: '1' } });
    const json = await runCliInProcess(run.workspace, ['plan', '--base-url', fakes.lc.url, '--json'], { env: { NO_COLOR: '1' } });
    expect([text.code, json.code]).toEqual([2, 2]);
    const lines = [text, json].flatMap((cli) => `${cli.stdout}${cli.stderr}`.split('\n'));
    expect(lines.filter((line) => line.includes('##['))).toEqual([]);
    expect(lines.filter((line) => /^\s*::/.test(line))).toEqual([]);
    expect(text.stdout).toContain('Acme ##\u200B[error]Rotate secrets');
    // In --json the value stays the same string: "[" written as its JSON escape.
    expect(json.stdout).toContain('"name": "::error::Acme ##\\u005b');
  });

  it('the command line never writes an escape sequence from a server: clear-screen and window-title are shown escaped', async () => {
    fakes.lc.account = sampleAccount({ name: 'Acme\u001b[2J\u001b]0;pwned\u0007\u009b31m' });
    const run = await fakes.run({ event: 'workflow_dispatch', file: DESIRED, inputs: { mode: 'validate' } });
    const cli = await runCliInProcess(run.workspace, ['plan', '--base-url', fakes.lc.url], { env: { NO_COLOR: '1' } });
    expect(cli.code).toBe(2);
    // eslint-disable-next-line no-control-regex
    expect(`${cli.stdout}${cli.stderr}`).not.toMatch(/[\u001b\u0007\u009b\r]/);
    expect(cli.stdout).toContain('Account Acme\\x1b[2J\\x1b]0;pwned\\x07\\x9b31m');
  });
});

describe('JSON written for people and other steps holds no raw control or bidirectional character', () => {
  const RAW = /[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
  const HOSTILE = 'act\u202eevitcani\u2066\u2028\u0085\u009b31m\u007f\u200f';
  const hostileAccount = () =>
    sampleAccount({
      features: { ...sampleAccount().features, buyer_access: `legacy${HOSTILE}` as unknown as boolean },
      subscriptions: { ...sampleAccount().subscriptions, base: { ...sampleAccount().subscriptions.base!, state: HOSTILE } },
    });
  const files = async (dir: string) => (await readdir(dir)).map((name) => readFileSync(join(dir, name), 'utf8')).join('\n');

  it('the changes output, the rollback file, the request body in the summary and the comment: \\u escapes, the same values', async () => {
    fakes.lc.account = hostileAccount();
    const file = { features: { firehose: true }, subscriptions: { base: { state: 'inactive' } } };
    const planned = await plan({ file });
    expect(planned.exitCode).toBe(0);
    const comment = fakes.gh.commentsOf(PR_NUMBER)[0]?.body ?? '';
    const applied = await fakes.run({ event: 'workflow_dispatch', file });
    expect(applied.exitCode).toBe(0);
    for (const [channel, text] of [
      ['the plan outputs', readFileSync(planned.env.GITHUB_OUTPUT ?? '', 'utf8')],
      ['the plan summary', planned.summary],
      ['the comment', comment],
      ['the apply outputs', readFileSync(applied.env.GITHUB_OUTPUT ?? '', 'utf8')],
      ['the apply summary', applied.summary],
      ['the files in RUNNER_TEMP', await files(applied.env.RUNNER_TEMP ?? '')],
    ] as const) {
      expect(text, channel).not.toMatch(RAW);
    }
    expect(JSON.parse(applied.outputs.changes ?? '')).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'subscriptions.base.state', before: HOSTILE })]),
    );
    const previous = JSON.parse(readFileSync(applied.outputs['previous-state-file'] ?? '', 'utf8')) as { subscriptions: { base: { state: string } } };
    expect(previous.subscriptions.base.state).toBe(HOSTILE);
    expect(applied.summary).toContain('"buyer_access": "legacyact\\u202eevitcani\\u2066');
  });

  it('a comment URL from GitHub holding controls reaches the comment-url output as one printable line', async () => {
    const own = fakes.gh.addComment(PR_NUMBER, `${commentMarker('leadconduit-account.json')}\nan old plan`);
    own.html_url = `https://github.com/acme/settings/pull/7\u202e\u0085\u001b[2J\nchanged<<x`;
    const run = await plan();
    expect(run.exitCode).toBe(0);
    const outputs = readFileSync(run.env.GITHUB_OUTPUT ?? '', 'utf8');
    // eslint-disable-next-line no-control-regex -- none may be written raw
    expect(outputs).not.toMatch(/[\u001b\u0085\u202e]/);
    expect(run.outputs['comment-url']).toBe('https://github.com/acme/settings/pull/7\\u202e\\x85\\x1b[2J\\nchanged<<x');
  });

  it('the drift file of a check: \\u escapes, the same values', async () => {
    fakes.lc.account = hostileAccount();
    const run = await fakes.run({ event: 'schedule', file: { subscriptions: { base: { state: 'inactive' } } } });
    expect(run.exitCode).toBe(1);
    const drift = readFileSync(run.outputs['drift-file'] ?? '', 'utf8');
    expect(drift).not.toMatch(RAW);
    expect(run.summary).not.toMatch(RAW);
    expect((JSON.parse(drift) as { subscriptions: { base: { state: string } } }).subscriptions.base.state).toBe(HOSTILE);
  });
});

describe('no pings or links from outside text', () => {
  it('an account name full of mentions, references and links neither mentions, cross-references nor links', async () => {
    fakes.lc.account = sampleAccount({ name: '@octocat @acme/admins #1 GH-2 acme/settings#3 https://evil.example/login www.evil.example' });
    const run = await plan();
    expect(run.exitCode).toBe(0);
    const comment = fakes.gh.commentsOf(PR_NUMBER)[0]?.body ?? '';
    const accountLine = comment.split('\n').find((line) => line.startsWith('Account:')) ?? '';
    const summaryRow = run.summary.split('\n').find((line) => line.startsWith('- **Account:**')) ?? '';
    for (const text of [accountLine, summaryRow]) {
      expect(text).toContain('octocat');
      expect(text).not.toMatch(/@(?!\u200D)\w/);
      expect(text).not.toMatch(/#(?!\u200D)\d/);
      expect(text).not.toMatch(/GH-\d/);
      expect(text).not.toMatch(/https?:\/\//);
      expect(text).not.toMatch(/www\./);
    }
  });
});

describe('redaction happens on the raw text, before anything cuts or escapes it', () => {
  it.each([
    ['a 400 whose message is long, then the key', 400, { message: `${'x'.repeat(290)} ${TEST_API_KEY}` }, undefined],
    [
      'a 500 HTML page whose title holds the key after 70 characters',
      500,
      `<!DOCTYPE html><html><head><title>${'y'.repeat(70)} ${TEST_API_KEY}</title></head></html>`,
      'text/html',
    ],
    ['a 200 text body quoting the key', 200, `bad key: ${TEST_API_KEY} rest`, 'text/plain'],
    [
      'a 500 with account secrets in a JSON body, before any account was read',
      500,
      { error: 'x', account: { api_key: 'raw-acct-key-123456789', keen_read_api_key: 'raw-keen-key-987654321' } },
      undefined,
    ],
  ])('%s: no piece of a secret anywhere', async (_what, status, body, type) => {
    fakes.lc.inject('GET /account', { kind: 'status', status, body, ...(type ? { headers: { 'content-type': type } } : {}) }, 10);
    const run = await plan();
    expect(run.exitCode).toBe(1);
    expect(fakes.lc.count('PUT /account')).toBe(0);
    expectNoSecretPiece(everything(run), [...ALL_SECRETS, 'raw-acct-key-123456789', 'raw-keen-key-987654321']);
  });

  it('a live value of an odd kind holding the API key after 25 characters: scrubbed, then described (no "lc-test-api-k…")', async () => {
    const odd = `${'x'.repeat(25)}${TEST_API_KEY}`;
    fakes.lc.account = sampleAccount({ features: { ...sampleAccount().features, firehose: odd as unknown as boolean } });
    const run = await plan();
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(`features.firehose is the string "${'x'.repeat(25)}***"`);
    expectNoSecretPiece(everything(run), ALL_SECRETS);
    const cli = await runCliInProcess(run.workspace, ['plan', '--base-url', fakes.lc.url]);
    expect(cli.code).toBe(1);
    expectNoSecretPiece(`${cli.stdout}${cli.stderr}`, ALL_SECRETS);
  });

  it('a value in the file holding the API key after 25 characters: scrubbed, then described (no "lc-test-api-key…")', async () => {
    const file = { data_retention_in_days: `${'x'.repeat(25)}${TEST_API_KEY}` };
    const run = await plan({ file });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(`not the string "${'x'.repeat(25)}***"`);
    expectNoSecretPiece(everything(run), ALL_SECRETS);
    const cli = await runCliInProcess(run.workspace, ['plan', '--base-url', fakes.lc.url]);
    expect(cli.code).toBe(1);
    expectNoSecretPiece(`${cli.stdout}${cli.stderr}`, ALL_SECRETS);
  });

  it('a GitHub message quoting the token is masked before it is escaped (no ghs&#95;fake... in the summary)', async () => {
    fakes.gh.inject('GET comments', { kind: 'status', status: 500, body: { message: 'proxy rejected token ghs_fake_token_123' } }, 10);
    const run = await plan();
    expect(run.exitCode).toBe(1);
    expect(run.summary).toContain('proxy rejected token &#42;&#42;&#42;');
    expect(run.summary).not.toMatch(/ghs(&#95;|_)fake/);
    expectNoSecretPiece(everything(run), ALL_SECRETS);
  });

  it.each([['https:leaky:hunter2secret@leadconduit.invalid'], ['https:\\\\leaky:hunter2secret@leadconduit.invalid'], ['not a url leaky:hunter2secret@x']])(
    'a password in a base-url written as %s is masked and never quoted',
    async (baseUrl) => {
      const run = await plan({ inputs: { 'base-url': baseUrl } });
      expect(run.exitCode).toBe(1);
      expect(everything(run)).not.toContain('hunter2secret');
      expect(fakes.lc.requests).toEqual([]);
    },
  );

  // The hosts are loopback or .invalid: should a regression send a request, it goes nowhere.
  it.each([
    ['https://127.0.0.1:hunter2/secret99@leadconduit.invalid'],
    ['https://127.0.0.1:hunter2?secret99@leadconduit.invalid'],
    ['https://127.0.0.1:hunter2#secret99@leadconduit.invalid'],
    ['https://127.0.0.1:1234/secret99@leadconduit.invalid'],
    ['https//127.0.0.1:hunter2/secret99@leadconduit.invalid'],
  ])('a password holding "/", "?" or "#" in a base-url written as %s is masked and never quoted', async (baseUrl) => {
    const run = await plan({ inputs: { 'base-url': baseUrl } });
    expect(run.exitCode).toBe(1);
    expect(everything(run)).not.toMatch(/hunter2|secret99/);
    expect(fakes.lc.requests).toEqual([]);
  });

  it('a short API key is masked where it stands, and so is its Basic credential', async () => {
    await fakes.restartLeadConduit({ apiKey: 'k9z' });
    const basic = Buffer.from('API:k9z').toString('base64');
    fakes.lc.inject('GET /account', { kind: 'status', status: 401, body: { message: `rejected Basic ${basic} (key k9z)` } }, 10);
    const run = await plan({ inputs: { 'api-key': 'k9z' } });
    expect(run.exitCode).toBe(1);
    expect(everything(run)).not.toContain(basic);
    expect(everything(run)).not.toContain('key k9z');
  });

  it('a 422 naming a setting under "key" masks it there only: no add-mask of the setting name, the changes output and the request body keep it', async () => {
    fakes.lc.inject(
      'PUT /account',
      { kind: 'status', status: 422, body: { errors: [{ key: 'data_retention_in_days', message: 'must be at most 36500' }] } },
      10,
    );
    const run = await fakes.run({ event: 'workflow_dispatch', file: DESIRED });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).not.toMatch(/^::add-mask::(data_retention_in_days|QVBJOmRhdGFf)/m);
    expect(run.outputs.changes).toContain('"path":"data_retention_in_days"');
    expect(run.summary).toContain('"data_retention_in_days": 400');
    expect(run.everything).not.toContain('"***"');
  });

  it('a live secret field holding a word of the account ("inactive") is not masked elsewhere: the planned state shows', async () => {
    fakes.lc.account = sampleAccount({ keen_read_api_key: 'inactive', keen_write_api_key: 'subscriptions' });
    const run = await plan({ file: { subscriptions: { base: { state: 'inactive' } } } });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).not.toMatch(/^::add-mask::(inactive|subscriptions)$/m);
    expect(run.outputs.changes).toContain('"after":"inactive"');
    expect(run.summary).toContain('inactive');
    expect(run.summary).not.toContain('&#42;&#42;&#42;');
  });

  it('an account secret of "true" does not turn the changed and applied outputs into ***', async () => {
    fakes.lc.account = sampleAccount({ keen_read_api_key: 'true', keen_write_api_key: 'false' });
    const run = await fakes.run({ event: 'workflow_dispatch', file: DESIRED });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ changed: 'true', applied: 'true' });
  });
});

describe('limits on what comes in', () => {
  // Time enough to read up to the cap on a busy machine: the cap, not a timeout, must end each.
  const MB = 1024 * 1024;
  const tooLarge = {
    leadconduit: /::error::LeadConduit's answer to GET \/account was too large: the answer was larger than 8\.0 MB; it was not read further/,
    github: "Could not comment on the pull request: GitHub's answer was larger than 32.0 MB; it was not read further.",
  };
  it.each<[string, 'leadconduit' | 'github', Fault]>([
    [
      'a LeadConduit answer of 100 MB with its length declared ends at once with a clear message, not retried',
      'leadconduit',
      { kind: 'flood', bytes: 100 * MB, declared: true },
    ],
    [
      'a LeadConduit answer of 100 MB streamed ends at once with a clear message, not retried',
      'leadconduit',
      { kind: 'flood', bytes: 100 * MB, declared: false },
    ],
    ['a GitHub answer of 100 MB ends at once with a clear message, not retried', 'github', { kind: 'flood', bytes: 100 * MB }],
    [
      'a gzip bomb from LeadConduit (64 MB inflated, 64 KB sent, its small length declared) is cut at the cap as it inflates',
      'leadconduit',
      { kind: 'gzip-flood', bytes: 64 * MB },
    ],
    ['a gzip bomb from GitHub (64 MB inflated, its small length declared) is cut at the cap as it inflates', 'github', { kind: 'gzip-flood', bytes: 64 * MB }],
  ])('%s', async (_title, server, fault) => {
    if (server === 'leadconduit') fakes.lc.inject('GET /account', fault, 10);
    else fakes.gh.inject('GET comments', fault, 10);
    const run = await fakes.run({ event: 'pull_request', file: DESIRED }, { ...FAST_TUNING, requestTimeoutMs: 30_000 });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(tooLarge[server]);
    expect(server === 'leadconduit' ? fakes.lc.count('GET /account') : fakes.gh.count('GET comments')).toBe(1);
  });

  it('a GitHub that lists marked comments for ever is read up to 100 pages (10,000 comments), once: the plan fails saying so, nothing is written', async () => {
    fakes.gh.endlessComments = { body: `${commentMarker('leadconduit-account.json')}\nnot the action's`, user: { login: 'mallory', type: 'User' } };
    const run = await plan();
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      '::error::Could not comment on the pull request: GitHub listed 10,000 comments or more on pull request #7 (100 full pages), more than any real pull request holds, so the action stopped reading them. Nothing was written on the pull request.',
    );
    expect(run.stdout).toContain('Check that GITHUB_API_URL');
    // Not retried: the cap is no passing fault.
    expect(fakes.gh.count('GET comments')).toBe(100);
    expect(fakes.gh.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(fakes.lc.count('PUT /account')).toBe(0);
  });

  it('the apply after a merge whose pull request lists comments for ever sends nothing: the reviewed plan could not be looked up', async () => {
    fakes.mergePullRequest();
    fakes.gh.endlessComments = { body: `${commentMarker('leadconduit-account.json')}\nnot the action's`, user: { login: 'mallory', type: 'User' } };
    const run = await fakes.run({ event: 'push', file: DESIRED });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('Could not look up the reviewed plan: GitHub listed 10,000 comments or more on pull request #7 (100 full pages)');
    expect(run.stdout).toContain('Nothing was sent');
    expect(fakes.gh.count('GET comments')).toBe(100);
    expect(fakes.lc.count('PUT /account')).toBe(0);
  });

  it(
    'marked comments by another login, 100 a page: the foreign ones are counted, never kept, within a heap too small to keep them',
    { timeout: 120_000 },
    async () => {
      // 150 pages of 10 KB bodies, of which the 100 read before the cap would hold 100 MB: kept, they
      // overflow the 96 MB heap the run is given and it dies out of memory; not kept, each page is
      // garbage once read. A cap on the heap fails whenever they are kept, however the collector is
      // timed, where a measure of the peak needed six times the data (60 KB bodies) to be sure.
      fakes.gh.endlessComments = {
        body: `${commentMarker('leadconduit-account.json')}\n${'x'.repeat(10_000)}`,
        user: { login: 'mallory', type: 'User' },
        pages: 150,
      };
      const rssFile = join(await mkdtemp(join(tmpdir(), 'lc-rss-')), 'max-rss');
      try {
        const run = await runSources({
          event: 'pull_request',
          file: DESIRED,
          leadconduitUrl: fakes.lc.url,
          githubUrl: fakes.gh.url,
          env: { NODE_OPTIONS: `--max-old-space-size=96 --import=${join(ROOT, 'test/support/max-rss.mjs')}`, MAX_RSS_FILE: rssFile },
        });
        await run.cleanup();
        expect(run.stderr).not.toMatch(/heap out of memory/);
        expect(run.exitCode).toBe(1);
        expect(run.stdout).toContain('GitHub listed 10,000 comments or more on pull request #7 (100 full pages)');
        expect(fakes.gh.count('GET comments')).toBe(100);
        const maxRssMb = Number(await readFile(rssFile, 'utf8')) / 1024;
        expect(maxRssMb).toBeGreaterThan(10);
        expect(maxRssMb).toBeLessThan(500);
      } finally {
        await rm(join(rssFile, '..'), { recursive: true, force: true });
      }
    },
  );

  it.each([
    ['an account', 200],
    ['an error body', 500],
  ])('%s nested 200,000 levels deep (400 KB) is a clear failure, never an overflow of the stack', async (_what, status) => {
    const deep = `{"id": "5fd4371e940df5a34a3888b2", "message": ${'['.repeat(200_000)}"x"${']'.repeat(200_000)}}`;
    fakes.lc.inject('GET /account', { kind: 'status', status, body: deep, headers: { 'content-type': 'application/json' } }, 10);
    const run = await fakes.run({ event: 'pull_request', file: DESIRED });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).not.toMatch(/Unexpected error|Maximum call stack/);
    expect(run.stdout).toMatch(
      status === 200 ? /::error::.*nested more than 64 levels deep, which no account is/ : /::error::LeadConduit failed on GET \/account/,
    );
  });

  it('a desired-state file that is a named pipe (FIFO) is refused at once: no read that waits forever', async () => {
    const run = await plan({
      file: undefined,
      prepare: async (workspace) => mkfifo(join(workspace, 'leadconduit-account.json')),
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('::error::leadconduit-account.json is a named pipe (FIFO), not a regular file');
    expect(run.stdout).not.toContain('Unexpected error');
  });

  it('a desired-state file that is a link to a folder is "a directory", not a bug', async () => {
    const run = await plan({
      file: undefined,
      prepare: async (workspace) => {
        await mkdir(join(workspace, 'config'));
        await symlink(join(workspace, 'config'), join(workspace, 'leadconduit-account.json'));
      },
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('::error::leadconduit-account.json is a directory, not a file.');
    expect(run.stdout).not.toContain('Unexpected error');
    expect(run.stdout).not.toContain('EISDIR');
  });

  it('a 1 MB file full of syntax errors: the first 50 annotated, the rest counted, the summary under 1 MiB', async () => {
    // One missing comma a line: tens of thousands of problems, each on its own line.
    const text = `{\n${'"a": 1 "b": 2,\n'.repeat(Math.floor((1024 * 1024 - 10) / 15))}"c": 3\n}`;
    const run = await plan({ file: text });
    expect(run.exitCode).toBe(1);
    const annotations = run.stdout.split('\n').filter((line) => line.startsWith('::error title=Invalid'));
    expect(annotations.length).toBe(51);
    expect(annotations.at(-1)).toMatch(/and [\d,]+ more problems not shown: fix these first, then run again\./);
    expect(Buffer.byteLength(run.summary)).toBeLessThan(1024 * 1024);
    expect(run.summary).toMatch(/^### ❌ Invalid: \d{4,} problems in leadconduit-account\.json/);
  });

  it('a live feature of an odd kind the file manages is named with what it is and what was expected; nothing is sent', async () => {
    fakes.lc.account = sampleAccount({ features: { ...sampleAccount().features, firehose: 'yes' as unknown as boolean } });
    const run = await fakes.run({ event: 'workflow_dispatch', file: DESIRED });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('features.firehose is the string "yes", where a feature is true or false');
    expect(fakes.lc.count('PUT /account')).toBe(0);
  });

  it.each([
    ['subscriptions.partner is "legacy"', { subscriptions: { ...sampleAccount().subscriptions, partner: 'legacy' } }],
    ['features is "all"', { features: 'all' }],
    ['subscriptions is []', { subscriptions: [] }],
  ])('an odd container the file does not manage (%s) stops nothing: the plan goes on around it, and the PUT leaves it out', async (_what, odd) => {
    fakes.lc.account = { ...sampleAccount(), ...odd } as unknown as ReturnType<typeof sampleAccount>;
    const planned = await plan({ file: { data_retention_in_days: 400 } });
    expect(planned.exitCode).toBe(0);
    expect(planned.summary.split('\n')[0]).toBe('### 📝 Plan: 1 change, 0 destructive');
    const applied = await fakes.run({ event: 'workflow_dispatch', file: { data_retention_in_days: 400 } });
    expect(applied.exitCode).toBe(0);
    expect(fakes.lc.requests.filter((r) => r.method === 'PUT').map((r) => r.json)).toEqual([{ data_retention_in_days: 400 }]);
    expect(applied.stdout).not.toContain('does not look like an account');
  });

  it.each([
    [
      'features is "all"',
      { features: 'all' },
      { features: { firehose: true } },
      'features is the string "all", where an object of features (each true or false) is expected',
    ],
    [
      'subscriptions is []',
      { subscriptions: [] },
      { subscriptions: { pro: { state: 'active' } } },
      'subscriptions is a list, where an object of subscriptions by name is expected',
    ],
    [
      'subscriptions.pro is "legacy"',
      { subscriptions: { ...sampleAccount().subscriptions, pro: 'legacy' } },
      { subscriptions: { pro: { state: 'active' } } },
      'subscriptions.pro is the string "legacy", where a subscription (an object of its fields) is expected',
    ],
  ])('a managed container of the wrong kind (%s) is named with what it is and what was expected; nothing is sent', async (_what, odd, file, said) => {
    fakes.lc.account = { ...sampleAccount(), ...odd } as unknown as ReturnType<typeof sampleAccount>;
    const run = await fakes.run({ event: 'workflow_dispatch', file });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(said);
    expect(run.stdout).toContain('Nothing was sent.');
    expect(fakes.lc.count('PUT /account')).toBe(0);
  });

  it('an odd subscription the file does not manage goes back in the PUT as LeadConduit gave it: never replaced by one the action built', async () => {
    fakes.lc.account = { ...sampleAccount(), subscriptions: { ...sampleAccount().subscriptions, partner: 'legacy' } } as unknown as ReturnType<
      typeof sampleAccount
    >;
    const planned = await plan({ file: { subscriptions: { pro: { state: 'active' } } } });
    expect(planned.exitCode).toBe(0);
    const applied = await fakes.run({ event: 'workflow_dispatch', file: { subscriptions: { pro: { state: 'active' } } } });
    const sent = fakes.lc.requests.find((r) => r.method === 'PUT')?.json as { subscriptions?: Record<string, unknown> };
    expect(sent.subscriptions?.partner).toBe('legacy');
    expect(sent.subscriptions?.pro).toEqual({ state: 'active', product_offering_component: 'pro' });
    // This fake, like a strict LeadConduit, refuses a subscription that is not an object: the whole
    // PUT is refused, nothing changes, and the message points at LeadConduit for what the file does not manage.
    expect(applied.exitCode).toBe(1);
    expect(applied.stdout).toContain(
      '::error::LeadConduit refused PUT /account (422 Unprocessable Entity): subscriptions.partner must be an object. Nothing was changed; fix the setting it names, in the desired-state file or, where the file does not manage it, in LeadConduit.',
    );
    expect(fakes.lc.account.subscriptions.partner).toBe('legacy');
  });

  it('an answer without a valid id is still not an account, whatever else it holds', async () => {
    fakes.lc.account = { ...sampleAccount(), id: 'nope', features: 'all' } as unknown as ReturnType<typeof sampleAccount>;
    const run = await fakes.run({ event: 'workflow_dispatch', file: { data_retention_in_days: 400 } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      `LeadConduit's answer to GET /account does not look like an account (id is the string "nope", where the account's 24-character hexadecimal id is expected).`,
    );
    expect(fakes.lc.count('PUT /account')).toBe(0);
  });

  it('a live feature of an odd kind the file does not manage: the plan goes on, and the PUT sends it back as it was', async () => {
    fakes.lc.account = sampleAccount({ features: { ...sampleAccount().features, buyer_access: 'legacy' as unknown as boolean } });
    const run = await fakes.run({ event: 'workflow_dispatch', file: DESIRED });
    expect(run.exitCode).toBe(0);
    const sent = fakes.lc.requests.find((r) => r.method === 'PUT')?.json as { features?: Record<string, unknown> };
    expect(sent.features?.buyer_access).toBe('legacy');
    expect(sent.features?.firehose).toBe(true);
  });
});
