import type { MikroORM } from '@mikro-orm/postgresql';
import { createCreditLedger, type CreditLedger } from '../../src/credits/ledger';
import type { Notifier } from '../../src/notifications/notification';
import type { WorkflowTimings } from '../../workflows/contract';
import { createTestDatabase, type TestDatabase } from './database';
import { RecordingNotifier } from './recording-notifier';
import { startBookingWorker, type RunningBookingWorker } from './temporal';

export interface BookingStack<N extends Notifier = RecordingNotifier> {
  db: TestDatabase;
  orm: MikroORM;
  notifier: N;
  /** The credit ledger over the same database (the worker has its own): packs, payments, balances. */
  ledger: CreditLedger;
  /** The running worker: `bookings` (the booking client), `client` (Temporal), `worker`. */
  running: RunningBookingWorker;
  bookings: RunningBookingWorker['bookings'];
  /** Stops the worker, then drops the database. */
  stop(): Promise<void>;
}

export interface BookingStackOptions<N extends Notifier> {
  /** The notifier, or how to make it from the database (a ChatNotifier needs the ORM); a RecordingNotifier by default. */
  notifier?: N | ((db: TestDatabase) => N);
  timings?: Partial<WorkflowTimings>;
}

/**
 * The integration setup most test files share: a fresh migrated database of their own and
 * a real booking worker on the run's Temporal server, on its own task queue.
 */
export async function startBookingStack<N extends Notifier = RecordingNotifier>(options: BookingStackOptions<N> = {}): Promise<BookingStack<N>> {
  const db = await createTestDatabase();
  const given = options.notifier;
  const notifier = (typeof given === 'function' ? given(db) : (given ?? new RecordingNotifier())) as N;
  let running: RunningBookingWorker;
  try {
    running = await startBookingWorker({ db, notifier, ...(options.timings ? { timings: options.timings } : {}) });
  } catch (error) {
    await db.drop();
    throw error;
  }
  return {
    db,
    orm: db.orm,
    notifier,
    ledger: createCreditLedger(db.orm),
    running,
    bookings: running.bookings,
    async stop() {
      await running.stop();
      await db.drop();
    },
  };
}
