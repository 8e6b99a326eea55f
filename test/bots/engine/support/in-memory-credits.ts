import type { CreditBalance, LedgerEntry, LotBalance, LowOrExpiring, PackageTypeRecord, RecordedPayment, RecordPaymentInput } from '../../../../src/credits/ledger';
import type { NewPackageType } from '../../../../bots/engine/credits/port';
import type { ChatCredits } from '../../../../bots/engine/credits/port';
import type { CreditEntryKind } from '../../../../src/domain/credits/credits';
import { CreditInputError } from '../../../../src/domain/credits/errors';
import { normalizeCurrency } from '../../../../src/domain/credits/money';
import { checkPackageType, checkPackPayment, checkPayment } from '../../../../src/domain/credits/rules';
import { creditWording } from '../../../../src/domain/credits/wording';
import { NotFoundError } from '../../../../src/domain/errors';

const DAY_MS = 86_400_000;

interface Lot {
  id: number;
  clientId: number;
  trainerId: number;
  packageTypeId: number;
  sessions: number;
  sessionMinutes: number;
  purchasedAt: Date;
  expiresAt: Date;
  available: number;
}

interface StoredPayment {
  key: string | null;
  recorded: RecordedPayment;
  input: RecordPaymentInput;
}

/**
 * The credit ledger as the chat sees it, in memory: packs, lots, entries and payments with
 * the ledger's rules (src/domain/credits) and answers, for dialogue tests without
 * PostgreSQL. The real ledger is covered in test/credits and by the chat's integration test.
 */
export class InMemoryCredits implements ChatCredits {
  readonly packs: PackageTypeRecord[] = [];
  readonly lots: Lot[] = [];
  readonly ledger: LedgerEntry[] = [];
  readonly payments: StoredPayment[] = [];
  private ids = 7000;

  constructor(
    private readonly now: () => Date,
    private readonly names: { client(userId: number): string; trainer(trainerId: number): string },
  ) {}

  /** A pack for sale (EUR, 90 days unless given). */
  addPack(trainerId: number, fields: Partial<Omit<PackageTypeRecord, 'id' | 'trainerId'>> & { name: string; sessions: number; sessionMinutes: number; priceMinor: bigint }): PackageTypeRecord {
    const pack: PackageTypeRecord = { id: ++this.ids, trainerId, currency: 'EUR', validityDays: 90, active: true, createdAt: this.now(), ...fields };
    this.packs.push(pack);
    return pack;
  }

  /** A lot bought at `at` (its PURCHASE entry), as a recorded payment would make it. */
  buy(clientId: number, pack: PackageTypeRecord, at: Date = this.now()): Lot {
    const lot: Lot = { id: ++this.ids, clientId, trainerId: pack.trainerId, packageTypeId: pack.id, sessions: pack.sessions, sessionMinutes: pack.sessionMinutes, purchasedAt: at, expiresAt: new Date(at.getTime() + pack.validityDays * DAY_MS), available: 0 };
    this.lots.push(lot);
    this.write(lot, 'PURCHASE', pack.sessions, at, null, null);
    return lot;
  }

  /** A booked session holding a credit of the lot (RESERVE), and its end: `consume` uses it, `release` gives it back. */
  hold(lot: Lot, bookingId: number, sessionStart: Date, at: Date = this.now()): void {
    this.write(lot, 'RESERVE', -1, at, bookingId, sessionStart);
  }

  settle(lot: Lot, bookingId: number, outcome: 'consume' | 'release', at: Date = this.now()): void {
    const reserve = this.ledger.find((entry) => entry.bookingId === bookingId && entry.kind === 'RESERVE');
    this.write(lot, outcome === 'consume' ? 'CONSUME' : 'RELEASE', outcome === 'consume' ? 0 : 1, at, bookingId, reserve?.sessionStart ?? null);
  }

  /** What is left of the lot written off (EXPIRE), as expireLots does. */
  expire(lot: Lot, at: Date = this.now()): void {
    if (lot.available > 0) this.write(lot, 'EXPIRE', -lot.available, at, null, null);
  }

