import type { BookingRequest } from '../../db/entities';
import type { SeriesRecurrence } from '../../domain/series/series';
import type { BookingState } from '../../../workflows/contract';
import { workflowIdFor } from '../../temporal/workflow-ids';
import type { z } from 'zod';
import { apiConflictMode } from '../schemas/booking-series';
import type { BookingRequestView, recurrenceViewSchema, workflowStateSchema } from '../schemas/booking-requests';
import { scoredSlotFromOption } from './scored-slot-view';

const iso = (date: Date | null | undefined): string | null => (date ? date.toISOString() : null);

export function recurrenceView(recurrence: SeriesRecurrence, rrule: string | null): z.infer<typeof recurrenceViewSchema> {
  return {
    frequency: 'WEEKLY',
    interval: recurrence.interval,
    weekdays: recurrence.weekdays,
    count: recurrence.count ?? null,
    until: recurrence.until ?? null,
    conflict_mode: apiConflictMode(recurrence.conflictMode),
    rrule,
  };
}

/**
 * The series rule a request's state knows: its confirmed series', else the chosen option's, else
 * the one all its options share (a direct series has one weekly time); null while candidates differ.
 */
export function rruleFromState(state: BookingState): string | null {
  if (state.series) return state.series.rrule;
  if (state.chosenSlot?.series) return state.chosenSlot.series.rrule;
  const rules = new Set(state.options.map((option) => option.series?.rrule ?? null));
  return rules.size === 1 ? [...rules][0]! : null;
}

/** A request row as the API shows it; `rrule`: its series rule once known (a series row's, or the workflow's). */
export function bookingRequestView(row: BookingRequest, rrule: string | null = null): BookingRequestView {
  return {
    id: row.id,
    client_id: row.client.id,
    trainer_id: row.trainer.id,
    session_type: row.sessionType,
    duration_minutes: row.durationMinutes,
    location: row.location ?? null,
    location_type: row.locationType,
    special_requests: row.specialRequests ?? null,
    start_time: iso(row.startTime),
    end_time: iso(row.endTime),
    preferred_start_date: row.preferredStartDate ?? null,
    preferred_end_date: row.preferredEndDate ?? null,
    preferred_times: row.preferredTimes,
    avoid_times: row.avoidTimes,
    allow_weekends: row.allowWeekends,
    allow_evenings: row.allowEvenings,
    time_zone: row.timeZone,
    recurrence: row.recurrence ? recurrenceView(row.recurrence, rrule) : null,
    status: row.status,
    expires_at: iso(row.expiresAt),
    confirmed_date: iso(row.confirmedDate),
    rejection_reason: row.rejectionReason ?? null,
    notes: row.notes ?? null,
    workflow_id: row.workflowId ?? workflowIdFor(row.id),
    created_at: iso(row.createdAt),
  };
}

export function workflowStateView(state: BookingState): z.infer<typeof workflowStateSchema> {
  return {
    status: state.status,
    mode: state.mode,
    expires_at: state.expiresAt,
    options: state.options.map(scoredSlotFromOption),
    chosen_slot: state.chosenSlot ? scoredSlotFromOption(state.chosenSlot) : null,
    booking_id: state.booking?.bookingId ?? null,
    rejection_reason: state.rejectionReason,
    history: state.history,
  };
}
