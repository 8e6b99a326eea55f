import { Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { SEARCH_ATTRIBUTES } from '../../workflows/contract';
import { logger } from '../logger';
import { temporalCliPath } from './tools';

export interface DevServerOptions {
  port: number;
  /** Web UI port; no UI when omitted. */
  uiPort?: number;
  /** SQLite file that keeps workflows across restarts; in memory when omitted. */
  dbFile?: string;
  namespace?: string;
}

export interface RunningDevServer {
  address: string;
  uiUrl: string | null;
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` with the search attributes operators filter by
 * registered, and waits until it answers.
 */
export async function startTemporalDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const namespace = options.namespace ?? 'default';
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--namespace', namespace, '--log-level', 'error'];
  if (options.uiPort) args.push('--ui-port', String(options.uiPort), '--ui-ip', '127.0.0.1');
  else args.push('--headless');
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  for (const key of Object.values(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${key.name}=Keyword`);

  const child: ChildProcess = spawn(temporalCliPath(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', resolveExit));
  const address = `127.0.0.1:${options.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Temporal dev server exited (${child.exitCode}): ${stderr.trim()}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.describeNamespace({ namespace });
      await connection.close();
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`Temporal dev server did not become ready on ${address}: ${stderr.trim()}`, { cause: error });
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  logger.info({ address, uiPort: options.uiPort, dbFile: options.dbFile }, 'Temporal dev server is running');
  return {
    address,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : null,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
