import type { PlatformAdapters } from '../../bots/core/adapter';
import { ChatNotifier } from '../../bots/notifications/chat-notifier';
import type { AppConfig } from '../config';
import { logger } from '../logger';
import { createNotificationChannels } from '../notifications/create-notifier';
import type { RunningDatabase } from '../runtime/database';
import type { RunningTemporal } from '../runtime/temporal';
import { createBookingWorker } from './booking-worker';
import { workerPart, type Lifecycle } from './lifecycle';

/**
 * The worker's two parts, in order, for every root that runs one (`npm start`, `npm run
 * worker`): the notification channels (chat through `adapters`, plus e-mail when set up),
 * then the booking worker, which drains on stop. Chat adapters may register in `adapters`
 * later (as bots start); notifications reach whichever are there.
 */
export async function startWorkerParts(
  app: Lifecycle,
  deps: { config: AppConfig; database: RunningDatabase; temporal: RunningTemporal; adapters: PlatformAdapters },
): Promise<void> {
  const { config, database, temporal, adapters } = deps;
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
}
