import type { EntityManager } from '@mikro-orm/postgresql';
import { Booking } from '../db/entities';
import { issueFeedToken, revokeFeedTokens } from './feed-tokens';
import { bookingCalendarUrl, calendarFeedUrl } from './links';

/**
 * What a chat (or any other door) calls, one function each: a user's new feed URL (shown
 * once; the previous one stops working), its revocation, and a booking's .ics link.
 */
export async function issueCalendarFeedUrl(em: EntityManager, userId: number, baseUrl: string): Promise<string> {
  return calendarFeedUrl(baseUrl, (await issueFeedToken(em, userId)).token);
}

/** Ends every feed URL of the user; true when there was one. */
export async function revokeCalendarFeedUrl(em: EntityManager, userId: number): Promise<boolean> {
  return (await revokeFeedTokens(em, userId)) > 0;
}

/** The link to one booking's .ics (`<base>/calendar/bookings/<calendar_key>.ics`), or null for an unknown booking. */
export async function bookingCalendarLink(em: EntityManager, bookingId: number, baseUrl: string): Promise<string | null> {
  const row = await em.fork().findOne(Booking, bookingId, { fields: ['calendarKey'] });
  return row ? bookingCalendarUrl(baseUrl, row.calendarKey) : null;
}
