import type { MikroORM } from '@mikro-orm/postgresql';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { publicBaseUrlOf } from '../calendar/links';
import type { AppConfig } from '../config';
import { withDatabase } from '../db/databases';
import { migrate, openOrm } from '../db/orm';
import { createBookingClient, type BookingClient } from '../temporal/booking-client';
import type { CliContext } from './context';

const APP_DATABASE = 'trainer_booking';
// The embedded server's local-only credentials (src/db/embedded-postgres.ts).
const embeddedUrl = (port: number): string => `postgresql://postgres:embedded@127.0.0.1:${port}/postgres`;

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_500 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The CLI's database and Temporal, opened on first use: DATABASE_URL when set; otherwise
 * the embedded server the app is already running, or (app stopped) the embedded server
 * started for the command. Temporal is TEMPORAL_ADDRESS, else the local dev server's port.
 */
export function openCliResources(config: AppConfig, print: (line: string) => void): CliContext & { close(): Promise<void> } {
  let orm: Promise<{ orm: MikroORM; close(): Promise<void> }> | undefined;
  let temporal: Promise<{ bookings: BookingClient; connection: Connection }> | undefined;

  const openDb = async () => {
    if (config.DATABASE_URL) {
      const opened = await openOrm(config.DATABASE_URL);
      await migrate(opened);
      return { orm: opened, close: () => opened.close() };
    }
    const running = embeddedUrl(config.EMBEDDED_PG_PORT);
    if (await answers(running)) {
      const opened = await openOrm(withDatabase(running, APP_DATABASE));
      await migrate(opened);
      return { orm: opened, close: () => opened.close() };
    }
    // Loaded only here: embedded-postgres hooks process exit as soon as it is imported.
    const { openDatabase } = await import('../runtime/database');
    const database = await openDatabase(config);
    return { orm: database.orm, close: () => database.close() };
  };
  const context = {
    async orm() {
      orm ??= openDb();
      return (await orm).orm;
    },
    async bookings() {
      temporal ??= (async () => {
        const address = config.TEMPORAL_ADDRESS ?? `127.0.0.1:${config.TEMPORAL_PORT}`;
        const connection = await Connection.connect({ address, connectTimeout: '5 seconds' });
        const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
        return { connection, bookings: createBookingClient({ client, orm: await context.orm(), taskQueue: config.TEMPORAL_TASK_QUEUE }) };
      })();
      return (await temporal).bookings;
    },
    print,
    publicBaseUrl: publicBaseUrlOf(config),
    async close() {
      if (temporal) await (await temporal.catch(() => undefined))?.connection.close();
      if (orm) await (await orm.catch(() => undefined))?.close();
    },
  };
  return context;
}
