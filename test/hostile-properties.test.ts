/**
 * The class-level property behind test/e2e/hostile.test.ts: whatever text comes from outside (an
 * account name, a live setting, an unknown live field, a value of the desired-state file, an error
 * body of LeadConduit or GitHub, a GitHub login or comment URL) holding control characters,
 * workflow commands (the legacy "##[" form too), mentions, references, links, Markdown, and any
 * secret at any offset, no output channel carries a secret, whole or as a piece of 8 characters, a
 * raw control or bidirectional character, or a workflow command the action did not mean: the log,
 * the job summary, the outputs, the PR comment, the files in RUNNER_TEMP, and the command line's
 * stdout and stderr (where the only escape sequences are its own colours).
 */
import fc from 'fast-check';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { styleText } from 'node:util';
import { describe, expect, it } from 'vitest';
import { commentMarker } from '../src/reviewed-plan.js';
import { FAST_TUNING, PR_NUMBER, runInProcess, type ActionRun } from './support/action-env.js';
import { runCliInProcess } from './support/cli-run.js';
import { DEFAULT_GITHUB_TOKEN, startFakeGitHub, type FakeGitHub } from './support/fake-github.js';
import { startFakeLeadConduit, type FakeLeadConduit } from './support/fake-leadconduit.js';
import { SECRET_VALUES, TEST_API_KEY, sampleAccount } from './support/sample-account.js';

const RUNS = Number.parseInt(process.env.PROPERTY_E2E_RUNS ?? '', 10) || 40;
const SEED = process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) };

const BASIC = Buffer.from(`API:${TEST_API_KEY}`).toString('base64');
const SECRETS = [TEST_API_KEY, BASIC, ...SECRET_VALUES, DEFAULT_GITHUB_TOKEN];
/** What the action may ask the runner to mask: each secret, and the forms the redactor derives from it. */
const MASKS = [TEST_API_KEY, ...SECRET_VALUES, DEFAULT_GITHUB_TOKEN].flatMap((s) => [
  s,
  Buffer.from(`API:${s}`).toString('base64'),
  encodeURIComponent(s),
  JSON.stringify(s).slice(1, -1),
]);

/** Pieces an attacker would try, mixed with arbitrary text and the secrets themselves. */
const PIECES = [
  '\n',
  '\r\n',
  '\r',
  '\u0000',
  '\u001b[2J',
  '\u001b]0;pwned\u0007',
  '\u009b31m',
  '\u202e',
  '\u2028',
  '::error::injected',
  '::error file=.github/workflows/deploy.yml,line=1::injected',
  '::add-mask::true',
  '::stop-commands::tok',
  '%0A::warning::injected',
  '##[error]injected',
  '##[stop-commands]tok',
  ' ##[add-mask]x',
  '\u2066',
  '\u200f',
  '\u0085',
  '@octocat',
  '@acme/admins',
  '#1',
  'GH-2',
  'acme/settings#3',
  'https://evil.example/login',
  'www.evil.example',
  'ops@evil.example',
  '<img src=x onerror=alert(1)>',
  '| --- |',
  '`code`',
  '**bold**',
  '[link](https://evil.example)',
  '<!-- leadconduit-account-action:record:v2 a b -->',
  '-->',
];

/** The input secrets of the action; the command line is given no GitHub token. */
const INPUT_SECRETS = [TEST_API_KEY, BASIC, DEFAULT_GITHUB_TOKEN];
const CLI_INPUTS = [TEST_API_KEY, BASIC];
const CLI_SECRETS = SECRETS.filter((s) => s !== DEFAULT_GITHUB_TOKEN);

/**
 * Text from outside, with `secrets` at any offset. An error body can hold only what the run knows
 * to be secret at that point: the inputs (the API key, its Basic form, the GitHub token). The
 * account's own keys are known once an account is read (an account name may then hold them), or
 * by the name of the field that holds them (served in every JSON error body below).
 */
