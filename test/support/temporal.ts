import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { CreditNotifier, Notifier } from '../../src/notifications/notification';
import { createBookingClient, type BookingClient } from '../../src/temporal/booking-client';
import { createBookingWorker } from '../../src/app/booking-worker';
import { installTemporalLogging } from '../../src/temporal/runtime-logging';
import type { WorkflowTimings } from '../../workflows/contract';
import type { TestDatabase } from './database';

export interface RunningBookingWorker {
  bookings: BookingClient;
  client: Client;
  taskQueue: string;
  worker: Worker;
  stop(): Promise<void>;
}

/**
 * A real worker on the run's Temporal server, on a task queue of its own, with the
 * test file's database and notifier.
 */
export async function startBookingWorker(options: {
  db: TestDatabase;
  notifier: Notifier & Partial<CreditNotifier>;
  timings?: Partial<WorkflowTimings>;
  connection?: { native: NativeConnection; client: Client };
}): Promise<RunningBookingWorker> {
  installTemporalLogging();
  const address = inject('temporalAddress');
  const native = options.connection?.native ?? (await NativeConnection.connect({ address }));
  const client = options.connection?.client ?? new Client({ connection: await Connection.connect({ address }) });
  const taskQueue = `test-${randomBytes(5).toString('hex')}`;
  const worker = await createBookingWorker({ connection: native, taskQueue, orm: options.db.orm, notifier: options.notifier, workflowBundlePath: inject('workflowBundlePath') });
  const running = worker.run();
  return {
    bookings: createBookingClient({ client, orm: options.db.orm, taskQueue, timings: options.timings }),
    client,
    taskQueue,
    worker,
    async stop() {
      worker.shutdown();
      await running;
      if (!options.connection) {
        await native.close();
        await client.connection.close();
      }
    },
  };
}
