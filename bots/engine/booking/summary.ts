import type { WeekdayCode } from '../../../src/domain/series/recurrence';
import type { SeriesConflictMode } from '../../../src/domain/series/series';
import { formatBlock, formatDay, formatDuration, formatRange } from '../../core/format';
import type { MessageField } from '../../core/messages';
import type { TrainerInfo } from '../dialogue-context';
import type { BookingDraft, DraftPreferences, DraftSeries } from '../state';
import { expandDraftSeries, seriesRequestOf } from './series';

const LOCATION_LABEL = { GYM: 'Gym', HOME: 'Home', ONLINE: 'Online' } as const;

export function locationLabel(draft: BookingDraft, trainer?: TrainerInfo): string | undefined {
  if (!draft.locationType) return undefined;
  if (draft.locationType === 'GYM' && trainer?.gymName) return `Gym (${trainer.gymName})`;
  return LOCATION_LABEL[draft.locationType];
}

/** "Mon 30 Nov – Sun 6 Dec; prefers 10:00–12:00; avoids before 09:30; weekends fine". */
export function describePreferences(prefs: DraftPreferences): string {
  const parts: string[] = [];
  if (prefs.startDate && prefs.endDate) parts.push(prefs.startDate === prefs.endDate ? formatDay(prefs.startDate) : `${formatDay(prefs.startDate)} – ${formatDay(prefs.endDate)}`);
  if (prefs.preferredTimes.length > 0) parts.push(`prefers ${prefs.preferredTimes.map(formatBlock).join(' or ')}`);
  if (prefs.avoidTimes.length > 0) parts.push(`avoids ${prefs.avoidTimes.map(formatBlock).join(' and ')}`);
  parts.push(prefs.allowWeekends ? 'weekends fine' : 'no weekends');
  parts.push(prefs.allowEvenings ? 'evenings fine' : 'no evenings');
  return parts.join('; ');
}

const DAY_PLURAL: Record<WeekdayCode, string> = { MO: 'Mondays', TU: 'Tuesdays', WE: 'Wednesdays', TH: 'Thursdays', FR: 'Fridays', SA: 'Saturdays', SU: 'Sundays' };
const DAY_SHORT: Record<WeekdayCode, string> = { MO: 'Mon', TU: 'Tue', WE: 'Wed', TH: 'Thu', FR: 'Fri', SA: 'Sat', SU: 'Sun' };

/** "Tue", "Tue, Thu": the days chosen so far. */
export const shortDays = (days: readonly WeekdayCode[]): string => days.map((d) => DAY_SHORT[d]).join(', ');

