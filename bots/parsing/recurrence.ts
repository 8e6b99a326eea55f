import { DateTime } from 'luxon';
import { MAX_INTERVAL, validateRecurrence, WEEKDAY_CODES, type RecurrenceProblem, type WeekdayCode } from '../../src/domain/series/recurrence';
import type { SeriesConflictMode } from '../../src/domain/series/series';
import { clockOf, DAY_MINUTES } from './clock';
import { MaskedText } from './masked-text';
import { COUNT, countOf } from './numbers';
import type { ParseContext } from './parse-context';
import type { ParseProblem } from './problems';
import { ambiguousTime, clock, meridiemHint, resolveClock, type Meridiem } from './time-preferences';

/**
 * A weekly series in free text, as far as the text says it. Everything is optional but the
 * fact that it repeats: what is left out is asked for (days, the end), never guessed.
 */
export interface RecurrenceText {
  /** Every `interval` weeks ("every other Monday" = 2); undefined when the text names no interval (the caller's default is 1). */
  interval?: number;
  /** The days named, in week order, each once; empty when none is named. */
  weekdays: WeekdayCode[];
  /** The local start time of every session, HH:MM (24 h), when the text gives one. */
  startTime?: string;
  /** How many sessions. "for 10 weeks" is a count too: one per named day (at least one) in every `interval`-th of those weeks. */
  count?: number;
  /** The last calendar day a session may fall on (YYYY-MM-DD in the person's zone, inclusive). */
  until?: string;
  /** "for 3 months": the series ends the day before the same date that many months after its first session (see untilAfterMonths). */
  forMonths?: number;
}

export interface RecurrenceReading {
  /** The text asks for a repeating booking ("every", "weekly", "x10", "8 sessions", …), read or not. */
  found: boolean;
  /** What was read, when `found` and nothing in it is unclear. */
  recurrence?: RecurrenceText;
  /** "all or nothing" / "available dates only": what to do when some dates are taken (said with or without a series). */
  conflictMode?: SeriesConflictMode;
  /** One sentence each, the first is the one to show. */
  problems: ParseProblem[];
  /** The input with every phrase read here blanked (same length), for the other parsers to read the rest. */
  rest: string;
}

/** The sentences of this parser, worded once. Limits (1–4 weeks, 1–52 sessions, an end before the start) are the domain's own sentences (validateRecurrence). */
export const RECURRENCE_WORDING = {
  unsupported: (written: string): string =>
    `I can book sessions that repeat weekly or every 2, 3 or 4 weeks, not "${written}"; write it like "every Tuesday" or "every other Monday".`,
  twoIntervals: (): string => 'I read two different repeats in that; please give one, like "every week" or "every 2 weeks".',
  twoCounts: (counts: number[]): string => `I read more than one number of sessions (${counts.join(' and ')}); please give one, like "10 sessions".`,
  twoEnds: (): string => 'I read more than one end for the series; please give one, like "until March" or "10 sessions".',
  twoTimes: (times: string[]): string => `I read more than one start time (${times.join(' and ')}); a series starts at one time every week, like "at 18:00".`,
  badTime: (written: string): string => `"${written}" is not a start time I can use; write it like "18:00" or "7pm".`,
  badDate: (written: string): string => `"${written}" is not a date I can use; write the end like "until March 15" or "until 2027-03-15".`,
  unreadEnd: (written: string): string => `I couldn't read the end "${written}"; write it like "until March", "until 2027-03-15" or "10 sessions".`,
} as const;

