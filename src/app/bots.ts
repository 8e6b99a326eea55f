import '../config/preload-env-file';
import { PlatformAdapters } from '../../bots/core/adapter';
import { loadConfig } from '../config';
import { openDatabase } from '../runtime/database';
import { connectTemporalClient } from '../runtime/temporal';
import { createBookingClient } from '../temporal/booking-client';
import { startChatBots } from './chat-bots';
import { runApp } from './lifecycle';

/**
 * The chat bots as their own process (`npm run bots`; the `bots` service in
 * docker-compose.yml): Slack and/or Discord, whichever have credentials. They hold no state
 * of their own — conversations live in PostgreSQL, bookings in workflows — so any number
 * of instances can run. Notifications are sent by the worker.
 */
runApp(async (app) => {
  const config = loadConfig();
  const database = await app.start({ name: 'database', start: () => openDatabase(config), stop: (db) => db.close() });
  const temporal = await app.start({ name: 'temporal client', start: () => connectTemporalClient(config), stop: (t) => t.close() });
  const bookings = createBookingClient({ client: temporal.client, orm: database.orm, taskQueue: config.TEMPORAL_TASK_QUEUE });
  const bots = await app.start({ name: 'chat bots', start: () => startChatBots({ config, orm: database.orm, bookings, adapters: new PlatformAdapters() }), stop: (b) => b.stop() });
  if (bots.started.length === 0) {
    throw new Error('No chat bot could start: set SLACK_BOT_TOKEN with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET, or DISCORD_BOT_TOKEN with DISCORD_APPLICATION_ID.');
  }
});
