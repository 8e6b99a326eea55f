import { formatBlock, formatDay, formatDuration, formatRange } from '../../core/format';
import type { MessageField } from '../../core/messages';
import type { TrainerInfo } from '../dialogue-context';
import type { BookingDraft, DraftPreferences } from '../state';

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

/** The draft as label–value lines, for the confirmation and for "so far" notes. */
export function draftFields(draft: BookingDraft, trainer: TrainerInfo | undefined, zone: string): MessageField[] {
  const fields: MessageField[] = [];
  if (trainer) fields.push({ label: 'Trainer', value: trainer.name });
  if (draft.sessionType) fields.push({ label: 'Session', value: draft.sessionType });
  if (draft.durationMinutes) fields.push({ label: 'Duration', value: formatDuration(draft.durationMinutes) });
  const location = locationLabel(draft, trainer);
  if (location) fields.push({ label: 'Location', value: location });
  if (draft.mode === 'exact' && draft.startTime && draft.durationMinutes) {
    fields.push({ label: 'Time', value: formatRange(draft.startTime, new Date(Date.parse(draft.startTime) + draft.durationMinutes * 60_000), zone) });
  } else if (draft.mode === 'flexible' && draft.preferences) {
    fields.push({ label: 'When', value: `${describePreferences(draft.preferences)} (${zone})` });
  }
  if (draft.specialRequests) fields.push({ label: 'Notes', value: draft.specialRequests });
  return fields;
}
