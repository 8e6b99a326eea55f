// A trainer, a client and the credit ledger on a fixed clock, with builders for packs, pack
// purchases and bookings: what the ledger tests share. Bookings are written directly (a
// request and a CONFIRMED booking row), as the reservation service would have inserted them,
// so the ledger is tested on its own; its wiring into the reservation is tested there.
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { Booking, type Trainer, type User } from '../../../src/db/entities';
import { createCreditLedger, type CreditLedger, type PackageTypeRecord, type RecordedPayment } from '../../../src/credits';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../../src/domain/time';
import type { BookingRowStatus } from '../../../src/domain/statuses';
import type { TestDatabase } from '../../support/database';
import { createClient, createRequest, createTrainer } from '../../support/fixtures';

/** The ledger's clock in these tests: fixed, so the calendar below is always ahead of "now" whatever day the suite runs. */
export const NOW = new Date('2027-03-10T08:00:00Z');
export const clock = (): Date => NOW;

/** A start `days` after NOW at 09:00 UTC plus `hours` (every booking of a world gets its own hour). */
export const startAt = (days: number, hours = 0): Date => new Date(Date.UTC(2027, 2, 10 + days, 9 + hours));

export interface CreditWorld {
  em: EntityManager;
  ledger: CreditLedger;
  trainer: Trainer;
  client: User;
  trainerName: string;
  clientName: string;
  /** A pack of this trainer's: 10 × 60 min for €700.00, valid 90 days, unless overridden. */
  pack(overrides?: Partial<{ name: string; sessions: number; sessionMinutes: number; priceMinor: bigint; currency: string; validityDays: number }>): Promise<PackageTypeRecord>;
  /** The client buys the pack (a manual cash payment at its price). */
  buy(pack: PackageTypeRecord, options?: { client?: User; idempotencyKey?: string }): Promise<RecordedPayment>;
  /** A CONFIRMED booking of the client (or another) with the trainer at `start`. */
  booking(start: Date, options?: { durationMinutes?: number; client?: User }): Promise<Booking>;
  /** Sets a booking's status, as a cancel or an outcome would. */
  setStatus(bookingId: number, status: BookingRowStatus): Promise<void>;
  /** The lot's available credits as stored. */
  available(lotId: number): Promise<number>;
}

export async function createCreditWorld(db: TestDatabase, options: { clock?: () => Date; ledger?: CreditLedger } = {}): Promise<CreditWorld> {
  const em = db.orm.em.fork();
  const trainer = await createTrainer(em);
  const client = await createClient(em);
  await em.populate(trainer, ['user']);
  const ledger = options.ledger ?? createCreditLedger(db.orm, options.clock ?? clock);
  let packs = 0;
  return {
    em,
    ledger,
    trainer,
    client,
    trainerName: trainer.user.fullName,
    clientName: client.fullName,
    async pack(overrides = {}) {
      packs += 1;
      return ledger.packageTypes.create({
        trainerId: trainer.id,
        name: overrides.name ?? `Pack ${packs} ${randomBytes(2).toString('hex')}`,
        sessions: overrides.sessions ?? 10,
        sessionMinutes: overrides.sessionMinutes ?? 60,
        priceMinor: overrides.priceMinor ?? 70_000n,
        currency: overrides.currency ?? 'EUR',
        validityDays: overrides.validityDays ?? 90,
      });
    },
    async buy(pack, buyOptions = {}) {
      const buyer = buyOptions.client ?? client;
      return ledger.recordPayment({
        trainerId: trainer.id,
        clientId: buyer.id,
        recordedBy: trainer.user.id,
        amountMinor: pack.priceMinor,
        currency: pack.currency,
        method: 'CASH',
        packageTypeId: pack.id,
        ...(buyOptions.idempotencyKey ? { idempotencyKey: buyOptions.idempotencyKey } : {}),
      });
    },
    async booking(start, bookingOptions = {}) {
      const fork = db.orm.em.fork();
      const who = bookingOptions.client ?? client;
      const durationMinutes = bookingOptions.durationMinutes ?? 60;
      const request = await createRequest(fork, trainer, who, { durationMinutes, expiresAt: new Date(NOW.getTime() + DAY_MS) });
      const booking = fork.create(Booking, {
        bookingRequest: request,
        client: who,
        trainer,
        sessionType: 'Strength Training',
        durationMinutes,
        startTime: start,
        endTime: new Date(start.getTime() + durationMinutes * MINUTE_MS),
        pricePerHour: 60,
        totalCost: durationMinutes,
        status: 'CONFIRMED',
      });
      await fork.flush();
      return booking;
    },
    async setStatus(bookingId, status) {
      await db.orm.em.fork().nativeUpdate(Booking, bookingId, { status });
    },
    async available(lotId) {
      const [row] = await db.orm.em.fork().execute<{ available: number }[]>('select available from credit_lot where id = ?', [lotId]);
      return row!.available;
    },
  };
}

export { HOUR_MS };
