import { describe, expect, it } from 'vitest';
import { closedOptionsMessage, renderForClient, renderForTrainer } from '../../../bots/notifications/render-notification';
import type { NotificationView } from '../../../bots/notifications/notification-view';
import type { Notification } from '../../../src/notifications/notification';
import type { SlotOption } from '../../../workflows/contract';

// Rendering is pure: a notification and what it is about in, the neutral message out.
const view: NotificationView = {
  bookingRequestId: 12,
  clientUserId: 1,
  clientName: 'Jamie Lee',
  trainerUserId: 2,
  trainerName: 'Alex Morgan',
  sessionType: 'Strength Training',
  durationMinutes: 90,
  location: 'Iron Works',
  specialRequests: 'Focus on compound movements',
  startTime: null,
  preferences: { startDate: '2026-11-30', endDate: '2026-12-06', preferredTimes: ['10:00-12:00'], avoidTimes: ['00:00-09:30'], allowWeekends: true, allowEvenings: false },
  requestTimeZone: 'Europe/Berlin',
  trainerTimeZone: 'Europe/Berlin',
  clientTimeZone: 'America/New_York',
};
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
