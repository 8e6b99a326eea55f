import { describe, expect, it } from 'vitest';
import { closedOptionsMessage, renderForClient, renderForTrainer } from '../../../bots/notifications/render-notification';
import type { NotificationView } from '../../../bots/notifications/notification-view';
import type { Notification } from '../../../src/notifications/notification';
import type { SeriesOccurrenceOption, SlotOption } from '../../../workflows/contract';
import { seriesOption, seriesSummary as series, seriesView, sessionOf, singleView, TAKEN, TUESDAYS } from '../support/series-notifications';

// Rendering is pure: a notification and what it is about in, the neutral message out.
const view: NotificationView = singleView;
const booking = { bookingId: 7, startTime: '2026-12-01T09:00:00.000Z', endTime: '2026-12-01T10:30:00.000Z', durationMinutes: 90, slotIds: [5, 6], totalCost: 120, status: 'CONFIRMED' };
const base = { key: 'k', bookingRequestId: 12, trainerId: 3, clientId: 1, text: 'plain text' };
const option = (slotId: number, start: string, total: number): SlotOption => ({
  slotId,
  slotStart: start,
  slotEnd: new Date(Date.parse(start) + 90 * 60_000).toISOString(),
  consecutiveSlotIds: [slotId, slotId + 1],
  totalScore: total,
  breakdown: { dateMatch: 50, timeOfDayMatch: total < 0 ? 0 : 40, avoidTimePenalty: total < 0 ? -50 : 0, weekendEveningBonus: 0 },
  requiresManualReview: total < 0,
});

describe('rendering notifications', () => {
  it("shows the trainer the ranked slots in the trainer's zone, with scores, a review warning, Approve buttons and Reject", () => {
    const n: Notification = { ...base, kind: 'request.options', audience: ['trainer'], options: [option(5, '2026-12-01T09:00:00.000Z', 90), option(9, '2026-12-02T07:00:00.000Z', -10)], expiresAt: '2026-11-26T09:00:00.000Z' };
    const message = renderForTrainer(n, view);
    expect(message.text).toBe('New booking request #12 from Jamie Lee: approve one of the best-matching slots, or reject.');
    expect(message.fields).toEqual([
      { label: 'Client', value: 'Jamie Lee' },
      { label: 'Session', value: 'Strength Training, 1 h 30 min' },
      { label: 'Location', value: 'Iron Works' },
      { label: 'Wants', value: 'Mon 30 Nov – Sun 6 Dec; prefers 10:00–12:00; avoids before 09:30; weekends fine; no evenings (Europe/Berlin)' },
      { label: 'Notes', value: 'Focus on compound movements' },
      { label: 'Answer by', value: 'Thu 26 Nov, 10:00' },
      { label: 'Option 1', value: 'Tue 1 Dec, 10:00–11:30 (Europe/Berlin) · score 90 (date 50, time 40, avoid 0, bonus 0)' },
      { label: 'Option 2', value: 'Wed 2 Dec, 08:00–09:30 (Europe/Berlin) · score -10 (date 50, time 0, avoid -50, bonus 0) ⚠ low match: manual review recommended' },
    ]);
    expect(message.actions).toEqual([
      { kind: 'button', id: 'approve', value: '12.5', label: 'Approve Tue 1 Dec, 10:00', style: 'primary' },
      { kind: 'button', id: 'approve', value: '12.9', label: 'Approve Wed 2 Dec, 08:00', style: 'default' },
      { kind: 'button', id: 'reject', value: '12', label: 'Reject', style: 'danger' },
    ]);
  });

  it('tells the client each outcome in their own zone, with what they can do next', () => {
    const client = (kind: Notification['kind'], extra: Partial<Notification> = {}) => renderForClient({ ...base, kind, audience: ['client'], ...extra }, view);
    expect(client('request.approved', { booking })).toEqual({
      text: 'Confirmed: Strength Training with Alex Morgan, Tue 1 Dec, 04:00–05:30 (America/New_York), total 120.00.',
      actions: [
        { kind: 'button', id: 'bk.move', value: '7', label: 'Reschedule' },
        { kind: 'button', id: 'bk.cancel', value: '7', label: 'Cancel booking', style: 'danger' },
      ],
    });
    expect(client('request.rejected', { reason: 'Away that week' }).text).toBe('Alex Morgan declined your request #12: Away that week');
    expect(client('request.expired').text).toBe('Your request #12 expired: Alex Morgan did not answer within 24 hours.');
    expect(client('request.slot-taken').text).toBe('The time Alex Morgan picked for request #12 was just taken by another booking; they will choose another.');
    expect(client('booking.reminder', { booking }).text).toBe('Reminder: Strength Training with Alex Morgan, Tue 1 Dec, 04:00–05:30 (America/New_York).');
    expect(client('booking.cancelled', { booking, reason: 'Cancelled in chat by the trainer' }).text).toBe('Cancelled: Strength Training with Alex Morgan, Tue 1 Dec, 04:00–05:30 (America/New_York) (Cancelled in chat by the trainer).');
    expect(client('booking.rescheduled', { booking }).text).toBe('Moved: Strength Training with Alex Morgan, Tue 1 Dec, 04:00–05:30 (America/New_York).');
  });

  it("replaces the trainer's buttons with the outcome once decided", () => {
    const closed = (kind: Notification['kind'], extra: Partial<Notification> = {}) => closedOptionsMessage({ ...base, kind, audience: ['client'], ...extra }, view);
    expect(closed('request.approved', { booking }).text).toBe('Request #12 from Jamie Lee: approved for Tue 1 Dec, 10:00–11:30 (Europe/Berlin).');
    expect(closed('request.rejected', { reason: 'Away' }).text).toBe('Request #12 from Jamie Lee: rejected (Away).');
    expect(closed('request.expired').text).toBe('Request #12 from Jamie Lee: expired without an answer.');
    expect(closed('request.expired').actions).toBeUndefined();
  });

  it('asks the trainer how a session went with two buttons', () => {
    expect(renderForTrainer({ ...base, kind: 'booking.outcome-prompt', audience: ['trainer'], booking }, view).actions).toEqual([
      { kind: 'button', id: 'outcome', value: '12.C', label: 'Completed', style: 'primary' },
      { kind: 'button', id: 'outcome', value: '12.N', label: 'No-show', style: 'danger' },
    ]);
  });
});

