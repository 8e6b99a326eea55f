import { blockOf, DAY_MINUTES } from './clock';
import type { Clause, MaskedText } from './masked-text';
import type { ParseProblem } from './problems';

export interface TimePreferences {
  preferredTimes: string[];
  avoidTimes: string[];
  /** Set when the text says evenings are wanted or fine (true) or not (false). */
  allowEvenings?: boolean;
  problems: ParseProblem[];
}

export type Meridiem = 'am' | 'pm';

interface ClockToken {
  raw: string;
  hour: number;
  minute: number;
  meridiem?: Meridiem;
  /** "06:00" is written on a 24-hour clock; "6" is not. */
  twentyFourHour: boolean;
}

/** A time of day: "9", "9:30", "9.30", "10h30", "10h", "2pm", "2 p.m.", "14:00"; groups `<name>`, `<name>H`, `<name>M`, `<name>AP`. */
export const clock = (name: string): string =>
  String.raw`(?<${name}>(?<${name}H>\d{1,2})(?:[:.h](?<${name}M>\d{2})|h)?(?:\s*(?<${name}AP>[ap])\.?m\b\.?)?)`;

const MONTH = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?`;
// Not part of a date: "Jan 15-20", "15-20 Jan", "2026-12-01", "3/12", "the 15th".
const NOT_AFTER_DATE = String.raw`(?<![\w:./-])(?<!${MONTH}\s*)`;
const NOT_BEFORE_DATE = String.raw`(?![\w/]|\s*(?:st|nd|rd|th)\b|\s*${MONTH})`;

const RANGE_RULES = [
  new RegExp(String.raw`\bbetween\s+${clock('a')}\s+and\s+${clock('b')}${NOT_BEFORE_DATE}`, 'g'),
  new RegExp(String.raw`(?:\bfrom\s+)?${NOT_AFTER_DATE}${clock('a')}\s*(?:-|\bto\b|\buntil\b|\btill\b)\s*${clock('b')}${NOT_BEFORE_DATE}`, 'g'),
];

type BoundKind = 'avoid-before' | 'avoid-after' | 'prefer-before' | 'prefer-after' | 'around' | 'at';
const BOUND_RULES: { kind: BoundKind; pattern: RegExp }[] = [
  { kind: 'avoid-before', pattern: new RegExp(String.raw`\b(?:(?:not|never|nothing|no)\s+(?:before|earlier\s+than)|no\s+(?:earlier|sooner)\s+than)\s+${clock('a')}${NOT_BEFORE_DATE}`, 'g') },
  { kind: 'avoid-after', pattern: new RegExp(String.raw`\b(?:(?:not|never|nothing|no)\s+(?:after|later\s+than)|no\s+later\s+than)\s+${clock('a')}${NOT_BEFORE_DATE}`, 'g') },
  { kind: 'prefer-before', pattern: new RegExp(String.raw`\b(?:before|until|till|by)\s+${clock('a')}${NOT_BEFORE_DATE}`, 'g') },
  { kind: 'prefer-after', pattern: new RegExp(String.raw`\b(?:after|from)\s+${clock('a')}${NOT_BEFORE_DATE}|${NOT_AFTER_DATE}${clock('a')}\s*(?:onwards|or\s+later)\b`, 'g') },
  { kind: 'around', pattern: new RegExp(String.raw`\b(?:around|about|approx\.?|circa)\s+${clock('a')}${NOT_BEFORE_DATE}`, 'g') },
  { kind: 'at', pattern: new RegExp(String.raw`\bat\s+${clock('a')}${NOT_BEFORE_DATE}`, 'g') },
];

/** Parts of the day as blocks (evening = W_C's evening window), and what "no …" avoids. */
const PERIODS: Record<string, { prefer: [number, number]; avoid: [number, number] }> = {
  'early morning': { prefer: [6 * 60, 9 * 60], avoid: [0, 9 * 60] },
  morning: { prefer: [6 * 60, 12 * 60], avoid: [0, 12 * 60] },
  lunch: { prefer: [12 * 60, 14 * 60], avoid: [12 * 60, 14 * 60] },
  afternoon: { prefer: [12 * 60, 17 * 60], avoid: [12 * 60, 17 * 60] },
  evening: { prefer: [17 * 60, 21 * 60], avoid: [17 * 60, DAY_MINUTES] },
};
const PERIOD = String.raw`(?<period>early\s+mornings?|mornings?|lunch(?:time)?|afternoons?|evenings?|nights?)`;
const NEGATED_PERIOD = new RegExp(String.raw`\b(?:no|not|never|avoid|without|except|excluding)\s+(?:(?:in|on|during)\s+)?(?:the\s+)?${PERIOD}\b`, 'g');
const PERIOD_FINE = /\bevenings?\s+(?:are\s+|is\s+)?(?:fine|ok|okay|good|possible|work|too|also|as\s+well)\b|\b(?:including|incl\.?|also|plus)\s+evenings?\b/g;
const PLAIN_PERIOD = new RegExp(String.raw`\b(?:in\s+the\s+)?${PERIOD}\b`, 'g');

const EVENING: [number, number] = [17 * 60, 21 * 60];

function periodKey(word: string): string {
  const w = word.replace(/\s+/g, ' ');
  if (w.startsWith('early')) return 'early morning';
  if (w.startsWith('morning')) return 'morning';
  if (w.startsWith('lunch')) return 'lunch';
  if (w.startsWith('afternoon')) return 'afternoon';
  return 'evening'; // evenings, nights
}

function tokenOf(groups: Record<string, string | undefined>, name: string): ClockToken {
  const hourText = groups[`${name}H`] ?? '0';
  const ap = groups[`${name}AP`];
  return {
    raw: (groups[name] ?? '').trim(),
    hour: Number(hourText),
    minute: Number(groups[`${name}M`] ?? '0'),
    ...(ap ? { meridiem: ap === 'a' ? ('am' as const) : ('pm' as const) } : {}),
    twentyFourHour: hourText.length === 2 && hourText.startsWith('0'),
  };
}

export type Resolved = { minute: number } | { ambiguous: true } | { invalid: true };

/** A clock token as minutes after midnight, given a morning/afternoon hint from its clause. */
function resolve(token: ClockToken, hint?: Meridiem): Resolved {
  const { hour, minute } = token;
  if (minute > 59 || hour > 24 || (hour === 24 && minute > 0)) return { invalid: true };
  const meridiem = token.meridiem ?? (hour >= 1 && hour <= 11 && !token.twentyFourHour ? hint : undefined);
  if (token.meridiem && (hour < 1 || hour > 12)) return { invalid: true };
  if (meridiem === 'am') return { minute: (hour % 12) * 60 + minute };
  if (meridiem === 'pm') return { minute: ((hour % 12) + 12) * 60 + minute };
  // No am/pm and no hint: 7–12 and 24-hour times read as written; 1–6 could be either.
  if (hour >= 1 && hour <= 6 && !token.twentyFourHour) return { ambiguous: true };
  return { minute: hour * 60 + minute };
}

const otherMeridiem = (m: Meridiem): Meridiem => (m === 'am' ? 'pm' : 'am');

/** Both ends of "a-b": one end's am/pm carries to the other ("10-12pm", "2-4pm", "10am-2"). */
function resolveRange(a: ClockToken, b: ClockToken, hint?: Meridiem): { block: [number, number] } | { ambiguous: true } | { invalid: true } {
  let start: Resolved;
  let end: Resolved;
  if (!a.meridiem && b.meridiem) {
    end = resolve(b);
    start = resolve({ ...a, meridiem: b.meridiem });
    if ('minute' in start && 'minute' in end && start.minute >= end.minute) start = resolve({ ...a, meridiem: otherMeridiem(b.meridiem) });
  } else if (a.meridiem && !b.meridiem) {
    start = resolve(a);
    end = resolve({ ...b, meridiem: a.meridiem });
  } else {
    start = resolve(a, hint);
    end = resolve(b, hint);
    if ('ambiguous' in end && 'minute' in start) end = resolve({ ...b, meridiem: start.minute >= 12 * 60 ? 'pm' : 'am' });
  }
  if ('invalid' in start || 'invalid' in end) return { invalid: true };
  if ('ambiguous' in start || 'ambiguous' in end) return { ambiguous: true };
  let endMinute = end.minute;
  // "11-1", "10am-2": the end is after noon.
  if (endMinute <= start.minute && endMinute < 12 * 60 && !b.meridiem && !b.twentyFourHour) endMinute += 12 * 60;
  if (endMinute <= start.minute || endMinute > DAY_MINUTES) return { invalid: true };
  return { block: [start.minute, endMinute] };
}

const NEGATIONS = ['not', 'avoid', 'avoiding', 'except', 'excluding', 'no', 'never', 'without', 'skip'];
const NEGATION_FILLERS = ['at', 'on', 'in', 'the', 'during'];
const isSpace = (char: string | undefined): boolean => char !== undefined && /\s/.test(char);
const isWordChar = (char: string | undefined): boolean => char !== undefined && /\w/.test(char);

/**
 * Whether text[from, to) ends in a negation: "not ", "avoid the ", "except on the ". The same
 * as testing /(?:\bnot|\bavoid(?:ing)?|\bexcept|\bexcluding|\bno|\bnever|\bwithout|\bskip)\s+(?:(?:at|on|in|the|during)\s+)*$/
 * on text.slice(from, to), read backwards word by word: it looks only at the words it needs,
 * not at the whole clause for every time in it.
 */
export function endsInNegation(text: string, from: number, to: number): boolean {
  let at = to;
  for (;;) {
    // One or more blanks, then a word.
    if (at <= from || !isSpace(text[at - 1])) return false;
    while (at > from && isSpace(text[at - 1])) at--;
    for (const word of NEGATIONS) {
      const start = at - word.length;
      if (start >= from && text.startsWith(word, start) && (start === from || !isWordChar(text[start - 1]))) return true;
    }
    const filler = NEGATION_FILLERS.find((word) => at - word.length > from && text.startsWith(word, at - word.length) && isSpace(text[at - word.length - 1]));
    if (!filler) return false;
    at -= filler.length;
  }
}

/**
 * One clock time matched by `clock(name)`, read by the same rules as every time here: am/pm
 * as written, else the clause's hint (meridiemHint: "mornings", "evening"), else 7–12 and
 * 24-hour times as written and 1–6 ambiguous (a question, not a guess).
 */
export function resolveClock(groups: Record<string, string | undefined>, name: string, hint: Meridiem | undefined): Resolved {
  return resolve(tokenOf(groups, name), hint);
}

/** Whether a clause says morning (am) or afternoon/evening (pm); look it up once per clause. */
export function meridiemHint(clause: string): Meridiem | undefined {
  return hintOf(clause);
}

/** The question for a time that could be morning or afternoon ("2-4", "at 5"). */
export function ambiguousTime(raw: string): string {
  return `I can't tell whether "${raw}" is in the morning or the afternoon; please write it like "${pmVersion(raw)}" or in 24-hour time.`;
}

