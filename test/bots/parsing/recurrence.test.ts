import { describe, expect, it } from 'vitest';
import { parseRecurrenceText, RECURRENCE_WORDING, untilAfterMonths, type RecurrenceText } from '../../../bots/parsing/recurrence';

// Wednesday 2 December 2026, 10:00 in Berlin.
const now = new Date('2026-12-02T09:00:00Z');
const berlin = { now, timeZone: 'Europe/Berlin' };

// Each row: what a person writes, and exactly what the series reading must be.
const understood: [string, RecurrenceText][] = [
  ['book every Tuesday 18:00 for 10 weeks', { weekdays: ['TU'], startTime: '18:00', count: 10 }],
  ['every other Monday at 7 until March', { interval: 2, weekdays: ['MO'], startTime: '07:00', until: '2027-03-31' }],
  ['weekly Tue and Thu 7:00, 8 sessions', { interval: 1, weekdays: ['TU', 'TH'], startTime: '07:00', count: 8 }],
  ['each week on Wednesday at 6pm', { interval: 1, weekdays: ['WE'], startTime: '18:00' }],
  ['biweekly on Fridays, 6 sessions', { interval: 2, weekdays: ['FR'], count: 6 }],
  ['fortnightly Sat 9:30', { interval: 2, weekdays: ['SA'], startTime: '09:30' }],
  ['every 2 weeks on Mon until 2027-03-15', { interval: 2, weekdays: ['MO'], until: '2027-03-15' }],
  ['every two weeks, Thursday 18h, x10', { interval: 2, weekdays: ['TH'], startTime: '18:00', count: 10 }],
  ['every third week on Tuesday at 17:00, 5 times', { interval: 3, weekdays: ['TU'], startTime: '17:00', count: 5 }],
  ['once a week, Sunday 10am, for a year', { interval: 1, weekdays: ['SU'], startTime: '10:00', forMonths: 12 }],
  ['every Tuesday 10x', { weekdays: ['TU'], count: 10 }],
  ['Tuesdays at 7pm, 10 sessions', { weekdays: ['TU'], startTime: '19:00', count: 10 }],
  ['Tuesday 18, ten sessions', { weekdays: ['TU'], startTime: '18:00', count: 10 }],
  ['every Tuesday until the end of March', { weekdays: ['TU'], until: '2027-03-31' }],
  ['every Tuesday until the end of the month', { weekdays: ['TU'], until: '2026-12-31' }],
  ['every Tuesday through March 15', { weekdays: ['TU'], until: '2027-03-15' }],
  ['every Tuesday until 15th of January 2027', { weekdays: ['TU'], until: '2027-01-15' }],
  ['every Tuesday until December', { weekdays: ['TU'], until: '2026-12-31' }],
  ['every Tuesday until Feb 2028', { weekdays: ['TU'], until: '2028-02-29' }],
  ['every Thursday at 19:30 for 3 months', { weekdays: ['TH'], startTime: '19:30', forMonths: 3 }],
  ['every Tuesday and Thursday for 4 weeks', { weekdays: ['TU', 'TH'], count: 8 }],
  ['every other Monday for 10 weeks', { interval: 2, weekdays: ['MO'], count: 5 }],
  ['every weekday at 7, 10 sessions', { weekdays: ['MO', 'TU', 'WE', 'TH', 'FR'], startTime: '07:00', count: 10 }],
  ['every Mon-Wed at 8am for 2 weeks', { weekdays: ['MO', 'TU', 'WE'], startTime: '08:00', count: 6 }],
  ['every Tuesday evening at 7', { weekdays: ['TU'], startTime: '19:00' }],
  ['every Tuesday at noon', { weekdays: ['TU'], startTime: '12:00' }],
  ['every Friday @ 6.30pm, for the next 6 weeks', { weekdays: ['FR'], startTime: '18:30', count: 6 }],
  ['weekly, 12 sessions', { interval: 1, weekdays: [], count: 12 }],
  // Said with "every", but the days and times are preferences: "9-12" is a span, not a start.
  ['every Tuesday 9-12, 10 sessions, weekends fine', { weekdays: ['TU'], count: 10 }],
];

