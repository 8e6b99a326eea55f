/**
 * Notifications about a weekly series (issue 12) as the workflow sends them, for rendering
 * tests on every platform: Tuesdays 18:00 in Berlin (17:00 UTC in winter) from Tue 8 Dec 2026,
 * a 90-minute Strength Training session between Jamie Lee (New York) and Alex Morgan (Berlin).
 */
import type { NotificationView } from '../../../bots/notifications/notification-view';
import type { Notification } from '../../../src/notifications/notification';
import type { BookingSummary, SeriesOccurrenceOption, SeriesOptionDetail, SeriesSummary, SlotOption } from '../../../workflows/contract';

export const SERIES_RULE = 'DTSTART;TZID=Europe/Berlin:20261208T180000\nRRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;WKST=MO;COUNT=10';
export const TUESDAYS = ['2026-12-08', '2026-12-15', '2026-12-22', '2026-12-29', '2027-01-05', '2027-01-12', '2027-01-19', '2027-01-26', '2027-02-02', '2027-02-09'];
/** Every Tuesday of a year from 5 Jan 2027: a series of the longest kind. */
export const YEAR_OF_TUESDAYS = Array.from({ length: 52 }, (_, i) => new Date(Date.UTC(2027, 0, 5 + 7 * i)).toISOString().slice(0, 10));
/** The reservation's reason for a session whose slots are not free. */
export const TAKEN = 'the trainer is not free then (the slots are booked, held, unpublished or missing)';

/** The request a single booking's notifications are about (the rendering tests' usual view). */
export const singleView: NotificationView = {
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

/** The same request asked as a weekly series, meant in the client's zone. */
export const seriesView: NotificationView = {
  ...singleView,
  preferences: { startDate: '2026-12-07', endDate: '2026-12-13', preferredTimes: ['17:00-21:00'], avoidTimes: [], allowWeekends: false, allowEvenings: true },
  requestTimeZone: 'America/New_York',
  recurrence: { interval: 1, weekdays: ['TU'], count: 10, conflictMode: 'ALL_OR_NOTHING' },
};

const base = { bookingRequestId: 12, trainerId: 3, clientId: 1, text: 'plain text' };

/** A slot option as ranking makes it (a 90-minute session). */
export function slotOption(slotId: number, start: string, total: number): SlotOption {
  return {
    slotId,
    slotStart: start,
    slotEnd: new Date(Date.parse(start) + 90 * 60_000).toISOString(),
    consecutiveSlotIds: [slotId, slotId + 1],
    totalScore: total,
    breakdown: { dateMatch: 50, timeOfDayMatch: total < 0 ? 0 : 40, avoidTimePenalty: total < 0 ? -50 : 0, weekendEveningBonus: 0 },
    requiresManualReview: total < 0,
  };
}

/** A weekly time at 18:00 Berlin on `dates`; `notFree` gives a date its reason. */
export function seriesOption(slotId: number, notFree: Record<string, string> = {}, extra: Partial<SeriesOptionDetail> = {}, dates = TUESDAYS): SlotOption {
  const occurrences: SeriesOccurrenceOption[] = dates.map((localDate) => ({
    start: `${localDate}T17:00:00.000Z`,
    localDate,
    ...(notFree[localDate] ? { state: 'taken' as const, reason: notFree[localDate] } : { state: 'free' as const }),
  }));
  return {
    ...slotOption(slotId, occurrences[0]!.start, 80),
    series: {
      rrule: SERIES_RULE,
      weekdays: ['TU'],
      localTime: '18:00',
      timeZone: 'Europe/Berlin',
      interval: 1,
      conflictMode: 'ALL_OR_NOTHING',
      occurrences,
      total: occurrences.length,
      free: occurrences.filter((o) => o.state === 'free').length,
      ...extra,
    },
  };
}

export const sessionOf = (date: string, bookingId: number, status = 'CONFIRMED'): BookingSummary => ({
  bookingId,
  startTime: `${date}T17:00:00.000Z`,
  endTime: `${date}T18:30:00.000Z`,
  durationMinutes: 90,
  slotIds: [bookingId],
  totalCost: 120,
  status,
});

/** A confirmed series of sessions on `dates` (booking ids from 70), PARTIAL when some were skipped. */
export function seriesSummary(dates: string[], skipped: SeriesSummary['skipped'] = []): SeriesSummary {
  return {
    seriesId: 4,
    status: skipped.length > 0 ? 'PARTIAL' : 'CONFIRMED',
    conflictMode: skipped.length > 0 ? 'AVAILABLE_ONLY' : 'ALL_OR_NOTHING',
    rrule: SERIES_RULE,
    timeZone: 'Europe/Berlin',
    booked: dates.map((date, i) => sessionOf(date, 70 + i)),
    skipped,
  };
}

/**
 * The largest series messages a trainer can get: five weekly times over a year, most dates
 * not free for many different long reasons; a year of sessions approved with half skipped;
 * most of it cancelled.
 */
export function largestSeriesNotifications(): Notification[] {
  const reasons = (i: number): string => `Reason number ${i}: ${'a long explanation of why this one date cannot be booked '.repeat(3)}`;
  const notFree = Object.fromEntries(YEAR_OF_TUESDAYS.slice(1).map((date, i) => [date, reasons(i % 9)]));
  const options = [1, 2, 3, 4, 5].map((n) => seriesOption(n * 10, notFree, { conflictMode: n % 2 ? 'AVAILABLE_ONLY' : 'ALL_OR_NOTHING' }, YEAR_OF_TUESDAYS));
  const skipped = YEAR_OF_TUESDAYS.filter((_, i) => i % 2).map((date, i) => ({ start: `${date}T17:00:00.000Z`, code: 'SlotConflict', reason: reasons(i % 7) }));
  const approved = seriesSummary(YEAR_OF_TUESDAYS.filter((_, i) => i % 2 === 0), skipped);
  const cancelled = approved.booked.slice(1).map((booking) => ({ ...booking, status: 'CANCELLED' }));
  const request = { ...base, key: 'options', kind: 'request.options' as const, audience: ['trainer' as const] };
  return [
    { ...request, options, expiresAt: '2026-12-02T09:00:00.000Z' },
    { ...request, key: 'slot-taken', kind: 'request.slot-taken', options },
    { ...base, key: 'approved', kind: 'request.approved', audience: ['trainer', 'client'], booking: approved.booked[0]!, series: approved },
    { ...base, key: 'cancelled', kind: 'series.cancelled', audience: ['trainer', 'client'], series: { ...approved, booked: [approved.booked[0]!, ...cancelled] }, cancelled, reason: 'Cancelled in chat by the client' },
  ];
}

/** The same view with a request note as long as the chat takes (1,000 characters). */
export const seriesViewWithLongNote: NotificationView = { ...seriesView, specialRequests: 'n'.repeat(1000) };
