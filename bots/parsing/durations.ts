import type { MaskedText } from './masked-text';
import { COUNT, countOf } from './numbers';
import type { ParseProblem } from './problems';

export const MIN_SESSION_MINUTES = 15;
export const MAX_SESSION_MINUTES = 480;

const HOURS = String.raw`(?:h|hrs?|hours?)`;
const MINUTES = String.raw`(?:m|mins?|minutes?)`;

// "10h-12h" is a clock range in much of Europe, not ten hours: a bare "h" next to a dash is left alone.
// Most specific first: each rule blanks what it read, so "1 hour 30 min" is not also "30 min".
const RULES: { pattern: RegExp; minutes: (m: RegExpExecArray) => number }[] = [
  { pattern: /\b(?:an?|one) hour and a half\b|\b(?:one|1) and a half hours?\b/g, minutes: () => 90 },
  { pattern: /\bhalf an? hour\b/g, minutes: () => 30 },
  { pattern: new RegExp(String.raw`(?<![\d.,])(\d{1,2})\s*${HOURS}\s*(?:and\s*)?(\d{1,2})\s*${MINUTES}\b`, 'g'), minutes: (m) => Number(m[1]) * 60 + Number(m[2]) },
  { pattern: /(?<![\d.,])(\d{1,2})h(\d{2})\b/g, minutes: (m) => Number(m[1]) * 60 + Number(m[2]) },
  { pattern: new RegExp(String.raw`(?<![\d.,]|-\s*)(\d{1,2}(?:[.,]\d{1,2})?)\s*${HOURS}\b(?!\s*(?:-|to)\s*\d)`, 'g'), minutes: (m) => Math.round(Number(m[1]!.replace(',', '.')) * 60) },
  { pattern: new RegExp(String.raw`\b${COUNT}\s+${HOURS}\b`, 'g'), minutes: (m) => countOf(m[1]!) * 60 },
  { pattern: new RegExp(String.raw`(?<![\d.,:])(\d{1,3})\s*${MINUTES}\b`, 'g'), minutes: (m) => Number(m[1]) },
];

/**
 * The session length in the text, if any ("90 min", "1.5h", "2 hours", "1h30", "an hour").
 * Two different lengths, or one outside 15 minutes to 8 hours, is a problem, not a guess.
 */
export function extractDuration(text: MaskedText): { minutes?: number; problems: ParseProblem[] } {
  const found: number[] = [];
  for (const rule of RULES) {
    text.take(rule.pattern, (match) => {
      found.push(rule.minutes(match));
      return true;
    });
  }
  const distinct = [...new Set(found)];
  if (distinct.length === 0) return { problems: [] };
  if (distinct.length > 1) {
    return { problems: [{ about: 'duration', message: `I read more than one session length (${distinct.map((m) => `${m} min`).join(' and ')}); please give just one, like "90 min".` }] };
  }
  const minutes = distinct[0]!;
  if (minutes < MIN_SESSION_MINUTES || minutes > MAX_SESSION_MINUTES) {
    return { problems: [{ about: 'duration', message: `A session can be 15 minutes to 8 hours long, so ${minutes} minutes won't work; try something like "60 min" or "1.5 hours".` }] };
  }
  return { minutes, problems: [] };
}
