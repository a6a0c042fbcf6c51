// What `npm run bench` runs: bare node, the two floors, and the built action in three modes, each
// started as the Actions runner starts it (test/support/action-env.ts) against the project's own
// loopback fakes (test/support/fake-*.ts), which live in the bench's process.
import { join } from 'node:path';
import { BASE_SHA, MERGE_SHA, PR_NUMBER, prepare, type ActionSetup } from '../test/support/action-env.js';
import { startFakeGitHub, type FakeGitHub } from '../test/support/fake-github.js';
import { startFakeLeadConduit, type FakeLeadConduit } from '../test/support/fake-leadconduit.js';
import { SAMPLE_ACCOUNT_ID, sampleAccount } from '../test/support/sample-account.js';
import type { FloorName } from './floors.js';

export type ScenarioName = 'bare' | FloorName | 'validate' | 'plan' | 'apply';

/** Requests per route, as the fakes recorded them. */
export interface Calls {
  total: number;
  byRoute: Record<string, number>;
}

export interface HttpCalls {
  leadconduit: Calls;
  github: Calls;
}

export interface Scenario {
  name: ScenarioName;
  label: string;
  /** The scenario this one's times are divided by. */
  floor?: ScenarioName;
  /** node's arguments */
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** The folder of the bundle it runs, whose files loaded are counted; none for bare node. */
  bundleDir?: string;
  /** Puts the fakes in the state the run starts from. */
  reset(): void;
  /** The exit code of a run that did its job (0 unless said). */
  exitCode?: number;
  /** Why the run did not do its job, or undefined when it did. */
  check(outputs: Record<string, string>, calls: HttpCalls, stdout: string): string | undefined;
}

export type HostileName = 'lc-declared-100mb' | 'lc-streamed-3gb' | 'gh-streamed-100mb';

/** A plan against a server answering far too much: measured apart, a few runs, for its time and memory. */
export interface HostileScenario extends Omit<Scenario, 'name'> {
  name: HostileName;
}

const FILE = 'leadconduit-account.json';
/** Three settings differ from the sample account; two of them are what the pull request changes (the base file has firehose on). */
const DESIRED = `${JSON.stringify({ id: SAMPLE_ACCOUNT_ID, data_retention_in_days: 400, features: { firehose: true, real_time_bidding: true } }, null, 2)}\n`;
const BASE_FILE = `${JSON.stringify({ id: SAMPLE_ACCOUNT_ID, data_retention_in_days: 365, features: { firehose: true } }, null, 2)}\n`;

export interface Bench {
  scenarios: Scenario[];
  /** Plans against hostile answers; each must end in a clear error, having read only up to the limit. */
  hostile: HostileScenario[];
  /** The requests the fakes received since the last reset. */
  calls(): HttpCalls;
  /** Runs one plan on the PR with no plan comment yet: it creates the comment that later plans update. Returns its calls. */
  firstPlan(runOnce: (scenario: Scenario) => Promise<HttpCalls>): Promise<HttpCalls>;
  close(): Promise<void>;
}

function countCalls(fake: FakeLeadConduit | FakeGitHub): Calls {
  const byRoute: Record<string, number> = {};
  for (const r of fake.requests) {
    const key = r.route ?? `${r.method} ${r.path}`;
    byRoute[key] = (byRoute[key] ?? 0) + 1;
  }
  return { total: fake.requests.length, byRoute };
}

/**
 * Starts the fakes and prepares each scenario's workspace. `dist`: the action's build;
 * `floors`: the floors' bundles; `extraEnv`: added to every action run (e.g. NODE_COMPILE_CACHE).
 */
