/**
 * Two plans of the same pull request at once (a re-run while the last run is still going, or two
 * pushes in quick succession) must end with exactly one sticky plan comment.
 *
 * Two in-process runs would share process.env, so each plan is the built action (dist/index.js)
 * in its own child process (runDist), both against one fake GitHub.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ownRecordBody, recordedChanges } from './support/records.js';
import { commentMarker } from '../src/reviewed-plan.js';
import { PR_NUMBER, ROOT, runDist, runInProcess, type ActionSetup } from './support/action-env.js';
import { FakeGitHub, type GitHubComment, type GitHubRoute } from './support/fake-github.js';
import type { FakeRequest, RouteMatch } from './support/http-fake.js';
import { startFakeLeadConduit, type FakeLeadConduit } from './support/fake-leadconduit.js';

const FILE = 'leadconduit-account.json';
const MARKER = commentMarker(FILE);
const DESIRED = { data_retention_in_days: 400, features: { firehose: true } };

/**
 * A fake GitHub that can hold the first `parties` requests of a route until all of them have
 * arrived, then answer them in arrival order: it makes two runs interleave at exactly that step.
 */
class GatedGitHub extends FakeGitHub {
  readonly #gates = new Map<GitHubRoute, { parties: number; arrived: number; open: Promise<void>; release: () => void }>();

  gate(route: GitHubRoute, parties: number): void {
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#gates.set(route, { parties, arrived: 0, open: promise, release: resolve });
  }

  protected override async handle(match: RouteMatch<GitHubRoute>, request: FakeRequest): Promise<void> {
    const gate = this.#gates.get(match.route);
    if (gate && gate.arrived < gate.parties) {
      gate.arrived++;
      if (gate.arrived === gate.parties) gate.release();
      // Never hang the suite: a run that does not come releases the gate after a while.
      await Promise.race([gate.open, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    }
    return super.handle(match, request);
  }
}

const open: Array<{ close(): Promise<void> }> = [];
const cleanups: Array<() => Promise<void>> = [];
let lc: FakeLeadConduit;

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/index.js'))) throw new Error('dist/index.js is missing: run `npm run build` first');
});

async function fakes(): Promise<GatedGitHub> {
  lc = await startFakeLeadConduit();
  const gh = await new GatedGitHub().listen();
  open.push(lc, gh);
  return gh;
}

afterEach(async () => {
  for (const fake of open) if (fake instanceof FakeGitHub) expect(fake.violations, "requests that stray from GitHub's REST description").toEqual([]);
  await Promise.all(open.splice(0).map((fake) => fake.close()));
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function setup(gh: FakeGitHub, extra: Partial<ActionSetup> = {}): ActionSetup {
  return { file: DESIRED, leadconduitUrl: lc.url, githubUrl: gh.url, event: 'pull_request', ...extra };
}

/** Two plans of the same PR, each a child process, started together. */
async function twoPlans(gh: FakeGitHub) {
  const runs = await Promise.all([runDist(setup(gh)), runDist(setup(gh))]);
  for (const run of runs) {
    cleanups.push(run.cleanup);
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
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

describe('two plans of the same pull request at once', () => {
  it('end with exactly one plan comment', async () => {
    const gh = await fakes();
    const runs = await twoPlans(gh);
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

describe('a pre-existing duplicate plan comment', () => {
  it('keeps and updates the oldest, deletes the stale duplicate, creates nothing and leaves other comments alone', async () => {
    const gh = await fakes();
    const human = gh.addComment(PR_NUMBER, 'LGTM once the plan is green', { login: 'octo-reviewer' });
    const oldest = gh.addComment(PR_NUMBER, ownRecordBody([], 'stale plan A'));
    const newer = gh.addComment(PR_NUMBER, ownRecordBody([], 'stale plan B'));

    for (let i = 0; i < 2; i++) {
      const run = await runInProcess(setup(gh));
      cleanups.push(run.cleanup);
      expect(run.exitCode, run.stdout).toBe(0);
      expect(run.outputs['comment-url']).toBe(oldest.html_url);
    }

    expect(gh.count('POST comment')).toBe(0);
    const comments = gh.commentsOf(PR_NUMBER);
    const kept = comments.find((c) => c.id === oldest.id);
    expect(kept?.body).not.toContain('stale plan A');
    expect(recordedChanges(kept?.body ?? '')?.map((c) => c.path)).toEqual(['data_retention_in_days', 'features.firehose']);
    expect(comments.find((c) => c.id === human.id)?.body).toBe('LGTM once the plan is green');
    // Only the oldest is written to; the newer duplicate, a stale plan, is deleted.
    const patched = gh.requests.filter((r) => r.route === 'PATCH comment').map((r) => r.path);
    expect(new Set(patched)).toEqual(new Set([`/repos/acme/settings/issues/comments/${oldest.id}`]));
    expect(comments.find((c) => c.id === newer.id)).toBeUndefined();
    expect(comments.filter((c) => c.body.startsWith(MARKER))).toHaveLength(1);
  });
});
