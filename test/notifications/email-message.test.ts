import { describe, expect, it } from 'vitest';
import { renderCreditEmail, renderEmail, type EmailRecipient } from '../../src/notifications/email-message';
import type { Notification } from '../../src/notifications/notification';
import { seriesOption, seriesSummary, TAKEN, TUESDAYS, YEAR_OF_TUESDAYS } from '../bots/support/series-notifications';

// Rendering is pure: the notification and the recipient (with their zone) in, subject and text out.
const trainer: EmailRecipient = { role: 'trainer', email: 'alex@example.com', name: 'Alex Morgan', timeZone: 'Europe/Berlin' };
const client: EmailRecipient = { role: 'client', email: 'jamie@example.com', name: 'Jamie Lee', timeZone: 'America/New_York' };
const base = { key: 'k', bookingRequestId: 12, trainerId: 3, clientId: 1 };

describe('e-mails about a weekly series', () => {
  it('gives the trainer each weekly time with its free count, every date that is not free with why, and the conflict mode', () => {
    const notFree = Object.fromEntries(YEAR_OF_TUESDAYS.slice(40).map((date) => [date, TAKEN]));
    const n: Notification = {
      ...base,
      kind: 'request.options',
      audience: ['trainer'],
      text: 'Jamie Lee asks for a weekly series: choose a weekly time.',
      options: [seriesOption(5, notFree, { conflictMode: 'AVAILABLE_ONLY' }, YEAR_OF_TUESDAYS), seriesOption(9)],
      expiresAt: '2026-12-02T09:00:00.000Z',
    };
    const mail = renderEmail(n, trainer);
    expect(mail.subject).toBe('New booking request #12: choose a time');
    expect(mail.text).toContain(
      [
        'Best weekly times:',
        '  1. Tuesdays at 18:00, weekly, from Tue 5 Jan (Europe/Berlin) · 40 of 52 sessions free · score 80',
        `     Not free: Tue 12 Oct, Tue 19 Oct, Tue 26 Oct, Tue 2 Nov, Tue 9 Nov, Tue 16 Nov, Tue 23 Nov, Tue 30 Nov, Tue 7 Dec, Tue 14 Dec, Tue 21 Dec, Tue 28 Dec: ${TAKEN}`,
        '     Available dates only: the free sessions are booked and the others skipped.',
        '  2. Tuesdays at 18:00, weekly, from Tue 8 Dec (Europe/Berlin) · 10 of 10 sessions free · score 80',
        '     All or nothing: every session is booked, or none is.',
        'Please answer by Wednesday 2 December 2026, 10:00 (Europe/Berlin).',
      ].join('\n'),
    );
  });

  it('lists every booked session in the reader’s zone, and the skipped dates with why', () => {
    const booked = TUESDAYS.filter((d) => d !== '2026-12-22');
    const n: Notification = {
      ...base,
      kind: 'request.approved',
      audience: ['client', 'trainer'],
      text: 'Your weekly sessions are confirmed.',
      series: seriesSummary(booked, [{ start: '2026-12-22T17:00:00.000Z', code: 'SlotConflict', reason: TAKEN }]),
    };
    const mail = renderEmail(n, client);
    expect(mail.subject).toBe('Weekly sessions confirmed: 9 from Tue 8 Dec, 12:00');
    expect(mail.text).toBe(
      [
        'Hello Jamie Lee,',
        '',
        'Your weekly sessions are confirmed.',
        '',
        'Sessions: 9 weekly sessions (America/New_York): Tue 8 Dec 12:00, Tue 15 Dec 12:00, Tue 29 Dec 12:00, Tue 5 Jan 12:00, Tue 12 Jan 12:00, Tue 19 Jan 12:00, Tue 26 Jan 12:00, Tue 2 Feb 12:00, Tue 9 Feb 12:00',
        `Skipped: Tue 22 Dec: ${TAKEN}`,
        'Total: 1080.00',
        '',
        'Booking request #12',
        '',
      ].join('\n'),
    );
  });

  it('lists the sessions "this and all following" cancelled, and which are still booked', () => {
    const all = seriesSummary(TUESDAYS.slice(0, 4));
    const cancelled = all.booked.slice(1).map((b, i) => ({ ...b, status: i === 0 ? 'LATE_CANCELLED' : 'CANCELLED' }));
    const n: Notification = { ...base, kind: 'series.cancelled', audience: ['trainer'], text: 'The client cancelled the rest of the series.', series: { ...all, booked: [all.booked[0]!, ...cancelled] }, cancelled };
    const mail = renderEmail(n, trainer);
    expect(mail.subject).toBe('Weekly sessions cancelled: 3 from Tue 15 Dec, 18:00 of request #12');
    expect(mail.text).toContain(
      [
        'The client cancelled the rest of the series.',
        '',
        'Cancelled (Europe/Berlin): Tue 15 Dec 18:00, Tue 22 Dec 18:00, Tue 29 Dec 18:00',
        'Still booked: Tue 8 Dec 18:00',
      ].join('\n'),
    );
  });
});

describe('e-mails about session credits (issue 13)', () => {
  const booking = { bookingId: 7, startTime: '2026-12-03T15:00:00.000Z', endTime: '2026-12-03T16:00:00.000Z', durationMinutes: 60, slotIds: [11], totalCost: 90, status: 'CONFIRMED' };

  it('a booking paid with a credit says so, with what is left; an unpaid one does not', () => {
    const paid = renderEmail({ ...base, kind: 'request.approved', audience: ['client'], text: 'The booking is confirmed.', booking: { ...booking, credit: { lotId: 5, packName: 'Ten × 60', left: 4, expiresAt: '2027-03-14T08:00:00.000Z' } } }, client);
    expect(paid.text).toContain('Credit: uses 1 credit (4 left) of Ten × 60');
    expect(renderEmail({ ...base, kind: 'request.approved', audience: ['client'], text: 'The booking is confirmed.', booking }, client).text).not.toContain('Credit:');
  });

  it('a pack notice is a short mail: its sentence, and a subject per kind', () => {
    const notice = { key: 'credit-lot-5/credits.expired/client', audience: ['client' as const], clientId: 1, trainerId: 3, lotId: 5, packName: 'Ten × 60', available: 0, totalLeft: 0, expiresAt: '2027-03-14T08:00:00.000Z' };
    const expired = renderCreditEmail({ ...notice, kind: 'credits.expired', text: '2 credits of your pack "Ten × 60" with Alex Morgan expired unused on 14 Mar 2027.' }, client);
    expect(expired).toEqual({ subject: 'Session credits expired: "Ten × 60"', text: 'Hello Jamie Lee,\n\n2 credits of your pack "Ten × 60" with Alex Morgan expired unused on 14 Mar 2027.\n' });
    expect(renderCreditEmail({ ...notice, kind: 'credits.low', text: 'Your pack with Alex Morgan is used up: buy a new one to keep booking.' }, client).subject).toBe('Session credits used up');
    expect(renderCreditEmail({ ...notice, kind: 'credits.low', totalLeft: 1, text: 'You have 1 credit left with Alex Morgan.' }, client).subject).toBe('Session credits running low: 1 left');
    expect(renderCreditEmail({ ...notice, kind: 'credits.purchased', text: 'Your pack …' }, client).subject).toBe('Your pack "Ten × 60" is ready');
  });
});