function hintOf(clause: string): Meridiem | undefined {
  if (/\bmornings?\b/.test(clause)) return 'am';
  if (/\b(?:afternoons?|evenings?|nights?|tonight)\b/.test(clause)) return 'pm';
  return undefined;
}

function pmVersion(raw: string): string {
  return raw.replace(/\s+/g, '').replace(/(\d+(?:[:.]\d{2})?)/g, '$1pm');
}

const overlaps = (a: [number, number], b: [number, number]): boolean => a[0] < b[1] && b[0] < a[1];

/**
 * Times of day in free text, as W_C blocks: ranges ("10-12", "10am-12pm", "between 2 and 4pm"),
 * bounds ("not before 9:30" avoids 00:00-09:30, "after 5pm" prefers 17:00-24:00), parts of
 * the day ("mornings", "no evenings"). A time that could be morning or afternoon ("2-4")
 * becomes a question, not a guess.
 */
export function extractTimePreferences(text: MaskedText): TimePreferences {
  const preferred: [number, number][] = [];
  const avoided: [number, number][] = [];
  const problems: ParseProblem[] = [];
  let allowEvenings: boolean | undefined;
  const clausesWithTimes = new Set<number>();

  const ambiguous = (raw: string): void => {
    problems.push({ about: 'time', message: ambiguousTime(raw) });
  };
  const invalid = (raw: string): void => {
    problems.push({ about: 'time', message: `"${raw}" is not a time span I can use; write times of day like "9:30-11" or "17:00-19:00".` });
  };
  // One hint per clause, however many times it holds.
  const hints = new Map<Clause, Meridiem | undefined>();
  const hintFor = (clause: Clause): Meridiem | undefined => {
    if (!hints.has(clause)) hints.set(clause, hintOf(clause.text));
    return hints.get(clause);
  };

  for (const pattern of RANGE_RULES) {
    text.take(pattern, (match) => {
      const groups = match.groups ?? {};
      const clause = text.clauseAround(match.index);
      const range = resolveRange(tokenOf(groups, 'a'), tokenOf(groups, 'b'), hintFor(clause));
      clausesWithTimes.add(clause.start);
      if ('ambiguous' in range) ambiguous(match[0].replace(/^(?:between|from)\s+/, '').replace(/\s+and\s+/, '-'));
      else if ('invalid' in range) invalid(match[0].trim());
      else (endsInNegation(text.current, clause.start, match.index) ? avoided : preferred).push(range.block);
      return true;
    });
  }

  for (const { kind, pattern } of BOUND_RULES) {
    text.take(pattern, (match) => {
      const groups = match.groups ?? {};
      const clause = text.clauseAround(match.index);
      const resolved = resolve(tokenOf(groups, 'a'), hintFor(clause));
      clausesWithTimes.add(clause.start);
      if ('ambiguous' in resolved) {
        ambiguous(groups.a ?? match[0]);
        return true;
      }
      if ('invalid' in resolved || (resolved.minute === 0 && kind !== 'prefer-after')) {
        invalid(match[0].trim());
        return true;
      }
      const at = resolved.minute;
      if (kind === 'avoid-before') avoided.push([0, at]);
      else if (kind === 'avoid-after') avoided.push([at, DAY_MINUTES]);
      else if (kind === 'prefer-before') preferred.push([0, at]);
      else if (kind === 'prefer-after') preferred.push([at, DAY_MINUTES]);
      else if (kind === 'around') preferred.push([Math.max(0, at - 60), Math.min(DAY_MINUTES, at + 60)]);
      else preferred.push([at, Math.min(DAY_MINUTES, at + 60)]);
      return true;
    });
  }

  text.take(NEGATED_PERIOD, (match) => {
    const key = periodKey(match.groups?.period ?? '');
    avoided.push(PERIODS[key]!.avoid);
    if (key === 'evening') allowEvenings = false;
    return true;
  });
  text.take(PERIOD_FINE, () => {
    allowEvenings = true;
    return true;
  });
  text.take(PLAIN_PERIOD, (match) => {
    const key = periodKey(match.groups?.period ?? '');
    // "mornings 10-12": the explicit hours say it; the word only told us they are a.m.
    if (!clausesWithTimes.has(text.clauseAround(match.index).start)) preferred.push(PERIODS[key]!.prefer);
    if (key === 'evening') allowEvenings = true;
    return true;
  });

  if (allowEvenings === undefined && preferred.some((block) => overlaps(block, EVENING))) allowEvenings = true;
  const unique = (blocks: [number, number][]): string[] => [...new Set(blocks.map(([s, e]) => blockOf(s, e)))];
  return { preferredTimes: unique(preferred), avoidTimes: unique(avoided), ...(allowEvenings === undefined ? {} : { allowEvenings }), problems };
}
