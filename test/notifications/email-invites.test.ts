// Calendar invites in e-mails (issue 14): invite.ics on confirmations, moves and cancellations,
// sent through a real SMTP server and read back with ical.js.
import type { ParsedMail } from 'mailparser';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookingRequest } from '../../src/db/entities';
import { Booking } from '../../src/db/entities';
import { EmailNotifier } from '../../src/notifications/email-notifier';
import type { Notification } from '../../src/notifications/notification';
import type { BookingSummary, DecisionOutcome } from '../../workflows/contract';
import { parseIcs, type ParsedCalendar } from '../calendar/support/parse-ics';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createClient, createRequest, createSlots, createTrainer } from '../support/fixtures';
import { startBookingWorker } from '../support/temporal';
import { atDate, dayAhead, plusDays } from '../support/time';
import { startSmtpInbox, type SmtpInbox } from './smtp-inbox';

const FROM = 'Trainer Booking <bookings@example.com>';

let db: TestDatabase;
let inbox: SmtpInbox;
let notifier: EmailNotifier;

beforeAll(async () => {
  db = await createTestDatabase();
  inbox = await startSmtpInbox('mailer', 'secret');
  notifier = new EmailNotifier({ orm: db.orm, smtpUrl: inbox.url, from: FROM });
});
afterAll(async () => {
  notifier?.close();
  await inbox?.close();
  await db?.drop();
});

/** A Berlin trainer and a client, both with e-mail, and their bookings at the given starts (60 min each). */
async function bookings(starts: Date[]) {
  const tag = randomBytes(4).toString('hex');
  const em = db.orm.em.fork();
  const trainer = await createTrainer(em, { timeZone: 'Europe/Berlin' });
  trainer.user.email = `trainer-${tag}@example.com`;
  const client = await createClient(em);
  client.email = `client-${tag}@example.com`;
  // One request per booking: outside a series, a request has one booking (what the invite needs is the bookings).
  const requests: BookingRequest[] = [];
  for (let i = 0; i < starts.length; i++) requests.push(await createRequest(em, trainer, client));
  const rows = starts.map((start, i) =>
    em.create(Booking, { bookingRequest: requests[i]!, client, trainer, sessionType: 'Strength Training', durationMinutes: 60, startTime: start, endTime: new Date(start.getTime() + 3_600_000), pricePerHour: 60, totalCost: 60, location: 'Test Gym' }),
  );
  await em.flush();
  const summaries: BookingSummary[] = rows.map((row) => ({ bookingId: row.id, startTime: row.startTime.toISOString(), endTime: row.endTime.toISOString(), durationMinutes: 60, slotIds: [], totalCost: 60, status: 'CONFIRMED' }));
  return { trainerId: trainer.id, clientId: client.id, requestId: requests[0]?.id ?? 0, trainer, clientEmail: client.email, trainerEmail: trainer.user.email, summaries };
}

let counter = 0;
function notification(kind: Notification['kind'], people: { trainerId: number; clientId: number; requestId: number }, extra: Partial<Notification>): Notification {
  counter += 1;
  return { key: `booking-request-${people.requestId}/${counter}/${kind}`, kind, audience: ['client', 'trainer'], bookingRequestId: people.requestId, trainerId: people.trainerId, clientId: people.clientId, text: 'Something happened.', ...extra };
}

/** The invite.ics of the mail to `address` for this notification, parsed, with its MIME content type. */
async function inviteOf(key: string, address: string): Promise<{ contentType: string; calendar: ParsedCalendar; mail: ParsedMail }> {
  const [found] = (await inbox.waitFor((k) => k === key, 2)).filter(({ recipients }) => recipients.includes(address));
  const mail = found!.mail;
  const attachment = mail.attachments.find((a) => a.filename === 'invite.ics');
  if (!attachment) throw new Error(`no invite.ics in ${key}`);
  const header = attachment.headers.get('content-type') as { value: string; params: Record<string, string> };
  return { contentType: `${header.value}; method=${header.params.method}`, calendar: parseIcs(attachment.content.toString('utf8')), mail };
}

