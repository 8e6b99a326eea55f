import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { findFreePort } from '../../src/net/free-port';
import { temporalCliPath } from '../../src/temporal/tools';
import { SEARCH_ATTRIBUTES } from '../../workflows/contract';

/**
 * The scripts docker-compose.yml runs (health checks, the search attribute job), run here
 * for real: against an HTTP server, processes and the run's Temporal server.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

/** Exit code of a deploy script run with Node (as the containers do). */
async function exitCodeOf(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    await run(process.execPath, [join(ROOT, 'deploy', script), ...args], { env, cwd: ROOT, timeout: 15_000 });
    return 0;
  } catch (error) {
    return (error as { code?: number }).code ?? -1;
  }
}

describe('healthcheck-http.mjs (the API container)', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      response.statusCode = request.url === '/health' ? 200 : 503;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is healthy when the URL answers 2xx, unhealthy on an error status or no answer', async () => {
    expect(await exitCodeOf('healthcheck-http.mjs', [`${base}/health`])).toBe(0);
    expect(await exitCodeOf('healthcheck-http.mjs', [`${base}/ready`])).toBe(1);
    expect(await exitCodeOf('healthcheck-http.mjs', [`http://127.0.0.1:${await findFreePort()}/health`])).toBe(1);
  });
});

describe('healthcheck-process.mjs (the bots container)', () => {
  it('is healthy while a process started with the entry file runs, unhealthy once it has ended', async () => {
    const entry = `src/app/bots-${randomBytes(4).toString('hex')}.ts`;
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', entry], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      expect(await exitCodeOf('healthcheck-process.mjs', [entry])).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    expect(await exitCodeOf('healthcheck-process.mjs', [entry])).toBe(1);
  });
});

describe('healthcheck-temporal-connection.mjs (the worker container)', () => {
  // In its container the worker is the only process that talks to the Temporal frontend, so
  // the check looks for any established connection to TEMPORAL_ADDRESS's port. Here a plain
  // TCP server on a port of its own stands in for the frontend.
  it('is healthy while a connection to the port of TEMPORAL_ADDRESS is open, unhealthy once it is closed', async () => {
    const frontend = createNetServer();
    await new Promise<void>((resolve) => frontend.listen(0, '127.0.0.1', resolve));
    const { port } = frontend.address() as AddressInfo;
    const env = { ...process.env, TEMPORAL_ADDRESS: `temporal:${port}` };
    try {
      const socket = connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      expect(await exitCodeOf('healthcheck-temporal-connection.mjs', [], env)).toBe(0);
      socket.destroy();
      await new Promise((resolve) => socket.once('close', resolve));
      expect(await exitCodeOf('healthcheck-temporal-connection.mjs', [], env)).toBe(1);
    } finally {
      await new Promise((resolve) => frontend.close(resolve));
    }
  });
});

describe('register-search-attributes.sh (the temporal-admin-tools job)', () => {
  it('registers the booking search attributes as Keyword in the namespace, and is safe to run again', async () => {
    const address = inject('temporalAddress');
    const namespace = `ops-${randomBytes(4).toString('hex')}`;
    const connection = await Connection.connect({ address });
    try {
      await run(temporalCliPath(), ['operator', 'namespace', 'create', '--address', address, '--namespace', namespace], { timeout: 30_000 });
      const env = { ...process.env, PATH: `${dirname(temporalCliPath())}${delimiter}${process.env.PATH ?? ''}`, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace };
      const script = join(ROOT, 'deploy', 'register-search-attributes.sh');

      const first = await run('sh', [script], { env, timeout: 120_000 });
      expect(first.stdout).toContain('search attribute BookingStatus registered');
      const second = await run('sh', [script], { env, timeout: 120_000 });
      expect(second.stdout).toContain('search attribute BookingStatus already registered');

      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
      const KEYWORD = proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
      for (const key of Object.values(SEARCH_ATTRIBUTES)) expect(customAttributes?.[key.name], key.name).toBe(KEYWORD);
    } finally {
      await connection.close();
    }
  });
});
