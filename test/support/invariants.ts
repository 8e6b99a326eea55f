import type { EntityManager } from '@mikro-orm/postgresql';

export interface InvariantReport {
  violations: string[];
  activeBookings: number;
  approvedRequests: number;
  pendingRequests: number;
}

/**
 * The no-double-booking invariants (with the trainer's buffers and the client's own
 * calendar), checked in SQL against what is really stored, for
 * one trainer (or all when `trainerId` is omitted). Each query returns offending rows.
 */
export async function checkBookingInvariants(em: EntityManager, trainerId?: number): Promise<InvariantReport> {
  const conn = em.getConnection();
  // Limits a query to the trainer's rows (of the table behind `alias`), or to all rows.
  const scope = (alias?: string): string => (trainerId === undefined ? 'true' : `${alias ? `${alias}.` : ''}trainer_id = ${Number(trainerId)}`);
  const checks: Record<string, string> = {
    'booked slot without a live booking': `
      select s.id from time_slot s left join booking b on b.id = s.booking_id
      where ${scope('s')} and s.is_booked and (b.id is null or b.status in ('CANCELLED', 'LATE_CANCELLED'))`,
    'slot owned by a booking of another trainer': `
      select s.id from time_slot s join booking b on b.id = s.booking_id where ${scope('s')} and b.trainer_id <> s.trainer_id`,
    'overlapping active bookings': `
      select a.id, b.id from booking a join booking b on a.trainer_id = b.trainer_id and a.id < b.id
      where ${scope('a')} and a.status in ('PENDING', 'CONFIRMED') and b.status in ('PENDING', 'CONFIRMED')
        and tstzrange(a.start_time, a.end_time) && tstzrange(b.start_time, b.end_time)`,
    'active booking whose slots do not exactly cover it': `
      select b.id from booking b left join lateral (
        select count(*) as n, min(s.start_time) as first_start, max(s.end_time) as last_end,
               sum(extract(epoch from s.end_time - s.start_time)) as covered_seconds,
               max(s.start_time) as last_start
        from time_slot s where s.booking_id = b.id) cover on true
      where ${scope('b')} and b.status in ('PENDING', 'CONFIRMED')
        and (cover.n = 0 or cover.first_start <> b.start_time or cover.last_end < b.end_time
             or cover.last_start >= b.end_time
             or cover.covered_seconds <> extract(epoch from cover.last_end - cover.first_start))`,
    'blocked range not covering its booking': `
      select b.id from booking b where ${scope('b')} and (b.blocked_start > b.start_time or b.blocked_end < b.end_time)`,
    'active bookings closer than the buffers': `
      select a.id, b.id from booking a join booking b on a.trainer_id = b.trainer_id and a.id < b.id
      where ${scope('a')} and a.status in ('PENDING', 'CONFIRMED') and b.status in ('PENDING', 'CONFIRMED')
        and tstzrange(a.blocked_start, a.blocked_end) && tstzrange(b.blocked_start, b.blocked_end)`,
    'overlapping active bookings of one client': `
      select a.id, b.id from booking a join booking b on a.client_id = b.client_id and a.id < b.id
      where (${scope('a')} or ${scope('b')}) and a.status in ('PENDING', 'CONFIRMED') and b.status in ('PENDING', 'CONFIRMED')
        and tstzrange(a.start_time, a.end_time) && tstzrange(b.start_time, b.end_time)`,
    'cancelled booking still owning slots': `
      select b.id from booking b join time_slot s on s.booking_id = b.id where ${scope('b')} and b.status in ('CANCELLED', 'LATE_CANCELLED')`,
    'booking without exactly one session': `
      select b.id from booking b where ${scope('b')} and (select count(*) from training_session t where t.booking_id = b.id) <> 1`,
    'approved request without a booking': `
      select r.id from booking_request r where ${scope('r')} and r.status = 'APPROVED' and not exists (select 1 from booking b where b.booking_request_id = r.id)`,
    'booking of a request that is not approved': `
      select b.id from booking b join booking_request r on r.id = b.booking_request_id where ${scope('b')} and r.status <> 'APPROVED'`,
    // Weekly series (issue 12): booked whole or, in AVAILABLE_ONLY mode, as PARTIAL; never half.
    // (An occurrence cancelled later stays a row of its series, so "exists" is a count.)
    'all-or-nothing series not booked whole': `
      select s.id from booking_series s where ${scope('s')} and (s.conflict_mode = 'ALL_OR_NOTHING') and (s.status = 'PARTIAL'
        or (select count(*) from booking b where b.series_id = s.id) <> s.occurrence_count)`,
    'series without bookings, or with more than it asked for': `
      select s.id from booking_series s where ${scope('s')}
        and (select count(*) from booking b where b.series_id = s.id) not between 1 and s.occurrence_count`,
    'series status not matching its bookings': `
      select s.id from booking_series s where ${scope('s')} and (
        (s.status = 'CONFIRMED' and (select count(*) from booking b where b.series_id = s.id) <> s.occurrence_count)
        or (s.status = 'PARTIAL' and (select count(*) from booking b where b.series_id = s.id) >= s.occurrence_count)
        or (s.status = 'CANCELLED' and exists (select 1 from booking b where b.series_id = s.id and b.status in ('PENDING', 'CONFIRMED'))))`,
    'occurrence not matching its series (trainer, client, request, duration, rule)': `
      select b.id from booking b join booking_series s on s.id = b.series_id
      where ${scope('b')} and (b.trainer_id <> s.trainer_id or b.client_id <> s.client_id or b.booking_request_id <> s.booking_request_id
        or b.duration_minutes <> s.duration_minutes or not b.is_recurring or b.recurring_pattern is distinct from s.rrule)`,
    'recurring booking outside a series': `
      select b.id from booking b where ${scope('b')} and b.is_recurring and b.series_id is null`,
    'series of a request that is not approved': `
      select s.id from booking_series s join booking_request r on r.id = s.booking_request_id where ${scope('s')} and r.status <> 'APPROVED'`,
  };
  const violations: string[] = [];
  for (const [name, sql] of Object.entries(checks)) {
    const rows = await conn.execute<Record<string, unknown>[]>(sql);
    if (rows.length > 0) violations.push(`${name}: ${JSON.stringify(rows.slice(0, 5))}`);
  }
  const [counts] = await conn.execute<{ active: string; approved: string; pending: string }[]>(`
    select (select count(*) from booking where ${scope()} and status in ('PENDING', 'CONFIRMED')) as active,
           (select count(*) from booking_request where ${scope()} and status = 'APPROVED') as approved,
           (select count(*) from booking_request where ${scope()} and status = 'PENDING') as pending`);
  return {
    violations,
    activeBookings: Number(counts?.active),
    approvedRequests: Number(counts?.approved),
    pendingRequests: Number(counts?.pending),
  };
}
