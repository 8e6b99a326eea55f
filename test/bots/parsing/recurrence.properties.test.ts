// Whatever a person types, the series parser answers: it never throws, what it reads is a
// series the booking request accepts (or a sentence saying what to write), it leaves every
// character it did not read where it was, and a series written the usual ways is read back
// exactly. Huge messages are read too (in linear time; timing is bench/parsing's job).
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseRecurrenceText, type RecurrenceReading } from '../../../bots/parsing/recurrence';
import { isCalendarDate, MAX_INTERVAL, MAX_OCCURRENCES, parseLocalTime, WEEKDAY_CODES, type WeekdayCode } from '../../../src/domain/series/recurrence';

// Friday 26 March 2027, two days before the clocks go forward in Berlin.
const NOW = new Date('2027-03-26T10:15:00Z');
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Pacific/Auckland', 'UTC'];

const fragment = fc.oneof(
  fc.constantFrom(
    'every', 'each', 'other', 'weekly', 'biweekly', 'fortnightly', 'every 2 weeks', 'every third week', 'once a week', 'monthly', 'every 10 days',
    'Tuesday', 'Tue', 'Thursdays', 'Mon-Fri', 'weekdays', 'weekends', 'and', ',', '&', 'next Monday', 'starting', 'from',
    'at 7', 'at 5', '18:00', '7pm', '9-12', '25:99', 'noon', 'evening', '@', 'x10', '10x', '0 sessions', '60 sessions', '8 sessions', 'ten times',
    'for 10 weeks', 'for 3 months', 'for a year', 'until March', 'until the end of March', 'until 2027-03-15', 'until Feb 30', 'until xmas', 'till Dec 5', 'through',
    'all or nothing', 'available dates only', 'skip the taken dates', '2 times a week', 'next week', 'mornings', '90 min', '-', ';', '\n',
  ),
  fc.string({ maxLength: 10 }),
  fc.integer({ min: -5, max: 3000 }).map(String),
);
const message = fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join(' '));
const anyText = fc.oneof(message, fc.string({ maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 80 }));

const isOneSentence = (text: string): boolean => text.trim().length > 0 && !text.includes('\n');

/** What the booking request accepts, checked on any reading. */
function expectWellFormed(input: string, parsed: RecurrenceReading, zone: string): void {
  for (const problem of parsed.problems) expect(isOneSentence(problem.message)).toBe(true);
  if (!parsed.found) {
    expect(parsed.recurrence).toBeUndefined();
    expect(parsed.problems).toEqual([]);
  }
  const read = parsed.recurrence;
  if (read) {
    expect(parsed.problems).toEqual([]);
    if (read.interval !== undefined) expect(Number.isInteger(read.interval) && read.interval >= 1 && read.interval <= MAX_INTERVAL).toBe(true);
    expect(read.weekdays).toEqual(WEEKDAY_CODES.filter((code) => read.weekdays.includes(code)));
    if (read.startTime !== undefined) expect(parseLocalTime(read.startTime)).not.toBeNull();
    const ends = [read.count, read.until, read.forMonths].filter((end) => end !== undefined);
    expect(ends.length).toBeLessThanOrEqual(1);
    if (read.count !== undefined) expect(Number.isInteger(read.count) && read.count >= 1 && read.count <= MAX_OCCURRENCES).toBe(true);
    if (read.until !== undefined) {
      expect(isCalendarDate(read.until)).toBe(true);
      expect(read.until >= DateTime.fromJSDate(NOW, { zone }).toISODate()!).toBe(true);
    }
    if (read.forMonths !== undefined) expect(Number.isInteger(read.forMonths) && read.forMonths >= 1).toBe(true);
  }
  // Every character not read stays where it was.
  if (input.toLowerCase().length === input.length) {
    expect(parsed.rest).toHaveLength(input.length);
    let moved = -1;
    for (let i = 0; i < input.length && moved < 0; i++) if (parsed.rest[i] !== ' ' && parsed.rest[i] !== input[i]) moved = i;
    expect(moved).toBe(-1);
  }
}

describe('series parser on arbitrary text', () => {
  it('never throws; a reading is a series the request accepts, or one sentence each; unread text stays in place', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom(...ZONES), (text, zone) => {
        expectWellFormed(text, parseRecurrenceText(text, { now: NOW, timeZone: zone }), zone);
        expectWellFormed(text, parseRecurrenceText(text, { now: NOW, timeZone: zone }, { series: true }), zone);
      }),
      { numRuns: 1500 },
    );
  });

  it('huge messages (far over the chat cap) of any shape: never throw, and read well-formed', () => {
    const huge = fc
      .tuple(fc.array(fragment, { minLength: 1, maxLength: 4 }), fc.constantFrom(' ', ', ', '; ', '\n', '-', ''))
      .map(([parts, separator]) => {
        const unit = parts.join(' ') + separator || '1';
        return unit.repeat(Math.ceil(40_000 / unit.length)).slice(0, 40_000);
      });
    fc.assert(
      fc.property(huge, (text) => {
        expectWellFormed(text, parseRecurrenceText(text, { now: NOW, timeZone: 'Europe/Berlin' }), 'Europe/Berlin');
      }),
      { numRuns: 25 },
    );
  });
});

