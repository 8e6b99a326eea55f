// Whatever a person types, the chat parser answers: it never throws, everything it extracts
// is something the booking request accepts, and what it cannot read comes back as one
// clear sentence to show — never a guess that breaks the request later.
import * as chrono from 'chrono-node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAvailabilityText } from '../../../bots/parsing/availability';
import { chronoFor } from '../../../bots/parsing/chrono-reader';
import { parseDayText } from '../../../bots/parsing/day';
import { MaskedText } from '../../../bots/parsing/masked-text';
import { isMessageTooLong } from '../../../bots/parsing/message-length';
import { parsePreferenceText, type PreferenceText } from '../../../bots/parsing/preferences';
import { endsInNegation } from '../../../bots/parsing/time-preferences';
import { parseCalendarDate, parseTimeBlock } from '../../../src/scoring/wc';
import { timeZoneName } from '../../support/arbitraries';

const NOW = new Date('2031-03-27T10:15:00Z');

/** Words people use about timing, so generated text often looks like a real answer. */
const fragment = fc.oneof(
  fc.constantFrom(
    'next week', 'tomorrow', 'this weekend', 'weekends fine', 'no weekends', 'evenings', 'mornings', 'afternoon',
    'not before 9:30', 'after 5pm', 'before 7', '10-12', '10am-12pm', '14:00-16:00', '2-4', '90 min', '1.5h', '2 hours',
    '5 min', 'Jan 15-20', '3/12', 'Mon-Fri', 'Mon-Fri 9-17', 'for the next 2 weeks', 'soon', 'whenever', '24:00', '25:99',
    'publish', 'Dec 31 - Jan 2', 'next month', 'in 3 days', 'noon', 'midnight', '0:00-24:00', '-', ',', 'and', 'or',
  ),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -100, max: 3000 }).map(String),
);
const message = fc.array(fragment, { maxLength: 10 }).map((parts) => parts.join(' '));
const anyText = fc.oneof(message, fc.string({ maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 80 }));

function isOneSentence(text: string): boolean {
  return text.trim().length > 0 && !text.includes('\n');
}

/** What the booking request accepts, checked on any reading of free text. */
function expectWellFormed(parsed: PreferenceText): void {
  for (const block of [...parsed.preferredTimes, ...parsed.avoidTimes]) expect(() => parseTimeBlock(block)).not.toThrow();
  if (parsed.dateRange) expect(parseCalendarDate(parsed.dateRange.start)).toBeLessThanOrEqual(parseCalendarDate(parsed.dateRange.end));
  if (parsed.durationMinutes !== undefined) {
    expect(Number.isInteger(parsed.durationMinutes)).toBe(true);
    expect(parsed.durationMinutes).toBeGreaterThan(0);
  }
  for (const problem of parsed.problems) expect(isOneSentence(problem.message)).toBe(true);
}

