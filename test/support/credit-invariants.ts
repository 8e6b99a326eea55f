import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * The credit ledger's invariants (issue 13), checked in SQL against what is stored, for one
 * trainer (or all when `trainerId` is omitted). Each query returns offending rows; an empty
 * list means the ledger is sound:
 * - each lot's `available` is the sum of its entries' deltas, between 0 and its sessions,
 *   and it was filled by exactly one PURCHASE of its sessions;
 * - every entry's client and trainer are its lot's, and a RESERVE pays for a booking of that
 *   client and trainer that the lot covers;
 * - each booking is reserved at most once and settled at most once, only after a RESERVE
 *   in the same lot;
 * - a booking that ended (cancelled, completed, no-show) holds no credit any more
 *   (`endedBookingsSettled`, on by default; off for tests that end bookings without the ledger);
 * - with `now`: no lot past its expiry still has credits to book with (after `expireLots(now)`).
 */
export async function checkCreditInvariants(em: EntityManager, options: { trainerId?: number; now?: Date; endedBookingsSettled?: boolean } = {}): Promise<string[]> {
  const conn = em.getConnection();
  const scope = (alias: string): string => (options.trainerId === undefined ? 'true' : `${alias}.trainer_id = ${Number(options.trainerId)}`);
  const checks: Record<string, string> = {
    'lot whose available is not the sum of its entries': `
      select l.id, l.available, coalesce(sum(e.delta), 0) as sum from credit_lot l left join credit_entry e on e.lot_id = l.id
      where ${scope('l')} group by l.id having l.available <> coalesce(sum(e.delta), 0)`,
    'lot outside 0..sessions': `select l.id from credit_lot l where ${scope('l')} and (l.available < 0 or l.available > l.sessions)`,
    'lot without exactly one PURCHASE of its sessions': `
      select l.id from credit_lot l where ${scope('l')}
        and (select count(*) from credit_entry e where e.lot_id = l.id and e.kind = 'PURCHASE' and e.delta = l.sessions) <> 1`,
    'entry of another client or trainer than its lot': `
      select e.id from credit_entry e join credit_lot l on l.id = e.lot_id where ${scope('l')} and (e.client_id <> l.client_id or e.trainer_id <> l.trainer_id)`,
    'reserve for a booking the lot cannot pay for': `
      select e.id from credit_entry e join credit_lot l on l.id = e.lot_id join booking b on b.id = e.booking_id
      where ${scope('l')} and e.kind = 'RESERVE'
        and (b.client_id <> l.client_id or b.trainer_id <> l.trainer_id or b.duration_minutes > l.session_minutes)`,
    'booking reserved more than once': `
      select e.booking_id from credit_entry e where ${scope('e')} and e.kind = 'RESERVE' group by e.booking_id having count(*) > 1`,
    'booking settled more than once': `
      select e.booking_id from credit_entry e where ${scope('e')} and e.kind in ('RELEASE', 'CONSUME') group by e.booking_id having count(*) > 1`,
    'settlement without an earlier reserve in its lot': `
      select s.id from credit_entry s where ${scope('s')} and s.kind in ('RELEASE', 'CONSUME')
        and not exists (select 1 from credit_entry r where r.booking_id = s.booking_id and r.kind = 'RESERVE' and r.lot_id = s.lot_id and r.id < s.id)`,
  };
  if (options.endedBookingsSettled ?? true) {
    checks['ended booking still holding a credit'] = `
      select b.id from credit_entry r join booking b on b.id = r.booking_id
      where ${scope('r')} and r.kind = 'RESERVE' and b.status in ('CANCELLED', 'LATE_CANCELLED', 'COMPLETED', 'NO_SHOW')
        and not exists (select 1 from credit_entry s where s.booking_id = r.booking_id and s.kind in ('RELEASE', 'CONSUME'))`;
  }
  if (options.now) {
    checks['expired lot with credits to book with'] = `select l.id from credit_lot l where ${scope('l')} and l.expires_at < '${options.now.toISOString()}'::timestamptz and l.available > 0`;
  }
  const violations: string[] = [];
  for (const [name, sql] of Object.entries(checks)) {
    const rows = await conn.execute<Record<string, unknown>[]>(sql);
    if (rows.length > 0) violations.push(`${name}: ${JSON.stringify(rows.slice(0, 5))}`);
  }
  return violations;
}
