/**
 * A smoke run of `npm run bench` (bench/): one run of each scenario, no timing asserted. It keeps
 * the bench working when the fakes, the action or the floors change, and checks the figures that
 * do not depend on the machine: the HTTP calls of each mode and the bytes the action loads at start.
 * It measures the build of the current sources (scripts/fresh-build.ts), never a dist/ older than them.
 */
import { describe, expect, it } from 'vitest';
import { runBench } from '../bench/run.js';
import { freshBuild } from '../scripts/fresh-build.js';
import { ROOT } from './support/action-env.js';

describe('npm run bench, one run of each scenario', () => {
  it('completes, and reports the HTTP calls of each mode and of its floor', { timeout: 240_000 }, async () => {
    const results = await runBench({
      root: ROOT,
      dist: await freshBuild({ quiet: true }),
      runs: 1,
      warmup: 0,
      profile: false,
      compileCache: false,
      progress: () => {},
    });
    const { scenarios: s } = results;

    expect(Object.keys(s)).toEqual(['bare', 'core barrel', 'validate', 'plan floor', 'plan', 'apply']);
    for (const figures of Object.values(s)) expect(figures.medianMs).toBeGreaterThan(0);
    expect([s.validate.floor, s.plan.floor, s.apply.floor]).toEqual(['core barrel', 'plan floor', 'plan floor']);

    const none = { total: 0, byRoute: {} };
    expect(s.validate.httpCalls).toEqual({ leadconduit: none, github: none });
    const plan = {
      leadconduit: { total: 1, byRoute: { 'GET /account': 1 } },
      github: { total: 3, byRoute: { 'GET contents': 1, 'GET comments': 1, 'PATCH comment': 1 } },
    };
    expect(s.plan.httpCalls).toEqual(plan);
    expect(s['plan floor'].httpCalls).toEqual(plan);
    expect(s.apply.httpCalls).toEqual({
      leadconduit: { total: 2, byRoute: { 'GET /account': 1, 'PUT /account': 1 } },
      // The merged pull request's record is read, then the outcome written on top of it.
      github: { total: 3, byRoute: { 'GET commit pulls': 1, 'GET comments': 1, 'PATCH comment': 1 } },
    });
    // The first plan posts its comment, looks again for a concurrent one, then signs it for the login GitHub gave it.
    expect(results.firstPlanHttpCalls.github.byRoute).toEqual({ 'GET contents': 1, 'GET comments': 2, 'POST comment': 1, 'PATCH comment': 1 });

    // What the runner loads at start is dist/index.js alone; ky and octokit come later, in chunks.
    expect(s.validate.loadedFiles).toEqual(['index.js']);
    expect(s.plan.loadedFiles.length).toBeGreaterThan(1);
    // A run that talks to GitHub makes LeadConduit's calls with @actions/github's undici too (src/octokit.ts):
    // Node's own copy, which the plain way (the plan floor) loads for ky, never loads.
    expect([s['plan floor'].nodeUndici, s.plan.nodeUndici, s.apply.nodeUndici, s.validate.nodeUndici]).toEqual([true, false, false, false]);
    // Each hostile answer ended the plan with a clear error (the bench checks each run's output).
    expect(Object.keys(results.hostile)).toEqual(['lc-declared-100mb', 'lc-streamed-3gb', 'gh-streamed-100mb']);
    for (const h of Object.values(results.hostile)) expect(h.maxRssMB).toBeGreaterThan(10);

    // Every target that is not a time: the bytes at start, the call counts, the memory a hostile answer costs.
    expect(results.targets.filter((t) => !t.timing && !t.ok)).toEqual([]);
  });
});