  private write(lot: Lot, kind: CreditEntryKind, delta: number, at: Date, bookingId: number | null, sessionStart: Date | null): void {
    lot.available += delta;
    if (lot.available < 0 || lot.available > lot.sessions) throw new Error(`lot ${lot.id} would hold ${lot.available} credits`);
    this.ledger.push({ id: ++this.ids, lotId: lot.id, clientId: lot.clientId, trainerId: lot.trainerId, kind, delta, bookingId, note: null, createdAt: at, sessionMinutes: lot.sessionMinutes, sessionStart });
  }

  private reservedIn(lot: Lot): number {
    const held = this.ledger.filter((entry) => entry.lotId === lot.id && entry.kind === 'RESERVE');
    return held.filter((entry) => !this.ledger.some((other) => other.bookingId === entry.bookingId && (other.kind === 'RELEASE' || other.kind === 'CONSUME'))).length;
  }

  balances(filter: { clientId?: number; trainerId?: number; includeSpent?: boolean; now?: Date }): Promise<CreditBalance[]> {
    const now = filter.now ?? this.now();
    const balances = new Map<string, CreditBalance>();
    const lots = this.lots
      .filter((lot) => (filter.clientId === undefined || lot.clientId === filter.clientId) && (filter.trainerId === undefined || lot.trainerId === filter.trainerId))
      .sort((a, b) => a.clientId - b.clientId || a.trainerId - b.trainerId || a.expiresAt.getTime() - b.expiresAt.getTime() || a.id - b.id);
    for (const lot of lots) {
      const pack = this.packs.find((p) => p.id === lot.packageTypeId)!;
      const view: LotBalance = {
        lotId: lot.id,
        packageTypeId: pack.id,
        packageName: pack.name,
        sessions: lot.sessions,
        sessionMinutes: lot.sessionMinutes,
        available: lot.available,
        reserved: this.reservedIn(lot),
        purchasedAt: lot.purchasedAt,
        expiresAt: lot.expiresAt,
        expired: lot.expiresAt < now,
      };
      if (!filter.includeSpent && view.available === 0 && view.reserved === 0) continue;
      const key = `${lot.clientId}:${lot.trainerId}`;
      const balance = balances.get(key) ?? { clientId: lot.clientId, clientName: this.names.client(lot.clientId), trainerId: lot.trainerId, trainerName: this.names.trainer(lot.trainerId), available: 0, reserved: 0, nextExpiry: null, lots: [] };
      balances.set(key, balance);
      balance.lots.push(view);
      balance.reserved += view.reserved;
      if (!view.expired && view.available > 0) {
        balance.available += view.available;
        if (balance.nextExpiry === null || view.expiresAt < balance.nextExpiry) balance.nextExpiry = view.expiresAt;
      }
    }
    return Promise.resolve([...balances.values()]);
  }

