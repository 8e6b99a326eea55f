import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Suites share one PostgreSQL server and one Temporal server; files run in parallel
    // in separate databases, so two workers fit the two cores here.
    maxWorkers: 2,
    // Quiet by default; LOG_LEVEL=debug shows the service's own logs while a test runs.
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
  },
});
