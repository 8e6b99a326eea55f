/**
 * The credit ledger (issue 13; design in ./README.md): packs, recorded payments, and the
 * append-only entries that move credits. Reservations and settlements run INSIDE the
 * caller's transaction (the reservation's, the cancel's, the outcome's), so a booking and
 * its credit commit or roll back together; the rest opens its own.
 *
 * What the database guarantees whatever this code does (src/db/entities/credit-*.ts):
 * `credit_lot.available` is the sum of its entries' deltas and never below 0 (check
 * `credit_lot_available_bounds`, kept by the trigger `credit_entry_apply`), entries are never
 * updated or deleted, a booking holds at most one RESERVE and is settled at most once, and a
 * settlement needs a RESERVE of the same booking in the same lot. What this code adds: the
 * choice of lot (earliest expiry first), locks in lot id order so concurrent reservations
 * queue instead of deadlocking, and idempotent answers for retries.
 *
 * Plain SQL on the transaction's connection, as in src/reservation/: this is part of the
 * reservation's hot path.
 */
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { type CreditEntryKind, type CreditLotView, type CreditNeed, type PackageOffer, type PaymentMethod, type Settlement } from '../domain/credits/credits';
import { CreditInputError, NoCreditError } from '../domain/credits/errors';
import { normalizeCurrency } from '../domain/credits/money';
import { checkPackageType, checkPackPayment, checkPayment, chooseLot, packsCovering, planCoverage, type CreditInputProblem } from '../domain/credits/rules';
import { creditWording } from '../domain/credits/wording';
import { InvalidRequestError, NotFoundError } from '../domain/errors';
import { DAY_MS } from '../domain/time';
import { logger } from '../logger';
import { constraintOf, isDriverCode, UNIQUE_VIOLATION } from '../reservation/slot-locks';
import { manualProvider, type PaymentProvider } from './payment-provider';

type When = Date | string;
const toDate = (value: When): Date => new Date(value);

// ---- What the ledger returns ------------------------------------------------------------

export interface CreditReservation {
  entryId: number;
  lotId: number;
  bookingId: number;
  /** True when the booking already held its credit (a retry): nothing was written. */
  alreadyReserved: boolean;
  /** Credits still available to this client with this trainer for a session like this one (for "uses 1 credit (4 left)"). */
  left: number;
}

export interface CreditSettlement {
  entryId: number;
  lotId: number;
  bookingId: number;
  kind: 'RELEASE' | 'CONSUME';
  /** True when the booking was already settled (a retry, or a second outcome): nothing was written; `kind` is the first settlement's. */
  alreadySettled: boolean;
  /** Credits expired at once because the credit came back into a lot past its expiry. */
  expired: number;
}

export interface LotBalance {
  lotId: number;
  packageTypeId: number;
  packageName: string;
  sessions: number;
  sessionMinutes: number;
  /** Credits free to book with (0 once the lot expired and its rest was written off). */
  available: number;
  /** Credits held by booked sessions that have not ended yet. */
  reserved: number;
  purchasedAt: Date;
  expiresAt: Date;
  expired: boolean;
}

export interface CreditBalance {
  clientId: number;
  clientName: string;
  trainerId: number;
  trainerName: string;
  /** Credits free to book with in lots that have not expired. */
  available: number;
  reserved: number;
  /** The earliest expiry among lots with credits free to book with. */
  nextExpiry: Date | null;
  lots: LotBalance[];
}

export interface LedgerEntry {
  id: number;
  lotId: number;
  clientId: number;
  trainerId: number;
  kind: CreditEntryKind;
  delta: number;
  bookingId: number | null;
  note: string | null;
  createdAt: Date;
  sessionMinutes: number;
  /** The booked session's start (RESERVE, RELEASE, CONSUME). */
  sessionStart: Date | null;
}

export interface LowOrExpiring {
  clientId: number;
  clientName: string;
  available: number;
  reserved: number;
  /** Credits free to book with that expire within the window. */
  expiring: number;
  /** When the first of those expire. */
  expiresAt: Date | null;
  reasons: ('low' | 'expiring')[];
}

export interface PackageTypeRecord extends PackageOffer {
  trainerId: number;
  active: boolean;
  createdAt: Date;
}

export interface RecordPaymentInput {
  trainerId: number;
  clientId: number;
  /** The trainer's or admin's user id (who may record is the door's decision). */
  recordedBy: number;
  amountMinor: bigint;
  /** ISO 4217; case does not matter ("eur"). */
  currency: string;
  method: PaymentMethod;
  reference?: string | null;
  /** Exactly one of these: a pack (creates a lot of credits) or one booked session. */
  packageTypeId?: number | null;
  bookingId?: number | null;
  /** A PaymentProvider's name; 'manual' by default. */
  provider?: string;
  /** The caller's key for this payment: a retry with the same key records nothing new. */
  idempotencyKey?: string | null;
  /** A pack's payment must be its price unless this says the different amount is meant (a discount). */
  priceOverride?: boolean;
}

