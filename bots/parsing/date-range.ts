import type * as chrono from 'chrono-node';
import { DateTime } from 'luxon';
import { chronoFor, chronoInput } from './chrono-reader';
import type { MaskedText } from './masked-text';
import { COUNT, countOf } from './numbers';
import type { ParseContext } from './parse-context';
import type { ParseProblem } from './problems';

/** Calendar dates (YYYY-MM-DD, inclusive) in the person's zone. */
export interface DateRange {
  start: string;
  end: string;
}

/** Longest range a preference may span; longer ones are usually a typo ("Jan 15 - Jun 20"). */
export const MAX_RANGE_DAYS = 92;

type Day = DateTime;

/** Phrases chrono-node reads as one instant but people mean as a span of days. */
const SPAN_RULES: { pattern: RegExp; span: (today: Day, m: RegExpExecArray) => [Day, Day] }[] = [
  { pattern: /\b(?:the\s+)?week\s+after\s+next\b/g, span: (t) => [t.startOf('week').plus({ weeks: 2 }), t.startOf('week').plus({ weeks: 2 }).endOf('week')] },
  {
    pattern: new RegExp(String.raw`\b(?:(?:for|in|within|over)\s+)?(?:the\s+)?(?:next|coming|following)\s+${COUNT}\s+weeks?\b|\b(?:for|within)\s+${COUNT}\s+weeks?\b`, 'g'),
    span: (t, m) => [t, t.plus({ days: 7 * countOf(m[1] ?? m[2]!) - 1 })],
  },
  {
    pattern: new RegExp(String.raw`\b(?:(?:for|in|within|over)\s+)?(?:the\s+)?(?:next|coming|following)\s+${COUNT}\s+days?\b|\b(?:for|within)\s+${COUNT}\s+days?\b`, 'g'),
    span: (t, m) => [t, t.plus({ days: countOf(m[1] ?? m[2]!) - 1 })],
  },
  { pattern: /\b(?:this|the\s+current|the\s+rest\s+of\s+(?:the|this))\s+week\b/g, span: (t) => [t, t.endOf('week')] },
  { pattern: /\b(?:next|the\s+coming|the\s+following)\s+week\b/g, span: (t) => [t.startOf('week').plus({ weeks: 1 }), t.startOf('week').plus({ weeks: 1 }).endOf('week')] },
  { pattern: /\b(?:this|the\s+coming|the)\s+weekend\b/g, span: (t) => (t.weekday >= 6 ? [t, t.endOf('week')] : [t.set({ weekday: 6 }), t.endOf('week')]) },
  { pattern: /\bnext\s+weekend\b/g, span: (t) => [t.startOf('week').plus({ weeks: 1 }).set({ weekday: 6 }), t.startOf('week').plus({ weeks: 1 }).endOf('week')] },
  { pattern: /\b(?:this|the\s+rest\s+of\s+(?:the|this))\s+month\b/g, span: (t) => [t, t.endOf('month')] },
  { pattern: /\bnext\s+month\b/g, span: (t) => [t.plus({ months: 1 }).startOf('month'), t.plus({ months: 1 }).endOf('month')] },
];

