// Calendars (issue 14): what buildCalendar writes, read back with ical.js; the loader over
// real PostgreSQL; the sequence trigger; feed secrets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingCalendarLink, buildCalendar, issueCalendarFeedUrl, issueFeedToken, revokeCalendarFeedUrl, loadCalendarBookingByKey, loadCalendarBookings, loadFeedBookings, resolveFeedToken, revokeFeedTokens, type CalendarBooking } from '../../src/calendar';
import { Booking, User } from '../../src/db/entities';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createClient, createRequest, createTrainer } from '../support/fixtures';
import { atDate, dayAhead, plusDays } from '../support/time';
import { parseIcs } from './support/parse-ics';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.drop());

/** A Berlin trainer with an e-mail, a client with one, and a booking at `start` (a Date). */
async function bookingAt(start: Date, minutes = 60): Promise<{ booking: Booking; trainerUserId: number; clientId: number }> {
  const em = db.orm.em.fork();
  const trainer = await createTrainer(em, { timeZone: 'Europe/Berlin' });
  trainer.user.email = `${trainer.user.username}@example.com`;
  const client = await createClient(em);
  client.email = `${client.username}@example.com`;
  const request = await createRequest(em, trainer, client);
  request.status = 'APPROVED';
  const booking = em.create(Booking, {
    bookingRequest: request,
    client,
    trainer,
    sessionType: 'Strength Training',
    durationMinutes: minutes,
    startTime: start,
    endTime: new Date(start.getTime() + minutes * 60_000),
    pricePerHour: 60,
    totalCost: minutes,
    location: 'Test Gym, Hall 2',
  });
  await em.flush();
  return { booking, trainerUserId: trainer.user.id, clientId: client.id };
}

async function sequenceOf(bookingId: number): Promise<number> {
  const rows = await db.orm.em.getConnection().execute<{ calendar_sequence: number }[]>(`select calendar_sequence from booking where id = ?`, [bookingId]);
  return rows[0]!.calendar_sequence;
}

describe('buildCalendar, read back with ical.js', () => {
  it('writes 18:00 Berlin as 17:00 UTC before the last Sunday of March and 16:00 UTC after it', async () => {
    // 2027-03-28 is the last Sunday of March: Berlin moves from UTC+1 to UTC+2.
    const before = await bookingAt(atDate('2027-03-25', 18, 0, 'Europe/Berlin'));
    const after = await bookingAt(atDate('2027-04-01', 18, 0, 'Europe/Berlin'));
    const bookings = await loadCalendarBookings(db.orm.em, [after.booking.id, before.booking.id]);
    const calendar = parseIcs(buildCalendar({ method: 'REQUEST', bookings }));
    expect(calendar.method).toBe('REQUEST');
    expect(calendar.events.map((e) => [e.start.toISOString(), e.end.toISOString()])).toEqual([
      ['2027-03-25T17:00:00.000Z', '2027-03-25T18:00:00.000Z'],
      ['2027-04-01T16:00:00.000Z', '2027-04-01T17:00:00.000Z'],
    ]);
    // Written as UTC instants, so no calendar needs our zone data to place them.
    expect(calendar.events.every((e) => e.startText.endsWith('Z'))).toBe(true);
  });

  it('names the session, the trainer as organizer, the client as attendee, the place and the details', async () => {
    const { booking } = await bookingAt(atDate('2027-05-04', 9), 90);
    const [loaded] = await loadCalendarBookings(db.orm.em, [booking.id]);
    const event = parseIcs(buildCalendar({ method: 'REQUEST', bookings: [loaded!] })).events[0]!;
    expect(event.uid).toBe(`booking-${booking.id}@trainer-booking`);
    expect(event.sequence).toBe(0);
    expect(event.summary).toBe(`Strength Training with ${loaded!.trainerName}`);
    expect(event.organizer).toBe(`mailto:${loaded!.trainerEmail}`);
    expect(event.attendees).toEqual([`mailto:${loaded!.clientEmail}`]);
    expect(event.location).toBe('Test Gym, Hall 2');
    expect(event.status).toBe('CONFIRMED');
    expect(event.description).toContain('90 minutes');
    expect(event.description).toContain('Price: 90.00 (60.00 per hour)');
    expect(event.description).toContain(`request #${loaded!.bookingRequestId}`);
  });

  it('a trainer without an e-mail: the fallback address organizes, or no ORGANIZER at all', async () => {
    const { booking } = await bookingAt(atDate('2027-05-05', 9));
    const [loaded] = await loadCalendarBookings(db.orm.em, [booking.id]);
    const without: CalendarBooking = { ...loaded!, trainerEmail: null, clientEmail: null };
    expect(parseIcs(buildCalendar({ method: 'REQUEST', bookings: [without], organizerFallbackEmail: 'bookings@example.com' })).events[0]!.organizer).toBe('mailto:bookings@example.com');
    const bare = parseIcs(buildCalendar({ method: 'PUBLISH', bookings: [without] })).events[0]!;
    expect([bare.organizer, bare.attendees]).toEqual([null, []]);
  });
});

