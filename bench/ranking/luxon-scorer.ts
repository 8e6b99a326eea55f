// The baseline for the W_C throughput benchmark: the same rule written the obvious way,
// asking a date library (luxon) for the candidate's local date, weekday and clock time on
// every call. The project's scorer exists to avoid exactly this per-candidate cost.
import { DateTime } from 'luxon';
import { validateWcPreferences, type WcPreferences } from '../../src/scoring/wc';
import { MINUTE_MS } from '../../src/domain/time';


/** Returns startEpochMs -> total score in hundredths, the same number the fast scorer ranks by. */
export function createLuxonScorer(prefs: WcPreferences, durationMinutes: number, timeZone: string): (startEpochMs: number) => number {
  const parsed = validateWcPreferences(prefs);
  const firstDay = DateTime.fromISO(prefs.preferredStartDate, { zone: timeZone });
  const span = parsed.endDay - parsed.startDay;
  const durationMs = durationMinutes * MINUTE_MS;
  const overlaps = (blocks: readonly { startMinute: number; endMinute: number }[], startMs: number, endMs: number): boolean =>
    blocks.some((b) => startMs < b.endMinute * MINUTE_MS && b.startMinute * MINUTE_MS < endMs);

  return (startEpochMs) => {
    const local = DateTime.fromMillis(startEpochMs, { zone: timeZone });
    const d = Math.round(local.startOf('day').diff(firstDay, 'days').days);
    const startOfDayMs = ((local.hour * 60 + local.minute) * 60 + local.second) * 1000 + local.millisecond;
    const endOfSessionMs = startOfDayMs + durationMs;

    const dateHundredths = d < 0 || d > span ? 0 : span === 0 ? 5000 : Math.floor((10_000 * (span - d) + span) / (2 * span));
    const avoids = overlaps(parsed.avoidBlocks, startOfDayMs, endOfSessionMs);
    const timeOfDay = overlaps(parsed.preferredBlocks, startOfDayMs, endOfSessionMs) ? 40 : avoids ? 0 : 20;
    const weekend = parsed.allowWeekends && local.weekday >= 6 ? 5 : 0;
    const evening = parsed.allowEvenings && local.hour >= 17 && local.hour < 21 ? 5 : 0;
    return dateHundredths + 100 * (timeOfDay + (avoids ? -50 : 0) + weekend + evening);
  };
}
