// Calendars over HTTP (issue 14): the secret feed URL, one booking's .ics, issuing and revoking.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at } from '../support/time';
import { parseIcs } from '../calendar/support/parse-ics';
import { createPerson, createTrainerPerson, flexibleBody, SLOT_DAY, startApiHarness, type ApiHarness } from './support/api-harness';
import type { Answer, Approval, RequestView } from './support/api-types';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** A plain GET without a token: what a calendar app does. */
async function getIcs(path: string): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(`${h.api.url}${path}`);
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

async function calendarKeyOf(bookingId: number): Promise<string> {
  const rows = await h.db.orm.em.getConnection().execute<{ calendar_key: string }[]>(`select calendar_key from booking where id = ?`, [bookingId]);
  return rows[0]!.calendar_key;
}

async function confirmedBooking() {
  const em = h.db.orm.em.fork();
  const trainer = await createTrainerPerson(em);
  const client = await createPerson(em, 'CLIENT');
  const created = await h.call<Answer<RequestView>>('POST', '/booking-requests/', { token: client.token, body: flexibleBody(trainer.trainerId) });
  const approved = await h.call<Answer<Approval>>('PUT', `/booking-requests/${created.body.id}/approve`, { token: trainer.token, body: { status: 'APPROVED', confirmed_date: at(SLOT_DAY, 10) } });
  expect(approved.status).toBe(200);
  return { trainer, client, bookingId: approved.body.booking_id as number };
}

describe('GET /calendar/bookings/{calendar_key}.ics', () => {
  it("serves the booking's event; the UID stays and SEQUENCE grows across a reschedule and a cancel", async () => {
    const { client, bookingId } = await confirmedBooking();
    const path = `/calendar/bookings/${await calendarKeyOf(bookingId)}.ics`;
    const first = await getIcs(path);
    expect(first.status).toBe(200);
    expect(first.type).toBe('text/calendar; charset=utf-8');
    const [created] = parseIcs(first.text).events;
    expect(created).toMatchObject({ uid: `booking-${bookingId}@trainer-booking`, sequence: 0, status: 'CONFIRMED', location: 'Gym Studio' });
    expect(created!.start).toEqual(new Date(at(SLOT_DAY, 10)));

    expect((await h.call('POST', `/bookings/${bookingId}/reschedule`, { token: client.token, body: { new_start_time: at(SLOT_DAY, 13) } })).status).toBe(200);
    const [moved] = parseIcs((await getIcs(path)).text).events;
    expect(moved!.uid).toBe(created!.uid);
    expect(moved!.sequence).toBeGreaterThan(created!.sequence);
    expect(moved!.start).toEqual(new Date(at(SLOT_DAY, 13)));

    expect((await h.call('POST', `/bookings/${bookingId}/cancel`, { token: client.token, body: { reason: 'ill' } })).status).toBe(200);
    const [cancelled] = parseIcs((await getIcs(path)).text).events;
    expect(cancelled!.uid).toBe(created!.uid);
    expect(cancelled!.sequence).toBeGreaterThan(moved!.sequence);
    expect(cancelled!.status).toBe('CANCELLED');
  });

  it('an unknown or malformed key is 404', async () => {
    expect((await getIcs('/calendar/bookings/00000000-0000-4000-8000-000000000000.ics')).status).toBe(404);
    expect((await getIcs('/calendar/bookings/nope.ics')).status).toBe(404);
  });
});

describe('the feed URL', () => {
  it('is issued once, lists the caller\'s bookings, and answers 404 once revoked or replaced', async () => {
    const { client, bookingId } = await confirmedBooking();
    expect((await h.call('POST', '/calendar/feed-token')).status).toBe(401);
    const issued = await h.call<{ feed_url: string; message: string }>('POST', '/calendar/feed-token', { token: client.token });
    expect(issued.status).toBe(201);
    expect(issued.body.message).toContain(issued.body.feed_url);
    const path = new URL(issued.body.feed_url).pathname;
    expect(path).toMatch(/^\/calendar\/tbc_[\w-]{43}\.ics$/);

    const feed = await getIcs(path);
    expect(feed.status).toBe(200);
    expect(feed.type).toBe('text/calendar; charset=utf-8');
    const calendar = parseIcs(feed.text);
    expect(calendar.method).toBe('PUBLISH');
    expect(calendar.events.map((e) => [e.uid, e.status])).toEqual([[`booking-${bookingId}@trainer-booking`, 'CONFIRMED']]);

    // A new URL replaces the old one.
    const again = await h.call<{ feed_url: string }>('POST', '/calendar/feed-token', { token: client.token });
    expect((await getIcs(path)).status).toBe(404);
    const newPath = new URL(again.body.feed_url).pathname;
    expect((await getIcs(newPath)).status).toBe(200);

    const revoked = await h.call<{ revoked: boolean }>('DELETE', '/calendar/feed-token', { token: client.token });
    expect(revoked.body).toMatchObject({ revoked: true });
    const gone = await getIcs(newPath);
    expect(gone.status).toBe(404);
    expect(JSON.parse(gone.text)).toEqual({ statusCode: 404, error: 'not_found', message: 'There is no such calendar.' });
    expect((await h.call<{ revoked: boolean }>('DELETE', '/calendar/feed-token', { token: client.token })).body).toMatchObject({ revoked: false });
    expect((await getIcs('/calendar/tbc_never-issued.ics')).status).toBe(404);
  });

  it('the bootstrap admin has no feed (403)', async () => {
    expect((await h.call('POST', '/calendar/feed-token', { token: h.adminToken })).status).toBe(403);
  });
});