describe('rendering a weekly series', () => {
  it('shows the trainer each weekly time in their zone, how many sessions are free, the taken dates with why, the conflict mode, and Approve by slot', () => {
    const n: Notification = {
      ...base,
      kind: 'request.options',
      audience: ['trainer'],
      options: [seriesOption(5, { '2026-12-22': TAKEN, '2027-01-05': TAKEN, '2027-01-12': 'You already have a session at that time: choose a time when you are free.' }, { conflictMode: 'AVAILABLE_ONLY' }), seriesOption(9, {})],
    };
    const message = renderForTrainer(n, seriesView);
    expect(message.text).toBe('New weekly series request #12 from Jamie Lee: approve one of the weekly times, or reject.');
    expect(message.fields).toContainEqual({ label: 'Repeats', value: 'weekly on Tuesdays, 10 sessions, all or nothing' });
    expect(message.fields).toContainEqual({
      label: 'Option 1',
      value: [
        'Tuesdays at 18:00, weekly, from Tue 8 Dec (Europe/Berlin) · 7 of 10 sessions free · score 80',
        `Not free: Tue 22 Dec, Tue 5 Jan: ${TAKEN}; Tue 12 Jan: You already have a session at that time: choose a time when you are free`,
        'Available dates only: the free sessions are booked and the others skipped.',
      ].join('\n'),
    });
    expect(message.fields).toContainEqual({
      label: 'Option 2',
      value: 'Tuesdays at 18:00, weekly, from Tue 8 Dec (Europe/Berlin) · 10 of 10 sessions free · score 80\nAll or nothing: every session is booked, or none is.',
    });
    expect(message.actions).toEqual([
      { kind: 'button', id: 'approve', value: '12.5', label: 'Approve Tue 18:00 weekly, from 8 Dec', style: 'primary' },
      { kind: 'button', id: 'approve', value: '12.9', label: 'Approve Tue 18:00 weekly, from 8 Dec', style: 'primary' },
      { kind: 'button', id: 'reject', value: '12', label: 'Reject', style: 'danger' },
    ]);
  });

  it('re-offers weekly times when a session of the chosen one was just taken', () => {
    const message = renderForTrainer({ ...base, kind: 'request.slot-taken', audience: ['trainer'], options: [seriesOption(9)] }, seriesView);
    expect(message.text).toBe('A session of that weekly time was just taken. Current best options for request #12 from Jamie Lee:');
    expect(message.actions!.map((a) => a.kind === 'button' && a.value)).toEqual(['12.9', '12']);
  });

  it("caps a long list of dates that are not free with 'and N more'", () => {
    const all = Object.fromEntries(TUESDAYS.slice(1).map((date) => [date, TAKEN]));
    const message = renderForTrainer({ ...base, kind: 'request.options', audience: ['trainer'], options: [seriesOption(5, all)] }, seriesView);
    const value = message.fields!.find((f) => f.label === 'Option 1')!.value;
    expect(value).toContain(`Not free: Tue 15 Dec, Tue 22 Dec, Tue 29 Dec, Tue 5 Jan, Tue 12 Jan, Tue 19 Jan: ${TAKEN}; and 3 more`);
    expect(value).toContain('1 of 10 sessions free');
  });

  it("in a zone other than the series' own, shows the trainer's clock and the time the sessions keep", () => {
    // Twelve noon in New York is 18:00 in Berlin, but 17:00 in the weeks New York is already on summer time.
    const dates = ['2027-03-02', '2027-03-09', '2027-03-16', '2027-03-23', '2027-03-30'];
    // New York changes to summer time on 14 March 2027, Berlin on 28 March.
    const occ: SeriesOccurrenceOption[] = dates.map((localDate) => ({ start: `${localDate}T${localDate < '2027-03-14' ? '17' : '16'}:00:00.000Z`, localDate, state: 'free' }));
    const opt: SlotOption = { ...option(5, occ[0]!.start, 80), series: { rrule: '', weekdays: ['TU'], localTime: '12:00', timeZone: 'America/New_York', interval: 2, conflictMode: 'ALL_OR_NOTHING', occurrences: occ, total: 5, free: 5 } };
    const message = renderForTrainer({ ...base, kind: 'request.options', audience: ['trainer'], options: [opt] }, seriesView);
    expect(message.fields!.find((f) => f.label === 'Option 1')!.value).toMatch(/^Tuesdays at 18:00 or 17:00, every 2 weeks, from Tue 2 Mar \(Europe\/Berlin; 12:00 in America\/New_York\)/);
    expect(message.actions![0]).toMatchObject({ label: 'Approve Tue 18:00 every 2 weeks, from 2 Mar' });
  });

  it('tells both sides which sessions were booked, in their own zone, and which dates were skipped and why', () => {
    const skipped = [{ start: '2026-12-22T17:00:00.000Z', code: 'SlotConflict', reason: TAKEN }];
    const booked = TUESDAYS.filter((d) => d !== '2026-12-22');
    const n: Notification = { ...base, kind: 'request.approved', audience: ['trainer', 'client'], booking: sessionOf(booked[0]!, 70), series: series(booked, skipped) };
    expect(renderForTrainer(n, seriesView)).toEqual({
      text: 'Booked: 9 weekly sessions of Strength Training with Jamie Lee (Europe/Berlin): Tue 8 Dec 18:00, Tue 15 Dec 18:00, Tue 29 Dec 18:00, Tue 5 Jan 18:00, Tue 12 Jan 18:00, Tue 19 Jan 18:00, Tue 26 Jan 18:00, Tue 2 Feb 18:00, Tue 9 Feb 18:00, total 1080.00.',
      fields: [{ label: 'Skipped (1)', value: `Tue 22 Dec: ${TAKEN}` }],
      actions: [{ kind: 'button', id: 'menu', value: 'list', label: 'My bookings' }],
    });
    expect(renderForClient(n, seriesView).text).toMatch(/^Confirmed: 9 weekly sessions of Strength Training with Alex Morgan \(America\/New_York\): Tue 8 Dec 12:00, Tue 15 Dec 12:00, /);
    // The trainer's options message, edited once approved, says so like a single approval does.
    expect(closedOptionsMessage(n, seriesView).text).toBe('Request #12 from Jamie Lee: approved as 9 weekly sessions from Tue 8 Dec 18:00 (Europe/Berlin), 1 date skipped.');
  });

  it('lists a long series up to a cap, then "and N more"', () => {
    const weeks = Array.from({ length: 30 }, (_, i) => new Date(Date.UTC(2027, 0, 5 + 7 * i)).toISOString().slice(0, 10));
    const text = renderForTrainer({ ...base, kind: 'request.approved', audience: ['trainer'], series: series(weeks) }, seriesView).text;
    expect(text).toContain('Booked: 30 weekly sessions of Strength Training');
    expect(text).toContain('Tue 23 Mar 18:00 and 18 more, total 3600.00.');
  });

  it('says how many sessions "this and all following" cancelled and from when, and what is still booked', () => {
    const all = series(TUESDAYS.slice(0, 6));
    const cancelled = all.booked.slice(2).map((b) => ({ ...b, status: 'CANCELLED' }));
    const n: Notification = { ...base, kind: 'series.cancelled', audience: ['trainer', 'client'], series: { ...all, booked: [...all.booked.slice(0, 2), ...cancelled] }, cancelled, reason: 'Cancelled in chat by the client' };
    expect(renderForTrainer(n, seriesView)).toEqual({
      text: 'Strength Training with Jamie Lee: 4 sessions cancelled from Tue 22 Dec (Cancelled in chat by the client).',
      fields: [{ label: 'Still booked (2)', value: 'Tue 8 Dec 18:00, Tue 15 Dec 18:00' }],
      actions: [{ kind: 'button', id: 'menu', value: 'list', label: 'My bookings' }],
    });
    const late = { ...n, cancelled: [{ ...cancelled[0]!, status: 'LATE_CANCELLED' }, ...cancelled.slice(1)] };
    expect(renderForClient(late, seriesView).text).toBe(
      'Strength Training with Alex Morgan: 4 sessions cancelled from Tue 22 Dec; 1 of them counts as a late cancellation (Cancelled in chat by the client).',
    );
  });

  it("asks how one session of a series went by the occurrence's booking, and says the others stay when one is cancelled", () => {
    const one = sessionOf('2026-12-15', 71);
    expect(renderForTrainer({ ...base, kind: 'booking.outcome-prompt', audience: ['trainer'], booking: one }, seriesView).actions!.map((a) => a.kind === 'button' && a.value)).toEqual(['12.C.71', '12.N.71']);
    expect(renderForClient({ ...base, kind: 'booking.cancelled', audience: ['client'], booking: one }, seriesView).text).toBe(
      'Cancelled: Strength Training with Alex Morgan, Tue 15 Dec, 12:00–13:30 (America/New_York). The other sessions of the series stay booked.',
    );
  });
});
