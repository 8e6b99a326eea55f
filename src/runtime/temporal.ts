import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { resolve } from 'node:path';
import type { AppConfig } from '../config';
import { logger } from '../logger';
import { startTemporalDevServer } from '../temporal/dev-server';
import { registerSearchAttributes } from '../temporal/register-search-attributes';
import { installTemporalLogging } from '../temporal/runtime-logging';

export interface RunningTemporal {
  address: string;
  /** Where operators watch workflows, when this process runs the dev server's UI. */
  uiUrl: string | null;
  client: Client;
  workerConnection: NativeConnection;
  close(): Promise<void>;
}

/**
 * Temporal for the app: `TEMPORAL_ADDRESS` when set (search attributes registered if
 * missing), otherwise a dev server with its Web UI whose state is kept in .data/, so a
 * second start finds the first one's workflows.
 */
export async function openTemporal(config: AppConfig, dataDir = '.data'): Promise<RunningTemporal> {
  installTemporalLogging();
  let address = config.TEMPORAL_ADDRESS;
  let uiUrl: string | null = null;
  let stopServer = async (): Promise<void> => {};
  if (!address) {
    const server = await startTemporalDevServer({ port: config.TEMPORAL_PORT, uiPort: config.TEMPORAL_UI_PORT, dbFile: resolve(dataDir, 'temporal.db'), namespace: config.TEMPORAL_NAMESPACE });
    address = server.address;
    uiUrl = server.uiUrl;
    stopServer = () => server.stop();
  }
  const connection = await Connection.connect({ address });
  if (config.TEMPORAL_ADDRESS) await registerSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
  const workerConnection = await NativeConnection.connect({ address });
  logger.info({ address, uiUrl }, 'connected to Temporal');
  return {
    address,
    uiUrl,
    client: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }),
    workerConnection,
    async close() {
      await workerConnection.close();
      await connection.close();
      await stopServer();
    },
  };
}

/**
 * Only a client, for processes that start and signal workflows but run none (the bots):
 * TEMPORAL_ADDRESS, else the local dev server's port.
 */
export async function connectTemporalClient(config: AppConfig): Promise<{ client: Client; close(): Promise<void> }> {
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_PORT}` });
  return { client: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }), close: () => connection.close() };
}
