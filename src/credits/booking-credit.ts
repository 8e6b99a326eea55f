/**
 * The credit side of a booking as the workflow and its clients see it (issue 13): which
 * pack credit pays for it (`BookingSummary.credit`) and its ledger entries in order
 * (`BookingSummary.ledger`, the state query's). Read through the caller's EntityManager, so
 * the reservation can answer from inside its own transaction.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CreditEntryKind } from '../domain/credits/credits';
import type { BookingCredit, CreditEntryView } from '../../workflows/contract';

type When = Date | string;

export interface BookingCreditView {
  /** The credit that pays for the booking (held or used); null once it was given back. */
  credit: BookingCredit | null;
  /** Its entries, oldest first (RESERVE, then RELEASE or CONSUME). */
  ledger: CreditEntryView[];
}

/**
 * The credit and the entries of each booking that has ledger entries; bookings without any
 * (unpaid) are absent from the map. `left` is what the client still has for a session like
 * this one with this trainer (every fitting lot, after this booking's own entries).
 */
export async function readBookingCredits(em: EntityManager, bookingIds: readonly number[]): Promise<Map<number, BookingCreditView>> {
  const views = new Map<number, BookingCreditView>();
  if (bookingIds.length === 0) return views;
  const rows = await em.execute<
    { id: number; booking_id: number; lot_id: number; kind: CreditEntryKind; delta: number; note: string | null; created_at: When; expires_at: When; pack_name: string; left: number }[]
  >(
    `select e.id, e.booking_id, e.lot_id, e.kind, e.delta, e.note, e.created_at, l.expires_at, pt.name as pack_name,
            (select coalesce(sum(x.available), 0)::int from credit_lot x
              where x.client_id = b.client_id and x.trainer_id = b.trainer_id and x.session_minutes >= b.duration_minutes and x.expires_at >= b.start_time) as left
       from credit_entry e join credit_lot l on l.id = e.lot_id join package_type pt on pt.id = l.package_type_id join booking b on b.id = e.booking_id
      where e.booking_id in (${bookingIds.map(() => '?').join(', ')})
      order by e.booking_id, e.id`,
    [...bookingIds],
  );
  for (const row of rows) {
    const view = views.get(row.booking_id) ?? { credit: null, ledger: [] };
    views.set(row.booking_id, view);
    view.ledger.push({ entryId: row.id, lotId: row.lot_id, kind: row.kind, delta: row.delta, at: new Date(row.created_at).toISOString(), note: row.note });
    if (row.kind === 'RESERVE') view.credit = { lotId: row.lot_id, packName: row.pack_name, left: Number(row.left), expiresAt: new Date(row.expires_at).toISOString() };
    if (row.kind === 'RELEASE') view.credit = null;
  }
  return views;
}

/** One booking's credit and entries, or `{}` when it has none (an unpaid booking's summary stays as it was). */
export async function readBookingCredit(em: EntityManager, bookingId: number): Promise<Partial<BookingCreditView>> {
  return (await readBookingCredits(em, [bookingId])).get(bookingId) ?? {};
}
