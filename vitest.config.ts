import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real servers on loopback and child processes: generous, but a hang still ends.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