describe('free text → a weekly series', () => {
  it.each(understood)('%s', (input, expected) => {
    const parsed = parseRecurrenceText(input, berlin);
    expect(parsed.problems).toEqual([]);
    expect(parsed.found).toBe(true);
    expect(parsed.recurrence).toEqual(expected);
  });

  it('blanks what it read and leaves the rest, at the same positions, for the other parsers', () => {
    const input = 'book Alex, every Tuesday 9-12 for 10 weeks, weekends fine, online';
    const { rest } = parseRecurrenceText(input, berlin);
    expect(rest).toHaveLength(input.length);
    expect(rest.replace(/\s+/g, ' ')).toBe('book Alex, 9-12 , weekends fine, online');
    // "starting next Monday" says when it begins: a date for the date parser, not a weekday of the series.
    const starting = parseRecurrenceText('every other week, starting next Monday, 6 sessions', berlin);
    expect(starting.recurrence).toEqual({ interval: 2, weekdays: [], count: 6 });
    expect(starting.rest).toContain('starting next Monday');
  });

  it('reads what to do with taken dates, with a series or on its own', () => {
    expect(parseRecurrenceText('every Tuesday 18:00, 4 sessions, all or nothing', berlin)).toMatchObject({ conflictMode: 'ALL_OR_NOTHING', recurrence: { count: 4 } });
    for (const said of ['available dates only', 'only the free dates', 'skip the taken dates', 'skip any conflicts']) {
      expect(parseRecurrenceText(said, berlin)).toEqual({ found: false, conflictMode: 'AVAILABLE_ONLY', problems: [], rest: ' '.repeat(said.length) });
    }
  });

  it('is not a series without a word that repeats: spans, single days and "until" are the other parsers\'', () => {
    for (const input of ['next week mornings', 'for the next 2 weeks, evenings', 'Tuesday at 6pm', 'until Dec 20', 'a session on Tuesday', '1 session', 'twice a week', '2 times a week']) {
      expect(parseRecurrenceText(input, berlin)).toEqual({ found: false, problems: [], rest: input });
    }
  });

  it('as an answer to a series question ("Tue and Thu", "until March"), no repeating word is needed', () => {
    expect(parseRecurrenceText('Tue and Thu', berlin, { series: true }).recurrence).toEqual({ weekdays: ['TU', 'TH'] });
    expect(parseRecurrenceText('until March', berlin, { series: true }).recurrence).toEqual({ weekdays: [], until: '2027-03-31' });
    expect(parseRecurrenceText('for 8 weeks', berlin, { series: true }).recurrence).toEqual({ weekdays: [], count: 8 });
  });
});

describe('until a month: its last day, in the next year when the month has passed', () => {
  const cases: [string, string, string, string][] = [
    // now (UTC), zone, written, until
    ['2026-12-02T09:00:00Z', 'Europe/Berlin', 'until March', '2027-03-31'],
    ['2026-12-02T09:00:00Z', 'Europe/Berlin', 'until December', '2026-12-31'],
    ['2026-12-02T09:00:00Z', 'Europe/Berlin', 'until November', '2027-11-30'],
    ['2027-02-10T09:00:00Z', 'Europe/Berlin', 'until March', '2027-03-31'],
    ['2027-02-10T09:00:00Z', 'Europe/Berlin', 'until the end of February', '2027-02-28'],
    ['2027-03-20T09:00:00Z', 'Europe/Berlin', 'until March 15', '2028-03-15'],
    ['2027-03-20T09:00:00Z', 'Europe/Berlin', 'until Feb 29', '2028-02-29'],
    // 23:30 UTC on New Year's Eve: already January in Berlin, still December in New York.
    ['2026-12-31T23:30:00Z', 'Europe/Berlin', 'until December', '2027-12-31'],
    ['2026-12-31T23:30:00Z', 'America/New_York', 'until December', '2026-12-31'],
  ];
  it.each(cases)('on %s in %s, "%s" ends on %s', (at, timeZone, written, until) => {
    expect(parseRecurrenceText(`every Tuesday ${written}`, { now: new Date(at), timeZone }).recurrence).toEqual({ weekdays: ['TU'], until });
  });

  it('"for N months" ends the day before the same date N months after the first session', () => {
    expect(untilAfterMonths('2026-12-08', 3)).toBe('2027-03-07');
    expect(untilAfterMonths('2027-01-31', 1)).toBe('2027-02-27');
    expect(untilAfterMonths('2027-11-30', 12)).toBe('2028-11-29');
  });
});

// What the parser will not guess at: one sentence, naming what to write instead.
const unclear: [string, string][] = [
  ['every tuesday at 5', 'I can\'t tell whether "5" is in the morning or the afternoon; please write it like "5pm" or in 24-hour time.'],
  ['every Tuesday 18:00, 0 sessions', 'A series needs at least one session.'],
  ['every Tuesday 18:00, 60 sessions', 'A series can have at most 52 sessions.'],
  ['every 6 weeks on Tuesday', 'The interval must be a whole number of weeks from 1 to 4.'],
  ['every Tuesday until 2026-11-01', 'The end date is before the first date: choose an end date on or after it.'],
  ['every Tuesday 18:00, 10 sessions until March', 'Give either a number of sessions or an end date, not both.'],
  ['monthly on Tuesdays', RECURRENCE_WORDING.unsupported('monthly')],
  ['every 10 days', RECURRENCE_WORDING.unsupported('every 10 days')],
  ['every Tuesday until xmas', RECURRENCE_WORDING.unreadEnd('until xmas')],
  ['every Tuesday until Feb 30', RECURRENCE_WORDING.badDate('until Feb 30')],
  ['every Tuesday at 25:00', RECURRENCE_WORDING.badTime('25:00')],
  ['every Tuesday 18:00 and Thursday 7:00', RECURRENCE_WORDING.twoTimes(['07:00', '18:00'])],
  ['weekly, every other Monday', RECURRENCE_WORDING.twoIntervals()],
  ['every Tuesday, 8 sessions, 10 sessions', RECURRENCE_WORDING.twoCounts([8, 10])],
  ['every Tuesday until March, for 3 months', RECURRENCE_WORDING.twoEnds()],
];

describe('unclear series', () => {
  it.each(unclear)('%s', (input, sentence) => {
    const parsed = parseRecurrenceText(input, berlin);
    expect(parsed.found).toBe(true);
    expect(parsed.recurrence).toBeUndefined();
    expect(parsed.problems[0]?.message).toBe(sentence);
    expect(sentence.trim().match(/[.?!](\s|$)/g)).toHaveLength(1);
  });
});
