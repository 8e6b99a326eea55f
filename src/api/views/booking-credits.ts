import type { EntityManager } from '@mikro-orm/postgresql';
import type { Booking } from '../../db/entities';
import type { BookingCredit } from '../../../workflows/contract';
import type { BookingView } from '../schemas/bookings';
import { bookingView } from './booking-view';

type When = Date | string;

/**
 * Which pack credit pays for each booking, read from the ledger: the lot of its RESERVE
 * entry, unless a RELEASE gave it back (a CONSUME keeps it: the credit paid). `left` is what
 * the client still has for a session like this one with this trainer. Bookings without a
 * credit are absent from the map.
 */
export async function loadBookingCredits(em: EntityManager, bookingIds: readonly number[]): Promise<Map<number, BookingCredit>> {
  const credits = new Map<number, BookingCredit>();
  if (bookingIds.length === 0) return credits;
  const rows = await em.execute<{ booking_id: number; lot_id: number; expires_at: When; pack_name: string; left: number }[]>(
    `select e.booking_id, e.lot_id, l.expires_at, pt.name as pack_name,
            (select coalesce(sum(x.available), 0)::int from credit_lot x
              where x.client_id = b.client_id and x.trainer_id = b.trainer_id and x.session_minutes >= b.duration_minutes and x.expires_at >= b.start_time) as left
       from credit_entry e join credit_lot l on l.id = e.lot_id join package_type pt on pt.id = l.package_type_id join booking b on b.id = e.booking_id
      where e.kind = 'RESERVE' and e.booking_id in (${bookingIds.map(() => '?').join(', ')})
        and not exists (select 1 from credit_entry r where r.booking_id = e.booking_id and r.kind = 'RELEASE')`,
    [...bookingIds],
  );
  for (const row of rows) {
    credits.set(row.booking_id, { lotId: row.lot_id, packName: row.pack_name, left: Number(row.left), expiresAt: new Date(row.expires_at).toISOString() });
  }
  return credits;
}

/** Booking rows (time slots loaded) as the API shows them, each with the credit that pays for it. */
export async function bookingViews(em: EntityManager, rows: readonly Booking[]): Promise<BookingView[]> {
  const credits = await loadBookingCredits(
    em,
    rows.map((row) => row.id),
  );
  return rows.map((row) => bookingView(row, credits.get(row.id) ?? null));
}

export async function bookingViewWithCredit(em: EntityManager, row: Booking): Promise<BookingView> {
  const [view] = await bookingViews(em, [row]);
  return view!;
}
