import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The tests Stryker runs against each mutant of the pure modules (stryker.config.mjs): the unit
 * tests of those modules, not the end-to-end runs (they cover every line, so would run for every
 * mutant, and they prove the adapters, not these modules). The property tests run with a fixed
 * seed, so a mutant is killed or survives the same way on every run.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: [
      'test/plan.test.ts',
      'test/properties.test.ts',
      'test/report.test.ts',
      'test/inputs.test.ts',
      'test/desired-state.test.ts',
      'test/invalid-files.test.ts',
      'test/json-schema.test.ts',
      'test/workflow-commands.test.ts',
      'test/unit/**/*.test.ts',
    ],
    env: { FC_SEED: '42', PROPERTY_E2E_RUNS: '1' },
    // A fresh module state per file: a module's top-level lines then count as run by every test of
    // it, not by whichever test first imported it (Stryker runs only those tests against a mutant).
    isolate: true,
    // Stryker runs its own workers (concurrency 2); one vitest worker inside each.
    maxWorkers: 1,
  },
});
