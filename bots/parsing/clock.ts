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