const listed = (parts: string[]): string => (parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)!}`);

/** "Tuesdays", "every other Tuesday", "every 3 weeks on Tuesdays and Thursdays", "weekly", "every other week". */
export function describeRepeat(interval: number, weekdays: readonly WeekdayCode[]): string {
  if (weekdays.length === 0) return interval === 1 ? 'weekly' : interval === 2 ? 'every other week' : `every ${interval} weeks`;
  const days = listed(weekdays.map((d) => DAY_PLURAL[d]));
  if (interval === 1) return days;
  if (interval === 2 && weekdays.length === 1) return `every other ${DAY_PLURAL[weekdays[0]!].slice(0, -1)}`;
  return `${interval === 2 ? 'every other week' : `every ${interval} weeks`} on ${days}`;
}

/** The end as said so far: "10 sessions", "until Wed 31 Mar", "for 3 months". */
export function describeEnd(series: DraftSeries): string | undefined {
  if (series.count !== undefined) return series.count === 1 ? '1 session' : `${series.count} sessions`;
  if (series.until !== undefined) return `until ${formatDay(series.until)}`;
  if (series.forMonths !== undefined) return series.forMonths === 1 ? 'for 1 month' : `for ${series.forMonths} months`;
  return undefined;
}

/** The most dates a summary lists; a longer series shows the first ones and its last. */
const LISTED_DATES = 12;

function datesList(dates: string[]): string {
  if (dates.length <= LISTED_DATES) return dates.map(formatDay).join(', ');
  return `${dates.slice(0, LISTED_DATES - 2).map(formatDay).join(', ')}, … (${dates.length - LISTED_DATES + 1} more) …, ${formatDay(dates.at(-1)!)}`;
}

/**
 * The series in the client's zone. Direct: "10 sessions, Tuesdays at 18:00 (Europe/Berlin):
 * Tue 8 Dec, Tue 15 Dec, …", and any date whose start time does not exist (the clocks go
 * forward over it) with the domain's reason. Flexible: how often and how long; the trainer offers the time.
 */
export function describeSeries(draft: BookingDraft, zone: string): string | undefined {
  const series = draft.series;
  if (!series || series.interval === undefined) return undefined;
  const result = expandDraftSeries(draft, zone);
  if (!result || !('expanded' in result)) return undefined;
  const { occurrences, skipped } = result.expanded;
  if (draft.mode === 'exact') {
    const weekdays = seriesRequestOf(draft, zone)?.weekdays ?? [];
    const time = occurrences[0]!.localTime;
    const head = `${occurrences.length === 1 ? '1 session' : `${occurrences.length} sessions`}, ${describeRepeat(series.interval, weekdays)} at ${time} (${zone})`;
    // A date whose start time the clocks skip is named with the domain's reason.
    const missing = skipped.length > 0 ? `. ${skipped.map((s) => s.reason).join(' ')}` : '';
    return `${head}: ${datesList(occurrences.map((o) => o.localDate))}${missing}`;
  }
  const prefs = draft.preferences!;
  const pattern = describeRepeat(series.interval, series.weekdays);
  const head = series.count !== undefined ? `${describeEnd(series)!}, ${pattern}` : `${pattern.charAt(0).toUpperCase()}${pattern.slice(1)} ${describeEnd(series)!}`;
  const starting = prefs.startDate === prefs.endDate ? `the first on ${formatDay(prefs.startDate!)}` : `the first between ${formatDay(prefs.startDate!)} and ${formatDay(prefs.endDate!)}`;
  return `${head}, at a time the trainer offers (${zone}); ${starting}`;
}

const CONFLICT_LABEL: Record<SeriesConflictMode, string> = {
  ALL_OR_NOTHING: 'book none of them (all or nothing)',
  AVAILABLE_ONLY: 'book the free dates and skip the taken ones',
};

/** The draft as label–value lines, for the confirmation and for "so far" notes. */
export function draftFields(draft: BookingDraft, trainer: TrainerInfo | undefined, zone: string): MessageField[] {
  const fields: MessageField[] = [];
  if (trainer) fields.push({ label: 'Trainer', value: trainer.name });
  if (draft.sessionType) fields.push({ label: 'Session', value: draft.sessionType });
  if (draft.durationMinutes) fields.push({ label: 'Duration', value: formatDuration(draft.durationMinutes) });
  const location = locationLabel(draft, trainer);
  if (location) fields.push({ label: 'Location', value: location });
  if (draft.mode === 'exact' && draft.startTime && draft.durationMinutes) {
    fields.push({ label: draft.series ? 'First session' : 'Time', value: formatRange(draft.startTime, new Date(Date.parse(draft.startTime) + draft.durationMinutes * 60_000), zone) });
  } else if (draft.mode === 'flexible' && draft.preferences) {
    fields.push({ label: draft.series ? 'First session' : 'When', value: `${describePreferences(draft.preferences)} (${zone})` });
  }
  const series = describeSeries(draft, zone);
  if (series) {
    fields.push({ label: 'Repeats', value: series });
    fields.push({ label: 'If a date is taken', value: CONFLICT_LABEL[draft.series!.conflictMode] });
  }
  if (draft.specialRequests) fields.push({ label: 'Notes', value: draft.specialRequests });
  return fields;
}