export interface RecordedPayment {
  paymentId: number;
  provider: string;
  providerRef: string | null;
  amountMinor: bigint;
  currency: string;
  method: PaymentMethod;
  packageTypeId: number | null;
  bookingId: number | null;
  /** The lot a pack's payment bought, with its PURCHASE entry. */
  lot: { lotId: number; sessions: number; sessionMinutes: number; expiresAt: Date; purchaseEntryId: number } | null;
  /** True when this payment was already recorded (same provider reference): nothing new was written. */
  alreadyRecorded: boolean;
  /** The confirmation a person reads. */
  sentence: string;
}

export interface ReserveInput {
  bookingId: number;
  clientId: number;
  trainerId: number;
  durationMinutes: number;
  start: Date;
}

export interface SettleInput {
  bookingId: number;
  outcome: Settlement;
  note?: string | null;
}

// ---- Rows ---------------------------------------------------------------------------------

interface LotRow {
  id: number;
  client_id: number;
  trainer_id: number;
  session_minutes: number;
  expires_at: When;
  available: number;
}

interface PackageRow {
  id: number;
  trainer_id: number;
  name: string;
  sessions: number;
  session_minutes: number;
  price_minor: string;
  currency: string;
  validity_days: number;
  active: boolean;
  created_at: When;
}

const lotView = (row: LotRow): CreditLotView => ({
  id: row.id,
  clientId: row.client_id,
  trainerId: row.trainer_id,
  sessionMinutes: row.session_minutes,
  expiresAt: toDate(row.expires_at),
  available: row.available,
});

const packageRecord = (row: PackageRow): PackageTypeRecord => ({
  id: row.id,
  trainerId: row.trainer_id,
  name: row.name,
  sessions: row.sessions,
  sessionMinutes: row.session_minutes,
  priceMinor: BigInt(row.price_minor),
  currency: row.currency,
  validityDays: row.validity_days,
  active: row.active,
  createdAt: toDate(row.created_at),
});

const PACKAGE_COLUMNS = 'id, trainer_id, name, sessions, session_minutes, price_minor::text as price_minor, currency, validity_days, active, created_at';

const inputError = (problem: CreditInputProblem): CreditInputError => new CreditInputError(problem);

/** Reads and locks (FOR UPDATE, in id order) the client's lots with this trainer that could pay for the session. */
async function lockFittingLots(tx: EntityManager, need: CreditNeed): Promise<LotRow[]> {
  return tx.execute<LotRow[]>(
    `select id, client_id, trainer_id, session_minutes, expires_at, available from credit_lot
      where client_id = ? and trainer_id = ? and session_minutes >= ? and expires_at >= ? and available > 0
      order by id for update`,
    [need.clientId, need.trainerId, need.durationMinutes, need.start],
  );
}

async function findEntry(tx: EntityManager, bookingId: number, kinds: readonly CreditEntryKind[]): Promise<{ id: number; lot_id: number; kind: CreditEntryKind } | undefined> {
  const [row] = await tx.execute<{ id: number; lot_id: number; kind: CreditEntryKind }[]>(
    `select id, lot_id, kind from credit_entry where booking_id = ? and kind in (${kinds.map(() => '?').join(', ')}) order by id limit 1`,
    [bookingId, ...kinds],
  );
  return row;
}

/** Credits available to the client with the trainer for a session of this length at this start (no locks). */
async function creditsLeft(tx: EntityManager, need: CreditNeed): Promise<number> {
  const [row] = await tx.execute<{ left: number | null }[]>(
    `select coalesce(sum(available), 0)::int as left from credit_lot where client_id = ? and trainer_id = ? and session_minutes >= ? and expires_at >= ?`,
    [need.clientId, need.trainerId, need.durationMinutes, need.start],
  );
  return Number(row?.left ?? 0);
}

async function activePackages(em: EntityManager, trainerId: number): Promise<PackageTypeRecord[]> {
  const rows = await em.execute<PackageRow[]>(`select ${PACKAGE_COLUMNS} from package_type where trainer_id = ? and active order by session_minutes, price_minor, name`, [trainerId]);
  return rows.map(packageRecord);
}

async function namesOf(em: EntityManager, clientId: number, trainerId: number): Promise<{ clientName: string; trainerName: string }> {
  const [row] = await em.execute<{ client_name: string | null; trainer_name: string | null }[]>(
    `select (select full_name from app_user where id = ?) as client_name,
            (select u.full_name from trainer t join app_user u on u.id = t.user_id where t.id = ?) as trainer_name`,
    [clientId, trainerId],
  );
  return { clientName: row?.client_name ?? 'The client', trainerName: row?.trainer_name ?? 'the trainer' };
}

/** The NoCreditError for one session or a series: the trainer's packs that cover it, in both people's words. */
export async function noCreditIn(em: EntityManager, needs: readonly CreditNeed[], available: number): Promise<NoCreditError> {
  return noCreditError(em, needs, available);
}

/**
 * Whether the client's lots could pay for these sessions now, without reserving
 * (`planCoverage`), read through `em` (a door's own EntityManager or a transaction).
 */
