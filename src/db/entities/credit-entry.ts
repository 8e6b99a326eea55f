import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';
import { CREDIT_ENTRY_KINDS } from '../../domain/credits/credits';
import { Booking } from './booking';
import { CreditLot } from './credit-lot';
import { Trainer } from './trainer';
import { User } from './user';

/**
 * Applies a new entry to its lot, after checking what only the database can check for
 * every writer: a PURCHASE adds exactly the lot's sessions; a RESERVE is for a booking of
 * the lot's client and trainer that the lot covers (length, and a start before its expiry);
 * a RELEASE or CONSUME settles a RESERVE of the same booking in the same lot. Then
 * `available += delta` on the lot: the lot's check refuses a negative balance (SQLSTATE
 * 23514, `credit_lot_available_bounds`), which rolls the entry back with it.
 */
export const CREDIT_ENTRY_APPLY_BODY = [
  `if new.kind = 'PURCHASE' and new.delta <> (select l.sessions from credit_lot l where l.id = new.lot_id) then`,
  `raise exception 'credit_entry: a PURCHASE adds exactly the sessions of lot %', new.lot_id using errcode = '23514', constraint = 'credit_entry_purchase_fills_lot'; end if;`,
  `if new.kind = 'RESERVE' and not exists (select 1 from booking b join credit_lot l on l.id = new.lot_id where b.id = new.booking_id and b.client_id = l.client_id`,
  `and b.trainer_id = l.trainer_id and b.duration_minutes <= l.session_minutes and b.start_time <= l.expires_at) then`,
  `raise exception 'credit_entry: booking % cannot use a credit of lot %', new.booking_id, new.lot_id using errcode = '23514', constraint = 'credit_entry_reserve_fits'; end if;`,
  `if new.kind in ('RELEASE', 'CONSUME') and not exists (select 1 from credit_entry r where r.booking_id = new.booking_id and r.kind = 'RESERVE' and r.lot_id = new.lot_id) then`,
  `raise exception 'credit_entry: booking % settles no credit reserved from lot %', new.booking_id, new.lot_id using errcode = '23514', constraint = 'credit_entry_settles_a_reserve'; end if;`,
  `update credit_lot set available = available + new.delta where id = new.lot_id and client_id = new.client_id and trainer_id = new.trainer_id;`,
  `if not found then raise exception 'credit_entry: lot % is not a lot of client % with trainer %', new.lot_id, new.client_id, new.trainer_id using errcode = '23503', constraint = 'credit_entry_lot_matches'; end if;`,
  `return null;`,
].join(' ');

/** The ledger is append-only: UPDATE and DELETE of an entry are refused (SQLSTATE 55000). */
export const CREDIT_ENTRY_APPEND_ONLY_BODY = `raise exception 'credit_entry is append-only: % of entry % refused', tg_op, old.id using errcode = '55000';`;

/**
 * One movement of credits (issue 13), never changed or removed once written: PURCHASE
 * +sessions, RESERVE −1, RELEASE +1, CONSUME 0, EXPIRE −n (`credit_entry_delta_matches_kind`);
 * RESERVE, RELEASE and CONSUME name their booking, PURCHASE and EXPIRE none. Idempotent per
 * booking: one entry of each kind per booking (unique `booking_id, kind`), one settlement
 * per booking (`credit_entry_booking_settled_once`, RELEASE or CONSUME), one PURCHASE per lot
 * (`credit_entry_one_purchase`). `client_id`/`trainer_id` repeat the lot's (checked by the
 * trigger) so a person's history is one index scan.
 */
export const CreditEntry = defineEntity({
  name: 'CreditEntry',
  tableName: 'credit_entry',
  uniques: [
    { properties: ['booking', 'kind'] },
    { name: 'credit_entry_booking_settled_once', properties: ['booking'], where: `kind in ('RELEASE', 'CONSUME')` },
    { name: 'credit_entry_one_purchase', properties: ['lot'], where: `kind = 'PURCHASE'` },
  ],
  indexes: [{ properties: ['lot'] }, { properties: ['client', 'trainer', 'createdAt'] }],
  checks: [
    {
      name: 'credit_entry_delta_matches_kind',
      expression: `(kind = 'PURCHASE' and delta > 0) or (kind = 'RESERVE' and delta = -1) or (kind = 'RELEASE' and delta = 1) or (kind = 'CONSUME' and delta = 0) or (kind = 'EXPIRE' and delta < 0)`,
    },
    { name: 'credit_entry_booking_matches_kind', expression: `(booking_id is not null) = (kind in ('RESERVE', 'RELEASE', 'CONSUME'))` },
  ],
  triggers: [
    { name: 'credit_entry_apply', timing: 'after', events: ['insert'], body: CREDIT_ENTRY_APPLY_BODY },
    { name: 'credit_entry_append_only', timing: 'before', events: ['update', 'delete'], body: CREDIT_ENTRY_APPEND_ONLY_BODY },
  ],
  properties: {
    id: p.integer().primary(),
    lot: () => p.manyToOne(CreditLot),
    client: () => p.manyToOne(User),
    trainer: () => p.manyToOne(Trainer),
    kind: p.enum(CREDIT_ENTRY_KINDS),
    delta: p.integer(),
    booking: () => p.manyToOne(Booking).nullable().deleteRule('restrict'),
    note: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type CreditEntry = InferEntity<typeof CreditEntry>;
