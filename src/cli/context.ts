import type { MikroORM } from '@mikro-orm/postgresql';
import type { BookingClient } from '../temporal/booking-client';

/**
 * What commands use: the database and the booking workflows, opened only when a command
 * needs them (listing users needs no Temporal), and where output goes.
 */
export interface CliContext {
  orm(): Promise<MikroORM>;
  bookings(): Promise<BookingClient>;
  /** One line of output for the operator (stdout). */
  print(line: string): void;
}

/** Bad input from the operator: shown as one sentence, exit code 1, no stack trace. */
export class CliInputError extends Error {
  override name = 'CliInputError';
}
