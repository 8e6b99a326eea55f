import '../src/config/preload-env-file';
import { loadConfig } from '../src/config';
import { logger } from '../src/logger';
import { openDatabase } from '../src/runtime/database';
import { connectTemporalClient } from '../src/runtime/temporal';
import { createBookingClient } from '../src/temporal/booking-client';
import { PlatformAdapters } from './core/adapter';
import { startChatBots } from './start-chat-bots';

/**
 * The chat bots as their own process (`npm run bots`; the `bots` service in
 * docker-compose.yml): Slack and/or Discord, whichever have credentials. They hold no state
 * of their own — conversations live in PostgreSQL, bookings in workflows — so any number
 * of instances can run. Notifications are sent by the worker.
 */
async function runBots(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config);
  const temporal = await connectTemporalClient(config);
  const bookings = createBookingClient({ client: temporal.client, orm: database.orm, taskQueue: config.TEMPORAL_TASK_QUEUE });
  const bots = await startChatBots({ config, orm: database.orm, bookings, adapters: new PlatformAdapters() });
  if (bots.started.length === 0) {
    await temporal.close();
    await database.close();
    throw new Error('No chat bot could start: set SLACK_BOT_TOKEN with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET, or DISCORD_BOT_TOKEN with DISCORD_APPLICATION_ID.');
  }
  const stop = async (): Promise<void> => {
    await bots.stop();
    await temporal.close();
    await database.close();
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

runBots().catch((error: unknown) => {
  logger.fatal({ err: error }, error instanceof Error ? error.message : 'chat bots failed');
  process.exit(1);
});
