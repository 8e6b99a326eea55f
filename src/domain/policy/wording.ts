/**
 * Every sentence about a trainer's policy that a person reads (chat, API messages, CLI).
 * Rules decide, this file words: a door never writes its own version of a refusal.
 */
import type { TrainerPolicy } from './policy';

/** 45 → "45 min", 60 → "1 h", 90 → "1 h 30 min", 720 → "12 h", 1440 → "24 h", 2880 → "2 days". */
export function formatMinutes(minutes: number): string {
  if (minutes <= 0) return '0 min';
  if (minutes >= 2 * 24 * 60 && minutes % (24 * 60) === 0) return `${minutes / (24 * 60)} days`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

const days = (n: number): string => (n === 1 ? '1 day' : `${n} days`);
const requests = (n: number): string => (n === 1 ? '1 pending request' : `${n} pending requests`);
const bookings = (n: number): string => (n === 1 ? '1 upcoming booking' : `${n} upcoming bookings`);
const who = (trainerName: string | undefined): string => trainerName ?? 'This trainer';

export const policyWording = {
  minNotice: (policy: TrainerPolicy, trainerName?: string): string =>
    `${who(trainerName)} needs at least ${formatMinutes(policy.minNoticeMinutes)} notice: choose a later start.`,
  /** A start that lies in the past (or now) while the trainer asks no notice at all. */
  startPassed: (): string => 'That time has already passed: choose a later start.',
  horizon: (policy: TrainerPolicy, trainerName?: string): string =>
    `${who(trainerName)} takes bookings at most ${days(policy.horizonDays)} ahead: choose an earlier start.`,
  started: (): string => 'This session has already started, so it can no longer be changed or cancelled; the trainer records how it went.',
  cutoffReschedule: (policy: TrainerPolicy): string =>
    `This session starts in less than ${formatMinutes(policy.cancelCutoffMinutes)}, so it can no longer be moved; you can still cancel it, which counts as a late cancellation.`,
  limitPending: (policy: TrainerPolicy): string =>
    `You already have ${requests(policy.maxPendingPerClient)}, the most you can have at once: wait for an answer or withdraw one first.`,
  limitPair: (policy: TrainerPolicy, trainerName?: string): string =>
    `You already have ${requests(policy.maxPendingPerPair)} with ${trainerName ?? 'this trainer'}, the most allowed: wait for an answer or withdraw it first.`,
  limitUpcoming: (policy: TrainerPolicy): string =>
    `You already have ${bookings(policy.maxUpcomingBookings)}, the most you can hold at once: book again after one of them.`,
  clientOverlap: (): string => 'You already have a session at that time: choose a time when you are free.',
  buffer: (policy: TrainerPolicy, trainerName?: string): string =>
    `${who(trainerName)} keeps ${formatMinutes(policy.bufferBeforeMinutes)} before and ${formatMinutes(policy.bufferAfterMinutes)} after each session free: choose another time.`,
  lateCancelWarning: (policy: TrainerPolicy): string =>
    `Cancelling now counts as a late cancellation: the session starts in less than ${formatMinutes(policy.cancelCutoffMinutes)}.`,
  lateCancelled: (): string => 'The session is cancelled; it is recorded as a late cancellation.',
  /** What client and trainer are told when the client cancelled inside the cutoff (the booking workflow's notification). */
  lateCancelledByClient: (policy: TrainerPolicy): string =>
    `The booking was cancelled by the client ${formatMinutes(policy.cancelCutoffMinutes)} or less before the start; it counts as a late cancellation.`,
  /** What the trainer is told when the client withdrew a pending request (the booking workflow's notification). */
  requestWithdrawn: (reason?: string): string => `The client withdrew the request${reason ? `: ${reason}` : '.'}`,
  invalidValue: (apiField: string, min: number, max: number): string => `${apiField} must be a whole number from ${min} to ${max}.`,
  pairAbovePerClient: (): string => 'max_pending_per_pair may not exceed max_pending_per_client.',
  noticeBeyondHorizon: (): string => 'min_notice_minutes must be shorter than the booking horizon, or nothing could be booked.',
  // The chat's policy settings (bots/engine/policy-settings.ts).
  onlyTrainers: (): string => 'Only trainers have booking rules to set; write "help" to see what I can do for you.',
  unreadableValue: (label: string, written: string): string => `I couldn't read "${written}" for ${label}; write a whole number, like "12 h", "30 min" or "2 days".`,
  settingsSaved: (): string => 'Saved: your booking rules are now as follows.',
  settingsIntro: (): string => 'Your booking rules (they apply to every new request and change):',
} as const;

/**
 * The rules a client should know before committing, in one or two sentences, e.g.
 * "Alex needs 12 h notice; cancelling within 24 h counts as a late cancellation."
 */
export function describePolicyForClient(policy: TrainerPolicy, trainerName: string): string {
  const parts: string[] = [];
  if (policy.minNoticeMinutes > 0) parts.push(`${trainerName} needs ${formatMinutes(policy.minNoticeMinutes)} notice`);
  if (policy.cancelCutoffMinutes > 0) parts.push(`cancelling within ${formatMinutes(policy.cancelCutoffMinutes)} counts as a late cancellation`);
  if (parts.length === 0) return `${trainerName} takes bookings up to ${days(policy.horizonDays)} ahead.`;
  const sentence = parts.join('; ');
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

/** Every field of a policy, one line each, for a trainer or an operator (chat settings, CLI). */
export function describePolicyForTrainer(policy: TrainerPolicy): string[] {
  return [
    `Minimum notice: ${formatMinutes(policy.minNoticeMinutes)}`,
    `Booking horizon: ${days(policy.horizonDays)}`,
    `Buffer before each session: ${formatMinutes(policy.bufferBeforeMinutes)}`,
    `Buffer after each session: ${formatMinutes(policy.bufferAfterMinutes)}`,
    `Cancellation and reschedule cutoff: ${formatMinutes(policy.cancelCutoffMinutes)} before the start`,
    `Pending requests per client: ${policy.maxPendingPerClient}`,
    `Pending requests per client with this trainer: ${policy.maxPendingPerPair}`,
    `Upcoming bookings per client: ${policy.maxUpcomingBookings}`,
    `Approval: ${policy.approvalMode === 'AUTO_DIRECT' ? 'direct requests that follow the policy are confirmed at once' : 'the trainer approves every request'}`,
  ];
}
