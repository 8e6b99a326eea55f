import { DateTime } from 'luxon';
import type { NewBookingRequest } from '../requests/new-request';
import type { WcPreferencesInput } from '../../workflows/contract';
import type { DemoData } from './demo-data';

/**
 * The seed's flexible request, moved to next week: mornings 10–12 or afternoons 14–16,
 * not 09:00–09:30, weekends fine, 120 minutes of strength training.
 */
export type DemoRequest = NewBookingRequest & { timeZone: string; preferences: WcPreferencesInput };

export function demoFlexibleRequest(demo: DemoData, now: Date = new Date()): DemoRequest {
  const trainer = demo.trainers[0]!;
  const zone = demo.client.timeZone ?? trainer.timeZone;
  const nextMonday = DateTime.fromJSDate(now, { zone }).startOf('week').plus({ weeks: 1 });
  return {
    clientId: demo.client.id,
    trainerId: trainer.id,
    sessionType: 'Strength Training',
    durationMinutes: 120,
    location: trainer.gymName ?? null,
    locationType: 'GYM',
    specialRequests: 'Focus on compound movements',
    timeZone: zone,
    preferences: {
      preferredStartDate: nextMonday.toISODate()!,
      preferredEndDate: nextMonday.plus({ days: 5 }).toISODate()!,
      preferredTimes: ['10:00-12:00', '14:00-16:00'],
      avoidTimes: ['09:00-09:30'],
      allowWeekends: true,
      allowEvenings: false,
    },
  };
}