export async function setUpScenarios(
  dist: string,
  floors: Record<FloorName, string>,
  extraEnv: (temp: string) => Record<string, string> = () => ({}),
): Promise<Bench> {
  const lc = await startFakeLeadConduit();
  const gh = await startFakeGitHub();
  const prepared: Awaited<ReturnType<typeof prepare>>[] = [];
  /** The plan comment as the action writes it, made by firstPlan(). */
  let planComment: string | undefined;

  const calls = (): HttpCalls => ({ leadconduit: countCalls(lc), github: countCalls(gh) });
  const reset = (withComment: boolean): void => {
    lc.account = sampleAccount();
    lc.clearFaults();
    gh.clearFaults();
    lc.requests.length = 0;
    gh.requests.length = 0;
    gh.comments.splice(0);
    gh.files.clear();
    gh.commitPulls.clear();
    gh.setFile(BASE_SHA, FILE, BASE_FILE);
    gh.setCommitPulls(MERGE_SHA, [
      {
        number: PR_NUMBER,
        html_url: `https://github.com/acme/settings/pull/${PR_NUMBER}`,
        merge_commit_sha: MERGE_SHA,
        merged_at: '2026-01-02T03:04:05Z',
        state: 'closed',
      },
    ]);
    if (withComment && planComment !== undefined) gh.addComment(PR_NUMBER, planComment);
  };
  const actionEnv = async (setup: ActionSetup): Promise<{ env: Record<string, string>; cwd: string }> => {
    const p = await prepare({ file: DESIRED, fileName: FILE, leadconduitUrl: lc.url, githubUrl: gh.url, ...setup });
    prepared.push(p);
    return { env: { PATH: process.env.PATH ?? '', ...p.env, ...extraEnv(p.temp) }, cwd: p.workspace };
  };
  const noCalls = (c: HttpCalls): string | undefined => (c.leadconduit.total + c.github.total === 0 ? undefined : 'it made HTTP calls');

  // A pull request from a fork: no secrets, so the file is validated and nothing is sent.
  const validateEnv = await actionEnv({ event: 'pull_request', inputs: { mode: 'auto', 'api-key': '' } });
  const planEnv = await actionEnv({ event: 'pull_request', inputs: { mode: 'auto' } });
  const applyEnv = await actionEnv({ event: 'push', inputs: { mode: 'auto' } });
  const entry = join(dist, 'index.js');

  const scenarios: Scenario[] = [
    {
      name: 'bare',
      label: "node -e ''",
      args: ['-e', ''],
      env: { PATH: process.env.PATH ?? '' },
      cwd: process.cwd(),
      reset: () => reset(false),
      check: () => undefined,
    },
    {
      name: 'core barrel',
      label: 'floor: core barrel',
      args: [join(floors['core barrel'], 'index.js')],
      ...validateEnv,
      bundleDir: floors['core barrel'],
      reset: () => reset(false),
      check: (_, c) => noCalls(c),
    },
    {
      name: 'validate',
      label: 'validate (PR, no key)',
      floor: 'core barrel',
      args: [entry],
      ...validateEnv,
      bundleDir: dist,
      reset: () => reset(false),
      check: (out, c) => noCalls(c) ?? (out.changed === 'false' ? undefined : `changed=${out.changed}`),
    },
    {
      name: 'plan floor',
      label: 'floor: plan',
      args: [join(floors['plan floor'], 'index.js')],
      ...planEnv,
      bundleDir: floors['plan floor'],
      reset: () => reset(true),
      check: (out) => (out.changed === 'true' && gh.count('PATCH comment') === 1 ? undefined : `changed=${out.changed}, comment not updated`),
    },
    {
      name: 'plan',
      label: 'plan (PR, loopback)',
      floor: 'plan floor',
      args: [entry],
      ...planEnv,
      bundleDir: dist,
      reset: () => reset(true),
      check(out) {
        if (out.changed !== 'true') return `changed=${out.changed}`;
        if (!out['comment-url']) return 'no comment-url';
        return gh.count('PATCH comment') === 1 ? undefined : 'the plan comment was not updated';
      },
    },
    {
      name: 'apply',
      label: 'apply (push, merged PR)',
      floor: 'plan floor',
      args: [entry],
      ...applyEnv,
      bundleDir: dist,
      reset: () => reset(true),
      check(out) {
        if (out.applied !== 'true' || lc.count('PUT /account') !== 1) return `applied=${out.applied}`;
        // A reviewed plan that did not match would have failed the run: it was found and matched.
        return gh.count('GET commit pulls') === 1 && gh.count('GET comments') >= 1 ? undefined : 'the reviewed plan was not looked up';
      },
    },
  ];
  const plan = scenarios.find((s) => s.name === 'plan');
  if (!plan) throw new Error('bench: no plan scenario');

  const MB = 1024 * 1024;
  /** A plan whose `fake` answers `route` with `bytes` of JSON; the run must fail saying where it stopped reading. */
  const hostilePlan = (name: HostileName, label: string, inject: () => void): HostileScenario => ({
    ...plan,
    name,
    label,
    floor: 'plan',
    exitCode: 1,
    reset() {
      reset(true);
      inject();
    },
    check: (_, _calls, stdout) =>
      /::error::.*larger than \d+(\.\d)? MB; it was not read further/.test(stdout) ? undefined : 'no error saying the answer was too large',
  });
  const hostile = [
    hostilePlan('lc-declared-100mb', 'LeadConduit: 100 MB, declared', () => lc.inject('GET /account', { kind: 'flood', bytes: 100 * MB, declared: true }, 1)),
    hostilePlan('lc-streamed-3gb', 'LeadConduit: 3 GB, streamed', () => lc.inject('GET /account', { kind: 'flood', bytes: 3 * 1024 * MB }, 1)),
    hostilePlan('gh-streamed-100mb', 'GitHub comments: 100 MB, streamed', () => gh.inject('GET comments', { kind: 'flood', bytes: 100 * MB }, 1)),
  ];

  return {
    scenarios,
    hostile,
    calls,
    async firstPlan(runOnce) {
      planComment = undefined;
      const made = await runOnce({ ...plan, reset: () => reset(false), check: (out) => (out['comment-url'] ? undefined : 'no comment-url') });
      planComment = gh.comments.find((c) => c.issue_number === PR_NUMBER)?.body;
      if (planComment === undefined) throw new Error('bench: the first plan made no comment');
      return made;
    },
    async close() {
      await Promise.all([lc.close(), gh.close()]);
      await Promise.all(prepared.map((p) => p.cleanup()));
    },
  };
}
