/**
 * The class-level property behind test/e2e/hostile.test.ts: whatever text comes from outside (an
 * account name, an error body of LeadConduit or GitHub) holding control characters, workflow
 * commands, mentions, Markdown, and any secret at any offset, no output channel carries a secret,
 * whole or as a piece of 8 characters, a raw control sequence, or a workflow command the action did
 * not mean: the log, the job summary, the outputs, the PR comment, the files in RUNNER_TEMP, and
 * the command line's stdout and stderr.
 */
import fc from 'fast-check';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
  '@octocat',
  '@acme/admins',
  '#1',
  'GH-2',
  'https://evil.example/login',
  'www.evil.example',
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

/** What the hostile text is, and where it is served from. */
type Scenario =
  | { where: 'account name'; text: string }
  | { where: 'LeadConduit error'; status: number; text: string; json: boolean; call: 'GET /account' | 'PUT /account' }
  | { where: 'GitHub error'; status: number; text: string };

/**
 * The scenarios for a run whose input secrets are `inputs`. `retryable` adds the statuses that are
 * retried: the command line retries with the real timers, so it is given only final answers.
 */
const scenarioArb = (inputs: readonly string[], retryable = true): fc.Arbitrary<Scenario> =>
  fc.oneof(
    hostileText(SECRETS.filter((s) => inputs.includes(s) || !INPUT_SECRETS.includes(s))).map((text): Scenario => ({ where: 'account name', text })),
    fc
      .record({
        status: fc.constantFrom(...(retryable ? [200, 400, 401, 422, 500, 503] : [200, 400, 401, 422])),
        text: hostileText(inputs),
        json: fc.boolean(),
        call: fc.constantFrom('GET /account' as const, 'PUT /account' as const),
      })
      .map((s): Scenario => ({ where: 'LeadConduit error', ...s })),
    fc
      .record({ status: fc.constantFrom(...(retryable ? [400, 403, 422, 500] : [400, 403, 422])), text: hostileText(inputs) })
      .map((s): Scenario => ({ where: 'GitHub error', ...s })),
  );

function serve(scenario: Scenario, lc: FakeLeadConduit, gh: FakeGitHub): void {
  switch (scenario.where) {
    case 'account name':
      lc.account = sampleAccount({ name: scenario.text });
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
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/;
const OWN_COMMAND = /^::(debug|notice|warning|error|group|endgroup)(::| )/;

function expectCleanLog(stdout: string, masks: readonly string[]): void {
  if (RAW_CONTROL.test(stdout)) throw new Error(`the log holds a raw control character: ${JSON.stringify(stdout.match(RAW_CONTROL)?.[0])}`);
  for (const line of stdout.split('\n')) {
    if (!/^\s*::/.test(line)) continue;
    const mask = /^::add-mask::(.*)$/.exec(line);
    if (mask) {
      if (!masks.includes(mask[1] ?? '')) throw new Error(`a mask the action did not mean: ${line}`);
    } else if (!OWN_COMMAND.test(line)) throw new Error(`a workflow command the action did not mean: ${line}`);
  }
}

function expectCleanMarkdown(channel: string, text: string): void {
  if (RAW_CONTROL.test(text)) throw new Error(`${channel} holds a raw control character`);
  if (/(^|[^\w])@(?!\u200D)[A-Za-z0-9]/.test(text)) throw new Error(`${channel} holds a mention`);
}

async function tempFiles(run: ActionRun): Promise<string> {
  const dir = run.env.RUNNER_TEMP ?? '';
  const names = await readdir(dir).catch(() => [] as string[]);
  const texts = await Promise.all(names.map((name) => readFile(join(dir, name), 'utf8')));
  return texts.join('\n');
}

describe('hostile text from outside, through every output channel', () => {
  it(
    `the action (plan on a pull request, apply by hand): no secret piece, no raw control, no command it did not mean (${RUNS} runs)`,
    { timeout: 120_000 },
    async () => {
      await fc.assert(
        fc.asyncProperty(scenarioArb(CLI_INPUTS, false), async (scenario) => {
          const lc = await startFakeLeadConduit();
          const gh = await startFakeGitHub();
          try {
            serve(scenario, lc, gh);
            const apply = scenario.where === 'LeadConduit error' && scenario.call === 'PUT /account';
            const run = await runInProcess(
              {
                file: { data_retention_in_days: 400, features: { firehose: true } },
                event: apply ? 'workflow_dispatch' : 'pull_request',
                leadconduitUrl: lc.url,
                githubUrl: gh.url,
              },
              FAST_TUNING,
            );
            try {
              expectCleanLog(run.stdout, MASKS);
              const comments = gh.commentsOf(PR_NUMBER).map((c) => c.body);
              for (const [channel, text] of [
                ['the log', run.everything],
                ['the summary', run.summary],
                ['the outputs', JSON.stringify(run.outputs)],
                ['the comment', comments.join('\n')],
                ['the files in RUNNER_TEMP', await tempFiles(run)],
              ] as const) {
                expectNoSecretPiece(channel, text);
              }
              expectCleanMarkdown('the summary', run.summary);
              for (const comment of comments) expectCleanMarkdown('the comment', comment);
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

  it(`the command line (plan): no secret piece and no raw control sequence on stdout or stderr (${RUNS} runs)`, { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lc-hostile-cli-'));
    try {
      await writeFile(join(dir, 'leadconduit-account.json'), '{"data_retention_in_days": 400}\n');
      await fc.assert(
        fc.asyncProperty(scenarioArb(CLI_INPUTS, false), async (scenario) => {
          const lc = await startFakeLeadConduit();
          const gh = await startFakeGitHub();
          try {
            serve(scenario, lc, gh);
            const run = await runCliInProcess(dir, ['plan', '--base-url', lc.url], { env: { FORCE_COLOR: '1' } });
            expect([0, 1, 2]).toContain(run.code);
            for (const [channel, text] of [
              ['stdout', run.stdout],
              ['stderr', run.stderr],
            ] as const) {
              expectNoSecretPiece(channel, text, CLI_SECRETS);
              // Colours this code writes are SGR sequences; nothing else from an escape on.
              // eslint-disable-next-line no-control-regex -- the colour sequences this code writes
              const withoutOwnColours = text.replace(/\u001b\[[0-9;]*m/g, '');
              if (RAW_CONTROL.test(withoutOwnColours))
                throw new Error(`${channel} holds a raw control character: ${JSON.stringify(withoutOwnColours.match(RAW_CONTROL)?.[0])}`);
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
  });
});
