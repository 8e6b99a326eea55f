// W_C: how well a candidate start matches a client's preferences (rule: docs/wc-scoring.md).
//
// Ranking scores every free start in a calendar, so the work is split: createWcScorer
// validates and parses once, the zone's UTC offsets are resolved lazily and cached (about one
// Intl call per six hours of UTC time), and each candidate is then plain arithmetic on local
// wall-clock time.
import {
  describeValue,
  WcInputError,
  daysFromCivil,
  parseCalendarDate,
  parseTimeBlock,
  weekdayOfDay,
  type TimeBlock,
} from './time-blocks';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../domain/time';

export { WcInputError, parseCalendarDate, parseTimeBlock, type TimeBlock } from './time-blocks';

export interface WcPreferences {
  preferredStartDate: string; // YYYY-MM-DD
  preferredEndDate: string; // YYYY-MM-DD
  preferredTimes: string[]; // "HH:MM-HH:MM"
  avoidTimes: string[];
  allowWeekends: boolean;
  allowEvenings: boolean;
}

export interface WcScore {
  totalScore: number;
  breakdown: { dateMatch: number; timeOfDayMatch: number; avoidTimePenalty: number; weekendEveningBonus: number };
  requiresManualReview: boolean;
}

/** WcPreferences after validation: dates as days since 1970-01-01, blocks in minutes. */
export interface ParsedWcPreferences {
  startDay: number;
  endDay: number;
  preferredBlocks: TimeBlock[];
  avoidBlocks: TimeBlock[];
  allowWeekends: boolean;
  allowEvenings: boolean;
}

export interface WcScorer {
  score(startEpochMs: number): WcScore;
  /** Same as score(start).totalScore without allocating a result, for sorting many candidates. */
  totalScore(startEpochMs: number): number;
}

const EVENING_START_MS = 17 * HOUR_MS;
const EVENING_END_MS = 21 * HOUR_MS;
// Years 0001-9999 (a day inside, so any offset keeps the local date there): Intl reports BC
// years without a sign, and nothing bookable lies outside.
const FIRST_START_MS = new Date(0).setUTCFullYear(1, 0, 2);
const LAST_START_MS = new Date(0).setUTCFullYear(9999, 11, 30);

export function validateWcPreferences(prefs: WcPreferences): ParsedWcPreferences {
  const startDay = parseCalendarDate(prefs.preferredStartDate, 'preferredStartDate');
  const endDay = parseCalendarDate(prefs.preferredEndDate, 'preferredEndDate');
  if (endDay < startDay) {
    throw new WcInputError(
      `Invalid date range: preferredEndDate ${describeValue(prefs.preferredEndDate)} is before preferredStartDate ${describeValue(prefs.preferredStartDate)}`,
    );
  }
  const blocks = (list: readonly string[], label: string): TimeBlock[] => {
    const untrusted: unknown = list; // callers may pass parsed JSON
    if (!Array.isArray(untrusted)) throw new WcInputError(`Invalid ${label}: expected a list of "HH:MM-HH:MM"`);
    return list.map((value) => parseTimeBlock(value, `${label} block`));
  };
  const flag = (value: unknown, label: string): boolean => {
    if (typeof value !== 'boolean') throw new WcInputError(`Invalid ${label} ${describeValue(value)}: expected a boolean`);
    return value;
  };
  return {
    startDay,
    endDay,
    preferredBlocks: blocks(prefs.preferredTimes, 'preferredTimes'),
    avoidBlocks: blocks(prefs.avoidTimes, 'avoidTimes'),
    allowWeekends: flag(prefs.allowWeekends, 'allowWeekends'),
    allowEvenings: flag(prefs.allowEvenings, 'allowEvenings'),
  };
}

