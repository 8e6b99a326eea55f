/**
 * The contract between the booking workflow and its clients (API, bots, operators, CLI):
 * ids, search attributes, input, state, and the signals, updates and query. Only
 * definitions and types live here; the workflow's logic is in booking-request.workflow.ts
 * and booking-request-state.ts.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { TrainerPolicy } from '../src/domain/policy';
import type { WeekdayCode } from '../src/domain/series/recurrence';
import type { SeriesConflictMode, SeriesRecurrence, SeriesStatus } from '../src/domain/series/series';
import type { WORKFLOW_STATUSES } from '../src/domain/statuses';

export const TASK_QUEUE_DEFAULT = 'booking';
/** The workflow type clients start by name (the function's name in workflows/index.ts). */
export const BOOKING_WORKFLOW_TYPE = 'bookingRequestWorkflow';
export const workflowIdFor = (bookingRequestId: number): string => `booking-request-${bookingRequestId}`;
/**
 * A confirmed series' occurrences each have a workflow of their own (started by the
 * request's workflow as a child): reminder, cancel, reschedule and outcome of ONE session.
 */
export const OCCURRENCE_WORKFLOW_TYPE = 'bookingOccurrenceWorkflow';
/** One workflow per purchased pack (credit lot): reminds the client before it runs out of validity, then expires what is left. */
export const CREDIT_LOT_WORKFLOW_TYPE = 'creditLotWorkflow';
export const creditLotWorkflowIdFor = (lotId: number): string => `credit-lot-${lotId}`;
export interface CreditLotWorkflowArgs {
  lotId: number;
  clientId: number;
  trainerId: number;
  /** ISO instant the lot's validity ends. */
  expiresAt: string;
  /** How long before the end the client is reminded (if credits are left); default 7 days. */
  reminderLeadMs?: number;
}
/** What a pack's workflow has done so far: its query's answer and its result. */
export interface CreditLotState {
  lotId: number;
  expiresAt: string;
  phase: 'waiting' | 'reminded' | 'expired';
  /** Credits left in the pack when the reminder went out (null: no reminder — nothing left, or no time for one). */
  remindedWith: number | null;
  /** Credits written off at the end (null until then). */
  expired: number | null;
  /** Notices that could not be delivered (the pack's life goes on without them). */
  failedNotices: string[];
}
export const occurrenceWorkflowIdFor = (bookingRequestId: number, bookingId: number): string => `booking-request-${bookingRequestId}-booking-${bookingId}`;
/** The workflow that owns a booking: its request's, or for an occurrence of a series its own. */
export const bookingWorkflowIdFor = (booking: { bookingRequestId: number; bookingId: number; seriesId: number | null }): string =>
  booking.seriesId === null ? workflowIdFor(booking.bookingRequestId) : occurrenceWorkflowIdFor(booking.bookingRequestId, booking.bookingId);

/** Search attributes an operator filters by in the Temporal UI (all Keyword). */
export const SEARCH_ATTRIBUTES = {
  bookingRequestId: defineSearchAttributeKey('BookingRequestId', SearchAttributeType.KEYWORD),
  trainerId: defineSearchAttributeKey('TrainerId', SearchAttributeType.KEYWORD),
  clientId: defineSearchAttributeKey('ClientId', SearchAttributeType.KEYWORD),
  bookingStatus: defineSearchAttributeKey('BookingStatus', SearchAttributeType.KEYWORD),
  /** Set on a series request's workflow once confirmed, and on each occurrence's workflow. */
  seriesId: defineSearchAttributeKey('SeriesId', SearchAttributeType.KEYWORD),
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
  /**
   * Present when the option is a weekly time of a series request: `slotStart`/`slotEnd` and
   * `totalScore` are its FIRST session's, `slotId`/`consecutiveSlotIds` its first FREE
   * session's (the id the trainer approves by).
   */
  series?: SeriesOptionDetail;
}

/** One session of a series option and whether it can be booked now. */
export interface SeriesOccurrenceOption {
  start: string;
  /** YYYY-MM-DD in the series' zone. */
  localDate: string;
  state: 'free' | 'taken' | 'outside_policy' | 'nonexistent';
  /** Why it cannot be booked (one sentence), absent when free. */
  reason?: string;
}

/** A weekly time offered for a series request: what it repeats as, and how many of its sessions are free. */
export interface SeriesOptionDetail {
  /** RFC 5545 text (DTSTART;TZID=… and RRULE:…), stored on the series and every occurrence. */
  rrule: string;
  weekdays: WeekdayCode[];
  /** HH:MM local wall-clock time of every session, in `timeZone`. */
  localTime: string;
  timeZone: string;
  interval: number;
  conflictMode: SeriesConflictMode;
  /** Every session the rule names, in time order (`nonexistent`: the local time does not exist that day). */
  occurrences: SeriesOccurrenceOption[];
  total: number;
  free: number;
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
  /** The pack credit that pays for it (issue 13); absent or null when it is unpaid. */
  credit?: BookingCredit | null;
  /** Its credit ledger entries in order (RESERVE, then RELEASE or CONSUME), for the state query. */
  ledger?: CreditEntryView[];
}

