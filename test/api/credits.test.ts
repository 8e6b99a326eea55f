import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Booking, BookingRequest, PackageType } from '../../src/db/entities';
import { savePolicy } from '../../src/policy';
import { at } from '../support/time';
import { createPerson, createTrainerPerson, flexibleBody, SLOT_DAY, startApiHarness, type ApiHarness, type Person, type TrainerPerson } from './support/api-harness';
import type { Answer, Approval, BookingView, ErrorBody, RequestView } from './support/api-types';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.stop();
});

interface PackView {
  id: number;
  trainer_id: number;
  name: string;
  sessions: number;
  session_minutes: number;
  price_minor: number;
  currency: string;
  price: string;
  validity_days: number;
  active: boolean;
  offer: string;
}
interface RecordedView {
  id: number;
  amount_minor: number;
  currency: string;
  amount: string;
  method: string;
  reference: string | null;
  package_type_id: number | null;
  booking_id: number | null;
  workflow_id: string | null;
  lot: { lot_id: number; sessions: number; session_minutes: number; expires_at: string } | null;
  already_recorded: boolean;
  message: string;
}
interface BalanceView {
  client_id: number;
  trainer_id: number;
  available: number;
  reserved: number;
  next_expiry: string | null;
  summary: string;
  lots: { lot_id: number; pack_name: string; sessions: number; session_minutes: number; available: number; reserved: number; expires_at: string; expired: boolean }[];
}
interface EntryView {
  id: number;
  lot_id: number;
  kind: string;
  delta: number;
  booking_id: number | null;
  description: string;
}
interface LowView {
  client_id: number;
  available: number;
  expiring: number;
  expires_at: string | null;
  reasons: string[];
  message: string;
}

const TEN_SESSIONS = { name: '10 × 60 min', sessions: 10, session_minutes: 60, price_minor: 70_000, currency: 'EUR', validity_days: 90 };

