import { MINUTE_MS } from '../domain/time';
import type { BookingRequestInput } from '../../workflows/contract';

/**
 * The booking_request row of a new request, PENDING until `expiresAt`: written at the door
 * (admitBookingRequest) and, for a request that did not come through it, by the workflow's
 * persistRequest. One shape for both, so the two can never store a request differently.
 */
export function pendingRequestRow(request: BookingRequestInput, stored: { expiresAt: Date; workflowId: string }) {
  const prefs = request.preferences;
  const start = request.startTime ? new Date(request.startTime) : null;
  return {
    id: request.bookingRequestId,
    client: request.clientId,
    trainer: request.trainerId,
    sessionType: request.sessionType,
    durationMinutes: request.durationMinutes,
    location: request.location ?? null,
    locationType: request.locationType ?? 'GYM',
    specialRequests: request.specialRequests ?? null,
    startTime: start,
    endTime: start ? new Date(start.getTime() + request.durationMinutes * MINUTE_MS) : null,
    preferredStartDate: prefs?.preferredStartDate ?? null,
    preferredEndDate: prefs?.preferredEndDate ?? null,
    preferredTimes: prefs?.preferredTimes ?? [],
    avoidTimes: prefs?.avoidTimes ?? [],
    allowWeekends: prefs?.allowWeekends ?? false,
    allowEvenings: prefs?.allowEvenings ?? false,
    timeZone: request.timeZone,
    recurrence: request.recurrence ?? null,
    status: 'PENDING' as const,
    expiresAt: stored.expiresAt,
    workflowId: stored.workflowId,
  };
}
