import { DateTime } from 'luxon';

export interface SlotTimes {
  startTime: Date;
  endTime: Date;
  durationMinutes: number;
}

export interface WeeklyPattern {
  /** First and last calendar day (inclusive), YYYY-MM-DD, in `timeZone`. */
  fromDate: string;
  toDate: string;
  /** ISO weekdays: 1 = Monday … 7 = Sunday. */
  weekdays: number[];
  /** Local wall-clock hours, e.g. "07:00" to "20:00"; the last slot ends at `dayEnd`. */
  dayStart: string;
  dayEnd: string;
  slotMinutes: number;
  timeZone: string;
}

/**
 * Expands a recurring weekly availability into concrete slots. Times are wall-clock times
 * in the trainer's zone, so 07:00 stays 07:00 across a DST change; a wall time that does
 * not exist that day (a spring-forward gap) is skipped rather than shifted.
 */
export function expandWeeklyPattern(pattern: WeeklyPattern): SlotTimes[] {
  const zone = pattern.timeZone;
  const first = DateTime.fromISO(pattern.fromDate, { zone });
  const last = DateTime.fromISO(pattern.toDate, { zone });
  if (!first.isValid) throw new RangeError(`fromDate ${pattern.fromDate} is not a date in ${zone}`);
  if (!last.isValid) throw new RangeError(`toDate ${pattern.toDate} is not a date in ${zone}`);
  const dayStartMinute = minutesOf(pattern.dayStart);
  const dayEndMinute = minutesOf(pattern.dayEnd);
  const slots: SlotTimes[] = [];
  for (let day = first.startOf('day'); day <= last; day = day.plus({ days: 1 })) {
    if (!pattern.weekdays.includes(day.weekday)) continue;
    for (let minute = dayStartMinute; minute + pattern.slotMinutes <= dayEndMinute; minute += pattern.slotMinutes) {
      const start = day.set({ hour: Math.floor(minute / 60), minute: minute % 60 });
      // Luxon moves a wall time inside a DST gap forward; such a time does not exist that day.
      if (start.hour * 60 + start.minute !== minute) continue;
      const end = start.plus({ minutes: pattern.slotMinutes });
      slots.push({ startTime: start.toJSDate(), endTime: end.toJSDate(), durationMinutes: pattern.slotMinutes });
    }
  }
  return slots;
}

function minutesOf(clock: string): number {
  const match = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(clock);
  if (!match) throw new RangeError(`${clock} is not a clock time like 07:30`);
  return Number(match[1]) * 60 + Number(match[2]);
}
