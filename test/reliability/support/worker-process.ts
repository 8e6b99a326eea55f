// Entry point of a booking worker in a child process, so a test can SIGKILL it mid-work.
// Configured by environment: DATABASE_URL, TEMPORAL_ADDRESS, TASK_QUEUE, WORKFLOW_BUNDLE
// and NOTIFICATIONS_FILE. Prints "ready" once the worker is polling; SIGTERM shuts it down.
import { NativeConnection } from '@temporalio/worker';
import { openOrm } from '../../../src/db/orm';
import { createBookingWorker } from '../../../src/app/booking-worker';
import { FileNotifier } from './file-notifier';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const orm = await openOrm(required('DATABASE_URL'));
const connection = await NativeConnection.connect({ address: required('TEMPORAL_ADDRESS') });
const worker = await createBookingWorker({
  connection,
  taskQueue: required('TASK_QUEUE'),
  orm,
  notifier: new FileNotifier(required('NOTIFICATIONS_FILE')),
  workflowBundlePath: required('WORKFLOW_BUNDLE'),
});
process.once('SIGTERM', () => worker.shutdown());
const running = worker.run();
process.stdout.write('ready\n');
await running;
await connection.close();
await orm.close();
