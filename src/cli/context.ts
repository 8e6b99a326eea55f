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
  /** Where people reach the API, for links (PUBLIC_BASE_URL, else http://API_HOST:API_PORT); the default address when absent. */
  publicBaseUrl?: string;
}

/** Bad input from the operator: shown as one sentence, exit code 1, no stack trace. */
export class CliInputError extends Error {
  override name = 'CliInputError';
}
