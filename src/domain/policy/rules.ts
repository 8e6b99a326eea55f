/**
 * The trainer's policy as decisions: each function answers "allowed" (null, or a verdict)
 * or a `PolicyRefusal` with a stable code for programs and one sentence for people.
 * Deterministic and free of I/O: `now` is always an argument.
 */
import { DAY_MS, MINUTE_MS } from '../time';
import { POLICY_BOUNDS, NUMERIC_POLICY_FIELDS, type PolicyField, type TrainerPolicy } from './policy';
import { policyWording } from './wording';

export const POLICY_REFUSAL_CODES = [
  'policy_min_notice',
  'policy_horizon',
  'policy_started',
  'policy_cutoff_reschedule',
  'policy_limit_pending',
  'policy_limit_pair',
  'policy_limit_upcoming',
  'policy_client_overlap',
  'policy_buffer',
  'policy_invalid',
] as const;
export type PolicyRefusalCode = (typeof POLICY_REFUSAL_CODES)[number];

export interface PolicyRefusal {
  code: PolicyRefusalCode;
  /** One sentence a person can act on. */
  sentence: string;
  /** The input at fault, in snake_case as the API names it (e.g. start_time). */
  field?: string;
}

const refusal = (code: PolicyRefusalCode, sentence: string, field?: string): PolicyRefusal => (field === undefined ? { code, sentence } : { code, sentence, field });

export const isPolicyRefusal = (value: unknown): value is PolicyRefusal =>
  typeof value === 'object' && value !== null && 'code' in value && (POLICY_REFUSAL_CODES as readonly unknown[]).includes(value.code);

export interface TimeRange {
  start: Date;
  end: Date;
}

/**
 * The earliest and latest start the policy allows at `now` (both inclusive). Ranking offers
 * only starts inside it; `checkStartAllowed` refuses the rest.
 */
export function windowForStarts(policy: TrainerPolicy, now: Date): { earliest: Date; latest: Date } {
  return {
    earliest: new Date(now.getTime() + policy.minNoticeMinutes * MINUTE_MS),
    latest: new Date(now.getTime() + policy.horizonDays * DAY_MS),
  };
}

/**
 * Minimum notice and horizon, for every start a client or trainer commits to: options
 * offered, direct requests, approvals (the option may have become too close) and reschedules.
 * A start exactly at the notice or exactly at the horizon is allowed.
 */
export function checkStartAllowed(policy: TrainerPolicy, start: Date, now: Date, trainerName?: string): PolicyRefusal | null {
  const { earliest, latest } = windowForStarts(policy, now);
  if (start.getTime() < earliest.getTime()) {
    const sentence = policy.minNoticeMinutes === 0 ? policyWording.startPassed() : policyWording.minNotice(policy, trainerName);
    return refusal('policy_min_notice', sentence, 'start_time');
  }
  if (start.getTime() > latest.getTime()) return refusal('policy_horizon', policyWording.horizon(policy, trainerName), 'start_time');
  return null;
}

export type ClientCancelVerdict = 'free' | 'late';

/**
 * A client's cancel: free up to the cutoff (a start exactly `cancelCutoffMinutes` away is
 * still free), a late cancellation inside it, refused once the session has started (the
 * trainer records the outcome). Trainers and admins may always cancel: not this function.
 */
export function decideClientCancel(policy: TrainerPolicy, start: Date, now: Date): ClientCancelVerdict | PolicyRefusal {
  const untilStart = start.getTime() - now.getTime();
  if (untilStart <= 0) return refusal('policy_started', policyWording.started());
  return untilStart < policy.cancelCutoffMinutes * MINUTE_MS ? 'late' : 'free';
}

/** The sentence a client reads before confirming a cancel, or null when the cancel is free (or refused). */
export function lateCancelWarning(policy: TrainerPolicy, start: Date, now: Date): string | null {
  return decideClientCancel(policy, start, now) === 'late' ? policyWording.lateCancelWarning(policy) : null;
}

/**
 * A client's reschedule: never once the session has started, never inside the cutoff, and
 * the new start must itself satisfy notice and horizon.
 */
export function checkClientReschedule(policy: TrainerPolicy, oldStart: Date, newStart: Date, now: Date, trainerName?: string): PolicyRefusal | null {
  const untilStart = oldStart.getTime() - now.getTime();
  if (untilStart <= 0) return refusal('policy_started', policyWording.started());
  if (untilStart < policy.cancelCutoffMinutes * MINUTE_MS) return refusal('policy_cutoff_reschedule', policyWording.cutoffReschedule(policy));
  return checkStartAllowed(policy, newStart, now, trainerName);
}

/**
 * A trainer's or admin's reschedule: no cutoff, but nothing changes once the session has
 * started, and the new start follows notice and horizon like any other start.
 */
