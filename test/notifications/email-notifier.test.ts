import type { AddressObject, ParsedMail } from 'mailparser';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationChannels } from '../../src/notifications/create-notifier';
import { EmailNotifier } from '../../src/notifications/email-notifier';
import type { Notification } from '../../src/notifications/notification';
import type { BookingSummary, DecisionOutcome } from '../../workflows/contract';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createClient, createSlots, createTrainer } from '../support/fixtures';
import { RecordingNotifier } from '../support/recording-notifier';
import { startBookingWorker } from '../support/temporal';
import { atDate, dayAhead, plusDays } from '../support/time';
import { startSmtpInbox, type ReceivedMail, type SmtpInbox } from './smtp-inbox';

const FROM = 'Trainer Booking <bookings@example.com>';
const SMTP_USER = 'mailer';
const SMTP_PASSWORD = 'sm7p-pa55:w@rd';

let db: TestDatabase;
let inbox: SmtpInbox;
let notifier: EmailNotifier;

beforeAll(async () => {
  db = await createTestDatabase();
  inbox = await startSmtpInbox(SMTP_USER, SMTP_PASSWORD);
  notifier = new EmailNotifier({ orm: db.orm, smtpUrl: inbox.url, from: FROM });
});
afterAll(async () => {
  notifier?.close();
  await inbox?.close();
  await db?.drop();
});

/** A trainer (with e-mail) and a client, as the tests need them. */
async function people(client: { email?: boolean; timeZone?: string | null } = {}) {
  const tag = randomBytes(4).toString('hex');
  const em = db.orm.em.fork();
  const trainer = await createTrainer(em, { timeZone: 'Europe/Berlin', pricePerHour: 90 });
  trainer.user.email = `trainer-${tag}@example.com`;
  const person = await createClient(em);
  if (client.email !== false) person.email = `client-${tag}@example.com`;
  person.timeZone = client.timeZone === undefined ? 'America/New_York' : client.timeZone;
  await em.flush();
  return { trainer, client: person, trainerEmail: trainer.user.email, clientEmail: person.email ?? null };
}

// Thursday 3 December 2026, 15:00 UTC: 10:00 in New York, 16:00 in Berlin.
const BOOKING: BookingSummary = { bookingId: 7, startTime: '2026-12-03T15:00:00.000Z', endTime: '2026-12-03T16:00:00.000Z', durationMinutes: 60, slotIds: [11], totalCost: 90, status: 'CONFIRMED' };

function notification(kind: Notification['kind'], trainerId: number, clientId: number, extra: Partial<Notification> = {}): Notification {
  const bookingRequestId = 1000 + Math.floor(Math.random() * 1_000_000);
  return {
    key: `booking-request-${bookingRequestId}/1/${kind}`,
    kind,
    audience: ['client', 'trainer'],
    bookingRequestId,
    trainerId,
    clientId,
    text: 'The booking is confirmed.',
    ...extra,
  };
}

