// The scorer resolves offsets from a lazily built transition cache and then does integer
// arithmetic; this compares it with a deliberately naive reference that asks Intl for the
// local date, weekday and time of every candidate, over seeded random inputs.
import { describe, expect, it } from 'vitest';
import { createWcScorer, scoreCandidate, type WcPreferences, type WcScore } from '../../src/scoring/wc';
import { seededRandom } from '../support/random';
import { DAY_MS, HOUR_MS } from '../../src/domain/time';


const referenceFormats = new Map<string, Intl.DateTimeFormat>();

function localFields(timeZone: string, epochMs: number): Record<'weekday' | 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
  let format = referenceFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    referenceFormats.set(timeZone, format);
  }
  const fields = { weekday: '', year: '', month: '', day: '', hour: '', minute: '', second: '' };
  for (const part of format.formatToParts(new Date(epochMs))) {
    if (part.type in fields) fields[part.type as keyof typeof fields] = part.value;
  }
  return fields;
}

function clockMs(hhmm: string): number {
  const match = /^(\d\d):(\d\d)$/.exec(hhmm);
  if (match === null) throw new Error(`bad clock time ${hhmm}`);
  return (Number(match[1]) * 60 + Number(match[2])) * 60_000;
}

function reference(prefs: WcPreferences, startMs: number, durationMinutes: number, timeZone: string): WcScore {
  const local = localFields(timeZone, startMs);
  const localDate = Date.UTC(Number(local.year), Number(local.month) - 1, Number(local.day));
  const sessionStart =
    ((Number(local.hour) * 60 + Number(local.minute)) * 60 + Number(local.second)) * 1000 + (((startMs % 1000) + 1000) % 1000);
  const sessionEnd = sessionStart + durationMinutes * 60_000;
  const overlapsAny = (blocks: string[]): boolean =>
    blocks.some((block) => {
      const [from = '', to = ''] = block.split('-');
      return sessionStart < clockMs(to) && clockMs(from) < sessionEnd;
    });

  const first = Date.parse(prefs.preferredStartDate);
  const d = (localDate - first) / DAY_MS;
  const span = (Date.parse(prefs.preferredEndDate) - first) / DAY_MS;
  const rawDate = d < 0 || d > span ? 0 : span === 0 ? 50 : (50 * (span - d)) / span;
  // Half up. The fraction of 5000*(span-d)/span is a multiple of 1/span, so a value that is not
  // an exact tie is at least 1/(2*span) hundredths away from one: the nudge only fixes float error.
  const dateMatch = Math.round(rawDate * 100 + 1e-7) / 100;

  const preferred = overlapsAny(prefs.preferredTimes);
  const avoided = overlapsAny(prefs.avoidTimes);
  const timeOfDayMatch = preferred ? 40 : avoided ? 0 : 20;
  const avoidTimePenalty = avoided ? -50 : 0;
  const weekend = local.weekday === 'Sat' || local.weekday === 'Sun';
  const evening = sessionStart >= 17 * HOUR_MS && sessionStart < 21 * HOUR_MS;
  const weekendEveningBonus = (prefs.allowWeekends && weekend ? 5 : 0) + (prefs.allowEvenings && evening ? 5 : 0);
  const totalScore = Math.round((dateMatch + timeOfDayMatch + avoidTimePenalty + weekendEveningBonus) * 100) / 100;
  return {
    totalScore,
    breakdown: { dateMatch, timeOfDayMatch, avoidTimePenalty, weekendEveningBonus },
    requiresManualReview: totalScore < 0,
  };
}

