import '../config/preload-env-file';
import { startApi } from '../api/start-api';
import { loadConfig } from '../config';
import { openDatabase } from '../runtime/database';
import { connectTemporalClient } from '../runtime/temporal';
import { createBookingClient } from '../temporal/booking-client';
import { runApp } from './lifecycle';

/**
 * The HTTP API as its own process (`npm run api`; the `api` service in docker-compose.yml).
 * Stateless: any number of instances can serve behind a load balancer.
 */
runApp(async (app) => {
  const config = loadConfig();
  const database = await app.start({ name: 'database', start: () => openDatabase(config), stop: (db) => db.close() });
  const temporal = await app.start({ name: 'temporal client', start: () => connectTemporalClient(config), stop: (t) => t.close() });
  const bookings = createBookingClient({ client: temporal.client, orm: database.orm, taskQueue: config.TEMPORAL_TASK_QUEUE });
  await app.start({ name: 'api', start: () => startApi({ orm: database.orm, bookings, temporalClient: temporal.client, config }), stop: (api) => api.close() });
});
