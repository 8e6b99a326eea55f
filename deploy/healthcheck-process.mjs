// Container health check: exits 0 when a process of this container was started with the
// given entry file (e.g. src/app/bots.ts) and is still alive (not a zombie).
// Usage: node deploy/healthcheck-process.mjs src/app/bots.ts
import { readdirSync, readFileSync } from 'node:fs';

const entry = process.argv[2];
if (!entry) {
  console.error('usage: node deploy/healthcheck-process.mjs <entry file>');
  process.exit(2);
}

function read(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return ''; // the process ended while we looked
  }
}

const alive = readdirSync('/proc')
  .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid && Number(name) !== process.ppid)
  .some((pid) => read(`/proc/${pid}/cmdline`).split('\0').some((arg) => arg.endsWith(entry)) && !/^State:\s+Z/m.test(read(`/proc/${pid}/status`)));

process.exit(alive ? 0 : 1);
