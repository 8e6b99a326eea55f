import { expandWeeklyPattern, type SlotTimes } from '../availability/weekly-slots';
import { invalidField } from './errors';
import { MAX_SLOTS_PER_CALL, type BulkCreateBody } from './schemas/time-slots';

const MINUTE_MS = 60_000;

/**
 * The slots a bulk-create body asks for (API and CLI alike): the explicit list, every one
 * in the future, or the weekly pattern's future slots in the trainer's (or the given) zone.
 */
export function slotsFromBulkBody(body: BulkCreateBody, trainerZone: string, now: Date = new Date()): SlotTimes[] {
  if (body.slots) {
    return body.slots.map((slot, i) => {
      const startTime = new Date(slot.start_time);
      if (startTime <= now) throw invalidField(`slots.${i}.start_time`, 'is in the past');
      const endTime = new Date(slot.end_time);
      return { startTime, endTime, durationMinutes: Math.round((endTime.getTime() - startTime.getTime()) / MINUTE_MS) };
    });
  }
  const weekly = body.weekly!;
  const slots = expandWeeklyPattern({
    fromDate: weekly.from_date,
    toDate: weekly.to_date,
    weekdays: weekly.weekdays,
    dayStart: weekly.day_start,
    dayEnd: weekly.day_end,
    slotMinutes: weekly.slot_minutes,
    timeZone: weekly.time_zone ?? trainerZone,
  }).filter((slot) => slot.startTime > now);
  if (slots.length === 0) throw invalidField('weekly', 'the pattern yields no slots in the future');
  if (slots.length > MAX_SLOTS_PER_CALL) throw invalidField('weekly', `the pattern yields ${slots.length} slots; publish at most ${MAX_SLOTS_PER_CALL} per call`);
  return slots;
}
