import type { BookingDraft, BookStep } from '../state';

/** The first thing the draft still lacks; changing a field means clearing it. */
export function nextStep(draft: BookingDraft): BookStep {
  if (draft.trainerId === undefined) return 'trainer';
  if (draft.sessionType === undefined) return 'sessionType';
  if (draft.durationMinutes === undefined) return 'duration';
  if (draft.locationType === undefined) return 'location';
  if (draft.mode === undefined) return 'mode';
  if (draft.mode === 'exact') {
    // "every week at 18:00": the first session needs a day of the week to fall on.
    if (draft.series?.time !== undefined && draft.startTime === undefined && draft.series.weekdays.length === 0) return 'repeatDays';
    if (draft.day === undefined) return 'day';
    if (draft.startTime === undefined) return 'slot';
  } else if (!draft.preferences?.startDate || !draft.preferences.done) {
    return 'preferences';
  }
  const series = draft.series;
  if (series) {
    if (series.interval === undefined) return 'repeat';
    if (!series.daysDone) return 'repeatDays';
    if (series.count === undefined && series.until === undefined && series.forMonths === undefined) return 'repeatEnd';
  }
  if (draft.specialRequests === undefined) return 'special';
  return 'confirm';
}

/** Which draft fields a "Change …" choice clears. */
export const CHANGEABLE: Record<string, { label: string; clear: (keyof BookingDraft)[] }> = {
  trainer: { label: 'Trainer', clear: ['trainerId', 'sessionType', 'day', 'startTime'] },
  type: { label: 'Session type', clear: ['sessionType'] },
  duration: { label: 'Duration', clear: ['durationMinutes', 'startTime'] },
  location: { label: 'Location', clear: ['locationType'] },
  time: { label: 'Time', clear: ['mode', 'day', 'startTime', 'preferences'] },
  notes: { label: 'Notes for the trainer', clear: ['specialRequests'] },
  // Shown for a series only: asks how often again (Once makes it one session).
  repeat: { label: 'Repeat', clear: [] },
};
