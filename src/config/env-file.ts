import { existsSync } from 'node:fs';

/**
 * Loads `path` (a `.env` file) into the process environment when the file exists. Variables
 * that are already set win over the file, so a deployment's real environment always counts
 * and the file only fills the gaps on a developer's machine. Returns whether a file was read.
 */
export function loadEnvFile(path = '.env'): boolean {
  if (!existsSync(path)) return false;
  // Node's own parser: the same rules as `node --env-file`, and it never overrides.
  process.loadEnvFile(path);
  return true;
}
