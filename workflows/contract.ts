/**
 * The contract between the booking workflow and its clients (API, bots, operators, CLI):
 * ids, search attributes, input, state, and the signals, updates and query. Only
 * definitions and types live here; the workflow's logic is in booking-request.workflow.ts
 * and booking-request-state.ts.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { TrainerPolicy } from '../src/domain/policy';
import type { WORKFLOW_STATUSES } from '../src/domain/statuses';

export const TASK_QUEUE_DEFAULT = 'booking';
/** The workflow type clients start by name (the function's name in workflows/index.ts). */
export const BOOKING_WORKFLOW_TYPE = 'bookingRequestWorkflow';
export const workflowIdFor = (bookingRequestId: number): string => `booking-request-${bookingRequestId}`;

/** Search attributes an operator filters by in the Temporal UI (all Keyword). */
export const SEARCH_ATTRIBUTES = {
  bookingRequestId: defineSearchAttributeKey('BookingRequestId', SearchAttributeType.KEYWORD),
  trainerId: defineSearchAttributeKey('TrainerId', SearchAttributeType.KEYWORD),
  clientId: defineSearchAttributeKey('ClientId', SearchAttributeType.KEYWORD),
  bookingStatus: defineSearchAttributeKey('BookingStatus', SearchAttributeType.KEYWORD),
} as const;

/** One start the trainer can pick, with its W_C score and breakdown. */
export interface SlotOption {
  slotId: number;
  slotStart: string;
  slotEnd: string;
  consecutiveSlotIds: number[];
  totalScore: number;
  breakdown: { dateMatch: number; timeOfDayMatch: number; avoidTimePenalty: number; weekendEveningBonus: number };
  requiresManualReview: boolean;
}

/** The confirmed booking as the workflow and its clients see it. */
export interface BookingSummary {
  bookingId: number;
  startTime: string;
  endTime: string;
  durationMinutes: number;
  slotIds: number[];
  totalCost: number;
  status: string;
}

export interface WcPreferencesInput {
  preferredStartDate: string;
  preferredEndDate: string;
  preferredTimes: string[];
  avoidTimes: string[];
  allowWeekends: boolean;
  allowEvenings: boolean;
}

export interface BookingRequestInput {
  bookingRequestId: number;
  clientId: number;
  trainerId: number;
  sessionType: string;
  durationMinutes: number;
  location?: string | null;
  locationType?: 'GYM' | 'HOME' | 'ONLINE';
  specialRequests?: string | null;
  /** Direct booking: the exact start the client chose (ISO instant). */
  startTime?: string | null;
  /** Flexible request: what W_C ranks by. */
  preferences?: WcPreferencesInput | null;
  /** IANA zone the preferences are meant in (the client's, else the trainer's). */
  timeZone: string;
  /**
   * The trainer's booking policy when the request was made: the rules the client agreed to,
   * kept for the request's whole life (a later change applies to later requests). Absent in
   * workflows started before policies existed, which then follow DEFAULT_POLICY.
   */
  policy?: TrainerPolicy;
  /** The trainer's display name, for the policy's sentences. */
  trainerName?: string;
}

export interface WorkflowTimings {
  /** How long the trainer has to decide (the seed's 24 hours). */
  approvalWindowMs: number;
  /** Reminder to both sides this long before the session. */
  reminderLeadMs: number;
  /** How long after the session the trainer may still record its outcome. */
  outcomeWindowMs: number;
  maxOptions: number;
}

export interface BookingWorkflowArgs {
  request: BookingRequestInput;
  timings?: Partial<WorkflowTimings>;
}

/** The workflow's status of a request and its booking (also the `BookingStatus` search attribute). A booking row has its own, `BookingRowStatus`. */
export type BookingWorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

export interface HistoryEntry {
  at: string;
  event: string;
  detail?: string;
}

export interface BookingState {
  bookingRequestId: number;
  trainerId: number;
  clientId: number;
  mode: 'direct' | 'flexible';
  status: BookingWorkflowStatus;
  expiresAt: string | null;
  /** The trainer's options have been worked out (ranked, or the direct booking's slot held). */
  optionsReady: boolean;
  options: SlotOption[];
  chosenSlot: SlotOption | null;
  booking: BookingSummary | null;
  rejectionReason: string | null;
  history: HistoryEntry[];
}

export type TrainerDecision =
  | { kind: 'approve'; trainerId: number; slotId: number; notes?: string }
  | { kind: 'reject'; trainerId: number; reason: string };

export type DecisionOutcome =
  | { result: 'approved'; booking: BookingSummary; duplicate: boolean }
  | { result: 'rejected'; reason: string; duplicate: boolean }
  /** `code`: the policy rule that refused the option (e.g. policy_min_notice), absent for a slot taken meanwhile. */
  | { result: 'conflict'; message: string; options: SlotOption[]; code?: string }
  | { result: 'closed'; status: BookingWorkflowStatus };

/** Who asks for a change: the booking's client, its trainer, or an admin. */
export type Actor = { role: 'CLIENT'; userId: number } | { role: 'TRAINER'; trainerId: number } | { role: 'ADMIN'; userId: number };

export interface CancelCommand {
  actor: Actor;
  reason?: string;
}

export interface RescheduleCommand {
  actor: Actor;
  newStartTime: string;
}

export interface SessionOutcomeCommand {
  trainerId: number;
  outcome: 'COMPLETED' | 'NO_SHOW';
  clientRating?: number;
  trainerRating?: number;
  notes?: string;
}

export type ChangeOutcome =
  /** `late`: a client's cancel inside the cutoff, recorded as a late cancellation. */
  | { result: 'done'; booking: BookingSummary; duplicate: boolean; late?: boolean }
  | { result: 'conflict'; message: string; booking: BookingSummary; code?: string };

/** A client (or an admin for them) takes back a request the trainer has not decided yet. */
export interface WithdrawCommand {
  actor: Actor;
  reason?: string;
}

export type WithdrawOutcome = { result: 'withdrawn'; duplicate: boolean } | { result: 'closed'; status: BookingWorkflowStatus };

/** The trainer's free time changed: slots published, removed or blocked, or a booking freed its slots. */
export interface AvailabilityChange {
  trainerId: number;
  reason: 'published' | 'removed' | 'freed';
}

export const stateQuery = defineQuery<BookingState>('state');

/** The trainer's decision as the seed models it: fire and forget. */
export const decisionSignal = defineSignal<[TrainerDecision]>('decision');
/** The same decision, validated up front and answered with its outcome (a button press). */
export const decideUpdate = defineUpdate<DecisionOutcome, [TrainerDecision]>('decide');

export const cancelSignal = defineSignal<[CancelCommand]>('cancel');
export const cancelUpdate = defineUpdate<ChangeOutcome, [CancelCommand]>('cancelBooking');
export const rescheduleSignal = defineSignal<[RescheduleCommand]>('reschedule');
export const rescheduleUpdate = defineUpdate<ChangeOutcome, [RescheduleCommand]>('rescheduleBooking');
export const sessionOutcomeSignal = defineSignal<[SessionOutcomeCommand]>('sessionOutcome');
export const sessionOutcomeUpdate = defineUpdate<BookingSummary, [SessionOutcomeCommand]>('recordSessionOutcome');
/** The client withdraws a PENDING request: closed as WITHDRAWN, holds released, the trainer told. */
export const withdrawUpdate = defineUpdate<WithdrawOutcome, [WithdrawCommand]>('withdrawRequest');
/** Sent to a trainer's PENDING requests when their free time changes, so each re-ranks its options. */
export const availabilityChangedSignal = defineSignal<[AvailabilityChange]>('availabilityChanged');