export async function coverageIn(em: EntityManager, clientId: number, trainerId: number, durationMinutes: number, starts: readonly Date[]): Promise<{ covered: number; uncovered: Date[] }> {
  const lots = await em.execute<LotRow[]>(`select id, client_id, trainer_id, session_minutes, expires_at, available from credit_lot where client_id = ? and trainer_id = ? and available > 0`, [
    clientId,
    trainerId,
  ]);
  const plan = planCoverage(
    lots.map(lotView),
    starts.map((start) => ({ clientId, trainerId, durationMinutes, start })),
  );
  return { covered: plan.covered.length, uncovered: plan.uncovered.map((need) => need.start) };
}

async function noCreditError(em: EntityManager, needs: readonly CreditNeed[], available: number): Promise<NoCreditError> {
  const first = needs[0]!;
  const durationMinutes = Math.max(...needs.map((need) => need.durationMinutes));
  const { clientName, trainerName } = await namesOf(em, first.clientId, first.trainerId);
  const offers = packsCovering(await activePackages(em, first.trainerId), durationMinutes);
  const words = (who?: string): string =>
    needs.length === 1
      ? creditWording.noCredit({ ...(who === undefined ? {} : { clientName: who }), trainerName, durationMinutes, offers })
      : creditWording.notEnoughForSeries({ ...(who === undefined ? {} : { clientName: who }), trainerName, durationMinutes, needed: needs.length, available, offers });
  return new NoCreditError(words(), words(clientName), { clientId: first.clientId, trainerId: first.trainerId, durationMinutes, starts: needs.map((need) => need.start) }, { needed: needs.length, available });
}

/** Writes off what is left in a lot past its expiry (one EXPIRE entry); the lot must be locked by the caller. Returns the credits expired. */
async function expireLot(tx: EntityManager, lotId: number, now: Date, note: string): Promise<number> {
  const rows = await tx.execute<{ delta: number }[]>(
    `insert into credit_entry (lot_id, client_id, trainer_id, kind, delta, booking_id, note, created_at)
     select id, client_id, trainer_id, 'EXPIRE', -available, null, ?, ? from credit_lot where id = ? and available > 0 and expires_at < ?
     returning delta`,
    [note, now, lotId, now],
  );
  return rows.reduce((sum, row) => sum - row.delta, 0);
}

