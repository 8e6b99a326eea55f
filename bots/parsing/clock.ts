/** Clock times as minutes after local midnight, and "HH:MM" / "HH:MM-HH:MM" strings. */

export const DAY_MINUTES = 1440;

export function clockOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export function blockOf(startMinute: number, endMinute: number): string {
  return `${clockOf(startMinute)}-${clockOf(endMinute)}`;
}

/** "10:00-12:00" → [600, 720]. The string must be a well-formed block. */
export function minutesOfBlock(block: string): [number, number] {
  const [start = '', end = ''] = block.split('-');
  const minute = (clock: string): number => {
    const [h = '0', m = '0'] = clock.split(':');
    return Number(h) * 60 + Number(m);
  };
  return [minute(start), minute(end)];
}

const BARE_CLOCK = /^(?:at\s+)?(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$/i;

/**
 * A message that is only a clock time — "10:00", "9.30", "10", "6pm", "at 18:15" — as
 * minutes after midnight; undefined for anything else (a bare number above 24, a range,
 * words). Used where a day is already chosen and the person just types the time.
 */
export function parseBareClock(text: string): number | undefined {
  const match = BARE_CLOCK.exec(text.trim());
  if (!match) return undefined;
  let hour = Number(match[1]);
  const minute = match[2] === undefined ? 0 : Number(match[2]);
  const meridiem = match[3]?.toLowerCase().replace(/\./g, '');
  if (minute > 59) return undefined;
  if (meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  } else if (hour > 23) {
    return undefined;
  }
  return hour * 60 + minute;
}
