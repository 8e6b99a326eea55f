import { DateTime } from 'luxon';
import type { BookingRequest, Trainer } from '../db/entities';
import type { RankedSlot } from '../slots/rank-slots';

/** A ranked slot list as a person reads it: local times, scores and why. */
export function formatRankedSlots(request: BookingRequest, trainer: Trainer, ranked: readonly RankedSlot[]): string {
  const lines = [
    `Booking request ${request.id}: ${request.sessionType}, ${request.durationMinutes} min with trainer ${trainer.id}`,
    `  preferences (${request.timeZone}): ${request.preferredStartDate} to ${request.preferredEndDate}, prefer ${request.preferredTimes.join(', ') || 'any time'}, avoid ${request.avoidTimes.join(', ') || 'nothing'}, weekends ${request.allowWeekends ? 'ok' : 'no'}, evenings ${request.allowEvenings ? 'ok' : 'no'}`,
    '',
  ];
  if (ranked.length === 0) {
    lines.push('No available time slots found matching your duration — try a shorter session or other dates.');
    return lines.join('\n');
  }
  lines.push(' #  start (client time)        score   date  time  avoid  bonus  slots');
  ranked.forEach((slot, i) => {
    const start = DateTime.fromJSDate(slot.slotStart, { zone: request.timeZone }).toFormat('ccc dd LLL yyyy HH:mm ZZZZ');
    const b = slot.score.breakdown;
    const cells = [
      String(i + 1).padStart(2),
      start.padEnd(27),
      slot.score.totalScore.toFixed(2).padStart(6),
      b.dateMatch.toFixed(2).padStart(6),
      String(b.timeOfDayMatch).padStart(5),
      String(b.avoidTimePenalty).padStart(6),
      String(b.weekendEveningBonus).padStart(6),
      ` [${slot.consecutiveSlotIds.join(', ')}]`,
    ];
    lines.push(cells.join(' ') + (slot.score.requiresManualReview ? '  ⚠ low preference match - manual review recommended' : ''));
  });
  return lines.join('\n');
}

export function printRankedSlots(request: BookingRequest, trainer: Trainer, ranked: readonly RankedSlot[]): void {
  process.stdout.write(`${formatRankedSlots(request, trainer, ranked)}\n`);
}
