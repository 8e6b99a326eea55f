import '../config/preload-env-file';
import { loadConfig } from '../config';
import { logger } from '../logger';
import { openDatabase } from '../runtime/database';
import { connectTemporalClient } from '../runtime/temporal';
import { createBookingClient } from '../temporal/booking-client';
import { startApi } from './start-api';

/**
 * The HTTP API as its own process (`npm run api`; the `api` service in docker-compose.yml).
 * Stateless: any number of instances can serve behind a load balancer.
 */
async function runApi(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config);
  const temporal = await connectTemporalClient(config);
  const bookings = createBookingClient({ client: temporal.client, orm: database.orm, taskQueue: config.TEMPORAL_TASK_QUEUE });
  const api = await startApi({ orm: database.orm, bookings, temporalClient: temporal.client, config });
  const stop = async (): Promise<void> => {
    await api.close();
    await temporal.close();
    await database.close();
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

runApi().catch((error: unknown) => {
  logger.fatal({ err: error }, error instanceof Error ? error.message : 'API failed');
  process.exit(1);
});