describe('calendar_sequence', () => {
  it('the trigger raises it when times, status or location change, even by raw SQL, and not otherwise', async () => {
    const { booking } = await bookingAt(atDate('2027-06-01', 10));
    const sql = db.orm.em.getConnection();
    expect(await sequenceOf(booking.id)).toBe(0);
    await sql.execute(`update booking set notes = 'bring water' where id = ?`, [booking.id]);
    expect(await sequenceOf(booking.id)).toBe(0);
    await sql.execute(`update booking set start_time = start_time + interval '1 hour', end_time = end_time + interval '1 hour' where id = ?`, [booking.id]);
    expect(await sequenceOf(booking.id)).toBe(1);
    await sql.execute(`update booking set location = 'Park' where id = ?`, [booking.id]);
    expect(await sequenceOf(booking.id)).toBe(2);
    await sql.execute(`update booking set status = 'CANCELLED' where id = ?`, [booking.id]);
    expect(await sequenceOf(booking.id)).toBe(3);
    const [loaded] = await loadCalendarBookings(db.orm.em, [booking.id]);
    const event = parseIcs(buildCalendar({ method: 'CANCEL', bookings: [loaded!] })).events[0]!;
    expect([event.sequence, event.status, event.start.toISOString()]).toEqual([3, 'CANCELLED', '2027-06-01T11:00:00.000Z']);
  });

  it('every booking has its own calendar key; an unknown or malformed key finds nothing', async () => {
    const one = await bookingAt(atDate('2027-06-02', 10));
    const two = await bookingAt(atDate('2027-06-02', 12));
    const [a, b] = await loadCalendarBookings(db.orm.em, [one.booking.id, two.booking.id]);
    expect(a!.calendarKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(a!.calendarKey).not.toBe(b!.calendarKey);
    expect((await loadCalendarBookingByKey(db.orm.em, a!.calendarKey))?.bookingId).toBe(one.booking.id);
    expect(await loadCalendarBookingByKey(db.orm.em, '00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await loadCalendarBookingByKey(db.orm.em, 'not-a-key')).toBeNull();
  });
});

describe('feeds', () => {
  it('lists upcoming and recent bookings of the user as client and as trainer, cancelled ones as cancelled, not older ones', async () => {
    const today = dayAhead(0);
    const upcoming = await bookingAt(atDate(plusDays(today, 3), 10));
    const em = db.orm.em.fork();
    const client = await em.findOneOrFail(User, upcoming.clientId);
    const make = async (day: string, status: Booking['status']): Promise<number> => {
      const other = await bookingAt(atDate(day, 10));
      // Moved onto the same client: a booking of theirs with another trainer.
      await em.getConnection().execute(`update booking set client_id = ?, status = ? where id = ?`, [client.id, status, other.booking.id]);
      return other.booking.id;
    };
    const recent = await make(plusDays(today, -10), 'COMPLETED');
    const cancelled = await make(plusDays(today, 5), 'CANCELLED');
    const old = await make(plusDays(today, -40), 'COMPLETED');

    const feed = parseIcs(buildCalendar({ method: 'PUBLISH', bookings: await loadFeedBookings(db.orm.em, client.id), name: 'Feed' }));
    expect(feed.method).toBe('PUBLISH');
    const byUid = new Map(feed.events.map((e) => [e.uid, e.status]));
    expect(byUid.get(`booking-${upcoming.booking.id}@trainer-booking`)).toBe('CONFIRMED');
    expect(byUid.get(`booking-${recent}@trainer-booking`)).toBe('CONFIRMED');
    expect(byUid.get(`booking-${cancelled}@trainer-booking`)).toBe('CANCELLED');
    expect(byUid.has(`booking-${old}@trainer-booking`)).toBe(false);
    expect(feed.events).toHaveLength(3);

    // The trainer's feed has their own session too.
    const trainerFeed = await loadFeedBookings(db.orm.em, upcoming.trainerUserId);
    expect(trainerFeed.map((b) => b.bookingId)).toEqual([upcoming.booking.id]);
  });

  it('a feed secret resolves to its user until a new one is issued or it is revoked', async () => {
    const em = db.orm.em.fork();
    const user = await createClient(em);
    const first = await issueFeedToken(db.orm.em.fork(), user.id);
    expect(first.token).toMatch(/^tbc_[\w-]{43}$/);
    expect((await resolveFeedToken(db.orm.em, first.token))?.id).toBe(user.id);
    const second = await issueFeedToken(db.orm.em.fork(), user.id);
    expect(await resolveFeedToken(db.orm.em, first.token)).toBeNull();
    expect((await resolveFeedToken(db.orm.em, second.token))?.id).toBe(user.id);
    expect(await revokeFeedTokens(db.orm.em.fork(), user.id)).toBe(1);
    expect(await resolveFeedToken(db.orm.em, second.token)).toBeNull();
    expect(await revokeFeedTokens(db.orm.em.fork(), user.id)).toBe(0);
    expect(await resolveFeedToken(db.orm.em, 'tbc_unknown')).toBeNull();
    // Only the hash is stored.
    const stored = await db.orm.em.getConnection().execute<{ token_hash: string }[]>(`select token_hash from calendar_feed_token where user_id = ?`, [user.id]);
    expect(stored.map((r) => r.token_hash).some((h) => h.includes(second.token))).toBe(false);
    expect(stored).toHaveLength(2);
  });
});

describe('the doors\' one-call helpers', () => {
  it('issue and revoke a feed URL, and link a booking by its calendar key', async () => {
    const user = await createClient(db.orm.em.fork());
    const url = await issueCalendarFeedUrl(db.orm.em.fork(), user.id, 'https://booking.example.com/');
    expect(url).toMatch(/^https:\/\/booking\.example\.com\/calendar\/tbc_[\w-]{43}\.ics$/);
    const token = /calendar\/(.+)\.ics$/.exec(url)![1]!;
    expect((await resolveFeedToken(db.orm.em, token))?.id).toBe(user.id);
    expect(await revokeCalendarFeedUrl(db.orm.em.fork(), user.id)).toBe(true);
    expect(await resolveFeedToken(db.orm.em, token)).toBeNull();
    expect(await revokeCalendarFeedUrl(db.orm.em.fork(), user.id)).toBe(false);

    const { booking } = await bookingAt(atDate('2027-07-01', 9));
    const [loaded] = await loadCalendarBookings(db.orm.em, [booking.id]);
    expect(await bookingCalendarLink(db.orm.em, booking.id, 'https://booking.example.com')).toBe(`https://booking.example.com/calendar/bookings/${loaded!.calendarKey}.ics`);
    expect(await bookingCalendarLink(db.orm.em, 2_147_483_000, 'https://booking.example.com')).toBeNull();
  });
});
