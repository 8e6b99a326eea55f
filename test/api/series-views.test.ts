import { describe, expect, it } from 'vitest';
import { apiFieldOf } from '../../src/api/errors';
import { createBookingRequestBodySchema } from '../../src/api/schemas/booking-requests';
import { rruleFromState } from '../../src/api/views/booking-request-view';
import { scoredSlotFromOption } from '../../src/api/views/scored-slot-view';
import type { BookingState, SeriesOptionDetail, SlotOption } from '../../workflows/contract';

const RRULE = 'DTSTART;TZID=Europe/Berlin:20310106T180000\nRRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;WKST=MO;COUNT=3';

const seriesDetail: SeriesOptionDetail = {
  rrule: RRULE,
  weekdays: ['MO'],
  localTime: '18:00',
  timeZone: 'Europe/Berlin',
  interval: 1,
  conflictMode: 'AVAILABLE_ONLY',
  occurrences: [
    { start: '2031-01-06T17:00:00.000Z', localDate: '2031-01-06', state: 'free' },
    { start: '2031-01-13T17:00:00.000Z', localDate: '2031-01-13', state: 'taken', reason: 'Another booking has that time.' },
  ],
  total: 2,
  free: 1,
};

const option = (series?: SeriesOptionDetail): SlotOption => ({
  slotId: 7,
  slotStart: '2031-01-06T17:00:00.000Z',
  slotEnd: '2031-01-06T18:00:00.000Z',
  consecutiveSlotIds: [7],
  totalScore: 1,
  breakdown: { dateMatch: 1, timeOfDayMatch: 0, avoidTimePenalty: 0, weekendEveningBonus: 0 },
  requiresManualReview: false,
  ...(series ? { series } : {}),
});

describe('the recurrence of POST /booking-requests/', () => {
  const body = { trainer_id: 1, session_type: 'Strength', duration_minutes: 60, start_time: '2031-01-06T17:00:00Z' };

  it('fills the defaults: weekly, all_or_nothing', () => {
    const parsed = createBookingRequestBodySchema.parse({ ...body, recurrence: { frequency: 'WEEKLY', count: 10 } });
    expect(parsed.recurrence).toEqual({ frequency: 'WEEKLY', interval: 1, count: 10, conflict_mode: 'all_or_nothing' });
  });

  it.each([
    [{ frequency: 'WEEKLY', count: 3, until: '2031-02-01' }, ['recurrence', 'until']],
    [{ frequency: 'WEEKLY' }, ['recurrence', 'count']],
    [{ frequency: 'WEEKLY', count: 3, weekdays: ['TU', 'TU'] }, ['recurrence', 'weekdays']],
    [{ count: 3 }, ['recurrence', 'frequency']],
  ])('refuses %j at %j', (recurrence, path) => {
    const result = createBookingRequestBodySchema.safeParse({ ...body, recurrence });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toContainEqual(path);
  });
});

describe('apiFieldOf: the domain field as the API names it', () => {
  it.each([
    ['recurrence.count', 'recurrence.count'],
    ['recurrence.conflictMode', 'recurrence.conflict_mode'],
    ['recurrence.weekdays.2', 'recurrence.weekdays.2'],
    ['preferences.preferredEndDate', 'preferred_end_date'],
    ['durationMinutes', 'duration_minutes'],
    ['start_time', 'start_time'],
  ])('%s -> %s', (domain, api) => expect(apiFieldOf(domain)).toBe(api));
});

describe('series views', () => {
  it('shows a series option with its weekly time, free/total and every session with its state and reason', () => {
    expect(scoredSlotFromOption(option(seriesDetail)).series).toEqual({
      rrule: RRULE,
      weekdays: ['MO'],
      local_time: '18:00',
      time_zone: 'Europe/Berlin',
      interval: 1,
      conflict_mode: 'available_only',
      free: 1,
      total: 2,
      sessions: [
        { start_time: '2031-01-06T17:00:00.000Z', local_date: '2031-01-06', state: 'free' },
        { start_time: '2031-01-13T17:00:00.000Z', local_date: '2031-01-13', state: 'taken', reason: 'Another booking has that time.' },
      ],
    });
    expect(scoredSlotFromOption(option())).not.toHaveProperty('series');
  });

  it("knows a request's rule from its series, its chosen option, or options that all share one", () => {
    const state = (patch: Partial<BookingState>): BookingState => ({
      bookingRequestId: 1,
      trainerId: 1,
      clientId: 2,
      mode: 'direct',
      status: 'PENDING',
      expiresAt: null,
      optionsReady: true,
      options: [],
      chosenSlot: null,
      booking: null,
      rejectionReason: null,
      history: [],
      ...patch,
    });
    expect(rruleFromState(state({ options: [option(seriesDetail)] }))).toBe(RRULE);
    expect(rruleFromState(state({ options: [option(seriesDetail), option({ ...seriesDetail, rrule: 'other' })] }))).toBeNull();
    expect(rruleFromState(state({ options: [option()] }))).toBeNull();
    expect(rruleFromState(state({ chosenSlot: option({ ...seriesDetail, rrule: 'chosen' }) }))).toBe('chosen');
  });
});
