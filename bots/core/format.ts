import { DateTime } from 'luxon';

/** "Tue 1 Dec, 10:00" in the zone: how the bots show an instant to a person. */
export function formatInstant(iso: string | Date, zone: string): string {
  const at = typeof iso === 'string' ? DateTime.fromISO(iso, { zone }) : DateTime.fromJSDate(iso, { zone });
  return at.toFormat('ccc d LLL, HH:mm');
}

/** "Tue 1 Dec, 10:00–11:30 (Europe/Berlin)". */
export function formatRange(startIso: string | Date, endIso: string | Date, zone: string): string {
  const end = typeof endIso === 'string' ? DateTime.fromISO(endIso, { zone }) : DateTime.fromJSDate(endIso, { zone });
  return `${formatInstant(startIso, zone)}–${end.toFormat('HH:mm')} (${zone})`;
}

/** "Tue 1 Dec" for a calendar date YYYY-MM-DD. */
export function formatDay(date: string): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).toFormat('ccc d LLL');
}

/** "10:00" for an instant in the zone. */
export function formatClock(iso: string | Date, zone: string): string {
  const at = typeof iso === 'string' ? DateTime.fromISO(iso, { zone }) : DateTime.fromJSDate(iso, { zone });
  return at.toFormat('HH:mm');
}

/** "90 min", "1 h", "2 h 30 min". */
export function formatDuration(minutes: number): string {
  if (minutes < 60 || minutes % 15 !== 0) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** "10:00-12:00" → "10:00–12:00"; "00:00-09:30" → "before 09:30"; "17:00-24:00" → "after 17:00". */
export function formatBlock(block: string): string {
  const [start = '', end = ''] = block.split('-');
  if (start === '00:00') return `before ${end}`;
  if (end === '24:00') return `after ${start}`;
  return `${start}–${end}`;
}

export function formatMoney(amount: number): string {
  return amount.toFixed(2);
}
