import type { MikroORM } from '@mikro-orm/postgresql';
import { Client } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { createActivities } from '../../activities/booking-activities';
import { createCreditLedger } from '../credits/ledger';
import type { CreditNotifier, Notifier } from '../notifications/notification';
import { createReservationService } from '../reservation/reservation-service';
import { createSeriesReservation } from '../reservation/series-reservation';
import { createBookingClient } from '../temporal/booking-client';
import { installTemporalLogging } from '../temporal/runtime-logging';

/** The workflow bundle's entry point, compiled by the worker's bundler. */
export const WORKFLOWS_PATH = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

export interface BookingWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  orm: MikroORM;
  /** Booking notifications; pack notices (issue 13) too when it implements `notifyCredits`. */
  notifier: Notifier & Partial<CreditNotifier>;
  /** A pre-built bundle (tests build it once); otherwise bundled from WORKFLOWS_PATH. */
  workflowBundlePath?: string;
}

/**
 * A worker that runs booking workflows and their activities, with real dependencies. A
 * client over the worker's own connection tells a trainer's pending requests (on this task
 * queue) when a cancel frees time.
 */
export async function createBookingWorker(options: BookingWorkerOptions): Promise<Worker> {
  installTemporalLogging();
  const namespace = options.namespace ?? 'default';
  const bookings = createBookingClient({ client: new Client({ connection: options.connection, namespace }), orm: options.orm, taskQueue: options.taskQueue });
  // One credit ledger for the reservation (approve, cancel, reschedule), the series and the activities (outcome, a pack's expiry).
  const ledger = createCreditLedger(options.orm);
  const activities = createActivities({
    orm: options.orm,
    reservations: createReservationService(options.orm, undefined, ledger),
    series: createSeriesReservation(options.orm, undefined, ledger),
    ledger,
    notifier: options.notifier,
    announce: (change) => bookings.availabilityChanged(change),
  });
  return Worker.create({
    connection: options.connection,
    namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundlePath ? { workflowBundle: { codePath: options.workflowBundlePath } } : { workflowsPath: WORKFLOWS_PATH }),
    activities,
  });
}