describe('invite.ics', () => {
  it('a confirmation invites (REQUEST), a move updates (higher SEQUENCE), a cancellation cancels; one UID, times right across summer time', async () => {
    // 18:00 in Berlin on Thursday 25 March 2027 (UTC+1); moved a week on, past the last Sunday of March (UTC+2).
    const people = await bookings([atDate('2027-03-25', 18, 0, 'Europe/Berlin')]);
    const [booking] = people.summaries;

    const approved = notification('request.approved', people, { booking });
    await notifier.notify(approved);
    const invite = await inviteOf(approved.key, people.clientEmail);
    expect(invite.contentType).toBe('text/calendar; method=REQUEST');
    expect(invite.calendar.method).toBe('REQUEST');
    const [first] = invite.calendar.events;
    expect(first).toMatchObject({ uid: `booking-${booking!.bookingId}@trainer-booking`, sequence: 0, status: 'CONFIRMED', organizer: `mailto:${people.trainerEmail}`, attendees: [`mailto:${people.clientEmail}`] });
    expect([first!.start.toISOString(), first!.end.toISOString()]).toEqual(['2027-03-25T17:00:00.000Z', '2027-03-25T18:00:00.000Z']);
    // The trainer's mail carries the same invite.
    expect((await inviteOf(approved.key, people.trainerEmail)).calendar.events[0]!.uid).toBe(first!.uid);

    await db.orm.em.getConnection().execute(`update booking set start_time = ?, end_time = ? where id = ?`, [atDate('2027-04-01', 18, 0, 'Europe/Berlin'), atDate('2027-04-01', 19, 0, 'Europe/Berlin'), booking!.bookingId]);
    const moved = notification('booking.rescheduled', people, { booking });
    await notifier.notify(moved);
    const update = await inviteOf(moved.key, people.clientEmail);
    expect(update.contentType).toBe('text/calendar; method=REQUEST');
    const [second] = update.calendar.events;
    expect(second!.uid).toBe(first!.uid);
    expect(second!.sequence).toBeGreaterThan(first!.sequence);
    expect([second!.start.toISOString(), second!.end.toISOString()]).toEqual(['2027-04-01T16:00:00.000Z', '2027-04-01T17:00:00.000Z']);

    await db.orm.em.getConnection().execute(`update booking set status = 'CANCELLED' where id = ?`, [booking!.bookingId]);
    const cancelled = notification('booking.cancelled', people, { booking });
    await notifier.notify(cancelled);
    const cancel = await inviteOf(cancelled.key, people.clientEmail);
    expect(cancel.contentType).toBe('text/calendar; method=CANCEL');
    expect(cancel.calendar.method).toBe('CANCEL');
    const [third] = cancel.calendar.events;
    expect(third!.uid).toBe(first!.uid);
    expect(third!.sequence).toBeGreaterThan(second!.sequence);
    expect(third!.status).toBe('CANCELLED');
  });

  it('a confirmed series: one calendar with every booked session; cancelling the rest: one CANCEL with those', async () => {
    const people = await bookings([atDate('2027-05-04', 9), atDate('2027-05-11', 9), atDate('2027-05-18', 9)]);
    const series = { seriesId: 1, status: 'CONFIRMED' as const, conflictMode: 'ALL_OR_NOTHING' as const, rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=3', timeZone: 'UTC', booked: people.summaries, skipped: [] };
    const approved = notification('request.approved', people, { booking: people.summaries[0], series: series });
    await notifier.notify(approved);
    const invite = await inviteOf(approved.key, people.clientEmail);
    expect(invite.calendar.method).toBe('REQUEST');
    expect(invite.calendar.events.map((e) => [e.uid, e.start.toISOString()])).toEqual(people.summaries.map((b) => [`booking-${b.bookingId}@trainer-booking`, b.startTime]));

    const rest = people.summaries.slice(1);
    await db.orm.em.getConnection().execute(`update booking set status = 'CANCELLED' where id in (?, ?)`, rest.map((b) => b.bookingId));
    const cancelled = notification('series.cancelled', people, { cancelled: rest, series: series });
    await notifier.notify(cancelled);
    const cancel = await inviteOf(cancelled.key, people.clientEmail);
    expect(cancel.contentType).toBe('text/calendar; method=CANCEL');
    expect(cancel.calendar.events.map((e) => [e.uid, e.status, e.sequence])).toEqual(rest.map((b) => [`booking-${b.bookingId}@trainer-booking`, 'CANCELLED', 1]));
  });

  it('other notifications carry no invite', async () => {
    const people = await bookings([atDate('2027-06-01', 9)]);
    const reminder = notification('booking.reminder', people, { booking: people.summaries[0] });
    await notifier.notify(reminder);
    const mails = await inbox.waitFor((k) => k === reminder.key, 2);
    expect(mails.flatMap(({ mail }) => mail.attachments)).toEqual([]);
  });
});

describe('invite.ics through a real booking workflow', () => {
  it('approve, reschedule, cancel: REQUEST, REQUEST with a higher SEQUENCE, CANCEL; one UID', async () => {
    const running = await startBookingWorker({ db, notifier });
    try {
      const people = await bookings([]);
      const em = db.orm.em.fork();
      const day = dayAhead(3); // any weekday: no score is asserted
      const slots = await createSlots(em, people.trainer, atDate(day, 9), 4);
      const { bookingRequestId } = await running.bookings.startRequest({
        clientId: people.clientId,
        trainerId: people.trainerId,
        sessionType: 'Strength Training',
        durationMinutes: 60,
        timeZone: 'UTC',
        preferences: { preferredStartDate: day, preferredEndDate: plusDays(day, 2), preferredTimes: ['10:00-12:00'], avoidTimes: [], allowWeekends: true, allowEvenings: false },
      });
      const keyOf = (kind: string) => (key: string) => key.startsWith(`booking-request-${bookingRequestId}/`) && key.endsWith(`/${kind}`);
      await inbox.waitFor(keyOf('request.options'), 1);
      const chosen = (await running.bookings.state(bookingRequestId)).options[0]!;
      const outcome = (await running.bookings.decide(bookingRequestId, { kind: 'approve', trainerId: people.trainerId, slotId: chosen.slotId })) as DecisionOutcome;
      expect(outcome.result).toBe('approved');
      const bookingId = outcome.result === 'approved' ? outcome.booking.bookingId : 0;

      const inviteFor = async (kind: string) => {
        const [mail] = (await inbox.waitFor(keyOf(kind), 2)).filter(({ recipients }) => recipients.includes(people.clientEmail));
        const attachment = mail!.mail.attachments.find((a) => a.filename === 'invite.ics')!;
        return parseIcs(attachment.content.toString('utf8'));
      };
      const approved = await inviteFor('request.approved');
      expect(approved.method).toBe('REQUEST');
      expect(approved.events.map((e) => [e.uid, e.start.toISOString()])).toEqual([[`booking-${bookingId}@trainer-booking`, new Date(chosen.slotStart).toISOString()]]);

      const other = slots.find((slot) => slot.id !== chosen.slotId && slot.startTime.getTime() !== new Date(chosen.slotStart).getTime())!;
      const actor = { role: 'CLIENT' as const, userId: people.clientId };
      await running.bookings.reschedule(bookingRequestId, { actor, newStartTime: other.startTime.toISOString() });
      const moved = await inviteFor('booking.rescheduled');
      expect(moved.method).toBe('REQUEST');
      expect(moved.events[0]!.uid).toBe(approved.events[0]!.uid);
      expect(moved.events[0]!.sequence).toBeGreaterThan(approved.events[0]!.sequence);
      expect(moved.events[0]!.start).toEqual(other.startTime);

      await running.bookings.cancel(bookingRequestId, { actor, reason: 'ill' });
      const cancelled = await inviteFor('booking.cancelled');
      expect(cancelled.method).toBe('CANCEL');
      expect(cancelled.events[0]!.uid).toBe(approved.events[0]!.uid);
      expect(cancelled.events[0]!.sequence).toBeGreaterThan(moved.events[0]!.sequence);
      expect(cancelled.events[0]!.status).toBe('CANCELLED');
    } finally {
      await running.stop();
    }
  });
});
