import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { BookingClient } from '../temporal/booking-client';
import type { ApiConfig } from './api-config';

/** What the API runs on: the database, the booking workflows, and its own settings. */
export interface ApiDeps {
  orm: MikroORM;
  bookings: BookingClient;
  /** For the readiness check (is Temporal reachable). */
  temporalClient: Client;
  config: ApiConfig;
  /** How long POST /booking-requests/ waits for the new workflow to store the request. */
  startWaitMs?: number;
}
