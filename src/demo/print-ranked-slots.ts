import { DateTime } from 'luxon';
import type { SlotOption, WcPreferencesInput } from '../../workflows/contract';

export interface RequestDescription {
  bookingRequestId: number;
  sessionType: string;
  durationMinutes: number;
  trainerId: number;
  timeZone: string;
  preferences?: WcPreferencesInput | null;
  startTime?: string | null;
}

/** Ranked options as a person reads them: local times, scores and why. */
export function formatRankedOptions(request: RequestDescription, options: readonly SlotOption[]): string {
  const prefs = request.preferences;
  const lines = [
    `Booking request ${request.bookingRequestId}: ${request.sessionType}, ${request.durationMinutes} min with trainer ${request.trainerId}`,
    prefs
      ? `  preferences (${request.timeZone}): ${prefs.preferredStartDate} to ${prefs.preferredEndDate}, prefer ${prefs.preferredTimes.join(', ') || 'any time'}, avoid ${prefs.avoidTimes.join(', ') || 'nothing'}, weekends ${prefs.allowWeekends ? 'ok' : 'no'}, evenings ${prefs.allowEvenings ? 'ok' : 'no'}`
      : `  exact time requested: ${request.startTime ?? '?'}`,
    '',
  ];
  if (options.length === 0) {
    lines.push('No available time slots found matching your duration — try a shorter session or other dates.');
    return lines.join('\n');
  }
  lines.push(' #  start (client time)          score   date  time  avoid  bonus  slots');
  options.forEach((option, i) => {
    const start = DateTime.fromISO(option.slotStart, { zone: request.timeZone }).toFormat('ccc dd LLL yyyy HH:mm ZZZZ');
    const b = option.breakdown;
    const cells = [
      String(i + 1).padStart(2),
      start.padEnd(29),
      option.totalScore.toFixed(2).padStart(6),
      b.dateMatch.toFixed(2).padStart(6),
      String(b.timeOfDayMatch).padStart(5),
      String(b.avoidTimePenalty).padStart(6),
      String(b.weekendEveningBonus).padStart(6),
      ` [${option.consecutiveSlotIds.join(', ')}]`,
    ];
    lines.push(cells.join(' ') + (option.requiresManualReview ? '  ⚠ low preference match - manual review recommended' : ''));
  });
  return lines.join('\n');
}
