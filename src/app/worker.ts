import '../config/preload-env-file';
import { PlatformAdapters } from '../../bots/core/adapter';
import { loadConfig } from '../config';
import { logger } from '../logger';
import { openDatabase } from '../runtime/database';
import { openTemporal } from '../runtime/temporal';
import { registerPlatformAdapters } from './chat-bots';
import { runApp } from './lifecycle';
import { startWorkerParts } from './worker-parts';

/**
 * The Temporal worker on its own, for production-like deployments where worker, bots and
 * API run as separate processes (`npm run worker`; the `worker` service in
 * docker-compose.yml). Uses DATABASE_URL and TEMPORAL_ADDRESS when set, the embedded
 * defaults otherwise. SIGTERM drains: activities in flight finish or are retried by
 * Temporal on another worker.
 */
runApp(async (app) => {
  const config = loadConfig();
  const database = await app.start({ name: 'database', start: () => openDatabase(config), stop: (db) => db.close() });
  const temporal = await app.start({ name: 'temporal', start: () => openTemporal(config), stop: (t) => t.close() });
  // The bots run elsewhere; this process only sends and edits their messages.
  const adapters = new PlatformAdapters();
  registerPlatformAdapters(config, adapters);
  await startWorkerParts(app, { config, database, temporal, adapters });
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'booking worker running');
});