// Offsets come from Intl, but only at the boundaries of six-hour UTC windows (one format()
// call each, shared by neighbouring windows) plus a binary search to the second inside a
// window whose boundaries disagree. A window holding two changes (Node's zone data has none
// in 1900-2040, checked for all zones) is detected when one change does not join its ends,
// and falls back to Intl per candidate; only a change and its exact reversal inside six hours
// would go unseen. The cache is per zone and shared by all scorers, so ranking many requests
// in one zone reuses it.
const WINDOW_MS = 6 * HOUR_MS;
const MAX_CACHED_WINDOWS = 50_000; // about 34 years per zone
const MAX_CACHED_ZONES = 1000; // Intl accepts any casing of a name, so keys are attacker-multipliable
const FORMATTED = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+):(\d+)$/;

interface OffsetWindow {
  before: number;
  transitionAt: number;
  after: number;
  irregular: boolean;
}

const zoneResolvers = new Map<string, (utcMs: number) => number>();

/** Validates an IANA time zone name (or anything else Intl accepts) and throws WcInputError if not. */
export function assertTimeZone(timeZone: string): void {
  offsetResolver(timeZone);
}

/** Returns utcMs -> (local - UTC) in ms for the zone, creating and caching it on first use. */
function offsetResolver(timeZone: string): (utcMs: number) => number {
  const cached = zoneResolvers.get(timeZone);
  if (cached !== undefined) return cached;
  const invalid = (): WcInputError => new WcInputError(`Invalid time zone ${describeValue(timeZone)}`);
  if (typeof timeZone !== 'string' || timeZone === '') throw invalid();
  let format: Intl.DateTimeFormat;
  try {
    // format() is ~3x cheaper than formatToParts(); en-US with Latin digits and h23 has a fixed shape.
    format = new Intl.DateTimeFormat('en-US-u-nu-latn', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw invalid();
  }

  // Intl resolves to the second, and offsets change on whole seconds.
  const probe = (wholeSecondMs: number): number => {
    const text = format.format(wholeSecondMs);
    const m = FORMATTED.exec(text);
    if (m === null) throw new Error(`Unexpected Intl output ${JSON.stringify(text)} in ${timeZone}`);
    const field = (i: number): number => Number(m[i]);
    const days = daysFromCivil(field(3), field(1), field(2));
    return ((days * 24 + field(4)) * 60 + field(5)) * MINUTE_MS + field(6) * 1000 - wholeSecondMs;
  };

  const windows = new Map<number, OffsetWindow>();
  const resolveWindow = (index: number): OffsetWindow => {
    let lo = index * WINDOW_MS;
    let hi = lo + WINDOW_MS;
    const before = windows.get(index - 1)?.after ?? probe(lo);
    const after = windows.get(index + 1)?.before ?? probe(hi);
    if (before === after) return { before, transitionAt: Infinity, after, irregular: false };
    // Invariant: offset(lo) === before !== offset(hi) === hiOffset.
    let hiOffset = after;
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      const offset = probe(mid);
      if (offset === before) lo = mid;
      else [hi, hiOffset] = [mid, offset];
    }
    return { before, transitionAt: hi, after, irregular: hiOffset !== after };
  };

  // Candidates usually arrive in time order, so most lookups hit the previous window.
  let lastIndex = Number.NaN;
  let last: OffsetWindow = { before: 0, transitionAt: Infinity, after: 0, irregular: false };
  const resolver = (utcMs: number): number => {
    const index = Math.floor(utcMs / WINDOW_MS);
    if (index !== lastIndex) {
      let window = windows.get(index);
      if (window === undefined) {
        if (windows.size >= MAX_CACHED_WINDOWS) windows.clear();
        window = resolveWindow(index);
        windows.set(index, window);
      }
      lastIndex = index;
      last = window;
    }
    if (last.irregular) return probe(utcMs - (((utcMs % 1000) + 1000) % 1000));
    return utcMs < last.transitionAt ? last.before : last.after;
  };
  if (zoneResolvers.size >= MAX_CACHED_ZONES) zoneResolvers.clear();
  zoneResolvers.set(timeZone, resolver);
  return resolver;
}