const DAY_WORDS: Record<WeekdayCode, string[]> = {
  MO: ['Monday', 'Mon', 'mondays'],
  TU: ['Tuesday', 'Tue', 'Tues', 'tuesdays'],
  WE: ['Wednesday', 'Wed', 'wednesdays'],
  TH: ['Thursday', 'Thu', 'Thurs', 'thursdays'],
  FR: ['Friday', 'Fri', 'fridays'],
  SA: ['Saturday', 'Sat', 'saturdays'],
  SU: ['Sunday', 'Sun', 'sundays'],
};
const INTERVAL_WORDS: Record<number, string[]> = {
  1: ['every', 'weekly on', 'each week on', 'once a week on', 'every week on'],
  2: ['every other week on', 'biweekly on', 'every 2 weeks on', 'every two weeks on', 'fortnightly on', 'every second week on'],
  3: ['every 3 weeks on', 'every third week on'],
  4: ['every 4 weeks on', 'every fourth week on'],
};

type End = { count: number } | { until: string } | { forMonths: number };
const months = (n: number): string => (n === 1 ? '1 month' : `${n} months`);
/** How a series ends, written a few ways. */
const writtenEnd: fc.Arbitrary<{ end: End; text: string }> = fc.oneof(
  fc.integer({ min: 1, max: MAX_OCCURRENCES }).chain((n) => fc.constantFrom(`${n} sessions`, `x${n}`, `${n}x`, `for ${n} sessions`).map((text) => ({ end: { count: n }, text }))),
  fc.integer({ min: 0, max: 400 }).chain((days) => {
    const until = DateTime.fromJSDate(NOW, { zone: 'Europe/Berlin' }).plus({ days }).toISODate()!;
    return fc.constantFrom(`until ${until}`, `till ${until}`, `through ${until}`).map((text) => ({ end: { until }, text }));
  }),
  fc.integer({ min: 1, max: 12 }).chain((n) => fc.constantFrom(`for ${months(n)}`, `for the next ${months(n)}`).map((text) => ({ end: { forMonths: n }, text }))),
);

/** A series as people write it, and what it says. */
const writtenSeries = fc
  .record({
    interval: fc.integer({ min: 1, max: 4 }),
    days: fc.subarray([...WEEKDAY_CODES], { minLength: 1 }),
    dayForm: fc.nat({ max: 3 }),
    joiner: fc.constantFrom(' and ', ', ', ' & ', ' / '),
    intervalForm: fc.nat({ max: 5 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.constantFrom(0, 5, 15, 30, 45),
    timeForm: fc.constantFrom('at HH:MM', 'HH:MM', '@ HH:MM', 'at H am/pm'),
    end: writtenEnd,
    order: fc.boolean(),
  })
  .map((spec) => {
    const [h, m] = [String(spec.hour).padStart(2, '0'), String(spec.minute).padStart(2, '0')];
    const twelve = `${spec.hour % 12 === 0 ? 12 : spec.hour % 12}${spec.minute ? `:${m}` : ''}${spec.hour < 12 ? 'am' : 'pm'}`;
    const time = spec.timeForm === 'at H am/pm' ? `at ${twelve}` : spec.timeForm.replace('HH:MM', `${h}:${m}`);
    const forms = INTERVAL_WORDS[spec.interval]!;
    const days = spec.days.map((d) => DAY_WORDS[d][spec.dayForm % DAY_WORDS[d].length]!).join(spec.joiner);
    const repeat = `${forms[spec.intervalForm % forms.length]} ${days}`;
    const text = spec.order ? `book ${repeat} ${time}, ${spec.end.text}` : `${spec.end.text}, ${repeat} ${time}`;
    return { text, interval: spec.interval, days: spec.days, time: `${h}:${m}`, end: spec.end.end };
  });

describe('series written the usual ways', () => {
  it('are read back exactly: interval, days, time and end', () => {
    fc.assert(
      fc.property(writtenSeries, ({ text, interval, days, time, end }) => {
        const parsed = parseRecurrenceText(text, { now: NOW, timeZone: 'Europe/Berlin' });
        expect(parsed.problems).toEqual([]);
        const read = parsed.recurrence!;
        expect(read.interval ?? 1).toBe(interval);
        expect(read.weekdays).toEqual(days);
        expect(read.startTime).toBe(time);
        const { count, until, forMonths } = read;
        expect(Object.fromEntries(Object.entries({ count, until, forMonths }).filter(([, v]) => v !== undefined))).toEqual(end);
        // What is left is what joins the days ("and", ",", "&", "/").
        expect(parsed.rest.replace(/\band\b|[\s,&/]+/g, ' ').trim()).toBe(text.startsWith('book') ? 'book' : '');
      }),
      { numRuns: 1500 },
    );
  });
});
