import type { FastifyInstance } from 'fastify';
import { buildApiApp } from './app';
import type { ApiDeps } from './deps';

export interface RunningApi {
  app: FastifyInstance;
  /** Where it listens, e.g. http://127.0.0.1:8000. */
  url: string;
  close(): Promise<void>;
}

/** Builds the API and listens on API_HOST:API_PORT (port 0 picks a free one). */
export async function startApi(deps: ApiDeps): Promise<RunningApi> {
  const app = await buildApiApp(deps);
  await app.listen({ host: deps.config.API_HOST, port: deps.config.API_PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : deps.config.API_PORT;
  const host = deps.config.API_HOST.includes(':') ? `[${deps.config.API_HOST}]` : deps.config.API_HOST;
  const url = `http://${host}:${port}`;
  app.log.info({ url, docs: `${url}/docs` }, 'HTTP API listening');
  return { app, url, close: () => app.close() };
}
