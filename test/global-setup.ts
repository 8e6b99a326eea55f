import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { adminQuery, quoteIdent, withDatabase } from '../src/db/databases';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres';
import { migrate, openOrm } from '../src/db/orm';
import { findFreePort } from '../src/net/free-port';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of a maintenance database on the test PostgreSQL server. */
    pgAdminUrl: string;
    /** A migrated database that each test file copies (CREATE DATABASE … TEMPLATE). */
    pgTemplateDatabase: string;
  }
}

/**
 * One real PostgreSQL for the whole run: `TEST_DATABASE_URL` (a maintenance database on an
 * external server, e.g. postgresql://postgres@127.0.0.1:5432/postgres) or, by default, an
 * embedded server in a temporary folder. The schema comes from the committed migrations.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let stopServer = async (): Promise<void> => {};
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const dir = await mkdtemp(join(tmpdir(), 'booking-test-pg-'));
    // As root, the cluster runs as the postgres OS user, which must be able to enter here.
    await chmod(dir, 0o755);
    const server = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), port: await findFreePort(), ephemeral: true });
    adminUrl = server.url;
    stopServer = async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  const template = `booking_template_${process.pid}`;
  await adminQuery(adminUrl, `drop database if exists ${quoteIdent(template)}`);
  await adminQuery(adminUrl, `create database ${quoteIdent(template)}`);
  const orm = await openOrm(withDatabase(adminUrl, template));
  try {
    await migrate(orm);
  } finally {
    await orm.close();
  }
  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplateDatabase', template);
  return async () => {
    await adminQuery(adminUrl, `drop database if exists ${quoteIdent(template)}`).catch(() => undefined);
    await stopServer();
  };
}
