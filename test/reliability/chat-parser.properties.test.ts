// Whatever a person types, the chat parser answers: it never throws, everything it extracts
// is something the booking request accepts, and what it cannot read comes back as one
// clear sentence to show — never a guess that breaks the request later.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAvailabilityText } from '../../bots/parsing/availability';
import { parsePreferenceText } from '../../bots/parsing/preferences';
import { parseCalendarDate, parseTimeBlock } from '../../src/scoring/wc';
import { timeZoneName } from './support/arbitraries';

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
        const parsed = parsePreferenceText(text, { now: NOW, timeZone });
        for (const block of [...parsed.preferredTimes, ...parsed.avoidTimes]) expect(() => parseTimeBlock(block)).not.toThrow();
        if (parsed.dateRange) expect(parseCalendarDate(parsed.dateRange.start)).toBeLessThanOrEqual(parseCalendarDate(parsed.dateRange.end));
        if (parsed.durationMinutes !== undefined) {
          expect(Number.isInteger(parsed.durationMinutes)).toBe(true);
          expect(parsed.durationMinutes).toBeGreaterThan(0);
        }
        for (const problem of parsed.problems) expect(isOneSentence(problem.message)).toBe(true);
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