export function createCreditLedger(orm: MikroORM, clock: () => Date = () => new Date(), providers: readonly PaymentProvider[] = [manualProvider]) {
  const providerNamed = (name: string): PaymentProvider => {
    const provider = providers.find((candidate) => candidate.name === name);
    if (!provider) throw inputError({ field: 'provider', sentence: `There is no payment provider "${name}".` });
    return provider;
  };

  /**
   * Reserves one credit for a booking, inside the caller's transaction (the one that
   * inserted the booking): locks the client's fitting lots in id order, takes the one that
   * expires first (`chooseLot`) and inserts its RESERVE. A booking that already holds a
   * credit gets that one back (`alreadyReserved`), also when a concurrent twin reserved it
   * first. Throws NoCreditError — having written nothing — when no lot can pay.
   */
  async function reserveForBooking(tx: EntityManager, input: ReserveInput): Promise<CreditReservation> {
    const need: CreditNeed = { clientId: input.clientId, trainerId: input.trainerId, durationMinutes: input.durationMinutes, start: input.start };
    const describeExisting = async (entry: { id: number; lot_id: number }): Promise<CreditReservation> => ({
      entryId: entry.id,
      lotId: entry.lot_id,
      bookingId: input.bookingId,
      alreadyReserved: true,
      left: await creditsLeft(tx, need),
    });
    const existing = await findEntry(tx, input.bookingId, ['RESERVE']);
    if (existing) return describeExisting(existing);
    const lots = await lockFittingLots(tx, need);
    // A statement of its own after the locks: a twin that reserved for this booking meanwhile has committed.
    const twin = await findEntry(tx, input.bookingId, ['RESERVE']);
    if (twin) return describeExisting(twin);
    const lot = chooseLot(lots.map(lotView), need);
    if (!lot) throw await noCreditError(tx, [need], 0);
    const [entry] = await tx.execute<{ id: number }[]>(
      `insert into credit_entry (lot_id, client_id, trainer_id, kind, delta, booking_id, note, created_at)
       values (?, ?, ?, 'RESERVE', -1, ?, null, ?) on conflict do nothing returning id`,
      [lot.id, input.clientId, input.trainerId, input.bookingId, clock()],
    );
    if (!entry) {
      const other = await findEntry(tx, input.bookingId, ['RESERVE']);
      if (other) return describeExisting(other);
      throw new Error(`credit_entry: the RESERVE of booking ${input.bookingId} was refused without a twin`);
    }
    const left = lots.reduce((sum, row) => sum + row.available, 0) - 1;
    logger.debug({ bookingId: input.bookingId, lotId: lot.id, left }, `Booking ${input.bookingId} holds a credit of lot ${lot.id}`);
    return { entryId: entry.id, lotId: lot.id, bookingId: input.bookingId, alreadyReserved: false, left };
  }

  /**
   * One credit for each booking of a series, all or nothing, inside the caller's
   * transaction: the client's lots must cover every session (`planCoverage`, sessions in
   * time order), else NoCreditError names how many they cover and nothing is written. The
   * reservations run under a SAVEPOINT, so a shortfall found only under the locks (a
   * concurrent booking took a credit meanwhile) also leaves nothing behind and the caller's
   * transaction usable. Bookings already holding a credit keep it. For AVAILABLE_ONLY series,
   * call `reserveForBooking` per occurrence under the occurrence's own savepoint instead.
   */
  async function reserveForBookings(tx: EntityManager, inputs: readonly ReserveInput[]): Promise<CreditReservation[]> {
    if (inputs.length === 0) return [];
    const first = inputs[0]!;
    if (inputs.some((input) => input.clientId !== first.clientId || input.trainerId !== first.trainerId)) {
      throw new InvalidRequestError('The sessions of one credit reservation are between one client and one trainer.');
    }
    const inOrder = [...inputs].sort((a, b) => a.start.getTime() - b.start.getTime());
    const needs: CreditNeed[] = inOrder.map((input) => ({ clientId: input.clientId, trainerId: input.trainerId, durationMinutes: input.durationMinutes, start: input.start }));
    const reserved = new Set(
      (await tx.execute<{ booking_id: number }[]>(`select booking_id from credit_entry where kind = 'RESERVE' and booking_id in (${inOrder.map(() => '?').join(', ')})`, inOrder.map((input) => input.bookingId))).map(
        (row) => row.booking_id,
      ),
    );
    const open = needs.filter((_, i) => !reserved.has(inOrder[i]!.bookingId));
    const lots = await tx.execute<LotRow[]>(`select id, client_id, trainer_id, session_minutes, expires_at, available from credit_lot where client_id = ? and trainer_id = ? and available > 0`, [
      first.clientId,
      first.trainerId,
    ]);
    const plan = planCoverage(lots.map(lotView), open);
    if (plan.uncovered.length > 0) throw await noCreditError(tx, needs, needs.length - plan.uncovered.length);

    await tx.execute('savepoint credit_reservations', [], 'run');
    const results: CreditReservation[] = [];
    try {
      for (const input of inOrder) results.push(await reserveForBooking(tx, input));
      await tx.execute('release savepoint credit_reservations', [], 'run');
    } catch (error) {
      await tx.execute('rollback to savepoint credit_reservations', [], 'run');
      if (error instanceof NoCreditError) throw await noCreditError(tx, needs, results.filter((result) => !result.alreadyReserved).length + reserved.size);
      throw error;
    }
    return results;
  }

  /**
   * Ends a booking's hold on its credit, inside the caller's transaction (the one that
   * cancels the booking or records its outcome): RELEASE gives it back (+1), CONSUME uses it
   * (0). Idempotent: a booking settled before gets its first settlement back
   * (`alreadySettled`), a booking that never held a credit gets null. A credit given back
   * into a lot past its expiry is expired again at once.
   */
  async function settleBooking(tx: EntityManager, input: SettleInput): Promise<CreditSettlement | null> {
    const reserve = await findEntry(tx, input.bookingId, ['RESERVE']);
    if (!reserve) return null;
    const [lot] = await tx.execute<{ id: number; client_id: number; trainer_id: number; expires_at: When }[]>(
      'select id, client_id, trainer_id, expires_at from credit_lot where id = ? for update',
      [reserve.lot_id],
    );
    const describeExisting = (entry: { id: number; lot_id: number; kind: CreditEntryKind }): CreditSettlement => ({
      entryId: entry.id,
      lotId: entry.lot_id,
      bookingId: input.bookingId,
      kind: entry.kind as 'RELEASE' | 'CONSUME',
      alreadySettled: true,
      expired: 0,
    });
    // After the lock, in a statement of its own: a concurrent settlement has committed.
    const settled = await findEntry(tx, input.bookingId, ['RELEASE', 'CONSUME']);
    if (settled) return describeExisting(settled);
    const kind = input.outcome === 'release' ? 'RELEASE' : 'CONSUME';
    const now = clock();
    const [entry] = await tx.execute<{ id: number }[]>(
      `insert into credit_entry (lot_id, client_id, trainer_id, kind, delta, booking_id, note, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing returning id`,
      [lot!.id, lot!.client_id, lot!.trainer_id, kind, kind === 'RELEASE' ? 1 : 0, input.bookingId, input.note ?? null, now],
    );
    if (!entry) return describeExisting((await findEntry(tx, input.bookingId, ['RELEASE', 'CONSUME']))!);
    const expired = kind === 'RELEASE' && toDate(lot!.expires_at) < now ? await expireLot(tx, lot!.id, now, 'given back after the pack expired') : 0;
    logger.debug({ bookingId: input.bookingId, lotId: lot!.id, kind, expired }, `Booking ${input.bookingId}: credit ${kind === 'RELEASE' ? 'given back' : 'used'}`);
    return { entryId: entry.id, lotId: lot!.id, bookingId: input.bookingId, kind, alreadySettled: false, expired };
  }

  return {
    reserveForBooking,
    reserveForBookings,
    settleBooking,

    /** `settleBooking` in a transaction of its own, for a caller that has none (a repair, the CLI). */
    async settleBookingNow(input: SettleInput): Promise<CreditSettlement | null> {
      return orm.em.fork().transactional((tx) => settleBooking(tx, input));
    },

    /**
     * Whether the client's lots could pay for these sessions now, without reserving
     * (`planCoverage`): to tell a client before they ask ("8 of 10 covered").
     */
    async coverage(clientId: number, trainerId: number, durationMinutes: number, starts: readonly Date[]): Promise<{ covered: number; uncovered: Date[] }> {
      return coverageIn(orm.em.fork(), clientId, trainerId, durationMinutes, starts);
    },

    /** The NoCreditError a door shows before asking (a client without a usable credit and `creditToRequest`). */
    async noCredit(need: CreditNeed): Promise<NoCreditError> {
      return noCreditError(orm.em.fork(), [need], 0);
    },

    /**
     * Writes off the credits left in every lot past its expiry (`expires_at < now`): one
     * EXPIRE −available per lot (only lot `options.lotId` when given: its pack's workflow).
     * Idempotent and safe to run concurrently: each lot is locked and re-read, so a second
     * run finds nothing left. A credit given back later into an
     * expired lot is expired again (by `settleBooking` at once, or by the next run).
     */
    async expireLots(now: Date = clock(), options: { lotId?: number } = {}): Promise<{ lots: number; credits: number }> {
      return orm.em.fork().transactional(async (tx) => {
        const onlyLot = options.lotId === undefined ? '' : ' and id = ?';
        const rows = await tx.execute<{ lot_id: number; delta: number }[]>(
          `with due as (select id, client_id, trainer_id, available from credit_lot where expires_at < ? and available > 0${onlyLot} order by id for update)
           insert into credit_entry (lot_id, client_id, trainer_id, kind, delta, booking_id, note, created_at)
           select id, client_id, trainer_id, 'EXPIRE', -available, null, 'the pack expired', ? from due returning lot_id, delta`,
          options.lotId === undefined ? [now, now] : [now, options.lotId, now],
        );
        const credits = rows.reduce((sum, row) => sum - row.delta, 0);
        if (rows.length > 0) logger.info({ lots: rows.length, credits }, `Expired ${credits} unused credits in ${rows.length} lots`);
        return { lots: rows.length, credits };
      });
    },

    /**
     * Balances per client and trainer (either or both filters, or all): each lot with
     * credits free or held (every lot with `includeSpent`), totals over the lots that have
     * not expired, and the next expiry.
     */
    async balances(filter: { clientId?: number; trainerId?: number; includeSpent?: boolean; now?: Date } = {}): Promise<CreditBalance[]> {
      const now = filter.now ?? clock();
      const where: string[] = ['true'];
      const params: unknown[] = [];
      if (filter.clientId !== undefined) {
        where.push('l.client_id = ?');
        params.push(filter.clientId);
      }
      if (filter.trainerId !== undefined) {
        where.push('l.trainer_id = ?');
        params.push(filter.trainerId);
      }
      const rows = await orm.em.fork().execute<
        (LotRow & { package_type_id: number; package_name: string; sessions: number; purchased_at: When; reserved: number; client_name: string; trainer_name: string })[]
      >(
        `select l.id, l.client_id, l.trainer_id, l.session_minutes, l.expires_at, l.available, l.package_type_id, pt.name as package_name, l.sessions, l.purchased_at,
                cu.full_name as client_name, tu.full_name as trainer_name,
                (select count(*)::int from credit_entry r where r.lot_id = l.id and r.kind = 'RESERVE'
                    and not exists (select 1 from credit_entry s where s.booking_id = r.booking_id and s.kind in ('RELEASE', 'CONSUME'))) as reserved
           from credit_lot l join package_type pt on pt.id = l.package_type_id join app_user cu on cu.id = l.client_id
                join trainer t on t.id = l.trainer_id join app_user tu on tu.id = t.user_id
          where ${where.join(' and ')}
          order by l.client_id, l.trainer_id, l.expires_at, l.id`,
        params,
      );
      const balances = new Map<string, CreditBalance>();
      for (const row of rows) {
        const expiresAt = toDate(row.expires_at);
        const lot: LotBalance = {
          lotId: row.id,
          packageTypeId: row.package_type_id,
          packageName: row.package_name,
          sessions: row.sessions,
          sessionMinutes: row.session_minutes,
          available: row.available,
          reserved: Number(row.reserved),
          purchasedAt: toDate(row.purchased_at),
          expiresAt,
          expired: expiresAt < now,
        };
        if (!filter.includeSpent && lot.available === 0 && lot.reserved === 0) continue;
        const key = `${row.client_id}:${row.trainer_id}`;
        const balance = balances.get(key) ?? { clientId: row.client_id, clientName: row.client_name, trainerId: row.trainer_id, trainerName: row.trainer_name, available: 0, reserved: 0, nextExpiry: null, lots: [] };
        balances.set(key, balance);
        balance.lots.push(lot);
        balance.reserved += lot.reserved;
        if (!lot.expired && lot.available > 0) {
          balance.available += lot.available;
          if (balance.nextExpiry === null || expiresAt < balance.nextExpiry) balance.nextExpiry = expiresAt;
        }
      }
      return [...balances.values()];
    },

    /** Ledger entries, newest first: a client's (with one trainer), or one booking's (the booking's state). */
    async entries(filter: { clientId?: number; trainerId?: number; bookingId?: number; limit?: number }): Promise<LedgerEntry[]> {
      const where: string[] = [];
      const params: unknown[] = [];
      for (const [column, value] of [
        ['e.client_id', filter.clientId],
        ['e.trainer_id', filter.trainerId],
        ['e.booking_id', filter.bookingId],
      ] as const) {
        if (value === undefined) continue;
        where.push(`${column} = ?`);
        params.push(value);
      }
      if (where.length === 0) throw new InvalidRequestError('Name a client, a trainer or a booking to list ledger entries.');
      const limit = Math.min(Math.max(Math.trunc(filter.limit ?? 50), 1), 500);
      const rows = await orm.em.fork().execute<
        { id: number; lot_id: number; client_id: number; trainer_id: number; kind: CreditEntryKind; delta: number; booking_id: number | null; note: string | null; created_at: When; session_minutes: number; start_time: When | null }[]
      >(
        `select e.id, e.lot_id, e.client_id, e.trainer_id, e.kind, e.delta, e.booking_id, e.note, e.created_at, l.session_minutes, b.start_time
           from credit_entry e join credit_lot l on l.id = e.lot_id left join booking b on b.id = e.booking_id
          where ${where.join(' and ')} order by e.created_at desc, e.id desc limit ${limit}`,
        params,
      );
      return rows.map((row) => ({
        id: row.id,
        lotId: row.lot_id,
        clientId: row.client_id,
        trainerId: row.trainer_id,
        kind: row.kind,
        delta: row.delta,
        bookingId: row.booking_id,
        note: row.note,
        createdAt: toDate(row.created_at),
        sessionMinutes: row.session_minutes,
        sessionStart: row.start_time === null ? null : toDate(row.start_time),
      }));
    },

    /**
     * A trainer's clients who hold a pack that has not expired and either have at most
     * `atMost` credits free to book with ('low') or have credits expiring within `withinDays`
     * ('expiring'): for the trainer's list and the clients' reminders. Fewest credits first.
     */
    async lowOrExpiring(trainerId: number, options: { atMost?: number; withinDays?: number; now?: Date } = {}): Promise<LowOrExpiring[]> {
      const now = options.now ?? clock();
      const atMost = options.atMost ?? 1;
      const horizon = new Date(now.getTime() + (options.withinDays ?? 14) * DAY_MS);
      const rows = await orm.em.fork().execute<{ client_id: number; client_name: string; available: number; expiring: number; expires_at: When | null; reserved: number }[]>(
        `select l.client_id, u.full_name as client_name, sum(l.available)::int as available,
                sum(case when l.expires_at <= ? then l.available else 0 end)::int as expiring,
                min(case when l.available > 0 and l.expires_at <= ? then l.expires_at end) as expires_at,
                (select count(*)::int from credit_entry r join credit_lot rl on rl.id = r.lot_id
                  where rl.trainer_id = l.trainer_id and rl.client_id = l.client_id and r.kind = 'RESERVE'
                    and not exists (select 1 from credit_entry s where s.booking_id = r.booking_id and s.kind in ('RELEASE', 'CONSUME'))) as reserved
           from credit_lot l join app_user u on u.id = l.client_id
          where l.trainer_id = ? and l.expires_at >= ?
          group by l.client_id, l.trainer_id, u.full_name`,
        [horizon, horizon, trainerId, now],
      );
      return rows
        .map((row) => {
          const reasons: LowOrExpiring['reasons'] = [];
          if (row.available <= atMost) reasons.push('low');
          if (row.expiring > 0) reasons.push('expiring');
          return { clientId: row.client_id, clientName: row.client_name, available: row.available, reserved: row.reserved, expiring: row.expiring, expiresAt: row.expires_at === null ? null : toDate(row.expires_at), reasons };
        })
        .filter((row) => row.reasons.length > 0)
        .sort((a, b) => a.available - b.available || (a.expiresAt?.getTime() ?? Infinity) - (b.expiresAt?.getTime() ?? Infinity) || a.clientId - b.clientId);
    },

    /**
     * Records a payment (see RecordPaymentInput) through its PaymentProvider, which confirms
     * it before anything is written. A pack's payment creates the lot (valid `validity_days`
     * from now) and its PURCHASE entry in the same transaction. A provider reference already
     * recorded (a retry with the same idempotency key) returns the first recording.
     */
    async recordPayment(input: RecordPaymentInput): Promise<RecordedPayment> {
      const currency = normalizeCurrency(input.currency);
      if (currency === null) throw inputError({ field: 'currency', sentence: creditWording.unknownCurrency(input.currency) });
      const problem = checkPayment({ ...input, currency });
      if (problem) throw inputError(problem);
      const em = orm.em.fork();
      const { clientName } = await namesOf(em, input.clientId, input.trainerId);
      const [people] = await em.execute<{ client: number; trainer: number; recorder: number }[]>(
        `select (select count(*)::int from app_user where id = ?) as client, (select count(*)::int from trainer where id = ?) as trainer, (select count(*)::int from app_user where id = ?) as recorder`,
        [input.clientId, input.trainerId, input.recordedBy],
      );
      if (!people?.client) throw new NotFoundError('User', input.clientId);
      if (!people.trainer) throw new NotFoundError('Trainer', input.trainerId);
      if (!people.recorder) throw new NotFoundError('User', input.recordedBy);

      let pack: PackageTypeRecord | null = null;
      if (input.packageTypeId !== undefined && input.packageTypeId !== null) {
        const [row] = await em.execute<PackageRow[]>(`select ${PACKAGE_COLUMNS} from package_type where id = ?`, [input.packageTypeId]);
        if (!row) throw new NotFoundError('Package type', input.packageTypeId);
        pack = packageRecord(row);
        if (pack.trainerId !== input.trainerId) throw inputError({ field: 'package_type_id', sentence: creditWording.packNotTrainers() });
        const mismatch = checkPackPayment(pack, { amountMinor: input.amountMinor, currency, ...(input.priceOverride === undefined ? {} : { priceOverride: input.priceOverride }) });
        if (mismatch) throw inputError(mismatch);
      } else {
        const bookingId = input.bookingId!;
        const [booking] = await em.execute<{ client_id: number; trainer_id: number }[]>('select client_id, trainer_id from booking where id = ?', [bookingId]);
        if (!booking) throw new NotFoundError('Booking', bookingId);
        if (booking.client_id !== input.clientId || booking.trainer_id !== input.trainerId) throw inputError({ field: 'booking_id', sentence: creditWording.bookingNotBetween() });
      }

      const provider = providerNamed(input.provider ?? manualProvider.name);
      const purpose = pack ? { packageTypeId: pack.id } : { bookingId: input.bookingId! };
      const confirmation = await provider.confirm({
        trainerId: input.trainerId,
        clientId: input.clientId,
        amountMinor: input.amountMinor,
        currency,
        method: input.method,
        reference: input.reference ?? null,
        idempotencyKey: input.idempotencyKey ?? null,
        purpose,
      });
      const sentence = creditWording.paymentRecorded({ amountMinor: input.amountMinor, currency, method: input.method, clientName, ...(pack ? { pack } : {}) });

      const recorded = await em.fork().transactional(async (tx): Promise<RecordedPayment> => {
        const now = clock();
        const [payment] = await tx.execute<{ id: number }[]>(
          `insert into payment (client_id, trainer_id, amount_minor, currency, method, reference, recorded_by_id, package_type_id, booking_id, provider, provider_ref, created_at)
           values (?, ?, ?::bigint, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (provider, provider_ref) do nothing returning id`,
          [input.clientId, input.trainerId, input.amountMinor.toString(), currency, input.method, input.reference ?? null, input.recordedBy, pack?.id ?? null, pack ? null : input.bookingId!, provider.name, confirmation.providerRef, now],
        );
        if (!payment) return describePayment(tx, provider.name, confirmation.providerRef!, input, currency, sentence);
        if (!pack) {
          return { paymentId: payment.id, provider: provider.name, providerRef: confirmation.providerRef, amountMinor: input.amountMinor, currency, method: input.method, packageTypeId: null, bookingId: input.bookingId!, lot: null, alreadyRecorded: false, sentence };
        }
        const expiresAt = new Date(now.getTime() + pack.validityDays * DAY_MS);
        const [lot] = await tx.execute<{ id: number }[]>(
          `insert into credit_lot (client_id, trainer_id, package_type_id, payment_id, sessions, session_minutes, purchased_at, expires_at, available)
           values (?, ?, ?, ?, ?, ?, ?, ?, 0) returning id`,
          [input.clientId, input.trainerId, pack.id, payment.id, pack.sessions, pack.sessionMinutes, now, expiresAt],
        );
        const [purchase] = await tx.execute<{ id: number }[]>(
          `insert into credit_entry (lot_id, client_id, trainer_id, kind, delta, booking_id, note, created_at) values (?, ?, ?, 'PURCHASE', ?, null, ?, ?) returning id`,
          [lot!.id, input.clientId, input.trainerId, pack.sessions, pack.name, now],
        );
        logger.info({ paymentId: payment.id, lotId: lot!.id, clientId: input.clientId, trainerId: input.trainerId }, `Pack "${pack.name}" bought: ${pack.sessions} credits`);
        return {
          paymentId: payment.id,
          provider: provider.name,
          providerRef: confirmation.providerRef,
          amountMinor: input.amountMinor,
          currency,
          method: input.method,
          packageTypeId: pack.id,
          bookingId: null,
          lot: { lotId: lot!.id, sessions: pack.sessions, sessionMinutes: pack.sessionMinutes, expiresAt, purchaseEntryId: purchase!.id },
          alreadyRecorded: false,
          sentence,
        };
      });
      return recorded;
    },

    packageTypes: {
      /** A new pack of the trainer's (checked by `checkPackageType`; names unique per trainer). */
      async create(input: { trainerId: number; name: string; sessions: number; sessionMinutes: number; priceMinor: bigint; currency: string; validityDays: number }): Promise<PackageTypeRecord> {
        const currency = normalizeCurrency(input.currency) ?? input.currency;
        const draft = { ...input, name: input.name.trim(), currency };
        const problem = checkPackageType(draft);
        if (problem) throw inputError(problem);
        const em = orm.em.fork();
        const [trainer] = await em.execute<{ id: number }[]>('select id from trainer where id = ?', [input.trainerId]);
        if (!trainer) throw new NotFoundError('Trainer', input.trainerId);
        try {
          const [row] = await em.execute<PackageRow[]>(
            `insert into package_type (trainer_id, name, sessions, session_minutes, price_minor, currency, validity_days, active, created_at)
             values (?, ?, ?, ?, ?::bigint, ?, ?, true, ?) returning ${PACKAGE_COLUMNS}`,
            [input.trainerId, draft.name, draft.sessions, draft.sessionMinutes, draft.priceMinor.toString(), currency, draft.validityDays, clock()],
          );
          return packageRecord(row!);
        } catch (error) {
          if (isDriverCode(error, UNIQUE_VIOLATION) && constraintOf(error) === 'package_type_trainer_id_name_unique') throw inputError({ field: 'name', sentence: creditWording.duplicatePackName(draft.name) });
          throw error;
        }
      },
      /** The trainer's packs still sold (every one with `includeInactive`), shortest sessions and cheapest first. */
      async list(trainerId: number, options: { includeInactive?: boolean } = {}): Promise<PackageTypeRecord[]> {
        if (!options.includeInactive) return activePackages(orm.em.fork(), trainerId);
        const rows = await orm.em.fork().execute<PackageRow[]>(`select ${PACKAGE_COLUMNS} from package_type where trainer_id = ? order by active desc, session_minutes, price_minor, name`, [trainerId]);
        return rows.map(packageRecord);
      },
      async get(packageTypeId: number): Promise<PackageTypeRecord | null> {
        const [row] = await orm.em.fork().execute<PackageRow[]>(`select ${PACKAGE_COLUMNS} from package_type where id = ?`, [packageTypeId]);
        return row ? packageRecord(row) : null;
      },
      /** Stops selling a pack (lots already bought stay valid). Deactivating twice changes nothing. */
      async deactivate(trainerId: number, packageTypeId: number): Promise<PackageTypeRecord> {
        const [row] = await orm.em.fork().execute<PackageRow[]>(`update package_type set active = false where id = ? and trainer_id = ? returning ${PACKAGE_COLUMNS}`, [packageTypeId, trainerId]);
        if (!row) throw new NotFoundError('Package type', packageTypeId);
        return packageRecord(row);
      },
    },
  };
}