const hostileText = (secrets: readonly string[]) =>
  fc
    .array(
      fc.oneof(
        { arbitrary: fc.string({ maxLength: 40 }), weight: 3 },
        { arbitrary: fc.constantFrom(...PIECES), weight: 3 },
        { arbitrary: fc.constantFrom(...secrets), weight: 2 },
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join(''));

/** The desired-state file every run starts from: it manages a feature and a subscription, so both objects go back in the PUT. */
const DESIRED = { data_retention_in_days: 400, features: { firehose: true }, subscriptions: { base: { state: 'active' } } };

/** Where hostile text stands in the live account: a managed setting of an odd kind, unmanaged values sent back, unknown fields. */
const LIVE_PATHS = ['features.firehose', 'features.buyer_access', 'features.x_new', 'subscriptions.pro.state', 'subscriptions.pro.x_note', 'x_custom'] as const;
/** Where hostile text stands in the file: values of the wrong kind, a valid subscription state, or raw text where a value goes. */
const FILE_PATHS = ['data_retention_in_days', 'data_truncated_at', 'features.firehose', 'subscriptions.base.state', 'raw'] as const;

/** What the hostile text is, and where it is served from. */
type Scenario =
  | { where: 'account name'; text: string }
  | { where: 'live value'; path: (typeof LIVE_PATHS)[number]; text: string }
  | { where: 'file value'; path: (typeof FILE_PATHS)[number]; text: string }
  | { where: 'LeadConduit error'; status: number; text: string; json: boolean; call: 'GET /account' | 'PUT /account' }
  | { where: 'GitHub error'; status: number; text: string }
  | { where: 'GitHub login'; text: string }
  | { where: 'comment URL'; text: string };

/**
 * The scenarios for a run whose input secrets are `inputs`. `retryable` adds the statuses that are
 * retried: the command line retries with the real timers, so it is given only final answers.
 * `github` adds what only the action reads: GitHub's errors, logins and comment URLs. What is read
 * after the account (its name and values, a comment) may hold the account's keys; what is read
 * before it (the file, an error body) only what is known then: the inputs.
 */
const scenarioArb = (inputs: readonly string[], { retryable, github }: { retryable: boolean; github: boolean }): fc.Arbitrary<Scenario> => {
  const known = SECRETS.filter((s) => inputs.includes(s) || !INPUT_SECRETS.includes(s));
  const local: Array<fc.Arbitrary<Scenario>> = [
    hostileText(known).map((text): Scenario => ({ where: 'account name', text })),
    fc.record({ path: fc.constantFrom(...LIVE_PATHS), text: hostileText(known) }).map((s): Scenario => ({ where: 'live value', ...s })),
    fc.record({ path: fc.constantFrom(...FILE_PATHS), text: hostileText(inputs) }).map((s): Scenario => ({ where: 'file value', ...s })),
    fc
      .record({
        status: fc.constantFrom(...(retryable ? [200, 400, 401, 422, 500, 503] : [200, 400, 401, 422])),
        text: hostileText(inputs),
        json: fc.boolean(),
        call: fc.constantFrom('GET /account' as const, 'PUT /account' as const),
      })
      .map((s): Scenario => ({ where: 'LeadConduit error', ...s })),
  ];
  if (!github) return fc.oneof(...local);
  return fc.oneof(
    ...local,
    fc
      .record({ status: fc.constantFrom(...(retryable ? [400, 403, 422, 500] : [400, 403, 422])), text: hostileText(inputs) })
      .map((s): Scenario => ({ where: 'GitHub error', ...s })),
    hostileText(known).map((text): Scenario => ({ where: 'GitHub login', text })),
    hostileText(known).map((text): Scenario => ({ where: 'comment URL', text })),
  );
};

/** An object path set to a value, the objects on the way made as needed. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys.at(-1) ?? ''] = value;
}

/** The desired-state file's text for a scenario. */
function fileText(scenario: Scenario): string {
  if (scenario.where !== 'file value') return `${JSON.stringify(DESIRED, null, 2)}\n`;
  if (scenario.path === 'raw') return `{\n  "data_retention_in_days": ${scenario.text},\n  "features": {"firehose": true}\n}\n`;
  const file = structuredClone(DESIRED) as Record<string, unknown>;
  setPath(file, scenario.path, scenario.text);
  return `${JSON.stringify(file, null, 2)}\n`;
}

function serve(scenario: Scenario, lc: FakeLeadConduit, gh: FakeGitHub): void {
  const marker = `${commentMarker('leadconduit-account.json')}\n`;
  switch (scenario.where) {
    case 'account name':
      lc.account = sampleAccount({ name: scenario.text });
      return;
    case 'live value': {
      const account = sampleAccount();
      setPath(account, scenario.path, scenario.text);
      lc.account = account;
      return;
    }
    case 'file value':
      return;
    case 'LeadConduit error':
      lc.inject(
        scenario.call,
        scenario.json
          ? {
              kind: 'status',
              status: scenario.status,
              body: { message: scenario.text, account: { api_key: SECRET_VALUES[0], keen_read_api_key: SECRET_VALUES[1] } },
            }
          : { kind: 'status', status: scenario.status, body: scenario.text, headers: { 'content-type': 'text/plain' } },
        10,
      );
      return;
    case 'GitHub error':
      gh.inject('GET comments', { kind: 'status', status: scenario.status, body: { message: scenario.text } }, 10);
      return;
    case 'GitHub login':
      gh.addComment(PR_NUMBER, `${marker}planted`, { login: scenario.text });
      return;
    case 'comment URL':
      gh.addComment(PR_NUMBER, `${marker}an old plan`).html_url = scenario.text;
      return;
  }
}

function expectNoSecretPiece(channel: string, text: string, secrets: readonly string[] = SECRETS): void {
  for (const secret of secrets) {
    for (let i = 0; i + 8 <= secret.length; i++) {
      if (text.includes(secret.slice(i, i + 8))) throw new Error(`${channel} holds ${secret.slice(i, i + 8)}, a piece of a secret`);
    }
  }
}

// eslint-disable-next-line no-control-regex -- what must never be written raw (a line feed ends lines and is allowed)
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;
const OWN_COMMAND = /^::(debug|notice|warning|error|group|endgroup)(::| )/;

function expectNoRawControl(channel: string, text: string): void {
  if (RAW_CONTROL.test(text)) throw new Error(`${channel} holds a raw control character: ${JSON.stringify(text.match(RAW_CONTROL)?.[0])}`);
}

/** No line a runner would read as a command it was not meant to: "::" at a line's start, or "##[" anywhere in it. */
function expectNoForeignCommand(channel: string, text: string, masks?: readonly string[]): void {
  for (const line of text.split('\n')) {
    if (line.includes('##[')) throw new Error(`${channel} holds a legacy workflow command: ${line}`);
    if (!/^\s*::/.test(line)) continue;
    const mask = /^::add-mask::(.*)$/.exec(line);
    if (masks && mask) {
      if (!masks.includes(mask[1] ?? '')) throw new Error(`a mask the action did not mean: ${line}`);
    } else if (!masks || !OWN_COMMAND.test(line))
      throw new Error(`${channel}: a workflow command ${masks ? 'the action' : 'the command line'} did not mean: ${line}`);
  }
}

function expectCleanLog(stdout: string, masks: readonly string[]): void {
  expectNoRawControl('the log', stdout);
  expectNoForeignCommand('the log', stdout, masks);
}

/** The action's own links (the run, the pull request) and the LeadConduit API it was given, in code. */
const OWN_LINKS = /\]\(https:\/\/github\.com\/acme\/settings\/[^)\s]*\)|<code>http:\/\/127\.0\.0\.1:\d+<\/code>/g;

