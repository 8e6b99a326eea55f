import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
const TOOLS_BIN = join(PROJECT_ROOT, '.tools', 'venv', 'bin');

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

function find(name: string): string {
  const local = join(TOOLS_BIN, name);
  const found = existsSync(local) ? local : onPath(name);
  if (!found) throw new Error(`The ${name} binary is missing: run \`bash scripts/ensure-temporal.sh\` (npm start and npm test do this).`);
  return found;
}

/** The `temporal` CLI (dev server and Web UI): the project's own copy in .tools/, else PATH. */
export const temporalCliPath = (): string => find('temporal');
/** Temporal's time-skipping test server. */
export const temporalTestServerPath = (): string => find('temporal-test-server');
