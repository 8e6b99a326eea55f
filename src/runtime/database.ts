import type { MikroORM } from '@mikro-orm/postgresql';
import { resolve } from 'node:path';
import type { AppConfig } from '../config';
import { ensureDatabase, withDatabase } from '../db/databases';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { migrate, openOrm } from '../db/orm';
import { logger, redactUrl } from '../logger';

const APP_DATABASE = 'trainer_booking';

export interface RunningDatabase {
  orm: MikroORM;
  url: string;
  close(): Promise<void>;
}

/**
 * The app's database, migrated: `DATABASE_URL` when set, otherwise the embedded server
 * with its data kept in EMBEDDED_PG_DIR, so a second start finds the first one's data.
 */
export async function openDatabase(config: AppConfig): Promise<RunningDatabase> {
  let url = config.DATABASE_URL;
  let stopServer = async (): Promise<void> => {};
  if (!url) {
    const server = await startEmbeddedPostgres({ dataDir: resolve(config.EMBEDDED_PG_DIR), port: config.EMBEDDED_PG_PORT });
    await ensureDatabase(server.url, APP_DATABASE);
    url = withDatabase(server.url, APP_DATABASE);
    stopServer = () => server.stop();
    logger.info({ url: redactUrl(url) }, 'embedded PostgreSQL is running');
  }
  const orm = await openOrm(url);
  await migrate(orm);
  return {
    orm,
    url,
    async close() {
      await orm.close();
      await stopServer();
    },
  };
}
