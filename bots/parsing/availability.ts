import { DateTime } from 'luxon';
import { minutesOfBlock } from './clock';
import { extractDateRange, takeSpanPhrases } from './date-range';
import { MaskedText } from './masked-text';
import type { ParseContext } from './parse-context';
import type { ParseProblem } from './problems';
import { extractTimePreferences } from './time-preferences';

/** A trainer's "Mon-Fri 9-17 for the next 2 weeks", ready for expandWeeklyPattern. */
export interface AvailabilityText {
  fromDate: string;
  toDate: string;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  weekdays: number[];
  /** Working hours each day, "HH:MM" pairs; "9-12, 14-18" gives two. */
  hours: { dayStart: string; dayEnd: string }[];
  slotMinutes: number;
}

export const DEFAULT_SLOT_MINUTES = 60;

const DAY = String.raw`(mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)`;
const WEEKDAY_NUMBER: Record<string, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };
const weekdayOf = (word: string): number => WEEKDAY_NUMBER[word.slice(0, 3)]!;

const SLOT_LENGTH = /\b(\d{2,3})[\s-]*min(?:ute)?s?[\s-]*slots?\b|\bslots?\s+of\s+(\d{2,3})\s*min(?:ute)?s?\b|\b(hourly|1[\s-]*hour|one[\s-]*hour)[\s-]*slots?\b/g;

function takeWeekdays(text: MaskedText): Set<number> {
  const days = new Set<number>();
  const addRange = (from: number, to: number): void => {
    for (let d = from, n = 0; n < 7; d = (d % 7) + 1, n++) {
      days.add(d);
      if (d === to) break;
    }
  };
  text.take(/\b(?:every\s*day|daily|all\s+week)\b/g, () => (addRange(1, 7), true));
  text.take(/\b(?:weekdays|workdays|working\s+days)\b/g, () => (addRange(1, 5), true));
  text.take(/\bweekends?\b/g, () => (addRange(6, 7), true));
  text.take(new RegExp(String.raw`\b${DAY}\.?\s*(?:-|to|through|thru|until|till)\s*${DAY}\b\.?`, 'g'), (m) => (addRange(weekdayOf(m[1]!), weekdayOf(m[2]!)), true));
  text.take(new RegExp(String.raw`\b${DAY}s?\b\.?`, 'g'), (m) => (days.add(weekdayOf(m[1]!)), true));
  return days;
}

/**
 * Reads a trainer's availability: days of the week ("Mon-Fri", "weekdays", "Tue and Thu"),
 * hours ("9-17", "9am-12pm, 2pm-6pm"), the weeks it covers ("for the next 2 weeks", "next
 * week", "until Dec 20", "tomorrow") and optionally the slot length ("30 min slots",
 * default 60). Anything missing or unclear is asked for, not assumed.
 */
export function parseAvailabilityText(input: string, context: ParseContext): { availability?: AvailabilityText; problems: ParseProblem[] } {
  const text = new MaskedText(input);
  const problems: ParseProblem[] = [];
  let slotMinutes = DEFAULT_SLOT_MINUTES;
  text.take(SLOT_LENGTH, (m) => {
    slotMinutes = m[3] ? 60 : Number(m[1] ?? m[2]);
    return true;
  });
  if (slotMinutes < 15 || slotMinutes > 240) problems.push({ about: 'slots', message: 'Slots can be 15 minutes to 4 hours long; say for example "30 min slots", or nothing for hourly slots.' });

  const spans = takeSpanPhrases(text, context);
  const weekdays = takeWeekdays(text);
  const times = extractTimePreferences(text);
  problems.push(...times.problems);
  const untilOnly = /\b(?:until|till|through|up\s+to)\b/.test(text.current);
  const dates = extractDateRange(text, context, spans);
  problems.push(...dates.problems);
  if (problems.length > 0) return { problems };

  if (times.preferredTimes.length === 0 || times.avoidTimes.length > 0) {
    return { problems: [{ about: 'time', missing: true, message: 'Which hours are you available? Write them like "Mon-Fri 9-17" or "Tue 7am-12pm".' }] };
  }
  const hours = times.preferredTimes.map((block) => {
    const [dayStart = '', dayEnd = ''] = block.split('-');
    return { dayStart, dayEnd };
  });
  const shortest = Math.min(...times.preferredTimes.map((block) => minutesOfBlock(block)[1] - minutesOfBlock(block)[0]));
  if (shortest < slotMinutes) return { problems: [{ about: 'slots', message: `Those hours are shorter than one ${slotMinutes}-minute slot; give longer hours or shorter slots, like "30 min slots".` }] };

  if (!dates.range) return { problems: [{ about: 'date', missing: true, message: 'For which days? Add for example "for the next 2 weeks", "next week" or "until Dec 20".' }] };
  const today = DateTime.fromJSDate(context.now, { zone: context.timeZone }).toISODate()!;
  const fromDate = untilOnly && dates.range.start === dates.range.end ? today : dates.range.start;
  const toDate = dates.range.end;
  const from = DateTime.fromISO(fromDate, { zone: context.timeZone });
  const to = DateTime.fromISO(toDate, { zone: context.timeZone });
  let days = [...weekdays].sort((a, b) => a - b);
  if (days.length === 0) {
    if (fromDate !== toDate) return { problems: [{ about: 'weekdays', missing: true, message: 'On which days of the week? Add for example "Mon-Fri", "weekdays" or "Tue and Thu".' }] };
    days = [from.weekday];
  }
  let covered = false;
  for (let d = from; d <= to && !covered; d = d.plus({ days: 1 })) covered = days.includes(d.weekday);
  if (!covered) return { problems: [{ about: 'weekdays', message: 'None of those weekdays falls in those dates; check the days or the dates.' }] };
  return { availability: { fromDate, toDate, weekdays: days, hours, slotMinutes }, problems: [] };
}
