// Parsing and calendar arithmetic for W_C inputs. Everything here is pure integer math so
// the scorer's hot loop never needs Date or Intl once a local time is known.

/** Invalid W_C input. A RangeError, so callers can map it to a 400 without knowing this module. */
export class WcInputError extends RangeError {
  override readonly name = 'WcInputError';
}

/**
 * A value as it may appear in an error message, whatever it is: JSON, else String(), else
 * its type. Building the message must never throw, or a bad input would surface as some
 * other error than WcInputError.
 */
export function describeValue(value: unknown): string {
  // Numbers and dates read best as themselves (JSON would turn NaN into null).
  if (typeof value === 'number' || typeof value === 'bigint' || value instanceof Date) return String(value);
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json;
  } catch {
    // BigInt, cycles, a throwing toJSON: fall through.
  }
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

export const MINUTES_PER_DAY = 1440;

/** A "HH:MM-HH:MM" block as minutes after local midnight, half-open: [startMinute, endMinute). */
export interface TimeBlock {
  startMinute: number;
  endMinute: number;
}

const BLOCK_PATTERN = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function clockMinute(hours: string, minutes: string): number | undefined {
  const h = Number(hours);
  const m = Number(minutes);
  if (m > 59 || h > 24 || (h === 24 && m !== 0)) return undefined;
  return h * 60 + m;
}

/** Parses "HH:MM-HH:MM" (00:00 to 24:00, start before end); `label` names the input in errors. */
export function parseTimeBlock(value: string, label = 'time block'): TimeBlock {
  const match = typeof value === 'string' ? BLOCK_PATTERN.exec(value) : null;
  if (match === null) {
    throw new WcInputError(`Invalid ${label} ${describeValue(value)}: expected "HH:MM-HH:MM"`);
  }
  const [, h1 = '', m1 = '', h2 = '', m2 = ''] = match;
  const startMinute = clockMinute(h1, m1);
  const endMinute = clockMinute(h2, m2);
  if (startMinute === undefined || endMinute === undefined) {
    throw new WcInputError(`Invalid ${label} ${describeValue(value)}: times must lie within 00:00-24:00`);
  }
  if (startMinute >= endMinute) {
    throw new WcInputError(`Invalid ${label} ${describeValue(value)}: start must be before end`);
  }
  return { startMinute, endMinute };
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Parses a real calendar date "YYYY-MM-DD" to days since 1970-01-01. */
export function parseCalendarDate(value: string, label = 'date'): number {
  const match = typeof value === 'string' ? DATE_PATTERN.exec(value) : null;
  const [, y = '', m = '', d = ''] = match ?? [];
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  if (match === null || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new WcInputError(`Invalid ${label} ${describeValue(value)}: expected a calendar date "YYYY-MM-DD"`);
  }
  return daysFromCivil(year, month, day);
}

/** 0 = Sunday ... 6 = Saturday, for a day number from daysFromCivil (1970-01-01 was a Thursday). */
export function weekdayOfDay(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}