function overlapsAny(blocks: readonly (readonly [number, number])[], startMs: number, endMs: number): boolean {
  for (const [blockStart, blockEnd] of blocks) {
    if (startMs < blockEnd && blockStart < endMs) return true;
  }
  return false;
}

export function createWcScorer(prefs: WcPreferences, durationMinutes: number, timeZone: string): WcScorer {
  const parsed = validateWcPreferences(prefs);
  if (typeof durationMinutes !== 'number' || !Number.isFinite(durationMinutes) || durationMinutes <= 0) {
    throw new WcInputError(`Invalid durationMinutes ${describeValue(durationMinutes)}: expected a positive number`);
  }
  const offsetAt = offsetResolver(timeZone);
  const durationMs = durationMinutes * MINUTE_MS;
  const toMs = (b: TimeBlock): [number, number] => [b.startMinute * MINUTE_MS, b.endMinute * MINUTE_MS];
  const preferred = parsed.preferredBlocks.map(toMs);
  const avoided = parsed.avoidBlocks.map(toMs);
  const { startDay, allowWeekends, allowEvenings } = parsed;
  const span = parsed.endDay - startDay;

  // Components of the last evaluated candidate; the date part is kept in hundredths so that
  // rounding is exact and the total always equals the sum of the reported breakdown.
  let dateHundredths = 0;
  let timeOfDayMatch = 0;
  let avoidTimePenalty = 0;
  let weekendEveningBonus = 0;

  const evaluate = (startEpochMs: number): number => {
    if (!(startEpochMs >= FIRST_START_MS && startEpochMs <= LAST_START_MS)) {
      throw new WcInputError(`Invalid candidate start ${describeValue(startEpochMs)}: expected epoch ms in years 0001-9999`);
    }
    const localMs = startEpochMs + offsetAt(startEpochMs);
    const localDay = Math.floor(localMs / DAY_MS);
    const startOfDayMs = localMs - localDay * DAY_MS;
    const endOfSessionMs = startOfDayMs + durationMs;

    const d = localDay - startDay;
    if (d < 0 || d > span) dateHundredths = 0;
    else if (span === 0) dateHundredths = 5000;
    // 5000 * (span - d) / span, rounded half up, in integers.
    else dateHundredths = Math.floor((10_000 * (span - d) + span) / (2 * span));

    const avoids = overlapsAny(avoided, startOfDayMs, endOfSessionMs);
    timeOfDayMatch = overlapsAny(preferred, startOfDayMs, endOfSessionMs) ? 40 : avoids ? 0 : 20;
    avoidTimePenalty = avoids ? -50 : 0;

    const weekday = weekdayOfDay(localDay);
    weekendEveningBonus =
      (allowWeekends && (weekday === 0 || weekday === 6) ? 5 : 0) +
      (allowEvenings && startOfDayMs >= EVENING_START_MS && startOfDayMs < EVENING_END_MS ? 5 : 0);

    return dateHundredths + 100 * (timeOfDayMatch + avoidTimePenalty + weekendEveningBonus);
  };

  return {
    totalScore: (startEpochMs) => evaluate(startEpochMs) / 100,
    score: (startEpochMs) => {
      const totalScore = evaluate(startEpochMs) / 100;
      return {
        totalScore,
        breakdown: { dateMatch: dateHundredths / 100, timeOfDayMatch, avoidTimePenalty, weekendEveningBonus },
        requiresManualReview: totalScore < 0,
      };
    },
  };
}

export function scoreCandidate(prefs: WcPreferences, start: Date, durationMinutes: number, timeZone: string): WcScore {
  if (!(start instanceof Date) || Number.isNaN(start.getTime())) {
    throw new WcInputError(`Invalid candidate start ${describeValue(start)}: expected a valid Date`);
  }
  return createWcScorer(prefs, durationMinutes, timeZone).score(start.getTime());
}
