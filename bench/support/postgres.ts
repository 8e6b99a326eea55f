import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { adminQuery, quoteIdent, withDatabase } from '../../src/db/databases';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres';
import { migrate, openOrm } from '../../src/db/orm';
import { findFreePort } from '../../src/net/free-port';

export interface BenchPostgres {
  readonly adminUrl: string;
  /** A new database with every committed migration applied; returns its URL. */
  createMigrated(name: string): Promise<string>;
  /** A copy of `template` (which must have no open connections); returns its URL. */
  clone(template: string, name: string): Promise<string>;
  drop(name: string): Promise<void>;
  version(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A throwaway embedded PostgreSQL for one benchmark run, in a temporary folder on a free
 * port: the same server and settings the test suite uses.
 */
export async function startBenchPostgres(): Promise<BenchPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'booking-bench-pg-'));
  // As root the cluster runs as the postgres OS user, which must be able to enter here.
  await chmod(dir, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), port: await findFreePort(), ephemeral: true });
  const adminUrl = server.url;
  return {
    adminUrl,
    async createMigrated(name) {
      await adminQuery(adminUrl, `drop database if exists ${quoteIdent(name)} with (force)`);
      await adminQuery(adminUrl, `create database ${quoteIdent(name)}`);
      const url = withDatabase(adminUrl, name);
      const orm = await openOrm(url);
      try {
        await migrate(orm);
      } finally {
        await orm.close();
      }
      return url;
    },
    async clone(template, name) {
      await adminQuery(adminUrl, `drop database if exists ${quoteIdent(name)} with (force)`);
      await adminQuery(adminUrl, `create database ${quoteIdent(name)} template ${quoteIdent(template)}`);
      return withDatabase(adminUrl, name);
    },
    async drop(name) {
      await adminQuery(adminUrl, `drop database if exists ${quoteIdent(name)} with (force)`);
    },
    async version() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        const result = await client.query<{ server_version: string }>('show server_version');
        return `PostgreSQL ${result.rows[0]?.server_version ?? '?'}`;
      } finally {
        await client.end();
      }
    },
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