describe('chat parser on arbitrary text', () => {
  it('preferences: never throws; what it extracts is valid W_C input; problems are one sentence each', () => {
    fc.assert(
      fc.property(anyText, timeZoneName, (text, zone) => {
        let timeZone = zone;
        try {
          Intl.DateTimeFormat('en', { timeZone: zone });
        } catch {
          timeZone = 'Europe/Berlin'; // the parser is given a zone the person's account has
        }
        expectWellFormed(parsePreferenceText(text, { now: NOW, timeZone }));
      }),
      { numRuns: 1500 },
    );
  });

  it('availability: never throws; a reading is a real date range with sane hours, or a sentence saying what is missing', () => {
    fc.assert(
      fc.property(anyText.map((text) => `publish ${text}`), (text) => {
        const parsed = parseAvailabilityText(text, { now: NOW, timeZone: 'Europe/Berlin' });
        if (parsed.availability) {
          const { fromDate, toDate, weekdays, hours, slotMinutes } = parsed.availability;
          expect(parseCalendarDate(fromDate)).toBeLessThanOrEqual(parseCalendarDate(toDate));
          expect(weekdays.every((day) => Number.isInteger(day) && day >= 1 && day <= 7)).toBe(true);
          for (const { dayStart, dayEnd } of hours) expect(() => parseTimeBlock(`${dayStart}-${dayEnd}`)).not.toThrow();
          expect(slotMinutes).toBeGreaterThan(0);
        } else {
          expect(parsed.problems.length).toBeGreaterThan(0);
        }
        for (const problem of parsed.problems) expect(isOneSentence(problem.message)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

// Messages far over the chat cap (another path, or a cap raised later) must still be read in
// time linear in their length. Timing is the benchmark's job (bench/parsing); here: huge
// inputs of any shape — fragments repeated, runs of digits, blanks or separators — come
// back well-formed and never throw.
const HUGE = 40_000;
const hugeText = fc
  .tuple(fc.array(fragment, { minLength: 1, maxLength: 4 }), fc.constantFrom(' ', ', ', '; ', '\n', '-', ''))
  .map(([parts, separator]) => {
    const unit = parts.join(' ') + separator || '1';
    return unit.repeat(Math.ceil(HUGE / unit.length)).slice(0, HUGE);
  });

describe('chat parser on huge messages', () => {
  it('preferences, one day and availability: never throw, and what they read is well-formed', () => {
    fc.assert(
      fc.property(hugeText, (text) => {
        expect(isMessageTooLong(text)).toBe(true);
        const context = { now: NOW, timeZone: 'Europe/Berlin' };
        const parsed = parsePreferenceText(text, context);
        expectWellFormed(parsed);
        const day = parseDayText(text, context);
        if (day.day) expect(() => parseCalendarDate(day.day!)).not.toThrow();
        else expect(day.problems.length).toBeGreaterThan(0);
        const availability = parseAvailabilityText(`publish ${text}`, context);
        if (availability.availability) expect(parseCalendarDate(availability.availability.fromDate)).toBeLessThanOrEqual(parseCalendarDate(availability.availability.toDate));
        else expect(availability.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 25 },
    );
  });
});

describe('the pieces the parsers are built from', () => {
  const NEGATION = /(?:\bnot|\bavoid(?:ing)?|\bexcept|\bexcluding|\bno|\bnever|\bwithout|\bskip)\s+(?:(?:at|on|in|the|during)\s+)*$/;
  const word = fc.constantFrom('not', 'no', 'avoid', 'avoiding', 'except', 'excluding', 'never', 'without', 'skip', 'at', 'on', 'in', 'the', 'during', 'cannot', 'x-not', 'note', 'in-', 'xat', '9-10', '', 'a');
  const gap = fc.constantFrom(' ', '  ', '\t', '', '\u00a0', '-', '.');

  it('endsInNegation reads a negation exactly as its regular expression does', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(word, gap), { maxLength: 8 }), fc.nat({ max: 6 }), (pieces, cut) => {
        const text = pieces.map(([w, g]) => w + g).join('');
        const from = Math.min(cut, text.length);
        expect(endsInNegation(text, from, text.length)).toBe(NEGATION.test(text.slice(from)));
      }),
      { numRuns: 3000 },
    );
  });

  it('the chrono reader (parsers left out, joins matched atomically) reads what chrono-node reads', () => {
    const unit = fc.constantFrom('1 h', '2 hours', '30 min', 'a week', 'an hour', 'half an hour', 'a couple of days', 'few months', '3 days', '1 year', '2d', '5 mins', 'several weeks');
    const join = fc.constantFrom(' ', ', ', ' and ', ' , and  ', '', '      ', ',');
    const tail = fc.constantFrom(' ago', ' later', ' from now', ' before', ' earlier', ' after', ' out', '', ' tomorrow', ' x', ' at 5pm', ' before Dec 5');
    const text = fc
      .array(fc.tuple(fc.constantFrom('', 'in ', 'within ', 'for ', 'next ', 'about ', 'the '), fc.array(fc.tuple(unit, join), { minLength: 1, maxLength: 13 }), tail), { minLength: 1, maxLength: 3 })
      .map((parts) => parts.map(([lead, units, end]) => lead + units.map(([u, j]) => u + j).join('') + end).join(' '));
    const reference = { instant: NOW, timezone: 60 };
    const reading = (results: chrono.ParsedResult[]): unknown[] => results.map((r) => [r.index, r.text, r.start.date().toISOString(), r.end?.date().toISOString()]);
    fc.assert(
      fc.property(text, (written) => {
        expect(reading(chronoFor(written).parse(written, reference, { forwardDate: true }))).toEqual(reading(chrono.parse(written, reference, { forwardDate: true })));
      }),
      { numRuns: 400 },
    );
  });

  it('MaskedText blanks spans in one pass exactly as blanking them one by one would, and finds the same clauses', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', ';', '\n', '1'), maxLength: 60 }),
        fc.array(fc.tuple(fc.nat({ max: 60 }), fc.nat({ max: 8 })), { maxLength: 6 }),
        (original, spans) => {
          const text = new MaskedText(original);
          const inside = spans.map(([start, length]): [number, number] => [Math.min(start, original.length), Math.min(start + length, original.length)]);
          let expected = original.toLowerCase();
          for (const [start, end] of inside) expected = expected.slice(0, start) + ' '.repeat(end - start) + expected.slice(end);
          text.blankAll(inside);
          expect(text.current).toBe(expected);
          for (let index = 0; index <= original.length; index++) {
            const before = Math.max(original.lastIndexOf(',', index - 1), original.lastIndexOf(';', index - 1), original.lastIndexOf('\n', index - 1));
            const after = [',', ';', '\n'].map((c) => original.indexOf(c, index)).filter((i) => i >= 0);
            const end = after.length > 0 ? Math.min(...after) : original.length;
            const clause = text.clauseAround(index);
            expect([clause.start, clause.text]).toEqual([before + 1, original.slice(before + 1, end).toLowerCase()]);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
