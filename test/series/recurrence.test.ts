import { describe, expect, it } from 'vitest';
import { recurrenceDates, validateRecurrence, type RecurrenceInput } from '../../src/domain/series/recurrence';
import { expandOccurrences, InvalidRecurrenceError, localToInstant, toRRule } from '../../src/series/recurrence';

// Fixed calendar dates: expansion is a pure function of its input, not of today.
const base: RecurrenceInput = { frequency: 'WEEKLY', interval: 1, weekdays: ['TU'], startTime: '18:00', timeZone: 'Europe/Berlin', firstDate: '2027-03-16', count: 10 };
const iso = (d: Date): string => d.toISOString();

describe('expandOccurrences keeps the local wall-clock time', () => {
  it.each<{ name: string; input: Partial<RecurrenceInput>; starts: string[]; localDates?: string[] }>([
    {
      name: 'Berlin, Tuesdays 18:00 across the last Sunday of March (CET→CEST): 17:00Z then 16:00Z',
      input: { count: 3 },
      starts: ['2027-03-16T17:00:00.000Z', '2027-03-23T17:00:00.000Z', '2027-03-30T16:00:00.000Z'],
    },
    {
      name: 'Berlin, Tuesdays 18:00 across the last Sunday of October (CEST→CET): 16:00Z then 17:00Z',
      input: { firstDate: '2027-10-19', count: 3 },
      starts: ['2027-10-19T16:00:00.000Z', '2027-10-26T16:00:00.000Z', '2027-11-02T17:00:00.000Z'],
    },
    {
      name: 'New York, Mondays 07:00 across the second Sunday of March (EST→EDT)',
      input: { timeZone: 'America/New_York', weekdays: ['MO'], startTime: '07:00', firstDate: '2027-03-08', count: 2 },
      starts: ['2027-03-08T12:00:00.000Z', '2027-03-15T11:00:00.000Z'],
    },
    {
      name: 'New York, Mondays 07:00 across the first Sunday of November (EDT→EST)',
      input: { timeZone: 'America/New_York', weekdays: ['MO'], startTime: '07:00', firstDate: '2027-11-01', count: 2 },
      starts: ['2027-11-01T11:00:00.000Z', '2027-11-08T12:00:00.000Z'],
    },
    {
      name: 'every 2 weeks: every other Monday, counted from the first date’s week',
      input: { timeZone: 'UTC', weekdays: ['MO'], startTime: '07:00', firstDate: '2027-01-04', interval: 2, count: 3 },
      starts: ['2027-01-04T07:00:00.000Z', '2027-01-18T07:00:00.000Z', '2027-02-01T07:00:00.000Z'],
    },
    {
      name: 'two weekdays: Tue and Thu, the first date a Wednesday (Tuesday of that week is before it)',
      input: { timeZone: 'UTC', weekdays: ['TH', 'TU'], startTime: '07:00', firstDate: '2027-01-06', count: 4 },
      starts: ['2027-01-07T07:00:00.000Z', '2027-01-12T07:00:00.000Z', '2027-01-14T07:00:00.000Z', '2027-01-19T07:00:00.000Z'],
    },
    {
      name: 'until-date, inclusive: Mondays from 4 Jan through Monday 25 Jan',
      input: { timeZone: 'UTC', weekdays: ['MO'], startTime: '07:00', firstDate: '2027-01-04', count: undefined, until: '2027-01-25' },
      starts: ['2027-01-04T07:00:00.000Z', '2027-01-11T07:00:00.000Z', '2027-01-18T07:00:00.000Z', '2027-01-25T07:00:00.000Z'],
    },
  ])('$name', ({ input, starts }) => {
    const expanded = expandOccurrences({ ...base, ...input });
    expect(expanded.occurrences.map((o) => iso(o.start))).toEqual(starts);
    expect(expanded.skipped).toEqual([]);
  });

  it('10 weekly Tuesdays in Berlin over the March change: all at 18:00 local, the UTC hour moves once', () => {
    const { occurrences } = expandOccurrences(base);
    expect(occurrences).toHaveLength(10);
    const berlin = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', weekday: 'short' });
    expect(new Set(occurrences.map((o) => berlin.format(o.start)))).toEqual(new Set(['Tue 18:00']));
    expect(occurrences.map((o) => o.start.getUTCHours())).toEqual([17, 17, 16, 16, 16, 16, 16, 16, 16, 16]);
    expect(occurrences.map((o) => o.localDate).slice(0, 3)).toEqual(['2027-03-16', '2027-03-23', '2027-03-30']);
  });

  it('a local time that does not exist (02:30 on the March change in Berlin) is skipped with a reason and counts toward COUNT', () => {
    const expanded = expandOccurrences({ ...base, weekdays: ['SU'], startTime: '02:30', firstDate: '2027-03-21', count: 3 });
    expect(expanded.occurrences.map((o) => o.localDate)).toEqual(['2027-03-21', '2027-04-04']);
    expect(expanded.skipped).toEqual([{ localDate: '2027-03-28', reason: expect.stringMatching(/02:30 does not exist on 2027-03-28 in Europe\/Berlin/) as string }]);
  });

  it('a local time that occurs twice (02:30 on the October change) takes the first, as RFC 5545 does', () => {
    expect(iso(localToInstant('2027-10-31', 2, 30, 'Europe/Berlin')!)).toBe('2027-10-31T00:30:00.000Z');
    expect(localToInstant('2027-03-28', 2, 30, 'Europe/Berlin')).toBeNull();
  });
});

