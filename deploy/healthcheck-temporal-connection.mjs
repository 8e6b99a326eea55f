// Container health check for the worker: exits 0 when this container holds an established
// TCP connection to the Temporal frontend (TEMPORAL_ADDRESS's port, 7233 by default). The
// worker is the only process in its container, and it migrates the database before it
// connects, so "connected" means "migrated and polling its task queue". (The table read is
// the container's network namespace: on a shared host, any process's connection counts.)
// Usage: node deploy/healthcheck-temporal-connection.mjs
import { readFileSync } from 'node:fs';

const ESTABLISHED = '01';
const port = Number(/:(\d+)$/.exec(process.env.TEMPORAL_ADDRESS ?? '')?.[1] ?? 7233);

function connections(table) {
  try {
    // Rows: sl local_address rem_address st …, addresses as HEX_IP:HEX_PORT.
    return readFileSync(table, 'utf8').trim().split('\n').slice(1).map((row) => row.trim().split(/\s+/));
  } catch {
    return [];
  }
}

const connected = ['/proc/net/tcp', '/proc/net/tcp6']
  .flatMap(connections)
  .some(([, , remote, state]) => state === ESTABLISHED && Number.parseInt(remote?.split(':')[1] ?? '', 16) === port);

process.exit(connected ? 0 : 1);
