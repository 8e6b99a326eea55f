import { DateTime } from 'luxon';
import { formatDay } from '../../core/format';
import type { DatePicker } from '../../core/messages';
import { clip } from './clip';
import { DATE_PICKER_DAYS, DISCORD_LIMITS } from './limits';

export interface DateOption {
  label: string;
  value: string;
  default: boolean;
}

/**
 * Discord has no calendar component, so a date picker becomes a choice among the next two
 * weeks (from its initial date, else today in UTC). A date further out can still be typed.
 * Each option's value is what the picker itself would send back: the prefix and the date.
 */
export function dateOptions(picker: DatePicker, now: Date): DateOption[] {
  const first = picker.initialDate ? DateTime.fromISO(picker.initialDate, { zone: 'UTC' }) : DateTime.fromJSDate(now, { zone: 'UTC' }).startOf('day');
  const start = first.isValid ? first : DateTime.fromJSDate(now, { zone: 'UTC' }).startOf('day');
  return Array.from({ length: DATE_PICKER_DAYS }, (_, offset) => {
    const date = start.plus({ days: offset }).toISODate()!;
    return { label: clip(formatDay(date), DISCORD_LIMITS.selectOptionLabel), value: `${picker.valuePrefix ?? ''}${date}`, default: date === picker.initialDate };
  });
}
