import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { adminQuery, quoteIdent, withDatabase } from '../src/db/databases';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres';
import { migrate, openOrm } from '../src/db/orm';
import { findFreePort } from '../src/net/free-port';
import { startTemporalDevServer } from '../src/temporal/dev-server';
import { WORKFLOWS_PATH } from '../src/app/booking-worker';
import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdir, writeFile } from 'node:fs/promises';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of a maintenance database on the test PostgreSQL server. */
    pgAdminUrl: string;
    /** A migrated database that each test file copies (CREATE DATABASE … TEMPLATE). */
    pgTemplateDatabase: string;
    /** A Temporal dev server shared by the run; each test file uses its own task queues. */
    temporalAddress: string;
    /** The workflow code, bundled once for every worker of the run. */
    workflowBundlePath: string;
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

  // TEST_TEMPORAL_ADDRESS points at an external server that has the search attributes.
  let temporalAddress = process.env.TEST_TEMPORAL_ADDRESS;
  let stopTemporal = async (): Promise<void> => {};
  if (!temporalAddress) {
    const temporal = await startTemporalDevServer({ port: await findFreePort() });
    temporalAddress = temporal.address;
    stopTemporal = () => temporal.stop();
  }
  const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } });
  await mkdir('.data', { recursive: true });
  const workflowBundlePath = join(process.cwd(), '.data', `workflow-bundle-${process.pid}.js`);
  await writeFile(workflowBundlePath, bundle.code);
  project.provide('temporalAddress', temporalAddress);
  project.provide('workflowBundlePath', workflowBundlePath);

  return async () => {
    await stopTemporal();
    await rm(workflowBundlePath, { force: true });
    await adminQuery(adminUrl, `drop database if exists ${quoteIdent(template)}`).catch(() => undefined);
    await stopServer();
  };
}