async function createPack(trainer: TrainerPerson, body: Record<string, unknown> = TEN_SESSIONS): Promise<PackView> {
  const res = await h.call<Answer<PackView>>('POST', `/trainers/${trainer.trainerId}/packages`, { token: trainer.token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function payForPack(trainer: TrainerPerson, client: Person, pack: PackView, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return h.call<Answer<RecordedView>>('POST', '/payments', {
    token: trainer.token,
    headers,
    body: { client_id: client.userId, trainer_id: trainer.trainerId, package_type_id: pack.id, amount_minor: pack.price_minor, currency: pack.currency, method: 'cash', ...extra },
  });
}

async function people() {
  const em = h.db.orm.em.fork();
  return { trainer: await createTrainerPerson(em, 0), other: await createTrainerPerson(em, 0), client: await createPerson(em, 'CLIENT'), admin: await createPerson(em, 'ADMIN') };
}

/** Payments and lots of a client or a trainer, counted in the database. */
const countOf = async (table: 'payment' | 'credit_lot', where: { client?: number; trainer?: number }): Promise<number> => {
  const [column, id] = where.client !== undefined ? ['client_id', where.client] : ['trainer_id', where.trainer];
  const [row] = await h.db.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from ${table} where ${column} = ?`, [id]);
  return row!.n;
};

describe('packs: /trainers/{id}/packages', () => {
  it('the trainer and an admin add packs, anyone signed in sees the ones sold, a deactivated one is hidden from clients', async () => {
    const { trainer, other, client, admin } = await people();
    const pack = await createPack(trainer);
    expect(pack).toMatchObject({ trainer_id: trainer.trainerId, name: '10 × 60 min', price_minor: 70_000, currency: 'EUR', price: '€700.00', active: true, offer: '10 × 60 min for €700.00' });
    const byAdmin = await h.call<Answer<PackView>>('POST', `/trainers/${trainer.trainerId}/packages`, {
      token: admin.token,
      body: { name: 'Five long ones', sessions: 5, session_minutes: 90, price_minor: 45_000, currency: 'gbp', validity_days: 60 },
    });
    expect(byAdmin).toMatchObject({ status: 201, body: { currency: 'GBP', price: '£450.00' } });

    for (const reader of [client, other, trainer]) {
      const list = await h.call<PackView[]>('GET', `/trainers/${trainer.trainerId}/packages`, { token: reader.token });
      expect(list.status).toBe(200);
      expect(list.body.map((p) => p.name)).toEqual(['10 × 60 min', 'Five long ones']);
    }

    const deactivated = await h.call<Answer<PackView>>('POST', `/trainers/${trainer.trainerId}/packages/${byAdmin.body.id}/deactivate`, { token: trainer.token });
    expect(deactivated).toMatchObject({ status: 200, body: { id: byAdmin.body.id, active: false } });
    expect((await h.call<PackView[]>('GET', `/trainers/${trainer.trainerId}/packages`, { token: client.token })).body.map((p) => p.id)).toEqual([pack.id]);
    const all = await h.call<PackView[]>('GET', `/trainers/${trainer.trainerId}/packages?include_inactive=true`, { token: trainer.token });
    expect(all.body.map((p) => [p.id, p.active])).toEqual([
      [pack.id, true],
      [byAdmin.body.id, false],
    ]);
    expect(await h.call<ErrorBody>('GET', `/trainers/${trainer.trainerId}/packages?include_inactive=true`, { token: client.token })).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    expect((await h.call<ErrorBody>('GET', '/trainers/2147483000/packages', { token: client.token })).status).toBe(404);
    expect((await h.call<ErrorBody>('POST', `/trainers/${trainer.trainerId}/packages/2147483000/deactivate`, { token: trainer.token })).status).toBe(404);
    // Another trainer's pack is not this trainer's to deactivate.
    expect((await h.call<ErrorBody>('POST', `/trainers/${other.trainerId}/packages/${pack.id}/deactivate`, { token: other.token })).status).toBe(404);
    expect((await h.call('GET', `/trainers/${trainer.trainerId}/packages`)).status).toBe(401);
  });

  it('refuses clients and other trainers (403) and stores nothing', async () => {
    const { trainer, other, client } = await people();
    for (const [who, token] of [['client', client.token], ['other trainer', other.token]] as const) {
      const add = await h.call<ErrorBody>('POST', `/trainers/${trainer.trainerId}/packages`, { token, body: TEN_SESSIONS });
      expect(add.status, who).toBe(403);
      expect(add.body.message).toMatch(/^Only the trainer \(or an admin\)/);
    }
    const pack = await createPack(trainer);
    for (const token of [client.token, other.token]) {
      expect((await h.call<ErrorBody>('POST', `/trainers/${trainer.trainerId}/packages/${pack.id}/deactivate`, { token })).status).toBe(403);
    }
    expect(await h.db.orm.em.fork().count(PackageType, { trainer: trainer.trainerId })).toBe(1);
    expect((await h.db.orm.em.fork().findOneOrFail(PackageType, pack.id)).active).toBe(true);
  });

  it('refuses bad packs with 422 naming the field', async () => {
    const { trainer } = await people();
    await createPack(trainer);
    const cases: [Record<string, unknown>, string][] = [
      [{ sessions: 0 }, 'sessions'],
      [{ session_minutes: 500 }, 'session_minutes'],
      [{ validity_days: 0 }, 'validity_days'],
      [{ price_minor: 700.5 }, 'price_minor'],
      [{ price_minor: '70000' }, 'price_minor'],
      [{ price_minor: -1 }, 'price_minor'],
      [{ currency: 'EURO' }, 'currency'],
      [{ currency: 'XYZ' }, 'currency'],
      [{ name: '' }, 'name'],
    ];
    for (const [change, field] of cases) {
      const res = await h.call<ErrorBody>('POST', `/trainers/${trainer.trainerId}/packages`, { token: trainer.token, body: { ...TEN_SESSIONS, name: 'Another', ...change } });
      expect({ change, status: res.status, field: res.body.field }).toEqual({ change, status: 422, field });
    }
    const duplicate = await h.call<ErrorBody>('POST', `/trainers/${trainer.trainerId}/packages`, { token: trainer.token, body: TEN_SESSIONS });
    expect(duplicate).toMatchObject({ status: 422, body: { field: 'name', message: 'You already have a pack named "10 × 60 min": choose another name.' } });
    const float = await h.call<ErrorBody>('POST', `/trainers/${trainer.trainerId}/packages`, { token: trainer.token, body: { ...TEN_SESSIONS, name: 'Float', price_minor: 700.5 } });
    expect(float.body.message).toMatch(/^price_minor: expected a whole number of the currency's minor units/);
    expect(await h.db.orm.em.fork().count(PackageType, { trainer: trainer.trainerId })).toBe(1);
  });
});

describe('payments: POST and GET /payments', () => {
  it("records a pack's payment: the client's balance shows its sessions at once, the payment is listed", async () => {
    const { trainer, client } = await people();
    const pack = await createPack(trainer);
    const paid = await payForPack(trainer, client, pack, { method: 'bank_transfer', reference: 'INV-1' });
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({
      amount_minor: 70_000,
      currency: 'EUR',
      amount: '€700.00',
      method: 'bank_transfer',
      reference: 'INV-1',
      package_type_id: pack.id,
      booking_id: null,
      lot: { sessions: 10, session_minutes: 60 },
      already_recorded: false,
    });
    expect(paid.body.message).toMatch(/^Recorded €700\.00 \(bank transfer\) from .+ for 10 × 60 min: 10 × 60 min added\.$/);

    const balances = await h.call<BalanceView[]>('GET', '/credits/balances', { token: client.token });
    expect(balances.status).toBe(200);
    expect(balances.body).toHaveLength(1);
    expect(balances.body[0]).toMatchObject({ client_id: client.userId, trainer_id: trainer.trainerId, available: 10, reserved: 0, next_expiry: paid.body.lot!.expires_at });
    expect(balances.body[0]!.lots).toEqual([expect.objectContaining({ lot_id: paid.body.lot!.lot_id, pack_name: '10 × 60 min', sessions: 10, session_minutes: 60, available: 10, reserved: 0, expired: false })]);
    expect(balances.body[0]!.summary).toMatch(/: 10 credits \(10 × 60 min until \d{1,2} \w{3} \d{4}\)\.$/);

    for (const token of [client.token, trainer.token]) {
      const list = await h.call<Record<string, unknown>[]>('GET', '/payments', { token });
      expect(list.status).toBe(200);
      expect(list.body).toEqual([
        expect.objectContaining({ id: paid.body.id, client_id: client.userId, trainer_id: trainer.trainerId, amount_minor: 70_000, amount: '€700.00', recorded_by: trainer.userId, package_name: '10 × 60 min', lot_id: paid.body.lot!.lot_id }),
      ]);
    }
  });

  it('records once per Idempotency-Key: a retry answers 200 with the same payment; the same key with other details is 422', async () => {
    const { trainer, client } = await people();
    const pack = await createPack(trainer);
    const key = { 'idempotency-key': `pack-${client.userId}` };
    const first = await payForPack(trainer, client, pack, {}, key);
    const retry = await payForPack(trainer, client, pack, {}, key);
    expect(first.status).toBe(201);
    expect(retry).toMatchObject({ status: 200, body: { id: first.body.id, already_recorded: true, lot: { lot_id: first.body.lot!.lot_id } } });
    const other = await payForPack(trainer, client, pack, { amount_minor: 60_000, price_override: true }, key);
    expect(other).toMatchObject({ status: 422, body: { field: 'idempotency_key' } });
    expect(await countOf('payment', { client: client.userId })).toBe(1);
    expect(await countOf('credit_lot', { client: client.userId })).toBe(1);
    expect((await h.call<BalanceView[]>('GET', `/credits/balances?trainer_id=${trainer.trainerId}`, { token: client.token })).body[0]!.available).toBe(10);
  });

  it('refuses money it cannot record exactly with 422 naming amount_minor or currency, and records nothing', async () => {
    const { trainer, client } = await people();
    const pack = await createPack(trainer);
    const cases: [Record<string, unknown>, string, RegExp?][] = [
      [{ amount_minor: 700.5 }, 'amount_minor', /whole number of the currency's minor units/],
      [{ amount_minor: '70000' }, 'amount_minor'],
      [{ amount_minor: 0 }, 'amount_minor'],
      [{ amount_minor: 2 ** 53 + 2 }, 'amount_minor'],
      [{ amount_minor: 60_000 }, 'amount_minor', /^The pack "10 × 60 min" costs €700\.00, not €600\.00: record the price, or confirm the different amount \(a discount\)\.$/],
      [{ currency: 'GBP' }, 'currency', /^The pack "10 × 60 min" is priced in EUR: record the payment in EUR\.$/],
      [{ currency: 'ZZZ' }, 'currency', /is not a currency code/],
      [{ currency: 'euro' }, 'currency'],
      [{ method: 'crypto' }, 'method'],
      [{ booking_id: 1 }, 'package_type_id', /exactly one of package_type_id/],
      [{ package_type_id: 2_147_483_000 }, 'package_type_id'],
      [{ client_id: 2_147_483_000 }, 'client_id'],
      [{ extra: true }, 'body'],
    ];
    for (const [change, field, message] of cases) {
      const res = await payForPack(trainer, client, pack, change);
      expect({ change, status: res.status, field: res.body.field }).toEqual({ change, status: 422, field });
      if (message) expect(res.body.message).toMatch(message);
    }
    expect(await countOf('payment', { trainer: trainer.trainerId })).toBe(0);
    // A discount the trainer confirms is recorded.
    const discounted = await payForPack(trainer, client, pack, { amount_minor: 60_000, price_override: true });
    expect(discounted).toMatchObject({ status: 201, body: { amount_minor: 60_000, amount: '€600.00', lot: { sessions: 10 } } });
  });

  it('lets only the paid trainer or an admin record; a client, another trainer or the bootstrap token gets 403 and nothing is recorded', async () => {
    const { trainer, other, client, admin } = await people();
    const pack = await createPack(trainer);
    const body = { client_id: client.userId, trainer_id: trainer.trainerId, package_type_id: pack.id, amount_minor: 70_000, currency: 'EUR', method: 'cash' };
    for (const [who, token, message] of [
      ['client', client.token, /^Payments are recorded by the trainer or an admin/],
      ['other trainer', other.token, /^A trainer records payments only for their own/],
      ['bootstrap admin', h.adminToken, /^The bootstrap admin token is no person/],
    ] as const) {
      const res = await h.call<ErrorBody>('POST', '/payments', { token, body });
      expect({ who, status: res.status }).toEqual({ who, status: 403 });
      expect(res.body.message).toMatch(message);
    }
    expect(await countOf('payment', { client: client.userId })).toBe(0);
    const byAdmin = await h.call<Answer<RecordedView>>('POST', '/payments', { token: admin.token, body });
    expect(byAdmin.status).toBe(201);
    expect((await h.call<Record<string, unknown>[]>('GET', `/payments?client_id=${client.userId}`, { token: admin.token })).body).toEqual([expect.objectContaining({ recorded_by: admin.userId })]);
  });

  it("shows payments to their client, their trainer and admins only: someone else's are 403", async () => {
    const { trainer, other, client, admin } = await people();
    const stranger = await createPerson(h.db.orm.em.fork(), 'CLIENT');
    const pack = await createPack(trainer);
    const paid = await payForPack(trainer, client, pack);
    expect((await h.call<ErrorBody>('GET', `/payments?client_id=${client.userId}`, { token: stranger.token })).status).toBe(403);
    expect((await h.call<ErrorBody>('GET', `/payments?trainer_id=${trainer.trainerId}`, { token: other.token })).status).toBe(403);
    // Scoped to the reader's own: a stranger and another trainer see none of them.
    expect((await h.call<unknown[]>('GET', '/payments', { token: stranger.token })).body).toEqual([]);
    expect((await h.call<unknown[]>('GET', `/payments?client_id=${client.userId}`, { token: other.token })).body).toEqual([]);
    expect((await h.call<{ id: number }[]>('GET', `/payments?trainer_id=${trainer.trainerId}`, { token: admin.token })).body.map((p) => p.id)).toEqual([paid.body.id]);
  });
});

describe('credits: balances, ledger, low or expiring', () => {
  it("a trainer sees their own clients' balances and never another trainer's; a client only their own", async () => {
    const { trainer, other, client, admin } = await people();
    const stranger = await createPerson(h.db.orm.em.fork(), 'CLIENT');
    await payForPack(trainer, client, await createPack(trainer));
    await payForPack(other, client, await createPack(other, { ...TEN_SESSIONS, sessions: 3, price_minor: 25_000 }));

    const own = await h.call<BalanceView[]>('GET', '/credits/balances', { token: trainer.token });
    expect(own.body.map((b) => [b.client_id, b.trainer_id, b.available])).toEqual([[client.userId, trainer.trainerId, 10]]);
    // The same client's pack with another trainer stays hidden, even when asked for by client.
    expect((await h.call<BalanceView[]>('GET', `/credits/balances?client_id=${client.userId}`, { token: other.token })).body.map((b) => [b.trainer_id, b.available])).toEqual([[other.trainerId, 3]]);
    expect(await h.call<ErrorBody>('GET', `/credits/balances?trainer_id=${trainer.trainerId}`, { token: other.token })).toMatchObject({
      status: 403,
      body: { error: 'forbidden', message: "A trainer can only see the credits and payments of their own clients, not another trainer's." },
    });
    expect((await h.call<BalanceView[]>('GET', '/credits/balances', { token: client.token })).body.map((b) => b.available).sort()).toEqual([10, 3].sort());
    expect((await h.call<ErrorBody>('GET', `/credits/balances?client_id=${client.userId}`, { token: stranger.token })).status).toBe(403);
    expect((await h.call<BalanceView[]>('GET', '/credits/balances', { token: stranger.token })).body).toEqual([]);
    expect((await h.call<BalanceView[]>('GET', `/credits/balances?client_id=${client.userId}`, { token: admin.token })).body).toHaveLength(2);
  });

  it('lists ledger entries newest first, per client and per booking, with their words', async () => {
    const { trainer, other, client } = await people();
    const paid = await payForPack(trainer, client, await createPack(trainer));
    const entries = await h.call<EntryView[]>('GET', `/credits/ledger?client_id=${client.userId}`, { token: trainer.token });
    expect(entries.status).toBe(200);
    expect(entries.body).toEqual([expect.objectContaining({ lot_id: paid.body.lot!.lot_id, kind: 'PURCHASE', delta: 10, booking_id: null })]);
    expect(entries.body[0]!.description).toMatch(/: \+10 bought \(10 × 60 min\)$/);
    expect((await h.call<EntryView[]>('GET', '/credits/ledger', { token: client.token })).body.map((e) => e.kind)).toEqual(['PURCHASE']);
    expect((await h.call<EntryView[]>('GET', `/credits/ledger?client_id=${client.userId}`, { token: other.token })).body).toEqual([]);
    expect((await h.call<ErrorBody>('GET', `/credits/ledger?trainer_id=${trainer.trainerId}`, { token: other.token })).status).toBe(403);
    expect(await h.call<ErrorBody>('GET', '/credits/ledger', { token: h.adminToken })).toMatchObject({ status: 422, body: { field: 'client_id' } });
    expect((await h.call<ErrorBody>('GET', '/credits/ledger?booking_id=2147483000', { token: client.token })).status).toBe(404);
    expect((await h.call<ErrorBody>('GET', '/credits/ledger?limit=0', { token: client.token })).body).toMatchObject({ statusCode: 422, field: 'limit' });
  });

  it('lists the clients low on credits or with credits ending soon, for the trainer and admins only', async () => {
    const em = h.db.orm.em.fork();
    const { trainer, other, client, admin } = await people();
    const short = await createPerson(em, 'CLIENT');
    const plenty = await createPerson(em, 'CLIENT');
    // Validity counts from the payment (now), so what ends "within 14 days" does not depend on the day the test runs.
    await payForPack(trainer, client, await createPack(trainer, { name: 'Ten days', sessions: 4, session_minutes: 60, price_minor: 30_000, currency: 'EUR', validity_days: 10 }));
    await payForPack(trainer, short, await createPack(trainer, { name: 'Single', sessions: 1, session_minutes: 60, price_minor: 8_000, currency: 'EUR', validity_days: 365 }));
    await payForPack(trainer, plenty, await createPack(trainer, { ...TEN_SESSIONS, validity_days: 365 }));

    const low = await h.call<LowView[]>('GET', `/trainers/${trainer.trainerId}/credits/low`, { token: trainer.token });
    expect(low.status).toBe(200);
    expect(low.body.map((row) => [row.client_id, row.available, row.expiring, row.reasons])).toEqual([
      [short.userId, 1, 0, ['low']],
      [client.userId, 4, 4, ['expiring']],
    ]);
    expect(low.body[1]!.message).toMatch(/ has 4 credits left; 4 credits expire on \d{1,2} \w{3} \d{4}\.$/);
    // A narrower window, a higher bar.
    expect((await h.call<LowView[]>('GET', `/trainers/${trainer.trainerId}/credits/low?within_days=5&at_most=4`, { token: admin.token })).body.map((row) => [row.client_id, row.reasons])).toEqual([
      [short.userId, ['low']],
      [client.userId, ['low']],
    ]);
    for (const token of [client.token, other.token]) expect((await h.call<ErrorBody>('GET', `/trainers/${trainer.trainerId}/credits/low`, { token })).status).toBe(403);
    expect((await h.call<ErrorBody>('GET', `/trainers/${trainer.trainerId}/credits/low?within_days=-1`, { token: trainer.token })).body).toMatchObject({ statusCode: 422, field: 'within_days' });
  });
});

describe('bookings show the credit that pays for them', () => {
  it('the approval reserves the pack credit: the confirmation, GET /bookings/{id}, the list and the ledger name it; a trainer cancel gives it back', async () => {
    const em = h.db.orm.em.fork();
    const trainer = await createTrainerPerson(em);
    const client = await createPerson(em, 'CLIENT');
    const stranger = await createPerson(em, 'CLIENT');
    const paid = await payForPack(trainer, client, await createPack(trainer, { ...TEN_SESSIONS, validity_days: 365 }));
    const created = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: client.token, body: flexibleBody(trainer.trainerId) });
    const approved = await h.call<Answer<Approval & { credit: unknown }>>('PUT', `/booking-requests/${created.body.id}/approve`, {
      token: trainer.token,
      body: { status: 'APPROVED', confirmed_date: at(SLOT_DAY, 10) },
    });
    expect(approved.status).toBe(200);
    const bookingId = approved.body.booking_id!;
    const credit = { lot_id: paid.body.lot!.lot_id, pack_name: '10 × 60 min', left: 9, expires_at: paid.body.lot!.expires_at };
    expect(approved.body.credit).toEqual(credit);

    expect((await h.call<Answer<BookingView>>('GET', `/bookings/${bookingId}`, { token: client.token })).body).toMatchObject({ id: bookingId, credit });
    expect((await h.call<BookingView[]>('GET', '/bookings/', { token: trainer.token })).body).toEqual([expect.objectContaining({ id: bookingId, credit })]);
    const entries = await h.call<EntryView[]>('GET', `/credits/ledger?booking_id=${bookingId}`, { token: trainer.token });
    expect(entries.body.map((e) => [e.kind, e.delta, e.booking_id])).toEqual([['RESERVE', -1, bookingId]]);
    expect(entries.body[0]!.description).toMatch(/: −1 held for the session on \d{1,2} \w{3} \d{4}$/);
    expect((await h.call<ErrorBody>('GET', `/credits/ledger?booking_id=${bookingId}`, { token: stranger.token })).status).toBe(403);
    expect((await h.call<BalanceView[]>('GET', '/credits/balances', { token: client.token })).body[0]).toMatchObject({ available: 9, reserved: 1 });

    // The trainer cancels: the credit comes back and the booking no longer names one.
    const cancelled = await h.call<Answer<{ booking: BookingView }>>('POST', `/bookings/${bookingId}/cancel`, { token: trainer.token });
    expect(cancelled).toMatchObject({ status: 200, body: { booking: { status: 'CANCELLED', credit: null } } });
    expect((await h.call<EntryView[]>('GET', `/credits/ledger?booking_id=${bookingId}`, { token: client.token })).body.map((e) => e.kind)).toEqual(['RELEASE', 'RESERVE']);
    expect((await h.call<BalanceView[]>('GET', '/credits/balances', { token: client.token })).body[0]).toMatchObject({ available: 10, reserved: 0 });
  });
});

describe('credit_none: the trainer asks for a credit the client does not have', () => {
  it('refuses the request with 422 credit_none and the packs and prices; nothing is stored', async () => {
    const em = h.db.orm.em.fork();
    const trainer = await createTrainerPerson(em);
    const client = await createPerson(em, 'CLIENT');
    await createPack(trainer);
    await savePolicy(em, trainer.trainerId, { creditToRequest: true });
    const refused = await h.call<ErrorBody & { needed: number; available: number }>('POST', '/booking-requests/', { token: client.token, body: flexibleBody(trainer.trainerId) });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: 'credit_none', needed: 1, available: 0 });
    expect(refused.body.message).toMatch(/^You have no credit left for a 60-min session with .+: buy a pack — 10 × 60 min for €700\.00\.$/);
    expect(await h.db.orm.em.fork().count(BookingRequest, { client: client.userId })).toBe(0);

    // With a pack the same request goes through.
    await payForPack(trainer, client, await h.call<PackView[]>('GET', `/trainers/${trainer.trainerId}/packages`, { token: client.token }).then((res) => res.body[0]!));
    expect((await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: client.token, body: flexibleBody(trainer.trainerId) })).status).toBe(201);
  });

  it('refuses the approval with 422 credit_none and the fresh options; the request keeps waiting and is approved once a pack is bought', async () => {
    const em = h.db.orm.em.fork();
    const trainer = await createTrainerPerson(em);
    const client = await createPerson(em, 'CLIENT');
    const pack = await createPack(trainer);
    await savePolicy(em, trainer.trainerId, { creditToApprove: true });
    const created = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: client.token, body: flexibleBody(trainer.trainerId) });
    expect(created.status).toBe(201);
    const approve = () =>
      h.call<Answer<Approval & { credit: { lot_id: number; left: number } | null }>>('PUT', `/booking-requests/${created.body.id}/approve`, {
        token: trainer.token,
        body: { status: 'APPROVED', confirmed_date: at(SLOT_DAY, 10) },
      });
    const refused = await approve();
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: 'credit_none' });
    expect(refused.body.message).toMatch(/ has no credit left for a 60-min session with .+: buy a pack — 10 × 60 min for €700\.00\.$/);
    expect(refused.body.options?.map((o) => o.slot_start)).toContain(at(SLOT_DAY, 10));
    expect(await h.db.orm.em.fork().count(Booking, { bookingRequest: created.body.id })).toBe(0);
    expect((await h.db.orm.em.fork().findOneOrFail(BookingRequest, created.body.id)).status).toBe('PENDING');

    const paid = await payForPack(trainer, client, pack);
    const approved = await approve();
    expect(approved.status).toBe(200);
    expect(approved.body.credit).toMatchObject({ lot_id: paid.body.lot!.lot_id, left: 9 });
  });
});

describe("a pack's payment starts the pack's workflow", () => {
  it('credit-lot-<lot_id> runs once, also when the payment is retried with the same key', async () => {
    const { trainer, client } = await people();
    const pack = await createPack(trainer);
    const key = { 'idempotency-key': `workflow-${client.userId}` };
    const first = await payForPack(trainer, client, pack, {}, key);
    const retry = await payForPack(trainer, client, pack, {}, key);
    const workflowId = `credit-lot-${first.body.lot!.lot_id}`;
    expect([first.status, first.body.workflow_id, retry.status, retry.body.workflow_id]).toEqual([201, workflowId, 200, workflowId]);
    const description = await h.worker.client.workflow.getHandle(workflowId).describe();
    expect([description.type, description.status.name]).toEqual(['creditLotWorkflow', 'RUNNING']);
  });
});