/** The payment a provider reference already recorded, checked to be the same payment. */
async function describePayment(tx: EntityManager, provider: string, providerRef: string, input: RecordPaymentInput, currency: string, sentence: string): Promise<RecordedPayment> {
  const [row] = await tx.execute<
    { id: number; client_id: number; trainer_id: number; amount_minor: string; currency: string; method: PaymentMethod; package_type_id: number | null; booking_id: number | null }[]
  >(
    `select id, client_id, trainer_id, amount_minor::text as amount_minor, currency, method, package_type_id, booking_id from payment where provider = ? and provider_ref = ?`,
    [provider, providerRef],
  );
  const same =
    row !== undefined &&
    row.client_id === input.clientId &&
    row.trainer_id === input.trainerId &&
    BigInt(row.amount_minor) === input.amountMinor &&
    row.currency === currency &&
    row.package_type_id === (input.packageTypeId ?? null) &&
    row.booking_id === (input.bookingId ?? null);
  if (!same) throw inputError({ field: 'idempotency_key', sentence: creditWording.keyReused() });
  const [lot] = await tx.execute<{ id: number; sessions: number; session_minutes: number; expires_at: When; purchase_id: number }[]>(
    `select l.id, l.sessions, l.session_minutes, l.expires_at, (select e.id from credit_entry e where e.lot_id = l.id and e.kind = 'PURCHASE') as purchase_id from credit_lot l where l.payment_id = ?`,
    [row.id],
  );
  return {
    paymentId: row.id,
    provider,
    providerRef,
    amountMinor: BigInt(row.amount_minor),
    currency: row.currency,
    method: row.method,
    packageTypeId: row.package_type_id,
    bookingId: row.booking_id,
    lot: lot ? { lotId: lot.id, sessions: lot.sessions, sessionMinutes: lot.session_minutes, expiresAt: toDate(lot.expires_at), purchaseEntryId: lot.purchase_id } : null,
    alreadyRecorded: true,
    sentence,
  };
}

export type CreditLedger = ReturnType<typeof createCreditLedger>;
