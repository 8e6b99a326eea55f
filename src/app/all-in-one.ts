import '../config/preload-env-file';
import { PlatformAdapters } from '../../bots/core/adapter';
import { startTerminalChat } from '../../bots/terminal/terminal-chat';
import { publicBaseUrlOf } from '../calendar/links';
import { startApi } from '../api/start-api';
import { loadConfig } from '../config';
import { loadDemoData } from '../demo/demo-data';
import { runDemoBooking } from '../demo/run-demo-booking';
import { openDatabase } from '../runtime/database';
import { openTemporal } from '../runtime/temporal';
import { createBookingClient } from '../temporal/booking-client';
import { startChatBots } from './chat-bots';
import { runApp } from './lifecycle';
import { startWorkerParts } from './worker-parts';

/**
 * The whole system on one machine with embedded defaults (`npm start`): PostgreSQL
 * (embedded unless DATABASE_URL), a Temporal dev server with its Web UI (unless
 * TEMPORAL_ADDRESS), the worker, the HTTP API, the chat bots that have credentials (the
 * terminal chat when none), demo trainers and slots, and a demo request that goes
 * PENDING → APPROVED. Runs until Ctrl-C, then stops everything in reverse order.
 */
runApp(async (app) => {
  const config = loadConfig();
  const database = await app.start({ name: 'database', start: () => openDatabase(config), stop: (db) => db.close() });
  const temporal = await app.start({ name: 'temporal', start: () => openTemporal(config), stop: (t) => t.close() });
  // Chat adapters register here as their bots start; the worker's notifications reach
  // people through whichever are running.
  const adapters = new PlatformAdapters();
  await startWorkerParts(app, { config, database, temporal, adapters });
  const bookings = createBookingClient({ client: temporal.client, orm: database.orm, taskQueue: config.TEMPORAL_TASK_QUEUE });
  const api = await app.start({ name: 'api', start: () => startApi({ orm: database.orm, bookings, temporalClient: temporal.client, config }), stop: (a) => a.close() });

  const demo = await loadDemoData(database.orm.em.fork());
  await runDemoBooking({ bookings, demo, uiUrl: temporal.uiUrl, namespace: config.TEMPORAL_NAMESPACE, out: process.stdout });
  process.stdout.write(`\nRunning. Temporal UI: ${temporal.uiUrl ?? `(external cluster at ${temporal.address})`}; API docs: ${api.url}/docs — press Ctrl-C to stop.\n`);
  const bots = await app.start({ name: 'chat bots', start: () => startChatBots({ config, orm: database.orm, bookings, adapters }), stop: (b) => b.stop() });
  if (bots.started.length > 0) process.stdout.write(`Chat bots running: ${bots.started.join(', ')}.\n`);
  // Without Slack or Discord, a person at this terminal plays client and trainer.
  if (bots.started.length === 0 && process.stdin.isTTY) {
    process.stdout.write('\n');
    const chat = await app.start({ name: 'terminal chat', start: () => startTerminalChat({ orm: database.orm, bookings, adapters, publicBaseUrl: publicBaseUrlOf(config) }), stop: (c) => c.close() });
    app.stopWhen(chat.closed, 'chat closed');
  }
});
