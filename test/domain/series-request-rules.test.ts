import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/domain/policy';
import { checkSeriesRequest, seriesRequestWording, weekdaysInWords, type SeriesRequestFacts } from '../../src/domain/series/request-rules';

const base: SeriesRequestFacts = {
  policy: DEFAULT_POLICY,
  trainerName: 'Sam',
  weekdays: ['TU'],
  count: 10,
  today: '2031-01-01',
  latestDate: '2031-04-01',
  sessionDates: ['2031-01-07', '2031-03-11'],
  direct: { startDay: 'TU', localTime: '18:00', durationMinutes: 60, coverage: { weekdaysWithoutTimes: [], startsPublished: 10, lengthsCovered: 10 } },
};

describe('series request rules', () => {
  it('accepts a series inside the horizon whose days and length the trainer covers', () => {
    expect(checkSeriesRequest(base)).toBeNull();
    expect(checkSeriesRequest({ ...base, direct: undefined })).toBeNull();
  });

  it('refuses a first session on a day that is not among the chosen ones', () => {
    expect(checkSeriesRequest({ ...base, weekdays: ['MO', 'WE'] })).toEqual({ field: 'recurrence.weekdays', sentence: seriesRequestWording.startNotOnWeekdays('TU', ['MO', 'WE']) });
    expect(seriesRequestWording.startNotOnWeekdays('TU', ['WE', 'MO'])).toContain('Tuesday, which is not among the chosen days (Mondays and Wednesdays)');
  });

  it('refuses an end date or a last session beyond the trainer’s horizon, naming the field the client set', () => {
    expect(checkSeriesRequest({ ...base, count: undefined, until: '2031-04-02' })?.field).toBe('recurrence.until');
    expect(checkSeriesRequest({ ...base, count: undefined, until: '2031-04-01' })).toBeNull();
    const late = checkSeriesRequest({ ...base, sessionDates: ['2031-01-07', '2031-04-08'] });
    expect(late?.field).toBe('recurrence.count');
    expect(late?.sentence).toBe('The last of the 2 sessions would be on 2031-04-08, but Sam takes bookings at most 90 days ahead: choose fewer sessions or an earlier end date.');
  });

  it('refuses days without published times, then a time never published, then a length never covered', () => {
    const coverage = { weekdaysWithoutTimes: ['SU' as const], startsPublished: 0, lengthsCovered: 0 };
    expect(checkSeriesRequest({ ...base, direct: { ...base.direct!, coverage } })).toEqual({
      field: 'recurrence.weekdays',
      sentence: 'Sam has no published times on Sundays between 2031-01-07 and 2031-03-11: choose other days.',
    });
    expect(checkSeriesRequest({ ...base, direct: { ...base.direct!, coverage: { ...coverage, weekdaysWithoutTimes: [] } } })?.field).toBe('startTime');
    expect(checkSeriesRequest({ ...base, direct: { ...base.direct!, coverage: { weekdaysWithoutTimes: [], startsPublished: 3, lengthsCovered: 0 } } })).toEqual({
      field: 'durationMinutes',
      sentence: "Sam's published times from 18:00 never run 60 minutes on those days: choose a shorter session or another time.",
    });
    // One covered session is enough: the others are a matter of availability, shown with the options.
    expect(checkSeriesRequest({ ...base, direct: { ...base.direct!, coverage: { weekdaysWithoutTimes: [], startsPublished: 3, lengthsCovered: 1 } } })).toBeNull();
  });

  it('names weekdays in week order', () => {
    expect(weekdaysInWords(['TH', 'TU'])).toBe('Tuesdays and Thursdays');
    expect(weekdaysInWords(['FR', 'MO', 'WE'])).toBe('Mondays, Wednesdays and Fridays');
    expect(weekdaysInWords(['SU'])).toBe('Sundays');
  });
});
