import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';

/**
 * Every way the stored bookings could be wrong, checked in SQL over the whole database
 * (test/support/invariants.ts checks one trainer; this adds the orphan checks and states each
 * rule on its own, so a failure names exactly what broke). Each query returns offending rows.
 */
const CHECKS: Record<string, string> = {
  'slot covered by two active bookings': `
    select s.id, array_agg(b.id) as bookings from time_slot s
    join booking b on b.trainer_id = s.trainer_id and b.status in ('PENDING', 'CONFIRMED')
      and tstzrange(b.start_time, b.end_time) && tstzrange(s.start_time, s.end_time)
    group by s.id having count(*) > 1`,
  'overlapping active bookings': `
    select a.id, b.id from booking a join booking b on a.trainer_id = b.trainer_id and a.id < b.id
    where a.status in ('PENDING', 'CONFIRMED') and b.status in ('PENDING', 'CONFIRMED')
      and tstzrange(a.start_time, a.end_time) && tstzrange(b.start_time, b.end_time)`,
  'active booking not owning a slot inside its time': `
    select b.id, s.id as slot_id from booking b
    join time_slot s on s.trainer_id = b.trainer_id and tstzrange(s.start_time, s.end_time) && tstzrange(b.start_time, b.end_time)
    where b.status in ('PENDING', 'CONFIRMED') and s.booking_id is distinct from b.id`,
  'booking owning a slot outside its time': `
    select b.id, s.id as slot_id from booking b join time_slot s on s.booking_id = b.id
    where not (tstzrange(s.start_time, s.end_time) && tstzrange(b.start_time, b.end_time))`,
  'active booking whose slots do not run back to back over it': `
    select b.id from booking b left join lateral (
      select count(*) as n, min(s.start_time) as first_start, max(s.end_time) as last_end,
             sum(extract(epoch from s.end_time - s.start_time)) as covered_seconds
      from time_slot s where s.booking_id = b.id) cover on true
    where b.status in ('PENDING', 'CONFIRMED')
      and (cover.n = 0 or cover.first_start <> b.start_time or cover.last_end < b.end_time
           or cover.covered_seconds <> extract(epoch from cover.last_end - cover.first_start))`,
  'booked slot not belonging to a confirmed booking': `
    select s.id, s.booking_id, b.status from time_slot s left join booking b on b.id = s.booking_id
    where (s.is_booked or s.booking_id is not null) and (b.id is null or b.status not in ('CONFIRMED', 'COMPLETED', 'NO_SHOW'))`,
  'slot owned by a booking of another trainer': `
    select s.id from time_slot s join booking b on b.id = s.booking_id where b.trainer_id <> s.trainer_id`,
  'booked slot still held': `
    select id from time_slot where is_booked and lock_owner is not null`,
  'booking whose times disagree with its duration': `
    select id from booking where end_time - start_time <> make_interval(mins => duration_minutes)`,
  'booking without its request': `
    select b.id from booking b left join booking_request r on r.id = b.booking_request_id where r.id is null`,
  'booking that disagrees with its request': `
    select b.id from booking b join booking_request r on r.id = b.booking_request_id
    where b.client_id <> r.client_id or b.trainer_id <> r.trainer_id or b.duration_minutes <> r.duration_minutes
       or r.status <> 'APPROVED' or r.confirmed_date is distinct from b.start_time`,
  'approved request without a booking': `
    select r.id from booking_request r where r.status = 'APPROVED' and not exists (select 1 from booking b where b.booking_request_id = r.id)`,
  'request with more than one booking': `
    select booking_request_id from booking group by booking_request_id having count(*) > 1`,
  'session without its booking': `
    select t.id from training_session t left join booking b on b.id = t.booking_id where b.id is null`,
  'booking without exactly one session': `
    select b.id from booking b where (select count(*) from training_session t where t.booking_id = b.id) <> 1`,
  'session that disagrees with its booking': `
    select t.id from training_session t join booking b on b.id = t.booking_id
    where t.client_id <> b.client_id or t.trainer_id <> b.trainer_id or t.duration_minutes <> b.duration_minutes
       or (b.status = 'CONFIRMED' and (t.status <> 'CONFIRMED' or t.scheduled_date <> b.start_time))
       or (b.status = 'CANCELLED' and t.status <> 'CANCELLED')`,
  'slot held for a request that is no longer pending': `
    select s.id, s.lock_owner, r.status from time_slot s
    join booking_request r on r.workflow_id = s.lock_owner
    where s.locked_until > now() and r.status <> 'PENDING'`,
};

export async function auditBookings(em: EntityManager): Promise<string[]> {
  const conn = em.getConnection();
  const violations: string[] = [];
  for (const [name, sql] of Object.entries(CHECKS)) {
    const rows = await conn.execute<Record<string, unknown>[]>(sql);
    if (rows.length > 0) violations.push(`${name}: ${JSON.stringify(rows.slice(0, 5))} (${rows.length} rows)`);
  }
  return violations;
}

/** Slots still held (an unexpired hold) by a workflow that has closed: nobody will ever release them. */
export async function holdsOfClosedWorkflows(em: EntityManager, client: Client): Promise<string[]> {
  const owners = await em
    .getConnection()
    .execute<{ lock_owner: string }[]>('select distinct lock_owner from time_slot where lock_owner is not null and locked_until > now()');
  const orphaned: string[] = [];
  for (const { lock_owner: owner } of owners) {
    const description = await client.workflow.getHandle(owner).describe().catch(() => undefined);
    if (description?.status.name !== 'RUNNING') orphaned.push(`${owner} (${description?.status.name ?? 'no such workflow'})`);
  }
  return orphaned;
}
