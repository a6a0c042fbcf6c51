// Mutation testing of the pure modules: `npm run mutate` (not part of `npm test`: it takes minutes).
// Score = killed + timed out over all mutants; README.md's development section lists the survivors
// that are equivalent (no test can tell them from the original).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutate.config.ts', related: false },
  coverageAnalysis: 'perTest',
  concurrency: 2,
  mutate: [
    'src/plan.ts',
    'src/request-body.ts',
    'src/markdown.ts',
    'src/inputs.ts',
    'src/desired-state.ts',
    'src/schema-problems.ts',
    'src/report.ts',
    'src/report-*.ts',
    'src/redact.ts',
    'src/reviewed-plan.ts',
  ],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 95, low: 90, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