const addressesOf = (field: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((object) => object.value.map((address) => address.address ?? ''));

function mailTo(mails: ReceivedMail[], address: string | null): ParsedMail {
  const found = mails.find(({ recipients }) => address !== null && recipients.includes(address));
  if (!found) throw new Error(`no mail to ${address}; got ${JSON.stringify(mails.map(({ recipients }) => recipients))}`);
  return found.mail;
}

describe('EmailNotifier over a real SMTP server', () => {
  it('sends the confirmation to client and trainer, each with the times in their own zone', async () => {
    const { trainer, client, trainerEmail, clientEmail } = await people();
    const confirmed = notification('request.approved', trainer.id, client.id, { booking: BOOKING });

    await notifier.notify(confirmed);

    const mails = inbox.withKey((key) => key === confirmed.key);
    expect(mails).toHaveLength(2);
    const toClient = mailTo(mails, clientEmail);
    expect(toClient.from?.text).toBe('"Trainer Booking" <bookings@example.com>');
    expect(addressesOf(toClient.to)).toEqual([clientEmail]);
    expect(toClient.subject).toBe('Booking confirmed: Thu 3 Dec, 10:00');
    expect(toClient.text).toContain(`Hello ${client.fullName},`);
    expect(toClient.text).toContain('The booking is confirmed.');
    expect(toClient.text).toContain('When: Thursday 3 December 2026, 10:00–11:00 (America/New_York)');
    expect(toClient.text).toContain('Total: 90.00');
    expect(toClient.text).toContain(`Booking request #${confirmed.bookingRequestId}`);

    const toTrainer = mailTo(mails, trainerEmail);
    expect(toTrainer.subject).toBe('Booking confirmed: Thu 3 Dec, 16:00');
    expect(toTrainer.text).toContain('When: Thursday 3 December 2026, 16:00–17:00 (Europe/Berlin)');
    // One Message-ID per notification and recipient, so a repeat is recognisable.
    expect(toTrainer.messageId).toMatch(/^<[0-9a-f]{32}@example\.com>$/);
    expect(toTrainer.messageId).not.toBe(toClient.messageId);
  });

  it("shows a client who never told their zone the trainer's zone", async () => {
    const { trainer, client, clientEmail } = await people({ timeZone: null });
    const reminder = notification('booking.reminder', trainer.id, client.id, { booking: BOOKING, text: 'Reminder: your training session is coming up.' });

    await notifier.notify(reminder);

    const toClient = mailTo(inbox.withKey((key) => key === reminder.key), clientEmail);
    expect(toClient.subject).toBe('Reminder: training session Thu 3 Dec, 16:00');
    expect(toClient.text).toContain('(Europe/Berlin)');
  });

  it('mails a pack notice (issue 13) to the reader it names, once per key', async () => {
    const { trainer, client, clientEmail } = await people();
    const key = `credit-lot-${Math.floor(Math.random() * 1_000_000)}/credits.expiring/client`;
    const notice = { key, kind: 'credits.expiring' as const, audience: ['client' as const], clientId: client.id, trainerId: trainer.id, text: '2 credits of your pack with Alex expire on 14 Mar 2027: book a session before then.', lotId: 5, packName: 'Ten × 60', available: 2, totalLeft: 2, expiresAt: '2027-03-14T08:00:00.000Z' };

    await notifier.notifyCredits(notice);
    await notifier.notifyCredits(notice);

    const mails = inbox.withKey((header) => header === key);
    expect(mails.map(({ recipients }) => recipients)).toEqual([[clientEmail]]);
    expect(mails[0]!.mail.subject).toBe('Session credits expiring: "Ten × 60"');
    expect(mails[0]!.mail.text).toBe(`Hello ${client.fullName},\n\n${notice.text}\n`);
  });

  it('skips a person without an e-mail address and still mails the other', async () => {
    const { trainer, client, trainerEmail } = await people({ email: false });
    const expired = notification('request.expired', trainer.id, client.id, { text: 'The request expired after 24 hours without an answer.' });

    await notifier.notify(expired);

    const mails = inbox.withKey((key) => key === expired.key);
    expect(mails.map(({ recipients }) => recipients)).toEqual([[trainerEmail]]);
    expect(mails[0]!.mail.subject).toBe(`Booking request #${expired.bookingRequestId} expired`);
  });

  it('offers the trainer the ranked times in the trainer’s zone, with the deadline', async () => {
    const { trainer, client, trainerEmail } = await people();
    const options = notification('request.options', trainer.id, client.id, {
      audience: ['trainer'],
      text: 'New booking request: pick a slot or reject.',
      expiresAt: '2026-12-02T09:00:00.000Z',
      options: [
        { slotId: 1, slotStart: '2026-12-03T09:00:00.000Z', slotEnd: '2026-12-03T10:00:00.000Z', consecutiveSlotIds: [1], totalScore: 90, breakdown: { dateMatch: 50, timeOfDayMatch: 40, avoidTimePenalty: 0, weekendEveningBonus: 0 }, requiresManualReview: false },
        { slotId: 2, slotStart: '2026-12-03T17:00:00.000Z', slotEnd: '2026-12-03T18:00:00.000Z', consecutiveSlotIds: [2], totalScore: -5, breakdown: { dateMatch: 0, timeOfDayMatch: 0, avoidTimePenalty: -5, weekendEveningBonus: 0 }, requiresManualReview: true },
      ],
    });

    await notifier.notify(options);

    const mail = mailTo(inbox.withKey((key) => key === options.key), trainerEmail);
    expect(mail.subject).toBe(`New booking request #${options.bookingRequestId}: choose a time`);
    expect(mail.text).toContain('  1. Thursday 3 December 2026, 10:00–11:00 (Europe/Berlin) (score 90)');
    expect(mail.text).toContain('  2. Thursday 3 December 2026, 18:00–19:00 (Europe/Berlin) (score -5, manual review recommended)');
    expect(mail.text).toContain('Please answer by Wednesday 2 December 2026, 10:00 (Europe/Berlin).');
    expect(mail.text).toContain('Approve or reject the request in the chat.');
  });

  it('delivers a notification once, however often Temporal retries it', async () => {
    const { trainer, client } = await people();
    const cancelled = notification('booking.cancelled', trainer.id, client.id, { booking: BOOKING, text: 'The booking was cancelled by the client.', reason: 'Sick' });

    await notifier.notify(cancelled);
    await notifier.notify(cancelled);
    await notifier.notify(cancelled);

    const mails = inbox.withKey((key) => key === cancelled.key);
    expect(mails).toHaveLength(2);
    expect(mails[0]!.mail.text).toContain('Reason: Sick');
  });

  it('rejects when a recipient cannot be mailed (so Temporal retries) and then mails only that one', async () => {
    const { trainer, client, clientEmail, trainerEmail } = await people();
    const rescheduled = notification('booking.rescheduled', trainer.id, client.id, { booking: BOOKING, text: 'The booking was moved to a new time.' });
    inbox.refuse.add(clientEmail!);

    await expect(notifier.notify(rescheduled)).rejects.toThrow(/e-mail to client failed for booking\.rescheduled/);
    expect(inbox.withKey((key) => key === rescheduled.key).map(({ recipients }) => recipients)).toEqual([[trainerEmail]]);

    inbox.refuse.delete(clientEmail!);
    await notifier.notify(rescheduled);

    const mails = inbox.withKey((key) => key === rescheduled.key);
    expect(mails.map(({ recipients }) => recipients)).toEqual([[trainerEmail], [clientEmail]]);
  });

  it('rejects when the SMTP server refuses the login', async () => {
    const { trainer, client } = await people();
    const wrongLogin = new EmailNotifier({ orm: db.orm, smtpUrl: inbox.url.replace(encodeURIComponent(SMTP_PASSWORD), 'wrong'), from: FROM });
    try {
      await expect(wrongLogin.notify(notification('request.expired', trainer.id, client.id))).rejects.toThrow(/failed/);
    } finally {
      wrongLogin.close();
    }
  });
});

describe('the worker’s notification channels', () => {
  it('send by e-mail beside the log and the chat platforms when SMTP_URL is set', async () => {
    const { trainer, client, trainerEmail, clientEmail } = await people();
    const slack = new RecordingNotifier();
    const setup = createNotificationChannels({ config: { SMTP_URL: inbox.url, MAIL_FROM: FROM }, orm: db.orm, chat: { slack } });
    try {
      expect(setup.channels).toEqual(['log', 'slack', 'email']);
      const confirmed = notification('request.approved', trainer.id, client.id, { booking: BOOKING });
      await setup.notifier.notify(confirmed);
      expect(slack.sent.map((sent) => sent.key)).toEqual([confirmed.key]);
      expect(inbox.withKey((key) => key === confirmed.key).flatMap(({ recipients }) => recipients).sort()).toEqual([clientEmail, trainerEmail].sort());
    } finally {
      setup.close();
    }
  });

  it('have no e-mail channel without SMTP_URL', () => {
    const setup = createNotificationChannels({ config: {}, orm: db.orm });
    expect(setup.channels).toEqual(['log']);
    setup.close();
  });
});

describe('e-mail through a real booking workflow', () => {

  it('mails the trainer the request and, once approved, both the confirmation', async () => {
    const running = await startBookingWorker({ db, notifier });
    try {
      const { trainer, client, trainerEmail, clientEmail } = await people();
      const day = dayAhead(3); // any weekday: no score is asserted
      const slots = await createSlots(db.orm.em.fork(), trainer, atDate(day, 9), 4);
      const { bookingRequestId } = await running.bookings.startRequest({
        clientId: client.id,
        trainerId: trainer.id,
        sessionType: 'Strength Training',
        durationMinutes: 60,
        timeZone: 'UTC',
        preferences: { preferredStartDate: day, preferredEndDate: plusDays(day, 2), preferredTimes: ['10:00-12:00'], avoidTimes: [], allowWeekends: true, allowEvenings: false },
      });
      const ofThisRequest = (kind: string) => (key: string) => key.startsWith(`booking-request-${bookingRequestId}/`) && key.endsWith(`/${kind}`);

      const [offer] = await inbox.waitFor(ofThisRequest('request.options'), 1);
      expect(offer!.recipients).toEqual([trainerEmail]);
      expect(offer!.mail.subject).toBe(`New booking request #${bookingRequestId}: choose a time`);
      const [received] = await inbox.waitFor(ofThisRequest('request.received'), 1);
      expect(received!.recipients).toEqual([clientEmail]);

      const state = await running.bookings.state(bookingRequestId);
      const chosen = state.options[0]!;
      expect(slots.map((slot) => slot.id)).toContain(chosen.slotId);
      const outcome = await running.bookings.decide(bookingRequestId, { kind: 'approve', trainerId: trainer.id, slotId: chosen.slotId });
      expect((outcome as DecisionOutcome).result).toBe('approved');

      const confirmations = await inbox.waitFor(ofThisRequest('request.approved'), 2);
      expect(confirmations.flatMap(({ recipients }) => recipients).sort()).toEqual([clientEmail, trainerEmail].sort());
      expect(mailTo(confirmations, clientEmail).subject).toMatch(/^Booking confirmed: \w{3} \d{1,2} \w{3}, \d{2}:\d{2}$/);
      expect(mailTo(confirmations, trainerEmail).text).toContain('(Europe/Berlin)');
    } finally {
      await running.stop();
    }
  });
});
