// Bad input to the W_C scorer: whatever strings (or other values) arrive as dates, blocks,
// zones, durations and starts, the only error is a WcInputError with a readable message,
// and whatever is returned is a well-formed score.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertTimeZone, createWcScorer, parseCalendarDate, parseTimeBlock, scoreCandidate, validateWcPreferences, WcInputError, type WcPreferences, type WcScore } from '../../src/scoring/wc';
import { calendarDate, isoDateTime, mostly, preferences, timeBlock, timeZoneName } from '../support/arbitraries';

/** Runs `work`; a thrown error must be a WcInputError saying what is invalid. */
function onlyWcInputErrors<T>(work: () => T): T | undefined {
  try {
    return work();
  } catch (error) {
    expect(error).toBeInstanceOf(WcInputError);
    expect((error as Error).message).toMatch(/^Invalid \S/);
    return undefined;
  }
}

function expectWellFormed(score: WcScore): void {
  const { dateMatch, timeOfDayMatch, avoidTimePenalty, weekendEveningBonus } = score.breakdown;
  expect(dateMatch).toBeGreaterThanOrEqual(0);
  expect(dateMatch).toBeLessThanOrEqual(50);
  expect([0, 20, 40]).toContain(timeOfDayMatch);
  expect([0, -50]).toContain(avoidTimePenalty);
  expect([0, 5, 10]).toContain(weekendEveningBonus);
  expect(score.totalScore).toBeCloseTo(dateMatch + timeOfDayMatch + avoidTimePenalty + weekendEveningBonus, 9);
  expect(score.requiresManualReview).toBe(score.totalScore < 0);
}

// Parsed JSON can hold an object whose toString is not a function: formatting it for an
// error message must not throw a TypeError of its own.
const hostileObject = fc.constantFrom<unknown>(JSON.parse('{"toString": 1}'), JSON.parse('{"valueOf": 0, "toString": null}'), Object.create(null));
const duration = fc.oneof(
  { arbitrary: fc.integer({ min: -30, max: 24 * 60 }), weight: 4 },
  { arbitrary: fc.double(), weight: 1 },
  { arbitrary: fc.anything(), weight: 1 },
  { arbitrary: hostileObject, weight: 1 },
);
const candidateDate = fc.oneof(
  { arbitrary: fc.date({ noInvalidDate: true, min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z') }), weight: 4 },
  { arbitrary: fc.date({ noInvalidDate: false }), weight: 1 },
);
const startMs = fc.oneof(
  { arbitrary: fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }), weight: 4 },
  { arbitrary: fc.double(), weight: 1 },
  { arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity, 8.64e15, -8.64e15, 0, -1), weight: 1 },
);

const VALID_PREFERENCES = { preferredStartDate: '2031-03-01', preferredEndDate: '2031-03-31', preferredTimes: ['09:00-12:00'], avoidTimes: [], allowWeekends: false, allowEvenings: false };

describe('W_C scorer under arbitrary input', () => {
  it('parses blocks and dates or refuses them with WcInputError', () => {
    fc.assert(
      fc.property(fc.oneof(timeBlock, fc.anything()), fc.oneof(calendarDate, fc.anything()), (block, date) => {
        const parsed = onlyWcInputErrors(() => parseTimeBlock(block as string));
        if (parsed) expect(0 <= parsed.startMinute && parsed.startMinute < parsed.endMinute && parsed.endMinute <= 1440).toBe(true);
        const day = onlyWcInputErrors(() => parseCalendarDate(date as string));
        if (day !== undefined) expect(Number.isInteger(day)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts a time zone or refuses it with WcInputError', () => {
    fc.assert(
      fc.property(fc.oneof({ arbitrary: timeZoneName, weight: 5 }, { arbitrary: fc.anything(), weight: 1 }), (zone) => {
        onlyWcInputErrors(() => assertTimeZone(zone as string));
      }),
      { numRuns: 1500 },
    );
  });

  it('validates preferences (any field of any type, or missing) or refuses them with WcInputError', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof({ arbitrary: preferences, weight: 5 }, { arbitrary: fc.object(), weight: 1 }), (prefs) => {
        if (onlyWcInputErrors(() => validateWcPreferences(prefs as unknown as WcPreferences))) accepted++;
      }),
      { numRuns: 1500 },
    );
    expect(accepted).toBeGreaterThan(250);
  });

  it('scoreCandidate returns a well-formed score or throws WcInputError, never anything else', () => {
    let scored = 0;
    fc.assert(
      fc.property(preferences, fc.oneof(mostly(candidateDate), hostileObject), duration, mostly(timeZoneName), (prefs, start, minutes, zone) => {
        const score = onlyWcInputErrors(() => scoreCandidate(prefs as unknown as WcPreferences, start as Date, minutes as number, zone as string));
        if (!score) return;
        expectWellFormed(score);
        scored++;
      }),
      { numRuns: 1500, examples: [[VALID_PREFERENCES, JSON.parse('{"toString": 1}'), 60, 'UTC']] },
    );
    expect(scored).toBeGreaterThan(50);
  });

  it('a scorer built from arbitrary input scores arbitrary instants or refuses them with WcInputError', () => {
    let scored = 0;
    fc.assert(
      fc.property(preferences, duration, timeZoneName, fc.array(startMs, { minLength: 1, maxLength: 5 }), (prefs, minutes, zone, starts) => {
        const scorer = onlyWcInputErrors(() => createWcScorer(prefs as unknown as WcPreferences, minutes as number, zone));
        if (!scorer) return;
        for (const start of starts) {
          const score = onlyWcInputErrors(() => scorer.score(start));
          if (!score) continue;
          expectWellFormed(score);
          expect(scorer.totalScore(start)).toBe(score.totalScore);
          scored++;
        }
      }),
      { numRuns: 1500, examples: [[VALID_PREFERENCES, JSON.parse('{"toString": 1}'), 'UTC', [0]]] },
    );
    expect(scored).toBeGreaterThan(300);
  });

  it('a direct request time read from arbitrary ISO strings never crashes the scorer', () => {
    let scored = 0;
    const prefs: WcPreferences = { preferredStartDate: '2031-03-01', preferredEndDate: '2031-03-31', preferredTimes: ['09:00-12:00'], avoidTimes: ['12:00-13:00'], allowWeekends: true, allowEvenings: true };
    fc.assert(
      fc.property(isoDateTime, timeZoneName, (text, zone) => {
        const score = onlyWcInputErrors(() => scoreCandidate(prefs, new Date(text), 60, zone));
        if (!score) return;
        expectWellFormed(score);
        scored++;
      }),
      { numRuns: 1500 },
    );
    expect(scored).toBeGreaterThan(250);
  });
});
