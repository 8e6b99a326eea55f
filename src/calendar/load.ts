import type { EntityManager } from '@mikro-orm/postgresql';
import { Booking } from '../db/entities';
import type { CalendarBooking } from './calendar';

/** How far back a feed reaches: recent sessions stay visible for a month. */
export const FEED_DAYS_BACK = 30;

function toCalendarBooking(row: Booking): CalendarBooking {
  return {
    bookingId: row.id,
    bookingRequestId: row.bookingRequest.id,
    seriesId: row.series?.id ?? null,
    sessionType: row.sessionType,
    durationMinutes: row.durationMinutes,
    pricePerHour: Number(row.pricePerHour),
    totalCost: Number(row.totalCost),
    trainerName: row.trainer.user.fullName,
    trainerEmail: row.trainer.user.email ?? null,
    clientName: row.client.fullName,
    clientEmail: row.client.email ?? null,
    location: row.location ?? null,
    locationType: row.locationType,
    status: row.status,
    cancellationReason: row.cancellationReason ?? null,
    sequence: row.calendarSequence,
    calendarKey: row.calendarKey,
    startTime: row.startTime,
    endTime: row.endTime,
  };
}

const POPULATE = ['trainer.user', 'client'] as const;

/**
 * The bookings' calendar data, read fresh from the database (a new fork: the identity map
 * never hides a sequence the trigger just raised), in start order; unknown ids are left out.
 */
export async function loadCalendarBookings(em: EntityManager, bookingIds: readonly number[]): Promise<CalendarBooking[]> {
  if (bookingIds.length === 0) return [];
  const rows = await em.fork().find(Booking, { id: { $in: [...new Set(bookingIds)] } }, { populate: POPULATE, orderBy: { startTime: 'asc', id: 'asc' } });
  return rows.map(toCalendarBooking);
}

/** The booking behind a `.ics` link key, or null (also for a key that is not a UUID). */
export async function loadCalendarBookingByKey(em: EntityManager, calendarKey: string): Promise<CalendarBooking | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(calendarKey)) return null;
  const row = await em.fork().findOne(Booking, { calendarKey: calendarKey.toLowerCase() }, { populate: POPULATE });
  return row ? toCalendarBooking(row) : null;
}

/** A user's feed: every booking they take part in (as client or trainer) that ends after `now` − 30 days, cancelled ones included. */
export async function loadFeedBookings(em: EntityManager, userId: number, now: Date = new Date()): Promise<CalendarBooking[]> {
  const since = new Date(now.getTime() - FEED_DAYS_BACK * 24 * 60 * 60 * 1000);
  const rows = await em
    .fork()
    .find(Booking, { $or: [{ client: userId }, { trainer: { user: userId } }], endTime: { $gte: since } }, { populate: POPULATE, orderBy: { startTime: 'asc', id: 'asc' } });
  return rows.map(toCalendarBooking);
}
