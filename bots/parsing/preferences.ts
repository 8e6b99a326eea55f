import { extractDateRange, takeSpanPhrases, type DateRange } from './date-range';
import { extractWeekendFlag } from './day-flags';
import { extractDuration } from './durations';
import { MaskedText } from './masked-text';
import type { ParseContext } from './parse-context';
import type { ParseProblem } from './problems';
import { extractTimePreferences } from './time-preferences';

/** What a person's free text says about when and how long, as far as it says anything. */
export interface PreferenceText {
  dateRange?: DateRange;
  /** W_C blocks "HH:MM-HH:MM" in the person's zone. */
  preferredTimes: string[];
  avoidTimes: string[];
  allowWeekends?: boolean;
  allowEvenings?: boolean;
  durationMinutes?: number;
  /** What to ask instead of guessing, one sentence each; the first is the one to show. */
  problems: ParseProblem[];
  /** True when any of the above was found (so the text was about timing at all). */
  understood: boolean;
}

/**
 * Reads "next week, mornings 10-12, not before 9:30, weekends fine, 90 min". Rules run
 * in a fixed order, each blanking what it used: lengths first (chrono would read "90 min"
 * as "90 minutes from now"), then our span phrases, weekend words, times of day, and last
 * chrono-node for the dates that are left.
 */
export function parsePreferenceText(input: string, context: ParseContext): PreferenceText {
  const text = new MaskedText(input);
  const duration = extractDuration(text);
  const problems: ParseProblem[] = [...duration.problems];
  // Date spans run before weekend words, so "this weekend" is a span and "weekends fine" a flag.
  const spans = takeSpanPhrases(text, context);
  const allowWeekends = extractWeekendFlag(text);
  const times = extractTimePreferences(text);
  problems.push(...times.problems);
  const dates = extractDateRange(text, context, spans);
  problems.push(...dates.problems);
  const result: PreferenceText = {
    preferredTimes: times.preferredTimes,
    avoidTimes: times.avoidTimes,
    problems,
    understood: false,
    ...(dates.range ? { dateRange: dates.range } : {}),
    ...(allowWeekends === undefined ? {} : { allowWeekends }),
    ...(times.allowEvenings === undefined ? {} : { allowEvenings: times.allowEvenings }),
    ...(duration.minutes === undefined ? {} : { durationMinutes: duration.minutes }),
  };
  result.understood =
    result.dateRange !== undefined ||
    result.preferredTimes.length + result.avoidTimes.length > 0 ||
    result.allowWeekends !== undefined ||
    result.allowEvenings !== undefined ||
    result.durationMinutes !== undefined;
  if (dates.vague && !result.dateRange) {
    problems.push({ about: 'date', message: `"${dates.vague}" doesn't tell me which days; please say something like "tomorrow", "next week" or "Dec 3-7".` });
  }
  return result;
}
