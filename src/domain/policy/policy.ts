/**
 * A trainer's booking policy: the rules every door (ranking, the workflow's validators, the
 * reservation transaction, the API, the chat) applies to a client's requests and changes.
 * Pure data and pure checks only: workflows import this module.
 */

import type { CreditPolicy } from '../credits/credits';

export const APPROVAL_MODES = ['MANUAL', 'AUTO_DIRECT'] as const;
/** MANUAL: the trainer approves every request. AUTO_DIRECT: a direct request that satisfies the policy is confirmed at once. */
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

/**
 * The trainer's credit rules (issue 13) are part of the policy: `creditToRequest`,
 * `creditToApprove` and `lateCancelConsumes` (src/domain/credits/credits.ts).
 */
export interface TrainerPolicy extends CreditPolicy {
  /** No option, direct request, approval or reschedule starts sooner than this after now. */
  minNoticeMinutes: number;
  /** Nothing starts further ahead than this many days after now. */
  horizonDays: number;
  /** Time kept free before each session (see `blockedRange`). */
  bufferBeforeMinutes: number;
  /** Time kept free after each session (see `blockedRange`). */
  bufferAfterMinutes: number;
  /** A client's cancel inside this many minutes before the start is late; a client's reschedule is refused. */
  cancelCutoffMinutes: number;
  /** Pending requests one client may have open, across all trainers. */
  maxPendingPerClient: number;
  /** Pending requests one client may have open with one trainer. */
  maxPendingPerPair: number;
  /** Upcoming active (PENDING or CONFIRMED) bookings one client may hold, across all trainers. */
  maxUpcomingBookings: number;
  approvalMode: ApprovalMode;
}

export type PolicyField = keyof TrainerPolicy;
/** The yes/no fields: the trainer's credit rules. */
export const BOOLEAN_POLICY_FIELDS = ['creditToRequest', 'creditToApprove', 'lateCancelConsumes'] as const satisfies readonly (keyof CreditPolicy)[];
export type BooleanPolicyField = (typeof BOOLEAN_POLICY_FIELDS)[number];
export type NumericPolicyField = Exclude<PolicyField, 'approvalMode' | BooleanPolicyField>;

/**
 * What a trainer gets without setting anything (a trainer with no stored policy row):
 * - 60 min notice: enough for a trainer to see a request before the session, short enough
 *   that "tomorrow morning" is always bookable (tests and the demo book 1-3 days ahead).
 * - 90 days horizon: the API's availability view spans at most 92 days, and trainers
 *   rarely publish further ahead; a request beyond it is almost always a typo of the year.
 * - 0/0 buffers: today's behaviour, back-to-back slots stay bookable until a trainer asks
 *   for a gap.
 * - 24 h cutoff: the common rule of Acuity, Glofox and Mindbody studios.
 * - 3 pending requests per client, 1 per client-trainer pair, 10 upcoming bookings: a client
 *   can shop around and book a block of sessions, but one client can no longer hold every
 *   free start of a trainer (each pending direct request holds its slots for 24 h).
 * - MANUAL approval: today's behaviour.
 * - No credit needed to request or approve (a trainer who sells packs turns it on), and a
 *   late cancellation uses the credit, as it counts against the client anyway.
 */
export const DEFAULT_POLICY: Readonly<TrainerPolicy> = Object.freeze({
  minNoticeMinutes: 60,
  horizonDays: 90,
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  cancelCutoffMinutes: 24 * 60,
  maxPendingPerClient: 3,
  maxPendingPerPair: 1,
  maxUpcomingBookings: 10,
  approvalMode: 'MANUAL',
  creditToRequest: false,
  creditToApprove: false,
  lateCancelConsumes: true,
});

/** Inclusive bounds of every numeric field; the API schema, the CLI and the database check the same numbers. */
export const POLICY_BOUNDS: Readonly<Record<NumericPolicyField, { min: number; max: number }>> = Object.freeze({
  minNoticeMinutes: { min: 0, max: 30 * 24 * 60 },
  horizonDays: { min: 1, max: 730 },
  bufferBeforeMinutes: { min: 0, max: 240 },
  bufferAfterMinutes: { min: 0, max: 240 },
  cancelCutoffMinutes: { min: 0, max: 14 * 24 * 60 },
  maxPendingPerClient: { min: 1, max: 50 },
  maxPendingPerPair: { min: 1, max: 20 },
  maxUpcomingBookings: { min: 1, max: 200 },
});

export const NUMERIC_POLICY_FIELDS = Object.keys(POLICY_BOUNDS) as NumericPolicyField[];

/** Some of a policy's fields; null or missing means "the default" (a stored row, a patch). */
export type PolicyFields = { [K in PolicyField]?: TrainerPolicy[K] | null };

/** The stored fields over the defaults: a missing or null value means the default. */
export function withDefaults(stored: PolicyFields | null | undefined): TrainerPolicy {
  const policy: TrainerPolicy = { ...DEFAULT_POLICY };
  if (!stored) return policy;
  for (const field of NUMERIC_POLICY_FIELDS) {
    const value = stored[field];
    if (value !== undefined && value !== null) policy[field] = value;
  }
  if (stored.approvalMode) policy.approvalMode = stored.approvalMode;
  for (const field of BOOLEAN_POLICY_FIELDS) {
    const value = stored[field];
    if (value !== undefined && value !== null) policy[field] = value;
  }
  return policy;
}
