import { afterEach, beforeEach, expect } from 'vitest';
import type { Tuning } from '../../src/inputs.js';
import { FAST_TUNING, MERGE_SHA, PR_NUMBER, runDist, runInProcess, type ActionRun, type ActionSetup } from './action-env.js';
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from './fake-github.js';
import { startFakeLeadConduit, type FakeLeadConduit, type FakeLeadConduitOptions } from './fake-leadconduit.js';

/**
 * Fresh loopback fakes of LeadConduit and GitHub for every test of an end-to-end file, closed
 * after it, with the runs' temporary workspaces removed. A test that needs other fake options
 * swaps one with restartLeadConduit/restartGitHub.
 */
export function useFakes() {
  const cleanups: Array<() => Promise<void>> = [];
  const fakes = {
    lc: undefined as unknown as FakeLeadConduit,
    gh: undefined as unknown as FakeGitHub,
    async restartLeadConduit(options: FakeLeadConduitOptions): Promise<FakeLeadConduit> {
      await fakes.lc.close();
      return (fakes.lc = await startFakeLeadConduit(options));
    },
    async restartGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
      await fakes.gh.close();
      return (fakes.gh = await startFakeGitHub(options));
    },
    /** The push after the merge: GitHub gives pull request PR_NUMBER, merged, as the pushed commit's (MERGE_SHA). */
    mergePullRequest(): void {
      fakes.gh.setCommitPulls(MERGE_SHA, [
        {
          number: PR_NUMBER,
          html_url: `https://github.com/acme/settings/pull/${PR_NUMBER}`,
          merged_at: '2026-11-28T10:00:00Z',
          merge_commit_sha: MERGE_SHA,
          state: 'closed',
        },
      ]);
    },
    /** The action in this process, against the fakes. */
    async run(setup: Partial<ActionSetup>, tuning: Partial<Tuning> = FAST_TUNING): Promise<ActionRun> {
      const run = await runInProcess({ leadconduitUrl: fakes.lc.url, githubUrl: fakes.gh.url, ...setup }, tuning);
      cleanups.push(run.cleanup);
      return run;
    },
    /** A bundle of the action (`entry`) as a child process, against the fakes. */
    async runDist(setup: Partial<ActionSetup>, entry: string): Promise<Awaited<ReturnType<typeof runDist>>> {
      const run = await runDist({ leadconduitUrl: fakes.lc.url, githubUrl: fakes.gh.url, ...setup }, entry);
      cleanups.push(run.cleanup);
      return run;
    },
  };
  beforeEach(async () => {
    fakes.lc = await startFakeLeadConduit();
    fakes.gh = await startFakeGitHub();
  });
  afterEach(async () => {
    // Whatever the test did, every request the action made conforms to GitHub's REST description.
    expect(fakes.gh.violations, "requests that stray from GitHub's REST description").toEqual([]);
    await fakes.lc.close();
    await fakes.gh.close();
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  return fakes;
}
