import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The longest files first, whatever vitest knows of them. The fault files mostly wait out timeouts
 * and Retry-After, and the others here wait on child processes (npm, the built action) or run for
 * seconds: started first, their waits overlap the many short files that follow. Vitest's own order
 * on a fresh clone, which keeps no times of an earlier run, is largest file first, which started
 * the four-line fault files and the npm install last, and the run ended waiting on them.
 */
const LONG_FIRST = [
  '/test/faults/',
  '/test/package.test.ts',
  '/test/e2e/hostile.test.ts',
  '/test/properties.test.ts',
  '/test/e2e/bundle.test.ts',
  '/test/bench.test.ts',
];

class LongFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const index = LONG_FIRST.findIndex((part) => file.moduleId.includes(part));
      return index === -1 ? LONG_FIRST.length : index;
    };
    // Array.prototype.sort is stable: vitest's order holds within a rank.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real servers on loopback and child processes: generous, but a hang still ends.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Three workers more than there are cores (vitest's default is one fewer): the fault files
    // wait out timeouts and Retry-After, and others wait on child processes, so while three of
    // them wait the cores still run the rest. Measured on 2 cores (a fresh clone's order, vitest's
    // Duration, 2 runs each): 3 workers 34 s; 4 workers 29.9-31.0 s; 5 workers 28.5-29.1 s.
    maxWorkers: availableParallelism() + 3,
    // A worker runs file after file instead of starting afresh for each: measured here, a fresh
    // worker per file cost about 20 s of CPU in all. Nothing in the tests relies on a fresh
    // module state: every test that swaps process.env, process.stdout or fetch puts it back.
    isolate: false,
    sequence: { sequencer: LongFirst },
    // A test that checks nothing cannot fail: every test must make at least one assertion.
    expect: { requireAssertions: true },
  },
});