const VAGUE = /\b(soon|asap|as soon as possible|whenever|sometime|some time|any ?time|flexible|later)\b/;
// "may" and "march" are left out: they are ordinary words far more often than unread dates.
const DATE_LIKE = /\b(?:jan(?:uary)?|feb(?:ruary)?|apr(?:il)?|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?(?:\s*\d{1,2}(?:st|nd|rd|th)?\b)?|\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?s?\b|\b\d{1,2}(?:st|nd|rd|th)\b|\b\d{1,4}[/.]\d{1,2}(?:[/.]\d{1,4})?\b|\b\d{4}-\d{1,2}-\d{1,2}\b/;

const isoDay = (day: Day): string => day.toISODate()!;

function dayOfComponents(components: chrono.ParsedComponents, zone: string): Day | undefined {
  const year = components.get('year');
  const month = components.get('month');
  const day = components.get('day');
  if (year === null || month === null || day === null) return undefined;
  const date = DateTime.fromObject({ year, month, day }, { zone });
  return date.isValid ? date : undefined;
}

/** Whether chrono found a day in it, not only a clock time it placed on today. */
function namesADay(components: chrono.ParsedComponents): boolean {
  return components.isCertain('day') || components.isCertain('weekday') || components.isCertain('month');
}

/**
 * The span phrases in the text ("next week", "next 2 weeks", "this weekend"), blanked out;
 * each distinct span once, in the order first found.
 */
export function takeSpanPhrases(text: MaskedText, context: ParseContext): DateRange[] {
  const today = DateTime.fromJSDate(context.now, { zone: context.timeZone }).startOf('day');
  // The same phrase names the same days: worked out once (date arithmetic is the slow part).
  const spans = new Map<string, DateRange>();
  SPAN_RULES.forEach((rule, ruleIndex) => {
    text.take(rule.pattern, (match) => {
      const key = `${ruleIndex}:${match[1] ?? ''}:${match[2] ?? ''}`;
      if (!spans.has(key)) {
        const [start, end] = rule.span(today, match);
        spans.set(key, { start: isoDay(start), end: isoDay(end) });
      }
      return true;
    });
  });
  return [...new Map([...spans.values()].map((span) => [`${span.start}/${span.end}`, span])).values()];
}

/**
 * The days in the text: the spans found by takeSpanPhrases ("next week" = Monday to Sunday
 * of next week), then chrono-node for dates ("tomorrow", "Friday", "Jan 15-20", "Dec 1 to
 * Dec 5"). Several dates make one range from the first to the last; "Monday to Wednesday
 * next week" keeps the named weekdays inside the span. Dates that have passed, or that
 * cannot be read, become problems.
 */
export function extractDateRange(
  text: MaskedText,
  context: ParseContext,
  spanPhrases: readonly DateRange[] = takeSpanPhrases(text, context),
): { range?: DateRange; problems: ParseProblem[]; vague?: string } {
  const zone = context.timeZone;
  const today = DateTime.fromJSDate(context.now, { zone }).startOf('day');
  const spans = spanPhrases.map(({ start, end }) => [DateTime.fromISO(start, { zone }), DateTime.fromISO(end, { zone })] as [Day, Day]);

  const problems: ParseProblem[] = [];
  // "3/12" is the 3rd of December in Europe and March 12 in the US: ask rather than pick.
  text.take(/(?<![\w/.-])(\d{1,2})[/.](\d{1,2})(?![\w/.-]|[/.]\d)/g, (match) => {
    const [a, b] = [Number(match[1]), Number(match[2])];
    if (a > 12 || b > 12 || a === b || a === 0 || b === 0) return false;
    problems.push({ about: 'date', message: `"${match[0]}" could be two different dates; please write the month as a word, like "Dec 3" or "Mar 12".` });
    return true;
  });

  const reference = { instant: context.now, timezone: DateTime.fromJSDate(context.now, { zone }).offset };
  const input = chronoInput(text.current);
  const results = chronoFor(input).parse(input, reference, { forwardDate: true }).filter((result) => namesADay(result.start));
  const weekdaysOnly: number[] = [];
  let allWeekdayOnly = true;
  const days: Day[] = [];
  const read: [number, number][] = [];
  // Date arithmetic in a zone is slow; a text naming the same day often works it out once.
  const dayCache = new Map<string, Day | undefined>();
  const dayOf = (components: chrono.ParsedComponents): Day | undefined => {
    const key = `${components.get('year')}-${components.get('month')}-${components.get('day')}`;
    if (!dayCache.has(key)) dayCache.set(key, dayOfComponents(components, zone));
    return dayCache.get(key);
  };
  for (const result of results) {
    const start = dayOf(result.start);
    if (!start) continue;
    read.push([result.index, result.index + result.text.length]);
    const end = result.end ? dayOf(result.end) : undefined;
    const weekdayOnly = (c: chrono.ParsedComponents): boolean => c.isCertain('weekday') && !c.isCertain('day') && !c.isCertain('month');
    if (weekdayOnly(result.start) && (!result.end || weekdayOnly(result.end))) {
      // "Monday to Wednesday": every weekday from the first to the last, wrapping past Sunday.
      const last = end?.weekday ?? start.weekday;
      for (let w = start.weekday, n = 0; n < 7; w = (w % 7) + 1, n++) {
        weekdaysOnly.push(w);
        if (w === last) break;
      }
    } else {
      allWeekdayOnly = false;
    }
    days.push(start);
    if (end) days.push(end);
  }
  text.blankAll(read);

  let range: [Day, Day] | undefined;
  if (spans.length > 0) {
    const first = spans.reduce((min, [s]) => (s < min ? s : min), spans[0]![0]);
    const last = spans.reduce((max, [, e]) => (e > max ? e : max), spans[0]![1]);
    range = [first, last];
    if (weekdaysOnly.length > 0 && allWeekdayOnly) {
      // "Monday to Wednesday next week": the weekdays inside the span.
      const inside: Day[] = [];
      for (let d = first; d <= last; d = d.plus({ days: 1 })) if (weekdaysOnly.includes(d.weekday)) inside.push(d);
      if (inside.length > 0) range = [inside[0]!, inside.at(-1)!];
    } else if (days.length > 0) {
      range = [days.reduce((m, d) => (d < m ? d : m), first), days.reduce((m, d) => (d > m ? d : m), last)];
    }
  } else if (days.length > 0) {
    range = [days.reduce((m, d) => (d < m ? d : m)), days.reduce((m, d) => (d > m ? d : m))];
  }

  const leftover = text.current;
  const unread = DATE_LIKE.exec(leftover);
  if (unread) {
    const written = text.original.slice(unread.index, unread.index + unread[0].length).trim();
    problems.push({ about: 'date', message: `I couldn't read the date "${written}"; please write it like "Dec 3", "next Friday" or "2026-12-03".` });
  }
  if (range) {
    const end = range[1];
    let start = range[0];
    if (end < today) {
      problems.push({ about: 'date', message: `${start.toFormat('ccc d LLL')}${end > start ? `–${end.toFormat('ccc d LLL')}` : ''} has already passed; please pick days from today on.` });
      return { problems };
    }
    if (start < today) start = today;
    if (end.diff(start, 'days').days + 1 > MAX_RANGE_DAYS) {
      problems.push({ about: 'date', message: `That is more than three months of days; please give a shorter range, like "next 2 weeks".` });
      return { problems };
    }
    return { range: { start: isoDay(start), end: isoDay(end) }, problems };
  }
  const vague = VAGUE.exec(leftover);
  if (vague) return { problems, vague: vague[1] };
  return { problems };
}
