import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { createCreditLedger, type CreditLedger, type RecordedPayment, type RecordPaymentInput } from '../credits/ledger';
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
  /** The credit ledger the reads use (issue 13); one over `orm` when absent. Payments are recorded through `bookings.recordPayment`, which starts each pack's workflow. */
  credits?: CreditLedger;
}

/** What the credit routes use: the ledger, and how a payment is recorded. */
export interface CreditDeps {
  ledger: CreditLedger;
  /** Records a payment (a pack's creates its lot) and starts the pack's workflow (`credit-lot-<lotId>`, null for a session's payment). */
  recordPayment: (input: RecordPaymentInput) => Promise<RecordedPayment & { workflowId: string | null }>;
}

export function creditDepsOf(deps: ApiDeps): CreditDeps {
  return { ledger: deps.credits ?? createCreditLedger(deps.orm), recordPayment: (input) => deps.bookings.recordPayment(input) };
}
