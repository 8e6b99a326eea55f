import { minutesOfBlock } from './clock';
import type { ParseContext } from './parse-context';
import { parsePreferenceText } from './preferences';
import type { ParseProblem } from './problems';

export interface DayText {
  /** YYYY-MM-DD in the person's zone. */
  day?: string;
  /** A start time named with it ("Friday at 3pm"), minutes after midnight. */
  startMinute?: number;
  problems: ParseProblem[];
}

/**
 * One day for an exact booking ("tomorrow", "Friday", "Dec 3", "Friday at 3pm"). A span of
 * days is a question, since an exact slot lives on one day.
 */
export function parseDayText(input: string, context: ParseContext): DayText {
  const parsed = parsePreferenceText(input, context);
  if (parsed.problems.length > 0) return { problems: parsed.problems };
  const range = parsed.dateRange;
  if (!range) return { problems: [{ about: 'date', message: 'Which day would you like? Write a date like "tomorrow", "Friday" or "Dec 3", or use the date picker.' }] };
  if (range.start !== range.end) return { problems: [{ about: 'date', message: 'For an exact time please pick one day, like "Friday" or "Dec 3".' }] };
  const block = parsed.preferredTimes.length === 1 ? parsed.preferredTimes[0] : undefined;
  const startMinute = block ? minutesOfBlock(block)[0] : undefined;
  return { day: range.start, ...(startMinute === undefined || startMinute === 0 ? {} : { startMinute }), problems: [] };
}