/** Markdown from outside text that would ping, cross-reference or link: each must have a zero-width joiner in it. */
function expectCleanMarkdown(channel: string, text: string): void {
  expectNoRawControl(channel, text);
  // As GitHub reads it: entities decoded first, and nothing in a fenced code block pings or links.
  const prose = text
    .replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '')
    .replace(OWN_LINKS, '')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));
  // An entity is the character to a reader: a bidirectional control must be shown as its escape.
  expectNoRawControl(`${channel}, its entities decoded`, prose);
  const checks: Array<[string, RegExp]> = [
    ['a mention', /(^|[^\w])@(?!\u200D)[A-Za-z0-9]/],
    // "#7" is the run's own pull request.
    ['a cross-reference', /#(?!\u200D|7(?!\d))\d/],
    ['a GH- reference', /\bGH-\d/i],
    // GFM's extended autolinks: a scheme's "://" anywhere, "www." at a word's start.
    ['an autolink', /[a-z]:\/\/|(^|[\s*_~(])www\./i],
  ];
  for (const [what, pattern] of checks) {
    const found = pattern.exec(prose);
    if (found) throw new Error(`${channel} holds ${what}: ${JSON.stringify(prose.slice(Math.max(0, found.index - 20), found.index + 20))}`);
  }
}

async function tempFiles(run: ActionRun): Promise<string> {
  const dir = run.env.RUNNER_TEMP ?? '';
  const names = await readdir(dir).catch(() => [] as string[]);
  const texts = await Promise.all(names.map((name) => readFile(join(dir, name), 'utf8')));
  return texts.join('\n');
}

/** The escape sequences the command line writes itself: its colours, as node:util styleText writes them. */
const OWN_STYLES = new Set(
  (['bold', 'dim', 'red', 'green', 'yellow', 'cyan'] as const).flatMap((style) => styleText(style, 'x', { validateStream: false }).split('x')),
);

/** Every escape sequence is one of the command line's own colours, and there are none when colours are off. */
function expectOwnStylesOnly(channel: string, text: string, colour: boolean): void {
  // eslint-disable-next-line no-control-regex -- a CSI or any other escape, as a terminal reads it
  for (const [sequence] of text.matchAll(/\u001b(\[[0-?]*[ -/]*[@-~]|.?)/g)) {
    if (!colour || !OWN_STYLES.has(sequence)) throw new Error(`${channel} holds an escape sequence that is not its own colour: ${JSON.stringify(sequence)}`);
  }
  // eslint-disable-next-line no-control-regex -- the escape character of the sequences checked above
  expectNoRawControl(channel, text.replace(/\u001b/g, ''));
}

describe('hostile text from outside, through every output channel', () => {
  it(
    `the action (plan on a pull request, apply by hand): no secret piece, no raw control, no command it did not mean (${RUNS} runs)`,
    { timeout: 120_000 },
    async () => {
      await fc.assert(
        fc.asyncProperty(scenarioArb(INPUT_SECRETS, { retryable: true, github: true }), async (scenario) => {
          const lc = await startFakeLeadConduit();
          const gh = await startFakeGitHub();
          try {
            serve(scenario, lc, gh);
            const apply = scenario.where === 'LeadConduit error' && scenario.call === 'PUT /account';
            const run = await runInProcess(
              { file: fileText(scenario), event: apply ? 'workflow_dispatch' : 'pull_request', leadconduitUrl: lc.url, githubUrl: gh.url },
              FAST_TUNING,
            );
            try {
              expectCleanLog(run.stdout, MASKS);
              const comments = gh.commentsOf(PR_NUMBER).map((c) => c.body);
              const outputs = await readFile(run.env.GITHUB_OUTPUT ?? '', 'utf8');
              const temp = await tempFiles(run);
              for (const [channel, text] of [
                ['the log', run.everything],
                ['the summary', run.summary],
                ['the outputs', outputs],
                ['the comment', comments.join('\n')],
                ['the files in RUNNER_TEMP', temp],
              ] as const) {
                expectNoSecretPiece(channel, text);
              }
              expectNoRawControl('the outputs', outputs);
              expectNoRawControl('the files in RUNNER_TEMP', temp);
              expectCleanMarkdown('the summary', run.summary);
              // The comments planted by the test are not the action's.
              for (const comment of comments) if (!/\n(planted|an old plan)$/.test(comment)) expectCleanMarkdown('the comment', comment);
            } finally {
              await run.cleanup();
            }
          } finally {
            await Promise.all([lc.close(), gh.close()]);
          }
        }),
        { numRuns: RUNS, ...SEED },
      );
      expect(RUNS).toBeGreaterThan(0);
    },
  );

  it(
    `the command line (plan): no secret piece, no raw control, no escape but its colours, no workflow command (${RUNS} runs)`,
    { timeout: 120_000 },
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'lc-hostile-cli-'));
      try {
        await fc.assert(
          fc.asyncProperty(scenarioArb(CLI_INPUTS, { retryable: false, github: false }), fc.boolean(), fc.boolean(), async (scenario, colour, json) => {
            const lc = await startFakeLeadConduit();
            const gh = await startFakeGitHub();
            try {
              serve(scenario, lc, gh);
              await writeFile(join(dir, 'leadconduit-account.json'), fileText(scenario));
              const run = await runCliInProcess(dir, ['plan', '--base-url', lc.url, ...(json ? ['--json'] : [])], {
                env: colour ? { FORCE_COLOR: '1' } : { NO_COLOR: '1' },
              });
              expect([0, 1, 2]).toContain(run.code);
              for (const [channel, text] of [
                ['stdout', run.stdout],
                ['stderr', run.stderr],
              ] as const) {
                expectNoSecretPiece(channel, text, CLI_SECRETS);
                expectOwnStylesOnly(channel, text, colour);
                expectNoForeignCommand(channel, text);
              }
            } finally {
              await Promise.all([lc.close(), gh.close()]);
            }
          }),
          { numRuns: RUNS, ...SEED },
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
