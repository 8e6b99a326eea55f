import type { EntityManager } from '@mikro-orm/postgresql';
import { readBookingCredits } from '../credits/booking-credit';
import type { BookingSummary } from '../../workflows/contract';

/**
 * Every booking of a series as the workflow sees bookings, in time order, with its current
 * status (a cancelled occurrence stays in its series, with no slots), and for those a
 * credit paid for, the credit and its ledger entries.
 */
export async function readSeriesBookings(em: EntityManager, seriesId: number): Promise<BookingSummary[]> {
  const rows = await em.getConnection().execute<
    { id: number; start_time: Date | string; end_time: Date | string; duration_minutes: number; total_cost: string | number; status: string; slot_ids: number[] | null }[]
  >(
    `select b.id, b.start_time, b.end_time, b.duration_minutes, b.total_cost, b.status,
            (select array_agg(s.id order by s.start_time) from time_slot s where s.booking_id = b.id) as slot_ids
       from booking b where b.series_id = ? order by b.start_time, b.id`,
    [seriesId],
  );
  const credits = await readBookingCredits(em, rows.map((row) => row.id));
  return rows.map((row) => ({
    bookingId: row.id,
    startTime: new Date(row.start_time).toISOString(),
    endTime: new Date(row.end_time).toISOString(),
    durationMinutes: row.duration_minutes,
    slotIds: row.slot_ids ?? [],
    totalCost: Number(row.total_cost),
    status: row.status,
    ...(credits.has(row.id) ? { credit: credits.get(row.id)!.credit, ledger: credits.get(row.id)!.ledger } : {}),
  }));
}