const MONTH_NAMES = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`;
const MONTH_NUMBER: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const monthOf = (word: string): number => MONTH_NUMBER[word.slice(0, 3)]!;
const month = (name: string): string => String.raw`(?<${name}>${MONTH_NAMES})\b\.?`;

const DAY_NAMES = String.raw`(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)`;
const WEEKDAY_OF: Record<string, WeekdayCode> = { mon: 'MO', tue: 'TU', wed: 'WE', thu: 'TH', fri: 'FR', sat: 'SA', sun: 'SU' };
const weekdayOf = (word: string): WeekdayCode => WEEKDAY_OF[word.slice(0, 3)]!;

/** Counts of sessions: digits or words, but not "a"/"an" ("a session every Tuesday" is not one session). */
const SESSIONS = String.raw`(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)`;
const SESSION_WORDS = String.raw`(?:sessions?|classes|lessons?|workouts?|trainings?|times|occurrences|appointments?)`;

// The end of a series. "until March" (a month alone) means the last day of that month.
const UNTIL = new RegExp(
  String.raw`\b(?:until|till|til|through|thru|up\s+to|ending(?:\s+(?:on|in))?|ends?\s+(?:on|in)|to(?=\s+(?:the\s+)?end\s+of\b))\s+(?:the\s+)?(?:` +
    [
      String.raw`(?<iso>\d{4}-\d{1,2}-\d{1,2})`,
      String.raw`end\s+of\s+(?:the\s+)?(?:${month('endMonth')}(?:\s+(?<endYear>\d{4}))?|(?<endRel>this\s+month|next\s+month|month|this\s+year|next\s+year|year))`,
      String.raw`${month('m1')}\s*(?<d1>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?<y1>\d{4}))?`,
      String.raw`(?<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?${month('m2')}(?:,?\s+(?<y2>\d{4}))?`,
      String.raw`${month('m3')}(?:,?\s+(?<y3>\d{4}))?`,
    ].join('|') +
    String.raw`)(?![\w-])`,
  'g',
);
const UNREAD_END = /\b(?:until|till|through|thru|ending(?:\s+on)?)\s+(?=[a-z])/;

const UNSUPPORTED = new RegExp(String.raw`\b(?:monthly|yearly|annually|(?:every|each)\s+(?:month|year|${COUNT}\s+(?:days|months|years)))\b`, 'g');

const COUNT_RULES: RegExp[] = [
  /\bx\s?(\d{1,3})\b/g,
  /\b(\d{1,3})\s?x\b/g,
  // Not "2 times a week": that is how often, not how many.
  new RegExp(String.raw`\b(?:for\s+)?${SESSIONS}\s+${SESSION_WORDS}\b(?!\s+(?:a|per|each|every)\s+week)`, 'g'),
];
const WEEK_RULES: RegExp[] = [
  new RegExp(String.raw`\b(?:(?:for|over|during)\s+)?(?:the\s+)?(?:next|coming|following)\s+${COUNT}\s+weeks?\b`, 'g'),
  new RegExp(String.raw`\b(?:for|over|during)\s+${COUNT}\s+weeks?\b`, 'g'),
  new RegExp(String.raw`\b${COUNT}\s+weeks?\s+(?:in\s+a\s+row|long)\b`, 'g'),
  /(?<!\b(?:in|every|each|within|after)\s+)\b(\d{1,3})\s+weeks?\b(?!\s+(?:from|after|later|ago|away|before))/g,
];
const MONTH_RULES: RegExp[] = [
  new RegExp(String.raw`\b(?:(?:for|over|during)\s+)?(?:the\s+)?(?:next|coming|following)\s+${COUNT}\s+months?\b`, 'g'),
  new RegExp(String.raw`\b(?:for|over|during)\s+${COUNT}\s+months?\b`, 'g'),
];
const A_YEAR = /\b(?:for|over|during)\s+(?:a|one|1)\s+year\b/g;

const ORDINAL: Record<string, number> = { other: 2, second: 2, '2nd': 2, third: 3, '3rd': 3, fourth: 4, '4th': 4 };
const INTERVAL_RULES: { pattern: RegExp; interval: (m: RegExpExecArray) => number }[] = [
  { pattern: /\bevery\s+(other|second|2nd|third|3rd|fourth|4th)\b(?:\s+weeks?\b)?(?:\s+on\b)?/g, interval: (m) => ORDINAL[m[1]!]! },
  { pattern: new RegExp(String.raw`\b(?:every|each)\s+${COUNT}\s+weeks?\b(?:\s+on\b)?`, 'g'), interval: (m) => countOf(m[1]!) },
  { pattern: /\b(?:bi-?weekly|fortnightly|(?:every|each)\s+fortnight)\b(?:\s+on\b)?/g, interval: () => 2 },
  { pattern: /\b(?:weekly|(?:every|each)\s+week|once\s+(?:a|per|every)\s+week)\b(?:\s+on\b)?/g, interval: () => 1 },
];
/** "every Tuesday": repeats, without saying how often (weekly). Read first and blanked last: the day rules look for it. */
const EVERY_DAY_NAME = new RegExp(String.raw`\b(?:every|each)(?=\s+(?:${DAY_NAMES}|weekdays?\b|work\s?days?\b|working\s+days?\b|weekends?\b))`, 'g');
const EVERY = /\b(?:every|each)\b/g;

const WEEKDAY_RULES: { pattern: RegExp; days: (m: RegExpExecArray) => WeekdayCode[] }[] = [
  // Only "every weekday" / "on weekends": "weekends fine" is a preference, left for that parser.
  { pattern: /(?<=\b(?:every|each|on)\s+)(?:weekdays?|work\s?days?|working\s+days?)\b/g, days: () => ['MO', 'TU', 'WE', 'TH', 'FR'] },
  { pattern: /(?<=\b(?:every|each|on)\s+)weekends?\b/g, days: () => ['SA', 'SU'] },
  {
    pattern: new RegExp(String.raw`\b(${DAY_NAMES})s?\b\.?\s*(?:-|to|through|thru)\s*(${DAY_NAMES})s?\b\.?`, 'g'),
    days: (m) => {
      const from = WEEKDAY_CODES.indexOf(weekdayOf(m[1]!));
      const to = WEEKDAY_CODES.indexOf(weekdayOf(m[2]!));
      const days: WeekdayCode[] = [];
      for (let d = from, n = 0; n < 7; d = (d + 1) % 7, n++) {
        days.push(WEEKDAY_CODES[d]!);
        if (d === to) break;
      }
      return days;
    },
  },
  // "starting next Monday", "from Tuesday": when it begins, left for the date parser.
  { pattern: new RegExp(String.raw`(?<!\b(?:next|this|from|starting|start|after|before|by)\s+)\b(${DAY_NAMES})s?\b\.?`, 'g'), days: (m) => [weekdayOf(m[1]!)] },
];

const NOT_A_RANGE_AFTER = String.raw`(?![\w:./]|\s*(?:-|to\b|until\b|till\b|and\b)\s*\d|\s*(?:st|nd|rd|th)\b|\s*${MONTH_NAMES}\b)`;
const TIME_RULES: { pattern: RegExp; needsForm: boolean }[] = [
  // "at 7", "@ 18:00", "at 7pm".
  { pattern: new RegExp(String.raw`(?:\bat|@)\s*${clock('a')}${NOT_A_RANGE_AFTER}`, 'g'), needsForm: false },
  // "18:00", "7.30", "7pm", "18h" (a bare number is a count or a date more often than a time).
  { pattern: new RegExp(String.raw`(?<![\w:./-]|(?:-|\bto|\buntil|\btill|\bbetween|\band)\s*)${clock('a')}${NOT_A_RANGE_AFTER}`, 'g'), needsForm: true },
  // "Tuesday 18", "Tue 7": right after a day name.
  { pattern: new RegExp(String.raw`(?<=\b${DAY_NAMES}s?\.?\s+)${clock('a')}${NOT_A_RANGE_AFTER}`, 'g'), needsForm: false },
];

const CONFLICT_RULES: { pattern: RegExp; mode: SeriesConflictMode }[] = [
  { pattern: /\ball[\s-]+or[\s-]+(?:nothing|none)\b/g, mode: 'ALL_OR_NOTHING' },
  {
    pattern:
      /\b(?:(?:the\s+)?(?:available|free|open)\s+(?:dates|days|sessions|ones|weeks)\s+only|only\s+(?:the\s+)?(?:available|free|open)\s+(?:dates|days|sessions|ones|weeks)|skip\s+(?:the\s+|any\s+)?(?:taken|busy|booked|unavailable|full)\s+(?:dates|days|sessions|ones|weeks)|skip\s+(?:any\s+)?(?:conflicts|clashes))\b/g,
    mode: 'AVAILABLE_ONLY',
  },
];

const isoDate = (year: number, monthNumber: number, day: number): string | undefined => {
  const date = DateTime.fromObject({ year, month: monthNumber, day }, { zone: 'UTC' });
  return date.isValid && date.day === day ? date.toISODate() : undefined;
};

const lastDayOf = (year: number, monthNumber: number): string => DateTime.fromObject({ year, month: monthNumber, day: 1 }, { zone: 'UTC' }).endOf('month').toISODate()!;

/**
 * The end date an "until …" names, read against `today` (YYYY-MM-DD in the person's zone):
 * - a month alone ("until March", "until the end of March") is the last day of that month,
 *   in this year if that month has not ended yet, else next year: in December "until March"
 *   is next March, and "until December" this one;
 * - a day without a year ("until March 15") is the next such day on or after today;
 * - a year or an ISO date is taken as written (one in the past is refused later, by the
 *   domain's own sentence).
 * Undefined for a date that does not exist ("Feb 30").
 */
function untilDate(groups: Record<string, string | undefined>, today: DateTime): string | undefined {
  const thisYear = today.year;
  const todayIso = today.toISODate()!;
  if (groups.iso) {
    const [y, m, d] = groups.iso.split('-').map(Number) as [number, number, number];
    return isoDate(y, m, d);
  }
  const rel = groups.endRel?.replace(/\s+/g, ' ');
  if (rel === 'this month' || rel === 'month') return lastDayOf(thisYear, today.month);
  if (rel === 'next month') return today.plus({ months: 1 }).endOf('month').toISODate()!;
  if (rel === 'this year' || rel === 'year') return `${thisYear}-12-31`;
  if (rel === 'next year') return `${thisYear + 1}-12-31`;
  const monthOnly = groups.endMonth ?? groups.m3;
  if (monthOnly) {
    const m = monthOf(monthOnly);
    const year = groups.endYear ?? groups.y3;
    if (year) return lastDayOf(Number(year), m);
    return lastDayOf(m >= today.month ? thisYear : thisYear + 1, m);
  }
  const monthName = groups.m1 ?? groups.m2;
  const dayText = groups.d1 ?? groups.d2;
  if (!monthName || !dayText) return undefined;
  const m = monthOf(monthName);
  const year = groups.y1 ?? groups.y2;
  if (year) return isoDate(Number(year), m, Number(dayText));
  const thisYears = isoDate(thisYear, m, Number(dayText));
  if (thisYears && thisYears >= todayIso) return thisYears;
  return isoDate(thisYear + 1, m, Number(dayText)) ?? thisYears;
}

/**
 * The last day of a series that runs `months` months from its first session: the day before
 * the same date `months` later ("for 3 months" from Tue 8 Dec is through Sun 7 Mar; from
 * 31 Jan, one month is through 27 or 28 Feb, as luxon clamps to the month's end).
 */
export function untilAfterMonths(firstDate: string, months: number): string {
  return DateTime.fromISO(firstDate, { zone: 'UTC' }).plus({ months }).minus({ days: 1 }).toISODate()!;
}

const sortDays = (days: Iterable<WeekdayCode>): WeekdayCode[] => [...new Set(days)].sort((a, b) => WEEKDAY_CODES.indexOf(a) - WEEKDAY_CODES.indexOf(b));

/** The domain's verdict on what was read, for the fields the text set (1–4 weeks, 1–52 sessions, an end on or after today). */
function domainProblems(read: RecurrenceText, today: string): RecurrenceProblem[] {
  const hasEnd = read.count !== undefined || read.until !== undefined || read.forMonths !== undefined;
  const problems = validateRecurrence({
    frequency: 'WEEKLY',
    interval: read.interval ?? 1,
    weekdays: read.weekdays.length > 0 ? read.weekdays : ['MO'],
    startTime: read.startTime ?? '12:00',
    timeZone: 'UTC',
    firstDate: today,
    ...(read.count === undefined ? {} : { count: read.count }),
    ...(read.until !== undefined ? { until: read.until } : read.forMonths !== undefined ? { until: untilAfterMonths(today, read.forMonths) } : {}),
  });
  return problems.filter((p) => p.field === 'interval' || ((p.field === 'count' || p.field === 'until') && hasEnd));
}

/**
 * Reads a weekly series: "every Tuesday 18:00 for 10 weeks", "every other Monday at 7 until
 * March", "weekly Tue and Thu 7:00, 8 sessions", "biweekly", "every 2 weeks", "x10", "10
 * sessions", "until 2027-03-15", "until the end of March", "for 3 months", and what to do
 * with taken dates ("all or nothing", "available dates only").
 *
 * Times follow the free-text rules of the other parsers: "at 7" is 07:00, "at 5" is asked
 * (morning or afternoon?) unless the clause says "evening"/"morning" or it is written "5pm"
 * or "17:00". A bare number counts as a time only with "at" or right after a day name
 * ("Tuesday 18"). "for N weeks" becomes a count (see RecurrenceText.count); "until" dates
 * are read by untilDate. Rules run in a fixed order, each blanking what it read, and each
 * is one pass of a regular expression without nested repetition: linear in the text.
 *
 * `series: true` reads the text as an answer about a series already under way ("Tue and
 * Thu", "until March"), so it needs no "every" or "weekly" to count as one.
 */
export function parseRecurrenceText(input: string, context: ParseContext, options: { series?: boolean } = {}): RecurrenceReading {
  const text = new MaskedText(input);
  const initial = text.current;
  const problems: ParseProblem[] = [];
  const problem = (message: string): void => void problems.push({ about: 'repeat', message });
  const written = (match: RegExpExecArray): string => input.slice(match.index, match.index + match[0].length).trim();
  const today = DateTime.fromJSDate(context.now, { zone: context.timeZone }).startOf('day');

  let conflictMode: SeriesConflictMode | undefined;
  for (const rule of CONFLICT_RULES) {
    text.take(rule.pattern, () => {
      conflictMode = rule.mode;
      return true;
    });
  }

  const afterConflict = text.current;
  let found = options.series === true;
  const untils: string[] = [];
  // The same words name the same day: worked out once (date arithmetic is the slow part).
  const untilCache = new Map<string, string | undefined>();
  text.take(UNTIL, (match) => {
    const key = match[0].replace(/\s+/g, ' ');
    if (!untilCache.has(key)) untilCache.set(key, untilDate(match.groups ?? {}, today));
    const date = untilCache.get(key);
    if (date) untils.push(date);
    else problem(RECURRENCE_WORDING.badDate(written(match)));
    return true;
  });
  text.take(UNSUPPORTED, (match) => {
    found = true;
    problem(RECURRENCE_WORDING.unsupported(written(match)));
    return true;
  });

  const counts: number[] = [];
  for (const pattern of COUNT_RULES) {
    text.take(pattern, (match) => {
      const count = countOf(match[1]!);
      counts.push(count);
      if (count >= 2) found = true;
      return true;
    });
  }

  const intervals = new Set<number>();
  for (const rule of INTERVAL_RULES) {
    text.take(rule.pattern, (match) => {
      intervals.add(rule.interval(match));
      found = true;
      return true;
    });
  }
  text.take(EVERY_DAY_NAME, () => {
    found = true;
    return false;
  });

  // Not a series: only the conflict words (if any) are read; dates and counts are left for the other parsers.
  if (!found) return { found: false, ...(conflictMode ? { conflictMode } : {}), problems: [], rest: conflictMode ? restOf(input, initial, afterConflict) : input };

  // Spans of weeks or months only once the text is known to be a series ("next 2 weeks" alone is a date range).
  const weeks: number[] = [];
  for (const pattern of WEEK_RULES) {
    text.take(pattern, (match) => {
      weeks.push(countOf(match[1]!));
      return true;
    });
  }
  const months: number[] = [];
  for (const pattern of MONTH_RULES) {
    text.take(pattern, (match) => {
      months.push(countOf(match[1]!));
      return true;
    });
  }
  text.take(A_YEAR, () => (months.push(12), true));

  const times = new Set<number>();
  // One hint per clause, however many times it holds (a clause may be the whole text).
  const hints = new Map<number, Meridiem | undefined>();
  const hintAt = (index: number): Meridiem | undefined => {
    const clause = text.clauseAround(index);
    if (!hints.has(clause.start)) hints.set(clause.start, meridiemHint(clause.text));
    return hints.get(clause.start);
  };
  for (const rule of TIME_RULES) {
    text.take(rule.pattern, (match) => {
      const groups = match.groups ?? {};
      if (rule.needsForm && groups.aM === undefined && groups.aAP === undefined && !/h$/.test(groups.a ?? '')) return false;
      const raw = (groups.a ?? '').trim();
      const resolved = resolveClock(groups, 'a', hintAt(match.index));
      if ('ambiguous' in resolved) problems.push({ about: 'time', message: ambiguousTime(raw) });
      else if ('invalid' in resolved || resolved.minute >= DAY_MINUTES) problem(RECURRENCE_WORDING.badTime(raw));
      else times.add(resolved.minute);
      return true;
    });
  }

  const days = new Set<WeekdayCode>();
  for (const rule of WEEKDAY_RULES) {
    text.take(rule.pattern, (match) => {
      for (const day of rule.days(match)) days.add(day);
      return true;
    });
  }

  text.take(EVERY, () => true);

  const rest = restOf(input, initial, text.current);
  const unreadEnd = UNREAD_END.exec(text.current);
  if (unreadEnd) problem(RECURRENCE_WORDING.unreadEnd(input.slice(unreadEnd.index, unreadEnd.index + 40).split(/[,;\n]/)[0]!.trim()));

  if (intervals.size > 1) problem(RECURRENCE_WORDING.twoIntervals());
  if (times.size > 1) problem(RECURRENCE_WORDING.twoTimes([...times].sort((a, b) => a - b).map(clockOf)));
  const interval = intervals.size === 1 ? [...intervals][0]! : undefined;
  const weekdays = sortDays(days);
  // "for 10 weeks": a session on each named day in every interval-th week of them.
  const perWeek = Math.max(1, weekdays.length);
  const allCounts = [...new Set([...counts, ...weeks.map((w) => Math.ceil(w / Math.min(Math.max(interval ?? 1, 1), MAX_INTERVAL)) * perWeek)])];
  if (allCounts.length > 1) problem(RECURRENCE_WORDING.twoCounts(allCounts));
  const distinctUntils = [...new Set(untils)];
  const distinctMonths = [...new Set(months)];
  if (distinctUntils.length > 1 || distinctMonths.length > 1 || (distinctUntils.length > 0 && distinctMonths.length > 0)) problem(RECURRENCE_WORDING.twoEnds());

  const read: RecurrenceText = {
    weekdays,
    ...(interval === undefined ? {} : { interval }),
    ...(times.size === 1 ? { startTime: clockOf([...times][0]!) } : {}),
    ...(allCounts.length === 1 ? { count: allCounts[0]! } : {}),
    ...(distinctUntils.length === 1 ? { until: distinctUntils[0]! } : {}),
    ...(distinctMonths.length === 1 ? { forMonths: distinctMonths[0]! } : {}),
  };
  if (problems.length === 0) for (const p of domainProblems(read, today.toISODate()!)) problem(p.sentence);
  return { found, ...(problems.length === 0 ? { recurrence: read } : {}), ...(conflictMode ? { conflictMode } : {}), problems, rest };
}

/** `input` with the characters the rules blanked (blank now, not blank before) blanked too. */
function restOf(input: string, before: string, after: string): string {
  // Lower-casing changed the length (a rare letter such as "İ"): positions do not match, so the lower-cased rest it is.
  if (before.length !== input.length) return after;
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < after.length; i++) {
    if (after[i] !== ' ' || before[i] === ' ') continue;
    // A run of newly blanked characters: the input up to it, then as many blanks.
    let end = i + 1;
    while (end < after.length && after[end] === ' ' && before[end] !== ' ') end++;
    parts.push(input.slice(from, i), ' '.repeat(end - i));
    from = end;
    i = end - 1;
  }
  parts.push(input.slice(from));
  return parts.join('');
}
