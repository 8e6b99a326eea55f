import type { EntityManager } from '@mikro-orm/postgresql';
import { TrainerNotFoundError } from '../domain/errors';
import { Trainer, TrainerPolicyRecord } from '../db/entities';
import { PolicyRefusalError } from '../domain/policy/errors';
import { BOOLEAN_POLICY_FIELDS, NUMERIC_POLICY_FIELDS, withDefaults, type PolicyField, type PolicyFields, type TrainerPolicy } from '../domain/policy/policy';
import { checkPolicyValid, type ClientLoad } from '../domain/policy/rules';
import type { PolicyPatch } from './policy-patch';

export { TrainerNotFoundError } from '../domain/errors';

/** A trainer's policy as the rules use it, and which fields the trainer chose (the rest are defaults). */
export interface StoredPolicy {
  policy: TrainerPolicy;
  customized: PolicyField[];
}

type StoredFields = PolicyFields;

/** Every stored field of a policy: the numbers, the approval mode and the credit rules. */
const STORED_FIELDS: PolicyField[] = [...NUMERIC_POLICY_FIELDS, 'approvalMode', ...BOOLEAN_POLICY_FIELDS];

const customizedFields = (row: StoredFields | null): PolicyField[] =>
  row ? STORED_FIELDS.filter((field) => row[field] !== null && row[field] !== undefined) : [];

const columnOf = (field: PolicyField): string => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/**
 * The select list of a `trainer_policy` row joined as `alias`, named as PolicyFields, for
 * hot paths that read the policy in a statement they run anyway (the reservation's request
 * row): `withDefaults(row)` then gives the policy. A missing row reads as all nulls, the defaults.
 */
export const policySelectList = (alias: string): string =>
  STORED_FIELDS.map((field) => `${alias}.${columnOf(field)} as "${field}"`).join(', ');

/** The trainer's policy; defaults when the trainer never set one (or the trainer does not exist). */
export async function loadPolicy(em: EntityManager, trainerId: number): Promise<TrainerPolicy> {
  return (await loadStoredPolicy(em, trainerId)).policy;
}

export async function loadStoredPolicy(em: EntityManager, trainerId: number): Promise<StoredPolicy> {
  const row = await em.findOne(TrainerPolicyRecord, { trainer: trainerId }, { refresh: true });
  return { policy: withDefaults(row), customized: customizedFields(row) };
}

/**
 * Applies a patch (a number sets a field, null returns it to the default, a missing key
 * leaves it) in one transaction with the trainer's policy row locked, so two concurrent
 * changes of different fields both survive. The merged policy must be valid as a whole
 * (`checkPolicyValid`), else nothing is written and a PolicyRefusalError names the field.
 */
export async function savePolicy(em: EntityManager, trainerId: number, patch: PolicyPatch): Promise<StoredPolicy> {
  return em.fork().transactional(async (tx) => {
    const conn = tx.getConnection();
    const [trainer] = await conn.execute<{ id: number }[]>('select id from trainer where id = ? for key share', [trainerId], 'all', tx.getTransactionContext());
    if (!trainer) throw new TrainerNotFoundError(trainerId);
    await conn.execute('insert into trainer_policy (trainer_id, updated_at) values (?, now()) on conflict (trainer_id) do nothing', [trainerId], 'run', tx.getTransactionContext());
    const [row] = await conn.execute<Record<string, unknown>[]>('select * from trainer_policy where trainer_id = ? for update', [trainerId], 'all', tx.getTransactionContext());
    const record = tx.map(TrainerPolicyRecord, row!);
    const next: StoredFields = {};
    for (const field of STORED_FIELDS) {
      const value = field in patch ? patch[field] : record[field];
      (next as Record<string, unknown>)[field] = value ?? null;
    }
    const policy = withDefaults(next);
    const refusal = checkPolicyValid(policy);
    if (refusal) throw new PolicyRefusalError(refusal);
    tx.assign(record, next);
    record.updatedAt = new Date();
    await tx.flush();
    return { policy, customized: customizedFields(next) };
  });
}

/**
 * What a client already holds, for `checkClientLimits`: pending requests that have not
 * expired (all trainers, and with this trainer) and active bookings that have not started.
 * Counting and then inserting is only race-free inside one transaction that first called
 * `lockClientLoad`.
 */
export async function countClientLoad(em: EntityManager, clientId: number, trainerId: number, now: Date): Promise<ClientLoad> {
  const [row] = await em.getConnection().execute<{ pending: string; pair: string; upcoming: string }[]>(
    `select (select count(*) from booking_request where client_id = ? and status = 'PENDING' and expires_at > ?) as pending,
            (select count(*) from booking_request where client_id = ? and trainer_id = ? and status = 'PENDING' and expires_at > ?) as pair,
            (select count(*) from booking where client_id = ? and status in ('PENDING', 'CONFIRMED') and start_time > ?) as upcoming`,
    [clientId, now, clientId, trainerId, now, clientId, now],
    'all',
    em.getTransactionContext(),
  );
  return { pendingRequests: Number(row?.pending ?? 0), pendingWithTrainer: Number(row?.pair ?? 0), upcomingBookings: Number(row?.upcoming ?? 0) };
}

/** Key space of the advisory locks below (an arbitrary constant: "CLNT"). */
const CLIENT_LOAD_LOCK_SPACE = 0x434c4e54;

/**
 * Serialises "count the client's load, then add a request" per client: a transaction-scoped
 * advisory lock, released at commit or rollback. Call it inside the transaction that counts
 * and inserts, so two concurrent requests of one client cannot both pass a limit of one.
 */
export async function lockClientLoad(em: EntityManager, clientId: number): Promise<void> {
  await em.getConnection().execute('select pg_advisory_xact_lock(?, ?)', [CLIENT_LOAD_LOCK_SPACE, clientId], 'all', em.getTransactionContext());
}

export async function trainerExists(em: EntityManager, trainerId: number): Promise<boolean> {
  return (await em.count(Trainer, trainerId)) > 0;
}