  entries(filter: { clientId: number; trainerId?: number; limit?: number }): Promise<LedgerEntry[]> {
    const found = this.ledger
      .filter((entry) => entry.clientId === filter.clientId && (filter.trainerId === undefined || entry.trainerId === filter.trainerId))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);
    return Promise.resolve(found.slice(0, filter.limit ?? 50));
  }

  lowOrExpiring(trainerId: number, options: { atMost?: number; withinDays?: number; now?: Date }): Promise<LowOrExpiring[]> {
    const now = options.now ?? this.now();
    const horizon = new Date(now.getTime() + (options.withinDays ?? 14) * DAY_MS);
    const byClient = new Map<number, Lot[]>();
    for (const lot of this.lots.filter((l) => l.trainerId === trainerId && l.expiresAt >= now)) byClient.set(lot.clientId, [...(byClient.get(lot.clientId) ?? []), lot]);
    const rows: LowOrExpiring[] = [];
    for (const [clientId, lots] of byClient) {
      const available = lots.reduce((sum, lot) => sum + lot.available, 0);
      const soon = lots.filter((lot) => lot.expiresAt <= horizon && lot.available > 0);
      const expiring = soon.reduce((sum, lot) => sum + lot.available, 0);
      const reasons: LowOrExpiring['reasons'] = [];
      if (available <= (options.atMost ?? 1)) reasons.push('low');
      if (expiring > 0) reasons.push('expiring');
      if (reasons.length === 0) continue;
      const expiresAt = soon.length > 0 ? new Date(Math.min(...soon.map((lot) => lot.expiresAt.getTime()))) : null;
      rows.push({ clientId, clientName: this.names.client(clientId), available, reserved: lots.reduce((sum, lot) => sum + this.reservedIn(lot), 0), expiring, expiresAt, reasons });
    }
    return Promise.resolve(rows.sort((a, b) => a.available - b.available || a.clientId - b.clientId));
  }

  packageTypes(trainerId: number, options: { includeInactive?: boolean } = {}): Promise<PackageTypeRecord[]> {
    const packs = this.packs.filter((pack) => pack.trainerId === trainerId && (options.includeInactive || pack.active));
    return Promise.resolve(packs.sort((a, b) => Number(b.active) - Number(a.active) || a.sessionMinutes - b.sessionMinutes || Number(a.priceMinor - b.priceMinor) || a.name.localeCompare(b.name)));
  }

  recordPayment(input: RecordPaymentInput): Promise<RecordedPayment> {
    const currency = normalizeCurrency(input.currency);
    if (!currency) return Promise.reject(new CreditInputError({ field: 'currency', sentence: creditWording.unknownCurrency(input.currency) }));
    const problem = checkPayment({ ...input, currency });
    if (problem) return Promise.reject(new CreditInputError(problem));
    const pack = this.packs.find((p) => p.id === input.packageTypeId);
    if (!pack) return Promise.reject(new NotFoundError('Package type', input.packageTypeId ?? 0));
    if (pack.trainerId !== input.trainerId) return Promise.reject(new CreditInputError({ field: 'package_type_id', sentence: creditWording.packNotTrainers() }));
    const mismatch = checkPackPayment(pack, { amountMinor: input.amountMinor, currency, ...(input.priceOverride ? { priceOverride: true } : {}) });
    if (mismatch) return Promise.reject(new CreditInputError(mismatch));
    const earlier = input.idempotencyKey ? this.payments.find((payment) => payment.key === input.idempotencyKey) : undefined;
    if (earlier) return Promise.resolve({ ...earlier.recorded, alreadyRecorded: true });
    const lot = this.buy(input.clientId, pack);
    const sentence = creditWording.paymentRecorded({ amountMinor: input.amountMinor, currency, method: input.method, clientName: this.names.client(input.clientId), pack });
    const recorded: RecordedPayment = {
      paymentId: ++this.ids,
      provider: 'manual',
      providerRef: input.idempotencyKey ?? null,
      amountMinor: input.amountMinor,
      currency,
      method: input.method,
      packageTypeId: pack.id,
      bookingId: null,
      lot: { lotId: lot.id, sessions: lot.sessions, sessionMinutes: lot.sessionMinutes, expiresAt: lot.expiresAt, purchaseEntryId: this.ledger.at(-1)!.id },
      alreadyRecorded: false,
      sentence,
    };
    this.payments.push({ key: input.idempotencyKey ?? null, recorded, input });
    return Promise.resolve(recorded);
  }

  createPackageType(input: NewPackageType): Promise<PackageTypeRecord> {
    const problem = checkPackageType(input);
    if (problem) return Promise.reject(new CreditInputError(problem));
    if (this.packs.some((pack) => pack.trainerId === input.trainerId && pack.name === input.name.trim())) {
      return Promise.reject(new CreditInputError({ field: 'name', sentence: creditWording.duplicatePackName(input.name.trim()) }));
    }
    const { trainerId, ...fields } = input;
    return Promise.resolve(this.addPack(trainerId, { ...fields, name: input.name.trim() }));
  }

  deactivatePackageType(trainerId: number, packageTypeId: number): Promise<PackageTypeRecord> {
    const pack = this.packs.find((p) => p.id === packageTypeId && p.trainerId === trainerId);
    if (!pack) return Promise.reject(new NotFoundError('Package type', packageTypeId));
    pack.active = false;
    return Promise.resolve(pack);
  }
}
