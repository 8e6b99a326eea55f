/**
 * The booking workflow's public surface: input, state, and the signals, updates and query
 * that clients (API, bots, operators) use. Shared by workflow and client code, so it holds
 * only definitions and types.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { BookingSummary, SlotOption } from '../src/notifications/notification';

export type { BookingSummary, SlotOption } from '../src/notifications/notification';

export const TASK_QUEUE_DEFAULT = 'booking';
export const workflowIdFor = (bookingRequestId: number): string => `booking-request-${bookingRequestId}`;

/** Search attributes an operator filters by in the Temporal UI (all Keyword). */
export const SEARCH_ATTRIBUTES = {
  bookingRequestId: defineSearchAttributeKey('BookingRequestId', SearchAttributeType.KEYWORD),
  trainerId: defineSearchAttributeKey('TrainerId', SearchAttributeType.KEYWORD),
  clientId: defineSearchAttributeKey('ClientId', SearchAttributeType.KEYWORD),
  bookingStatus: defineSearchAttributeKey('BookingStatus', SearchAttributeType.KEYWORD),
} as const;

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

export const DEFAULT_TIMINGS: WorkflowTimings = {
  approvalWindowMs: 24 * 3_600_000,
  reminderLeadMs: 24 * 3_600_000,
  outcomeWindowMs: 7 * 24 * 3_600_000,
  maxOptions: 5,
};

export interface BookingWorkflowArgs {
  request: BookingRequestInput;
  timings?: Partial<WorkflowTimings>;
}

export type BookingStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'EXPIRED' | 'CANCELLED' | 'COMPLETED' | 'NO_SHOW';

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
  status: BookingStatus;
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
  | { result: 'conflict'; message: string; options: SlotOption[] }
  | { result: 'closed'; status: BookingStatus };

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
  | { result: 'done'; booking: BookingSummary; duplicate: boolean }
  | { result: 'conflict'; message: string; booking: BookingSummary };

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

/** Failure types that activities raise as non-retryable ApplicationFailures. */
export const FAILURE_TYPES = {
  slotConflict: 'SlotConflict',
  requestNotPending: 'RequestNotPending',
  bookingNotActive: 'BookingNotActive',
  notFound: 'NotFound',
  invalidRequest: 'InvalidRequest',
} as const;
