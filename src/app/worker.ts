import '../config/preload-env-file';
import { PlatformAdapters } from '../../bots/core/adapter';
import { ChatNotifier } from '../../bots/notifications/chat-notifier';
import { loadConfig } from '../config';
import { logger } from '../logger';
import { createNotificationChannels } from '../notifications/create-notifier';
import { openDatabase } from '../runtime/database';
import { openTemporal } from '../runtime/temporal';
import { createBookingWorker } from './booking-worker';
import { registerPlatformAdapters } from './chat-bots';
import { runApp, workerPart } from './lifecycle';

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
  const notifications = await app.start({
    name: 'notifications',
    start: () => createNotificationChannels({ config, orm: database.orm, chat: { chat: new ChatNotifier(database.orm, adapters) } }),
    stop: (n) => n.close(),
  });
  logger.info({ channels: notifications.channels }, 'notification channels');
  await app.start(
    workerPart(app, () =>
      createBookingWorker({ connection: temporal.workerConnection, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, orm: database.orm, notifier: notifications.notifier }),
    ),
  );
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'booking worker running');
});
