import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';
import { PackageType } from './package-type';
import { Payment } from './payment';
import { Trainer } from './trainer';
import { User } from './user';

/**
 * Guards a lot's row: a new lot starts empty (its PURCHASE entry fills it) and is bought by
 * its own payment (same client, trainer and pack); afterwards the row changes only through
 * the ledger, i.e. the `credit_entry_apply` trigger's UPDATE (trigger depth 2). A direct
 * UPDATE is refused, so `available` can never be edited by hand.
 */
export const CREDIT_LOT_GUARD_BODY = [
  `if tg_op = 'INSERT' then`,
  `if new.available <> 0 then raise exception 'credit_lot: a lot starts empty, its PURCHASE entry fills it' using errcode = '23514', constraint = 'credit_lot_starts_empty'; end if;`,
  `if not exists (select 1 from payment p where p.id = new.payment_id and p.client_id = new.client_id and p.trainer_id = new.trainer_id and p.package_type_id = new.package_type_id) then`,
  `raise exception 'credit_lot: payment % did not buy this pack for this client and trainer', new.payment_id using errcode = '23503', constraint = 'credit_lot_bought_by_payment'; end if;`,
  `elsif pg_trigger_depth() < 2 then`,
  `raise exception 'credit_lot %: a lot changes only through its credit_entry rows', old.id using errcode = '55000';`,
  `end if; return new;`,
].join(' ');

/**
 * What one purchased pack holds (issue 13): `sessions` credits of up to `session_minutes`,
 * valid until `expires_at`. `available` is a cache of the sum of the lot's ledger deltas,
 * written only by the `credit_entry_apply` trigger; the check `credit_lot_available_bounds`
 * (0 ≤ available ≤ sessions) is what makes spending a credit twice impossible, however many
 * transactions try at once: the second RESERVE of the last credit fails inside its own
 * transaction, before anything of it commits.
 */
export const CreditLot = defineEntity({
  name: 'CreditLot',
  tableName: 'credit_lot',
  indexes: [{ properties: ['client', 'trainer', 'expiresAt'] }],
  checks: [
    { name: 'credit_lot_available_bounds', expression: 'available >= 0 and available <= sessions' },
    { name: 'credit_lot_sessions_positive', expression: 'sessions >= 1 and session_minutes >= 1' },
    { name: 'credit_lot_expires_after_purchase', expression: 'expires_at > purchased_at' },
  ],
  triggers: [{ name: 'credit_lot_guard', timing: 'before', events: ['insert', 'update'], body: CREDIT_LOT_GUARD_BODY }],
  properties: {
    id: p.integer().primary(),
    client: () => p.manyToOne(User),
    trainer: () => p.manyToOne(Trainer),
    packageType: () => p.manyToOne(PackageType),
    payment: () => p.oneToOne(Payment).owner().unique(),
    sessions: p.integer(),
    sessionMinutes: p.integer(),
    purchasedAt: p.datetime(),
    expiresAt: p.datetime(),
    available: p.integer().default(0),
  },
});
export type CreditLot = InferEntity<typeof CreditLot>;
