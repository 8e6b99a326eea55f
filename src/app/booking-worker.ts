import type { MikroORM } from '@mikro-orm/postgresql';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { createActivities } from '../../activities/booking-activities';
import type { Notifier } from '../notifications/notification';
import { createReservationService } from '../reservation/reservation-service';
import { installTemporalLogging } from '../temporal/runtime-logging';

/** The workflow bundle's entry point, compiled by the worker's bundler. */
export const WORKFLOWS_PATH = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

export interface BookingWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  orm: MikroORM;
  notifier: Notifier;
  /** A pre-built bundle (tests build it once); otherwise bundled from WORKFLOWS_PATH. */
  workflowBundlePath?: string;
}

/** A worker that runs booking workflows and their activities, with real dependencies. */
export async function createBookingWorker(options: BookingWorkerOptions): Promise<Worker> {
  installTemporalLogging();
  const activities = createActivities({ orm: options.orm, reservations: createReservationService(options.orm), notifier: options.notifier });
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue,
    ...(options.workflowBundlePath ? { workflowBundle: { codePath: options.workflowBundlePath } } : { workflowsPath: WORKFLOWS_PATH }),
    activities,
  });
}
