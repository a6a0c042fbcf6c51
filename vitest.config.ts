import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The fault files first: they spend most of their time waiting out timeouts and Retry-After, so
 * started first their waits overlap the files that keep the CPU busy. Vitest's own order (longest
 * first by the last run's times, or, with no times kept as on a fresh clone, largest file first)
 * would start them last, as their files are a few lines long, and the run would end waiting.
 */
class WaitingFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const waits = (file: TestSpecification) => file.moduleId.includes('/test/faults/');
    return [...sorted.filter(waits), ...sorted.filter((file) => !waits(file))];
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real servers on loopback and child processes: generous, but a hang still ends.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // One worker more than there are cores (vitest's default is one fewer): much of the suite
    // waits on timers (fault cases wait out timeouts and Retry-After) and child processes, and
    // meanwhile another file can use the CPU.
    maxWorkers: availableParallelism() + 1,
    // A worker runs file after file instead of starting afresh for each: measured here, a fresh
    // worker per file cost about 20 s of CPU in all. Nothing in the tests relies on a fresh
    // module state: every test that swaps process.env, process.stdout or fetch puts it back.
    isolate: false,
    sequence: { sequencer: WaitingFirst },
    // A test that checks nothing cannot fail: every test must make at least one assertion.
    expect: { requireAssertions: true },
  },
});