export function checkTrainerReschedule(policy: TrainerPolicy, oldStart: Date, newStart: Date, now: Date, trainerName?: string): PolicyRefusal | null {
  if (oldStart.getTime() <= now.getTime()) return refusal('policy_started', policyWording.started());
  return checkStartAllowed(policy, newStart, now, trainerName);
}

/** What a client already holds, counted at the moment of a new request (see `countClientLoad`). */
export interface ClientLoad {
  /** The client's PENDING requests, with every trainer. */
  pendingRequests: number;
  /** The client's PENDING requests with this trainer. */
  pendingWithTrainer: number;
  /** The client's active (PENDING or CONFIRMED) bookings that have not started yet, with every trainer. */
  upcomingBookings: number;
}

/**
 * Whether a client may open one more request with the trainer whose policy this is. The
 * pair limit is named first: it is the one a client can act on with this trainer.
 */
export function checkClientLimits(policy: TrainerPolicy, load: ClientLoad, trainerName?: string): PolicyRefusal | null {
  if (load.pendingWithTrainer >= policy.maxPendingPerPair) return refusal('policy_limit_pair', policyWording.limitPair(policy, trainerName));
  if (load.pendingRequests >= policy.maxPendingPerClient) return refusal('policy_limit_pending', policyWording.limitPending(policy));
  if (load.upcomingBookings >= policy.maxUpcomingBookings) return refusal('policy_limit_upcoming', policyWording.limitUpcoming(policy));
  return null;
}

/** What auto-approval looks at: only a direct request (an exact start) can be confirmed without the trainer. */
export interface ApprovalCandidate {
  kind: 'direct' | 'flexible';
  /** The requested start of a direct request. */
  start?: Date | null;
}

/** True when the workflow may confirm this request at once, without waiting for the trainer. */
export function mayAutoApprove(policy: TrainerPolicy, request: ApprovalCandidate, now: Date): boolean {
  if (policy.approvalMode !== 'AUTO_DIRECT' || request.kind !== 'direct' || !request.start) return false;
  return checkStartAllowed(policy, request.start, now) === null;
}

/**
 * The time a session keeps from the trainer's calendar: its own span widened by the
 * before-buffer ahead and the after-buffer behind, as a half-open range [start, end). Two
 * sessions may not have overlapping blocked ranges, so one that ends at E and the next
 * starting at S satisfy S - E >= after + before. The database computes the same range
 * (booking.blocked_start / blocked_end) and backs it with an exclusion constraint.
 */
export function blockedRange(policy: TrainerPolicy, session: TimeRange): TimeRange {
  return {
    start: new Date(session.start.getTime() - policy.bufferBeforeMinutes * MINUTE_MS),
    end: new Date(session.end.getTime() + policy.bufferAfterMinutes * MINUTE_MS),
  };
}

const overlaps = (a: TimeRange, b: TimeRange): boolean => a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();

/**
 * Whether a candidate session keeps the buffers to the trainer's other active sessions
 * (`others` are their own spans: each is widened by the same policy, as the database does
 * for rows written under it). A real overlap is a conflict too.
 */
export function checkBuffers(policy: TrainerPolicy, candidate: TimeRange, others: readonly TimeRange[], trainerName?: string): PolicyRefusal | null {
  const mine = blockedRange(policy, candidate);
  return others.some((other) => overlaps(mine, blockedRange(policy, other))) ? refusal('policy_buffer', policyWording.buffer(policy, trainerName), 'start_time') : null;
}

/** A client may not hold two overlapping active sessions, even with two trainers. Touching ends are fine. */
export function checkClientOverlap(candidate: TimeRange, clientSessions: readonly TimeRange[]): PolicyRefusal | null {
  return clientSessions.some((other) => overlaps(candidate, other)) ? refusal('policy_client_overlap', policyWording.clientOverlap(), 'start_time') : null;
}

/** Field names as the API spells them. */
export const policyFieldApiName = (field: PolicyField): string => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/**
 * A whole policy's own consistency (after a patch is merged over the stored one): every
 * number whole and inside its bounds, the pair limit not above the per-client one, and the
 * notice shorter than the horizon.
 */
export function checkPolicyValid(policy: TrainerPolicy): PolicyRefusal | null {
  for (const field of NUMERIC_POLICY_FIELDS) {
    const { min, max } = POLICY_BOUNDS[field];
    const value = policy[field];
    if (!Number.isInteger(value) || value < min || value > max) return refusal('policy_invalid', policyWording.invalidValue(policyFieldApiName(field), min, max), policyFieldApiName(field));
  }
  if (policy.maxPendingPerPair > policy.maxPendingPerClient) return refusal('policy_invalid', policyWording.pairAbovePerClient(), 'max_pending_per_pair');
  if (policy.minNoticeMinutes * MINUTE_MS >= policy.horizonDays * DAY_MS) return refusal('policy_invalid', policyWording.noticeBeyondHorizon(), 'min_notice_minutes');
  return null;
}

