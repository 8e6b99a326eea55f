import type { EntityManager } from '@mikro-orm/postgresql';
import { readBookingCredits } from '../../credits/booking-credit';
import type { Booking } from '../../db/entities';
import type { BookingCredit } from '../../../workflows/contract';
import type { BookingView } from '../schemas/bookings';
import { bookingView } from './booking-view';

/**
 * Which pack credit pays for each booking (`readBookingCredits`: the lot of its RESERVE,
 * unless a RELEASE gave it back; a CONSUME keeps it, the credit paid) with what the client
 * has left for a session like it. Bookings without a credit are absent from the map.
 */
export async function loadBookingCredits(em: EntityManager, bookingIds: readonly number[]): Promise<Map<number, BookingCredit>> {
  const credits = new Map<number, BookingCredit>();
  for (const [bookingId, view] of await readBookingCredits(em, bookingIds)) if (view.credit) credits.set(bookingId, view.credit);
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