/** Seeded, so a failing comparison can be replayed; with helpers to spread test inputs. */
function prng(seed: number): { next(): number; int(n: number): number; pick<T>(items: readonly T[]): T } {
  const next = seededRandom(seed);
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => {
    const item = items[int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  };
  return { next, int, pick };
}

type Rng = ReturnType<typeof prng>;

// DST zones both hemispheres, half- and quarter-hour offsets, a 30-minute DST shift
// (Lord_Howe), DST that is suspended for Ramadan (Casablanca), and plain UTC.
const ZONES = [
  'UTC',
  'Europe/Berlin',
  'Europe/London',
  'America/New_York',
  'America/Los_Angeles',
  'America/St_Johns',
  'America/Santiago',
  'America/Sao_Paulo',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Tokyo',
  'Australia/Adelaide',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Pacific/Apia',
  'Africa/Casablanca',
] as const;

const DURATIONS = [15, 30, 45, 60, 60, 60, 90, 120, 180, 240, 0.5, 7.5, 1439, 1440, 2000];

function clock(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

function randomBlock(rng: Rng): string {
  const step = rng.pick([1, 5, 15, 30, 60]);
  const start = rng.int(1440 / step) * step;
  const units = 1 + rng.int(Math.min((1440 - start) / step, Math.ceil(300 / step)));
  return `${clock(start)}-${clock(start + units * step)}`;
}

function isoDate(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

function randomPrefs(rng: Rng, aroundMs: number): WcPreferences {
  const firstDay = Math.floor(aroundMs / DAY_MS) - rng.int(30);
  const span = rng.next() < 0.7 ? rng.pick([0, 1, 2, 3, 5, 6, 7, 9, 16, 30, 48, 80]) : rng.int(90);
  return {
    preferredStartDate: isoDate(firstDay),
    preferredEndDate: isoDate(firstDay + span),
    preferredTimes: Array.from({ length: rng.int(4) }, () => randomBlock(rng)),
    avoidTimes: Array.from({ length: rng.int(4) }, () => randomBlock(rng)),
    allowWeekends: rng.next() < 0.5,
    allowEvenings: rng.next() < 0.5,
  };
}

interface Mismatch {
  zone: string;
  start: string;
  durationMinutes: number;
  prefs: WcPreferences;
  fast: WcScore;
  reference: WcScore;
}

/** Scores starts at `step`-ms intervals (plus jitter) with the fast path, switching inputs every `batch`. */
function sweep(rng: Rng, zone: string, fromMs: number, toMs: number, stepMs: number, batch: number): { checked: number; mismatches: Mismatch[] } {
  const mismatches: Mismatch[] = [];
  let checked = 0;
  let prefs = randomPrefs(rng, fromMs);
  let durationMinutes = 60;
  let scorer = createWcScorer(prefs, durationMinutes, zone);
  for (let at = fromMs; at < toMs; at += stepMs) {
    if (checked > 0 && checked % batch === 0) {
      prefs = randomPrefs(rng, at);
      durationMinutes = rng.pick(DURATIONS);
      scorer = createWcScorer(prefs, durationMinutes, zone);
    }
    const jitter = rng.next() < 0.8 ? rng.pick([0, 15, 30, 45]) * 60_000 : rng.int(stepMs);
    const start = at + jitter;
    const fast = scorer.score(start);
    const expected = reference(prefs, start, durationMinutes, zone);
    checked++;
    if (scorer.totalScore(start) !== fast.totalScore || JSON.stringify(fast) !== JSON.stringify(expected)) {
      mismatches.push({ zone, start: new Date(start).toISOString(), durationMinutes, prefs, fast, reference: expected });
    }
  }
  return { checked, mismatches };
}

describe('fast path agrees with an Intl-per-candidate reference', () => {
  it.each(ZONES)('hourly through 2024 in %s', (zone) => {
    const rng = prng(0x5eed ^ (zone.length * 7919) ^ zone.charCodeAt(zone.length - 1));
    const { checked, mismatches } = sweep(rng, zone, Date.UTC(2024, 0, 1), Date.UTC(2025, 0, 1), HOUR_MS, 168);
    expect(checked).toBe(8784);
    expect(mismatches.slice(0, 3)).toEqual([]);
  });

  it.each([
    // +05:30 -> +05:45 at local midnight 1986-01-01
    ['Asia/Kathmandu', '1985-12-30', '1986-01-03'],
    // -00:44:30 -> 00:00, an offset with seconds, in 1972
    ['Africa/Monrovia', '1971-12-20', '1972-01-20'],
    // Samoa skipped 30 Dec 2011 (-10 -> +14)
    ['Pacific/Apia', '2011-12-25', '2012-01-05'],
    // two DST changes in one year each, around the rules of the early 1990s
    ['Europe/Berlin', '1990-03-20', '1990-04-05'],
    ['America/New_York', '1990-10-20', '1990-11-05'],
  ])('minute-level sweep across a historical change in %s', (zone, from, to) => {
    const rng = prng(0xc0ffee ^ from.charCodeAt(3));
    const { checked, mismatches } = sweep(rng, zone, Date.parse(from), Date.parse(to), 3 * 60_000, 97);
    expect(checked).toBeGreaterThan(1000);
    expect(mismatches.slice(0, 3)).toEqual([]);
  });

  it('scoreCandidate matches the reference for random zones, inputs and ms-precise instants 1970-2040', () => {
    const rng = prng(20_240_116);
    const from = Date.UTC(1970, 0, 1);
    const to = Date.UTC(2040, 0, 1);
    const mismatches: Mismatch[] = [];
    for (let i = 0; i < 20_000; i++) {
      const zone = rng.pick(ZONES);
      const start = from + Math.floor(rng.next() * (to - from));
      const prefs = randomPrefs(rng, start);
      const durationMinutes = rng.pick(DURATIONS);
      const fast = scoreCandidate(prefs, new Date(start), durationMinutes, zone);
      const expected = reference(prefs, start, durationMinutes, zone);
      if (JSON.stringify(fast) !== JSON.stringify(expected)) {
        mismatches.push({ zone, start: new Date(start).toISOString(), durationMinutes, prefs, fast, reference: expected });
      }
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
  });

  it('the offset cache gives the same answers whatever order it is filled in', () => {
    // Offsets are cached per zone and filled lazily; a zone no other test uses starts cold here
    // and is filled backwards, with random jumps, then read again in time order.
    const zone = 'America/Detroit';
    const rng = prng(7);
    const prefs = randomPrefs(rng, Date.UTC(2024, 9, 1));
    const starts = Array.from({ length: 5000 }, () => Date.UTC(2024, 0, 1) + rng.int(366) * DAY_MS + rng.int(96) * 900_000);
    const scorer = createWcScorer(prefs, 90, zone);
    const cold = [...starts].reverse().map((s) => scorer.score(s)).reverse();
    const warm = starts.map((s) => scorer.score(s));
    expect(warm).toEqual(cold);
    expect(cold).toEqual(starts.map((s) => reference(prefs, s, 90, zone)));
  });
});