/** Which pack credit a booking holds and what the client has left with the trainer afterwards. */
export interface BookingCredit {
  lotId: number;
  packName: string;
  /** Credits the client still has for sessions this long with this trainer (all their packs). */
  left: number;
  /** The pack's end of validity (ISO instant). */
  expiresAt: string;
}

/** One credit ledger entry of a booking (credit_entry). */
export interface CreditEntryView {
  entryId: number;
  lotId: number;
  kind: 'PURCHASE' | 'RESERVE' | 'RELEASE' | 'CONSUME' | 'EXPIRE';
  delta: number;
  at: string;
  note?: string | null;
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
  /** A weekly series instead of one session (issue 12); absent or null for a single booking. */
  recurrence?: SeriesRecurrence | null;
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
  /** The request asks for a weekly series (null for a single booking). Optional: absent in states from before series. */
  recurrence?: SeriesRecurrence | null;
  /** The confirmed series (its occurrences as bookings; `booking` is then the first of them). */
  series?: SeriesSummary | null;
}

/** A confirmed series as the workflow and its clients see it. */
export interface SeriesSummary {
  seriesId: number;
  status: SeriesStatus;
  conflictMode: SeriesConflictMode;
  rrule: string;
  timeZone: string;
  /** The booked occurrences in time order, each an ordinary booking. */
  booked: BookingSummary[];
  /** Sessions of the rule that were not booked (AVAILABLE_ONLY), with why. */
  skipped: { start: string; code: string; reason: string }[];
}

export type TrainerDecision =
  | { kind: 'approve'; trainerId: number; slotId: number; notes?: string }
  | { kind: 'reject'; trainerId: number; reason: string };

export type DecisionOutcome =
  /** `series`: a series request's confirmed series (`booking` is its first occurrence). */
  | { result: 'approved'; booking: BookingSummary; duplicate: boolean; series?: SeriesSummary }
  | { result: 'rejected'; reason: string; duplicate: boolean }
  /**
   * `code`: the policy rule that refused the option (e.g. policy_min_notice), absent for a slot taken meanwhile;
   * `SeriesConflict` (ERROR_CODES.seriesConflict) when a series could not be booked as asked, `skipped` then lists
   * every date that could not be booked with why (SeriesConflictError's details) — nothing of the series was booked.
   */
  | { result: 'conflict'; message: string; options: SlotOption[]; code?: string; skipped?: SeriesSummary['skipped'] }
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

/**
 * "This and all following": cancels the occurrence `fromBookingId` and every later one not
 * yet started, in one transaction (a client's inside the cutoff become LATE_CANCELLED).
 */
export interface CancelSeriesCommand {
  actor: Actor;
  fromBookingId: number;
  reason?: string;
}

export type CancelSeriesOutcome =
  | { result: 'done'; series: SeriesSummary; cancelled: BookingSummary[]; duplicate: boolean }
  | { result: 'conflict'; message: string; code?: string };

/** From the series' workflow to an occurrence's: its booking was cancelled with the rest of the series. */
export interface OccurrenceCancelled {
  bookingId: number;
  booking: BookingSummary;
  reason?: string;
}

/** An occurrence's workflow: the request it came from, its booking, its series. */
export interface OccurrenceWorkflowArgs {
  request: BookingRequestInput;
  booking: BookingSummary;
  seriesId: number;
  timings?: Partial<WorkflowTimings>;
}

export type WithdrawOutcome = { result: 'withdrawn'; duplicate: boolean } | { result: 'closed'; status: BookingWorkflowStatus };

/** The trainer's free time changed: slots published, removed or blocked, or a booking freed its slots. */
export interface AvailabilityChange {
  trainerId: number;
  reason: 'published' | 'removed' | 'freed';
}

export const stateQuery = defineQuery<BookingState>('state');
/** A pack's workflow (credit-lot-<lotId>): where it is in the pack's life. */
export const creditLotStateQuery = defineQuery<CreditLotState>('creditLotState');

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
/** Sent to a series request's workflow: cancel one occurrence and all following ones. */
export const cancelSeriesUpdate = defineUpdate<CancelSeriesOutcome, [CancelSeriesCommand]>('cancelSeries');
/** Sent by a series' workflow to an occurrence's workflow whose booking it cancelled. */
export const occurrenceCancelledSignal = defineSignal<[OccurrenceCancelled]>('occurrenceCancelled');
