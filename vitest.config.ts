import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Which test files need the run's servers: those that, directly or through test-local
 * helpers (test/support/database.ts, test/support/temporal.ts, the harnesses), read what
 * test/global-setup.ts provides with `inject(…)`. Every other file is in the fast layer and
 * runs without PostgreSQL or Temporal (`npx vitest run --project fast`).
 */
function needsServers(file: string, seen = new Set<string>()): boolean {
  if (seen.has(file)) return false;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  if (/\binject\(/.test(text)) return true;
  for (const [, spec] of text.matchAll(/from\s+'(\.{1,2}\/[^']+)'/g)) {
    const target = resolve(dirname(file), `${spec!}.ts`);
    if (target.startsWith(resolve('test')) && existsSync(target) && needsServers(target, seen)) return true;
  }
  return false;
}

const testFiles = readdirSync('test', { recursive: true, encoding: 'utf8' })
  .filter((path) => path.endsWith('.test.ts'))
  .map((path) => relative('.', join('test', path)));
const fast = testFiles.filter((file) => !needsServers(file));

const shared = {
  testTimeout: 60_000,
  hookTimeout: 120_000,
  // Quiet by default; LOG_LEVEL=debug shows the service's own logs while a test runs.
  env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
  // One fast-check seed for every property test (FC_SEED overrides it).
  setupFiles: ['test/support/fast-check-seed.ts'],
};

export default defineConfig({
  test: {
    // Integration suites share one PostgreSQL server and one Temporal server; files run in
    // parallel in separate databases, so two workers fit the two cores here.
    maxWorkers: 2,
    projects: [
      // Fast files share module state safely (no servers, no globals they change), so they reuse workers.
      { test: { ...shared, name: 'fast', include: fast, isolate: false } },
      { test: { ...shared, name: 'integration', include: ['test/**/*.test.ts'], exclude: fast, globalSetup: ['test/global-setup.ts'] } },
    ],
  },
});