describe('toRRule', () => {
  it.each<[Partial<RecurrenceInput>, string]>([
    [{}, 'DTSTART;TZID=Europe/Berlin:20270316T180000\nRRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;WKST=MO;COUNT=10'],
    [{ weekdays: ['TH', 'TU'], interval: 2, count: 8 }, 'DTSTART;TZID=Europe/Berlin:20270316T180000\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=MO;COUNT=8'],
    // The end of 31 March in Berlin (CEST) is 21:59:59 UTC.
    [{ count: undefined, until: '2027-03-31' }, 'DTSTART;TZID=Europe/Berlin:20270316T180000\nRRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;WKST=MO;UNTIL=20270331T215959Z'],
  ])('%o', (input, rule) => {
    expect(toRRule({ ...base, ...input })).toBe(rule);
  });
});

describe('bad recurrences: the field and one sentence, nothing expanded', () => {
  it.each<[string, Partial<RecurrenceInput>, string]>([
    ['zero sessions', { count: 0 }, 'count'],
    ['more than 52 sessions', { count: 53 }, 'count'],
    ['an until-date before the first date', { count: undefined, until: '2027-03-01' }, 'until'],
    ['an unknown weekday', { weekdays: ['TU', 'XX' as never] }, 'weekdays'],
    ['no weekday', { weekdays: [] }, 'weekdays'],
    ['a repeated weekday', { weekdays: ['TU', 'TU'] }, 'weekdays'],
    ['interval 0', { interval: 0 }, 'interval'],
    ['interval 5', { interval: 5 }, 'interval'],
    ['a start time of 24:00', { startTime: '24:00' }, 'start_time'],
    ['an unknown zone', { timeZone: 'Mars/Olympus' }, 'time_zone'],
    ['a first date that is not a date', { firstDate: '2027-02-30' }, 'first_date'],
    ['both count and until', { until: '2027-05-01' }, 'count'],
    ['neither count nor until', { count: undefined }, 'count'],
    ['an until-date more than 52 sessions away', { count: undefined, until: '2028-06-01' }, 'until'],
    ['an until-date with no chosen weekday in range', { firstDate: '2027-03-17', count: undefined, until: '2027-03-22' }, 'until'],
  ])('%s → %s', (_name, input, field) => {
    const bad = { ...base, ...input } as RecurrenceInput;
    const error = (() => {
      try {
        expandOccurrences(bad);
        return null;
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidRecurrenceError);
    const invalid = error as InvalidRecurrenceError;
    expect(invalid.code).toBe('InvalidRequest');
    expect(invalid.field).toBe(field);
    // One sentence per problem: capitalised, ending with a full stop.
    for (const problem of invalid.problems) expect(problem.sentence).toMatch(/^[A-Z0-9].*\.$/);
  });

  it('validateRecurrence lists every structural problem at once', () => {
    const problems = validateRecurrence({ ...base, interval: 9, weekdays: [], count: 0 });
    expect(problems.map((p) => p.field)).toEqual(['interval', 'weekdays', 'count']);
  });

  it('recurrenceDates stops at its limit for a far until-date', () => {
    expect(recurrenceDates({ ...base, count: undefined, until: '2099-01-01' }, 5)).toHaveLength(5);
  });
});
