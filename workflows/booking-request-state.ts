import { ActivityFailure, ApplicationFailure, condition, getExternalWorkflowHandle, patched, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { DatabaseActivities, NotificationActivities } from '../activities/booking-activities';
import { clientMayWithdraw, partyMayChange, trainerMayDecide, trainerMayRecordOutcome } from '../src/domain/access';
import { ERROR_CODES } from '../src/domain/errors';
import {
  checkClientReschedule,
  checkStartAllowed,
  checkTrainerReschedule,
  decideClientCancel,
  DEFAULT_POLICY,
  mayAutoApprove,
  policyWording,
  POLICY_REFUSAL_CODES,
  type PolicyRefusal,
  type TrainerPolicy,
  withDefaults,
} from '../src/domain/policy';
import { seriesWording } from '../src/domain/series/wording';
import { DAY_MS } from '../src/domain/time';
import type { Audience, Notification, NotificationKind } from '../src/notifications/notification';
import {
  occurrenceCancelledSignal,
  occurrenceWorkflowIdFor,
  SEARCH_ATTRIBUTES,
  type AvailabilityChange,
  type BookingRequestInput,
  type BookingState,
  type BookingSummary,
  type BookingWorkflowStatus,
  type CancelCommand,
  type CancelSeriesCommand,
  type CancelSeriesOutcome,
  type ChangeOutcome,
  type DecisionOutcome,
  type OccurrenceCancelled,
  type RescheduleCommand,
  type SeriesSummary,
  type SessionOutcomeCommand,
  type SlotOption,
  type TrainerDecision,
  type WithdrawCommand,
  type WithdrawOutcome,
  type WorkflowTimings,
} from './contract';

export const DEFAULT_TIMINGS: WorkflowTimings = {
  approvalWindowMs: DAY_MS,
  reminderLeadMs: DAY_MS,
  outcomeWindowMs: 7 * DAY_MS,
  maxOptions: 5,
};

/** The two activity proxies: database work (retried until it succeeds) and notifications. */
export interface WorkflowActivities {
  db: DatabaseActivities;
  messenger: NotificationActivities;
}

/** A change asked for by a signal or an Update, waiting for the workflow's main loop. */
export type Command =
  | { type: 'decision'; id: string; decision: TrainerDecision }
  | { type: 'cancel'; id: string; command: CancelCommand }
  | { type: 'reschedule'; id: string; command: RescheduleCommand }
  | { type: 'outcome'; id: string; command: SessionOutcomeCommand }
  | { type: 'withdraw'; id: string; command: WithdrawCommand }
  | { type: 'availability'; id: string; change: AvailabilityChange }
  | { type: 'cancel-series'; id: string; command: CancelSeriesCommand }
  | { type: 'occurrence-cancelled'; id: string; cancelled: OccurrenceCancelled };

/** What an Update is answered with. */
type Outcome = DecisionOutcome | ChangeOutcome | BookingSummary | WithdrawOutcome | CancelSeriesOutcome;

/** The booking statuses of a cancelled booking (a late one is a client's cancel inside the cutoff). */
const CANCELLED_STATUSES: readonly BookingWorkflowStatus[] = ['CANCELLED', 'LATE_CANCELLED'];
/** The booking row statuses of a booking that still holds its time. */
const ACTIVE_BOOKING_STATUSES: readonly string[] = ['PENDING', 'CONFIRMED'];

/** What the booking phase waits for next: the reminder, the outcome prompt, or the window's close. */
export interface BookingTimer {
  due: 'reminder' | 'prompt' | 'close';
  wakeAt: number;
}

function failureType(error: unknown): string | undefined {
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) return error.cause.type ?? undefined;
  return undefined;
}

/** A policy refusal's code, when the failure is one (the reservation transaction's own check). */
function policyCode(error: unknown): string | undefined {
  const type = failureType(error);
  return type !== undefined && (POLICY_REFUSAL_CODES as readonly string[]).includes(type) ? type : undefined;
}

/** A validator's policy refusal: the client's Refused carries `code` (the failure type) and the sentence. */
const policyFailure = (refusal: PolicyRefusal): ApplicationFailure => ApplicationFailure.create({ type: refusal.code, message: refusal.sentence, nonRetryable: true });

/** The first detail of an activity's domain failure (e.g. a NoCreditError's trainerSentence). */
function failureDetail(error: unknown): Record<string, unknown> | undefined {
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure) {
    const [first] = error.cause.details ?? [];
    if (typeof first === 'object' && first !== null) return first as Record<string, unknown>;
  }
  return undefined;
}

/** The dates a SeriesConflict could not book, from its failure's details (SeriesConflictError.details). */
function skippedOf(error: unknown): SeriesSummary['skipped'] | undefined {
  const skipped = failureDetail(error)?.skipped;
  return Array.isArray(skipped) ? (skipped as SeriesSummary['skipped']) : undefined;
}

function failureMessage(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}

const sameDecision = (a: TrainerDecision, b: TrainerDecision): boolean =>
  a.kind === b.kind && a.trainerId === b.trainerId && (a.kind === 'reject' || (b.kind === 'approve' && a.slotId === b.slotId));

/**
 * One booking request's state and the logic that changes it: validators (synchronous, they
 * refuse before anything reaches the history), the trainer's decision with its saga, and
 * cancel / reschedule / recordOutcome once booked. The workflow function registers the
 * handlers and runs the phases; everything it decides is here.
 */
export class BookingRequestState {
  readonly state: BookingState;
  private readonly inbox: Command[] = [];
  private readonly outcomes = new Map<string, Outcome>();
  private appliedDecision: TrainerDecision | null = null;
  private notificationSeq = 0;
  /** Saga: each step that takes something pushes how to give it back. */
  private compensations: { name: string; run: () => Promise<unknown> }[] = [];
  private expiresAt = '';
  private remindedFor: string | null = null;
  private promptedFor: string | null = null;
  /** The policy the client agreed to; workflows started before policies follow the default. */
  private readonly policy: TrainerPolicy;
  /** An occurrence's workflow: the series its booking belongs to (adoptOccurrence). */
  private occurrenceOf: number | null = null;

  constructor(
    private readonly request: BookingRequestInput,
    private readonly timings: WorkflowTimings,
    private readonly workflowId: string,
    private readonly activities: WorkflowActivities,
  ) {
    // Policies stored in requests before the credit rules existed read them as the defaults.
    this.policy = request.policy ? withDefaults(request.policy) : DEFAULT_POLICY;
    this.state = {
      bookingRequestId: request.bookingRequestId,
      trainerId: request.trainerId,
      clientId: request.clientId,
      mode: request.startTime ? 'direct' : 'flexible',
      status: 'PENDING',
      expiresAt: null,
      optionsReady: false,
      options: [],
      chosenSlot: null,
      booking: null,
      rejectionReason: null,
      history: [],
      // Only a series request's state has these keys, so a single booking's stays as it was.
      ...(request.recurrence ? { recurrence: request.recurrence, series: null } : {}),
    };
  }

  /** The request asks for a weekly series (issue 12). */
  get isSeries(): boolean {
    return this.request.recurrence !== undefined && this.request.recurrence !== null;
  }

  // --- validators ---

  validateDecision(decision: TrainerDecision): void {
    const refusal = trainerMayDecide(this.state, { trainerId: decision.trainerId });
    if (refusal) throw new Error(refusal.message);
    if (this.appliedDecision && sameDecision(this.appliedDecision, decision)) return; // answered, not applied twice
    if (this.state.status !== 'PENDING') throw new Error(`This request is already ${this.state.status.toLowerCase()}.`);
    if (decision.kind === 'approve' && !this.state.options.some((option) => option.slotId === decision.slotId)) {
      throw new Error('That time is not among the current options; pick one of the offered slots.');
    }
    if (decision.kind === 'reject' && (typeof decision.reason !== 'string' || decision.reason.trim() === '')) {
      throw new Error('Please give a reason for rejecting the request.');
    }
  }

  /** Client: free before the cutoff, late inside it, refused once started. Trainer or admin: any time before the start. */
  validateCancel(command: CancelCommand): void {
    const party = partyMayChange(this.state, command.actor);
    if (party) throw new Error(party.message);
    this.refuseOnSeries();
    if (CANCELLED_STATUSES.includes(this.state.status)) return;
    if (this.state.status !== 'APPROVED' || !this.state.booking) throw new Error('There is no confirmed booking to cancel.');
    const refusal = this.cancelRefusal(command);
    if (refusal) throw policyFailure(refusal);
  }

  /** Nobody after the start; a client not inside the cutoff; the new start within notice and horizon. */
  validateReschedule(command: RescheduleCommand): void {
    const party = partyMayChange(this.state, command.actor);
    if (party) throw new Error(party.message);
    this.refuseOnSeries();
    if (this.state.status !== 'APPROVED' || !this.state.booking) throw new Error('There is no confirmed booking to reschedule.');
    const start = Date.parse(command.newStartTime);
    if (Number.isNaN(start)) throw new Error('newStartTime must be an ISO date-time.');
    const oldStart = new Date(this.state.booking.startTime);
    const check = command.actor.role === 'CLIENT' ? checkClientReschedule : checkTrainerReschedule;
    const refusal = check(this.policy, oldStart, new Date(start), new Date(), this.request.trainerName);
    if (refusal) throw policyFailure(refusal);
    if (start <= Date.now()) throw new Error('The new time must be in the future.');
    if (start === oldStart.getTime()) throw new Error('The booking is already at that time.');
  }

  /** The client who made the request, or an admin; a request that is no longer pending is answered as closed. */
  validateWithdraw(command: WithdrawCommand): void {
    const refusal = clientMayWithdraw(this.state, command.actor);
    if (refusal) throw new Error(refusal.message);
  }

  /**
   * Only a pending flexible request re-ranks; a direct one keeps the start the client chose.
   * A pending series request (direct or flexible) re-checks its weekly times' sessions.
   */
  validateAvailabilityChange(change: AvailabilityChange): void {
    if (change.trainerId !== this.state.trainerId) throw new Error(`availability of trainer ${change.trainerId}, not this request's`);
    if (this.state.status !== 'PENDING' || (this.state.mode !== 'flexible' && !this.isSeries)) throw new Error(`the request is ${this.state.status.toLowerCase()} (${this.state.mode})`);
  }

  /** A confirmed series' request workflow does not change one booking: its occurrences' workflows do. */
  private refuseOnSeries(): void {
    if (this.state.series) throw new Error(seriesWording.useOccurrence());
  }

  /**
   * "This and all following": a party of the series, from one of its active sessions that
   * has not started (a client's inside the cutoff are late cancellations, not refused).
   */
  validateCancelSeries(command: CancelSeriesCommand): void {
    const party = partyMayChange(this.state, command.actor);
    if (party) throw new Error(party.message);
    const series = this.state.series;
    if (this.state.status !== 'APPROVED' || !series) throw new Error(seriesWording.noSeries());
    const from = series.booked.find((booking) => booking.bookingId === command.fromBookingId);
    if (!from || !ACTIVE_BOOKING_STATUSES.includes(from.status)) throw new Error(seriesWording.notActiveOccurrence());
    const refusal = this.cancelRefusalAt(command.actor, from.startTime);
    if (refusal) throw policyFailure(refusal);
  }

  /** The series' workflow cancelled this occurrence's booking: only for the booking this workflow owns. */
  validateOccurrenceCancelled(cancelled: OccurrenceCancelled): void {
    if (this.occurrenceOf === null || this.state.booking?.bookingId !== cancelled.bookingId) throw new Error(`booking ${cancelled.bookingId} is not this occurrence's`);
  }

  private cancelRefusal(command: CancelCommand): PolicyRefusal | null {
    return this.cancelRefusalAt(command.actor, this.state.booking!.startTime);
  }

  /** Client: refused once started (late inside the cutoff is allowed). Trainer or admin: refused once started. */
  private cancelRefusalAt(actor: CancelCommand['actor'], startTime: string): PolicyRefusal | null {
    const start = new Date(startTime);
    if (actor.role === 'CLIENT') {
      const verdict = decideClientCancel(this.policy, start, new Date());
      return typeof verdict === 'string' ? null : verdict;
    }
    return start.getTime() <= Date.now() ? { code: 'policy_started', sentence: policyWording.started() } : null;
  }

  validateOutcome(command: SessionOutcomeCommand): void {
    const refusal = trainerMayRecordOutcome(this.state, { trainerId: command.trainerId });
    if (refusal) throw new Error(refusal.message);
    this.refuseOnSeries();
    if (this.state.status !== 'APPROVED' || !this.state.booking) throw new Error('There is no confirmed booking to record.');
    if (Date.now() < Date.parse(this.state.booking.startTime)) throw new Error('The session has not started yet.');
    for (const rating of [command.clientRating, command.trainerRating]) {
      if (rating !== undefined && !(Number.isInteger(rating) && rating >= 1 && rating <= 5)) throw new Error('Ratings are whole numbers from 1 to 5.');
    }
  }

  // --- the inbox: handlers queue commands, the main loop applies them one at a time ---

  /** An Update: queued, answered once the main loop has applied it. */
  async submit<T extends Outcome>(command: Command): Promise<T> {
    this.inbox.push(command);
    await condition(() => this.outcomes.has(command.id));
    return this.outcomes.get(command.id) as T;
  }

  /** A signal: queued if valid, else noted in the history (a signal cannot be answered). */
  accept(validate: () => void, command: Command): void {
    try {
      validate();
      this.inbox.push(command);
    } catch (error) {
      this.record('ignored signal', `${command.type}: ${(error as Error).message}`);
    }
  }

  hasWork(): boolean {
    return this.inbox.length > 0;
  }

  async handleNext(): Promise<void> {
    const command = this.inbox.shift()!;
    let outcome: Outcome | null;
    if (command.type === 'decision') outcome = await this.decide(command.decision);
    else if (command.type === 'cancel') outcome = await this.cancel(command.command);
    else if (command.type === 'reschedule') outcome = await this.reschedule(command.command);
    else if (command.type === 'withdraw') outcome = await this.withdraw(command.command);
    else if (command.type === 'availability') outcome = await this.rerank();
    else if (command.type === 'cancel-series') outcome = await this.cancelSeries(command.command);
    else if (command.type === 'occurrence-cancelled') outcome = this.takeCancelled(command.cancelled);
    else outcome = await this.recordOutcome(command.command);
    if (outcome !== null) this.outcomes.set(command.id, outcome);
  }

  // --- phase 1 and 2: store the request, work out the trainer's options ---

  async store(): Promise<void> {
    upsertSearchAttributes([
      { key: SEARCH_ATTRIBUTES.bookingRequestId, value: String(this.request.bookingRequestId) },
      { key: SEARCH_ATTRIBUTES.trainerId, value: String(this.request.trainerId) },
      { key: SEARCH_ATTRIBUTES.clientId, value: String(this.request.clientId) },
    ]);
    const stored = await this.activities.db.persistRequest({ request: this.request, expiresAt: new Date(Date.now() + this.timings.approvalWindowMs).toISOString(), workflowId: this.workflowId });
    this.expiresAt = stored.expiresAt;
    this.state.expiresAt = stored.expiresAt;
    this.setStatus('PENDING');
  }

  /**
   * The exact slot for a direct booking (held for us), W_C-ranked starts otherwise; then
   * both sides are told. False when the direct booking's slot is already gone (REJECTED).
   */
  async prepareOptions(): Promise<boolean> {
    const { db } = this.activities;
    // A series: its weekly times, each with its sessions' availability; the trainer always decides.
    if (this.isSeries) return this.prepareSeriesOptions();
    if (this.state.mode === 'direct') {
      try {
        this.state.options = [await db.holdRequestedSlot({ bookingRequestId: this.request.bookingRequestId, owner: this.workflowId, lockedUntil: this.expiresAt })];
        this.compensations.push({ name: 'release held slots', run: () => db.releaseHolds({ owner: this.workflowId }) });
        this.record('held requested slot', this.state.options[0]!.consecutiveSlotIds.join(', '));
      } catch (error) {
        if (failureType(error) !== ERROR_CODES.slotConflict) throw error;
        const reason = 'The chosen time is no longer available.';
        await db.closeRequest({ bookingRequestId: this.request.bookingRequestId, status: 'REJECTED', reason });
        this.state.rejectionReason = reason;
        this.setStatus('REJECTED');
        await this.tell('request.rejected', ['client'], `${reason} Please pick another slot.`, { reason });
        return false;
      }
      if (await this.autoApprove()) return true;
    } else {
      await this.refreshOptions();
    }
    this.state.optionsReady = true;
    await this.tell('request.received', ['client'], 'Your request was sent to your trainer, who has 24 hours to answer.', { expiresAt: this.expiresAt });
    await this.tell('request.options', ['trainer'], this.state.options.length > 0 ? 'New booking request: pick a slot or reject.' : 'New booking request, but no free slots match its duration yet.', {
      options: this.state.options,
      expiresAt: this.expiresAt,
    });
    return true;
  }

  /** A series request's weekly times (direct: one; flexible: the best ranked), then both sides are told. */
  private async prepareSeriesOptions(): Promise<boolean> {
    await this.refreshOptions();
    this.state.optionsReady = true;
    await this.tell('request.received', ['client'], 'Your request was sent to your trainer, who has 24 hours to answer.', { expiresAt: this.expiresAt });
    await this.tell('request.options', ['trainer'], seriesWording.newRequest(this.state.options.length > 0), { options: this.state.options, expiresAt: this.expiresAt });
    return true;
  }

  /**
   * The trainer's policy may confirm a direct request at once (AUTO_DIRECT): the same path
   * as the trainer's approval. True when the request is now APPROVED; otherwise (a conflict
   * at confirmation) the request waits for the trainer as usual.
   */
  private async autoApprove(): Promise<boolean> {
    const held = this.state.options[0]!;
    if (!mayAutoApprove(this.policy, { kind: 'direct', start: new Date(held.slotStart) }, new Date())) return false;
    this.record('auto-approved', `${held.slotStart} (the trainer's policy confirms direct requests)`);
    const outcome = await this.decide({ kind: 'approve', trainerId: this.request.trainerId, slotId: held.slotId, notes: undefined });
    this.state.optionsReady = true;
    return outcome.result === 'approved';
  }

  // --- phase 3: the trainer's decision, until the request expires ---

  msUntilExpiry(): number {
    return Date.parse(this.expiresAt) - Date.now();
  }

  async expire(): Promise<void> {
    await this.activities.db.closeRequest({ bookingRequestId: this.request.bookingRequestId, status: 'EXPIRED' });
    await this.compensate();
    this.setStatus('EXPIRED');
    await this.tell('request.expired', ['client', 'trainer'], 'The request expired after 24 hours without an answer.');
  }

  async decide(decision: TrainerDecision): Promise<DecisionOutcome> {
    const { state } = this;
    if (state.status !== 'PENDING') {
      if (this.appliedDecision && sameDecision(this.appliedDecision, decision)) {
        return decision.kind === 'approve' && state.booking
          ? { result: 'approved', booking: state.booking, duplicate: true, ...(state.series ? { series: state.series } : {}) }
          : { result: 'rejected', reason: state.rejectionReason ?? '', duplicate: true };
      }
      return { result: 'closed', status: state.status };
    }
    if (decision.kind === 'reject') {
      const reason = decision.reason.trim();
      await this.activities.db.closeRequest({ bookingRequestId: this.request.bookingRequestId, status: 'REJECTED', reason });
      await this.compensate();
      this.appliedDecision = decision;
      state.rejectionReason = reason;
      this.setStatus('REJECTED');
      await this.tell('request.rejected', ['client'], `Your trainer declined the request: ${reason}`, { reason });
      return { result: 'rejected', reason, duplicate: false };
    }
    const option = state.options.find((o) => o.slotId === decision.slotId);
    if (this.isSeries) return this.approveSeries(decision, option);
    if (!option) return { result: 'conflict', message: 'That time is not among the current options.', options: state.options };
    const tooClose = checkStartAllowed(this.policy, new Date(option.slotStart), new Date(), this.request.trainerName);
    // Histories recorded before the policy approved such an option: they replay unpatched.
    if (tooClose && patched('policy-approval-window')) return this.offerFreshOptions(option, tooClose.sentence, tooClose.code);
    try {
      const booking = await this.activities.db.confirmReservation({ bookingRequestId: this.request.bookingRequestId, slotStart: option.slotStart, holdOwner: this.workflowId, notes: decision.notes });
      this.compensations = []; // the holds became the booking
      this.appliedDecision = decision;
      state.booking = booking;
      state.chosenSlot = option;
      this.setStatus('APPROVED');
      await this.tell('request.approved', ['client', 'trainer'], 'The booking is confirmed.', { booking });
      await this.tellIfCreditsLow([booking]);
      return { result: 'approved', booking, duplicate: false };
    } catch (error) {
      const type = failureType(error);
      if (type === ERROR_CODES.requestNotPending) {
        this.record('approval refused', failureMessage(error));
        return { result: 'closed', status: state.status };
      }
      if (type === ERROR_CODES.creditNone) return this.creditNeeded(option.slotStart, error);
      const code = policyCode(error);
      if (code !== undefined) return this.offerFreshOptions(option, failureMessage(error), code);
      if (type !== ERROR_CODES.slotConflict) throw error;
      // Compensate: give back what we held, offer what is free now, keep waiting.
      this.record('slot conflict', `${option.slotStart}: ${failureMessage(error)}`);
      await this.compensate();
      await this.refreshOptions();
      const message = failureMessage(error);
      await this.tell('request.slot-taken', ['trainer'], 'That slot was just taken by another booking; here are the best free options now.', { options: state.options });
      await this.tell('request.slot-taken', ['client'], 'The time your trainer picked was just taken; they will choose another one.');
      return { result: 'conflict', message, options: state.options };
    }
  }

  /**
   * The trainer approves a weekly time: every session in one transaction (each checked
   * there against slots and policy, so no pre-check here). On success the request is
   * APPROVED with its series; on a SeriesConflict nothing was written: the trainer gets the
   * weekly times free now and the client is told.
   */
  private async approveSeries(decision: Extract<TrainerDecision, { kind: 'approve' }>, option: SlotOption | undefined): Promise<DecisionOutcome> {
    const { state } = this;
    if (!option?.series) return this.seriesConflict(`${decision.slotId}`, seriesWording.notAnOption());
    let series: SeriesSummary;
    try {
      series = await this.activities.db.confirmSeries({ bookingRequestId: this.request.bookingRequestId, option, holdOwner: this.workflowId, ...(decision.notes !== undefined ? { notes: decision.notes } : {}) });
    } catch (error) {
      const type = failureType(error);
      if (type === ERROR_CODES.requestNotPending) {
        this.record('approval refused', failureMessage(error));
        return { result: 'closed', status: state.status };
      }
      if (type === ERROR_CODES.creditNone) return this.creditNeeded(`${option.series.weekdays.join(',')} ${option.series.localTime}`, error);
      if (type !== ERROR_CODES.seriesConflict) throw error;
      return this.seriesConflict(`${option.series.weekdays.join(',')} ${option.series.localTime}`, failureMessage(error), skippedOf(error));
    }
    this.compensations = [];
    this.appliedDecision = decision;
    const first = series.booked.find((booking) => ACTIVE_BOOKING_STATUSES.includes(booking.status)) ?? series.booked[0]!;
    state.series = series;
    state.booking = first;
    state.chosenSlot = option;
    upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.seriesId, value: String(series.seriesId) }]);
    this.setStatus('APPROVED');
    await this.tell('request.approved', ['client', 'trainer'], seriesWording.approved(series.booked.length, series.skipped.length), { booking: first, series });
    await this.tellIfCreditsLow(series.booked);
    return { result: 'approved', booking: first, duplicate: false, series };
  }

  /**
   * The approval needs a credit the client does not have (the trainer's policy; nothing was
   * written): the request keeps waiting with its holds, so an approval after the client buys
   * a pack succeeds. The client reads how to get one (the trainer's packs and prices), the
   * trainer that the client has none; the trainer's Update is answered with that sentence.
   */
  private async creditNeeded(what: string, error: unknown): Promise<DecisionOutcome> {
    const clientSentence = failureMessage(error);
    const detail = failureDetail(error)?.trainerSentence;
    const trainerSentence = typeof detail === 'string' ? detail : clientSentence;
    this.record('approval needs a credit', `${what}: ${trainerSentence}`);
    await this.tell('request.credit-needed', ['client'], clientSentence);
    await this.tell('request.credit-needed', ['trainer'], trainerSentence);
    return { result: 'conflict', message: trainerSentence, options: this.state.options, code: ERROR_CODES.creditNone };
  }

  /**
   * An approval that leaves the client 1 credit or none with this trainer: both are told
   * (credits.low), without holding up the booking. Bookings without a credit (every booking
   * of a workflow recorded before credits) tell nobody, so old histories replay as they were.
   */
  private async tellIfCreditsLow(bookings: BookingSummary[]): Promise<void> {
    const paid = bookings.filter((booking) => booking.credit);
    if (paid.length === 0) return;
    const lowest = paid.reduce((low, booking) => (booking.credit!.left < low.credit!.left ? booking : low));
    const credit = lowest.credit!;
    if (credit.left > 1) return;
    try {
      await this.activities.messenger.notifyCredits({ kind: 'credits.low', lotId: credit.lotId, key: `${this.workflowId}/credits.low/${lowest.bookingId}`, at: new Date().toISOString() });
    } catch (error) {
      this.record('notification failed', `credits.low: ${failureMessage(error)}`);
    }
  }

  /** A weekly time could not be booked (nothing was): re-check the options, tell the trainer the fresh ones and the client. */
  private async seriesConflict(what: string, message: string, skipped?: SeriesSummary['skipped']): Promise<DecisionOutcome> {
    this.record('series conflict', `${what}: ${message}`);
    await this.compensate();
    await this.refreshOptions();
    await this.tell('request.slot-taken', ['trainer'], seriesWording.conflictTrainer(), { options: this.state.options, expiresAt: this.expiresAt });
    await this.tell('request.slot-taken', ['client'], seriesWording.conflictClient());
    return { result: 'conflict', message, options: this.state.options, code: ERROR_CODES.seriesConflict, ...(skipped ? { skipped } : {}) };
  }

  /** The option may no longer be booked under the policy: give back holds, tell the trainer the sentence and the best options now. */
  private async offerFreshOptions(option: SlotOption, sentence: string, code: string): Promise<DecisionOutcome> {
    this.record('approval refused by policy', `${option.slotStart}: ${sentence}`);
    await this.compensate();
    await this.refreshOptions();
    await this.tell('request.options', ['trainer'], `${sentence} Here are the best free options now.`, { options: this.state.options, expiresAt: this.expiresAt });
    return { result: 'conflict', message: sentence, options: this.state.options, code };
  }

  /** The client takes the request back: WITHDRAWN (the trainer did not decide), holds released, the trainer told. */
  async withdraw(command: WithdrawCommand): Promise<WithdrawOutcome> {
    if (this.state.status === 'WITHDRAWN') return { result: 'withdrawn', duplicate: true };
    if (this.state.status !== 'PENDING') return { result: 'closed', status: this.state.status };
    const reason = command.reason?.trim() || undefined;
    await this.activities.db.closeRequest({ bookingRequestId: this.request.bookingRequestId, status: 'WITHDRAWN', ...(reason ? { reason } : {}) });
    await this.compensate();
    this.setStatus('WITHDRAWN');
    await this.tell('request.withdrawn', ['trainer'], policyWording.requestWithdrawn(reason), reason ? { reason } : {});
    return { result: 'withdrawn', duplicate: false };
  }

  /**
   * New or freed availability: a pending flexible request (or any pending series request)
   * re-ranks and shows the trainer the options when they changed.
   */
  private async rerank(): Promise<null> {
    if (this.state.status !== 'PENDING' || (this.state.mode !== 'flexible' && !this.isSeries) || !this.state.optionsReady) return null;
    // A series option also changes when how many of its sessions are free does.
    const key = (o: SlotOption): string => `${o.slotId}@${o.slotStart}${o.series ? `/${o.series.free}` : ''}`;
    const before = this.state.options.map(key).join();
    await this.refreshOptions();
    if (this.state.options.map(key).join() === before) return null;
    await this.tell('request.options', ['trainer'], this.state.options.length > 0 ? 'The trainer’s availability changed: here are the best options for this request now.' : 'The trainer’s availability changed: no free slots match this request now.', {
      options: this.state.options,
      expiresAt: this.expiresAt,
    });
    return null;
  }

  // --- phase 4: own the booking ---

  ownsBooking(): boolean {
    return this.state.status === 'APPROVED' && this.state.booking !== null;
  }

  /** The next thing due for the booking: its reminder, the outcome prompt at its end, or the close of the outcome window. */
  nextTimer(now: number): BookingTimer {
    const booking = this.state.booking!;
    const start = Date.parse(booking.startTime);
    const end = Date.parse(booking.endTime);
    if (this.remindedFor !== booking.startTime && now < start) return { due: 'reminder', wakeAt: start - this.timings.reminderLeadMs };
    if (this.promptedFor !== booking.startTime) return { due: 'prompt', wakeAt: end };
    return { due: 'close', wakeAt: end + this.timings.outcomeWindowMs };
  }

  async remind(): Promise<void> {
    this.remindedFor = this.state.booking!.startTime;
    await this.tell('booking.reminder', ['client', 'trainer'], 'Reminder: your training session is coming up.', { booking: this.state.booking! });
  }

  async promptForOutcome(): Promise<void> {
    this.promptedFor = this.state.booking!.startTime;
    await this.tell('booking.outcome-prompt', ['trainer'], 'How did the session go? Record it as completed or a no-show.', { booking: this.state.booking! });
  }

  /** Nothing was recorded in time: noted; a credit the booking holds is used (the session's time was kept). */
  async closeOutcomeWindow(): Promise<void> {
    this.record('outcome window closed', 'no outcome was recorded');
    const booking = this.state.booking;
    // Only a booking paid by a credit (issue 13) has anything to settle; older histories replay unpatched.
    if (booking?.credit && patched('credit-settle-unrecorded')) {
      const settled = await this.activities.db.settleUnrecordedOutcome({ bookingId: booking.bookingId });
      this.state.booking = { ...booking, ...settled };
      this.record('credit used', 'the outcome was not recorded');
    }
  }

  async cancel(command: CancelCommand): Promise<ChangeOutcome> {
    const booking = this.state.booking;
    if (CANCELLED_STATUSES.includes(this.state.status) && booking) return { result: 'done', booking, duplicate: true, ...(this.state.status === 'LATE_CANCELLED' ? { late: true } : {}) };
    if (this.state.status !== 'APPROVED' || !booking) throw ApplicationFailure.nonRetryable('There is no confirmed booking to cancel.');
    // Judged again now: time passed between the validator and this turn of the main loop.
    const refusal = this.cancelRefusal(command);
    if (refusal) return { result: 'conflict', message: refusal.sentence, booking, code: refusal.code };
    const late = command.actor.role === 'CLIENT' && decideClientCancel(this.policy, new Date(booking.startTime), new Date()) === 'late';
    // A late cancel uses the credit or gives it back as the policy the client agreed to says.
    const cancelled = await this.activities.db.cancelBooking({ bookingId: booking.bookingId, reason: command.reason, ...(late ? { late, lateCancelConsumes: this.policy.lateCancelConsumes } : {}) });
    this.state.booking = cancelled;
    this.setStatus(late ? 'LATE_CANCELLED' : 'CANCELLED');
    const text = late ? policyWording.lateCancelledByClient(this.policy) : `The booking was cancelled by the ${command.actor.role.toLowerCase()}.`;
    await this.tell('booking.cancelled', ['client', 'trainer'], text, { booking: cancelled, reason: command.reason });
    // Histories recorded before cancels freed time for other requests replay unpatched.
    if (patched('announce-freed-time')) await this.announceFreedTime();
    return { result: 'done', booking: cancelled, duplicate: false, ...(late ? { late } : {}) };
  }


  async reschedule(command: RescheduleCommand): Promise<ChangeOutcome> {
    const booking = this.state.booking;
    if (this.state.status !== 'APPROVED' || !booking) return { result: 'conflict', message: `The booking is ${this.state.status.toLowerCase()}.`, booking: booking as BookingSummary };
    let moved: BookingSummary;
    try {
      moved = await this.activities.db.rescheduleBooking({ bookingId: booking.bookingId, newStartTime: command.newStartTime, holdOwner: this.workflowId });
    } catch (error) {
      const code = policyCode(error);
      if (code !== undefined) {
        this.record('reschedule refused by policy', `${command.newStartTime}: ${failureMessage(error)}`);
        return { result: 'conflict', message: failureMessage(error), booking, code };
      }
      // Paid with a pack's credit that ends before the new start: the booking stays as it was.
      if (failureType(error) === ERROR_CODES.creditExpires) {
        this.record('reschedule refused: credit', `${command.newStartTime}: ${failureMessage(error)}`);
        return { result: 'conflict', message: failureMessage(error), booking, code: ERROR_CODES.creditExpires };
      }
      if (failureType(error) !== ERROR_CODES.slotConflict) throw error;
      this.record('reschedule conflict', `${command.newStartTime}: ${failureMessage(error)}`);
      return { result: 'conflict', message: failureMessage(error), booking };
    }
    this.state.booking = moved;
    this.record('rescheduled', `${booking.startTime} -> ${moved.startTime}`);
    await this.tell('booking.rescheduled', ['client', 'trainer'], 'The booking was moved to a new time.', { booking: moved });
    // The old time is free again: the trainer's other pending requests may want it.
    if (patched('announce-freed-time-on-reschedule')) await this.announceFreedTime();
    return { result: 'done', booking: moved, duplicate: false };
  }

  async recordOutcome(command: SessionOutcomeCommand): Promise<BookingSummary> {
    const booking = this.state.booking;
    if (this.state.status !== 'APPROVED' || !booking) return booking as BookingSummary;
    const recorded = await this.activities.db.recordSessionOutcome({ bookingId: booking.bookingId, ...command });
    this.state.booking = recorded;
    this.setStatus(command.outcome);
    await this.tell('booking.outcome-recorded', ['client'], command.outcome === 'COMPLETED' ? 'Your session was recorded as completed. Thanks for training!' : 'Your session was recorded as a no-show.', { booking: recorded });
    return recorded;
  }

  // --- a weekly series: the request's workflow supervises, each occurrence's workflow owns one booking ---

  /** A confirmed series: its occurrences are owned by workflows of their own (children of this one). */
  ownsSeries(): boolean {
    return this.state.status === 'APPROVED' && this.state.series !== null && this.state.series !== undefined;
  }

  /** The series' bookings that still hold their time (each gets an occurrence workflow). */
  activeOccurrences(): BookingSummary[] {
    return (this.state.series?.booked ?? []).filter((booking) => ACTIVE_BOOKING_STATUSES.includes(booking.status));
  }

  /** An occurrence's workflow ended: its booking as it left it (completed, cancelled, moved). */
  occurrenceFinished(bookingId: number, final: BookingState | null, failure?: string): void {
    const series = this.state.series;
    if (!series) return;
    if (final?.booking) series.booked = series.booked.map((booking) => (booking.bookingId === bookingId ? final.booking! : booking));
    this.record('occurrence finished', `booking ${bookingId}: ${failure ?? final?.status ?? 'unknown'}`);
  }

  /** This workflow owns one occurrence of a series: the booking is confirmed, phase 4 starts. */
  adoptOccurrence(booking: BookingSummary, seriesId: number): void {
    this.occurrenceOf = seriesId;
    this.state.booking = booking;
    this.state.optionsReady = true;
    this.record('occurrence of series', `series ${seriesId}, booking ${booking.bookingId} at ${booking.startTime}`);
    this.setStatus('APPROVED');
  }

  /** The series' workflow cancelled this occurrence with the rest ("this and all following"); it told both sides. */
  private takeCancelled(cancelled: OccurrenceCancelled): null {
    if (this.state.status !== 'APPROVED' || this.state.booking?.bookingId !== cancelled.bookingId) return null;
    this.state.booking = cancelled.booking;
    this.record('cancelled with the series', cancelled.reason);
    this.setStatus(cancelled.booking.status === 'LATE_CANCELLED' ? 'LATE_CANCELLED' : 'CANCELLED');
    return null;
  }

  /**
   * "This and all following": one transaction cancels the session and every later one not
   * yet started; their workflows are told (they end), both sides get one message, and the
   * trainer's other pending requests may take the freed time.
   */
  async cancelSeries(command: CancelSeriesCommand): Promise<CancelSeriesOutcome> {
    const series = this.state.series;
    if (!series) return { result: 'conflict', message: seriesWording.noSeries() };
    const from = series.booked.find((booking) => booking.bookingId === command.fromBookingId);
    if (!from || !ACTIVE_BOOKING_STATUSES.includes(from.status)) return { result: 'done', series, cancelled: [], duplicate: true };
    // Judged again now: time passed between the validator and this turn of the main loop.
    const refusal = this.cancelRefusalAt(command.actor, from.startTime);
    if (refusal) return { result: 'conflict', message: refusal.sentence, code: refusal.code };
    const reason = command.reason?.trim() || undefined;
    const result = await this.activities.db.cancelSeriesFrom({
      seriesId: series.seriesId,
      fromBookingId: from.bookingId,
      late: command.actor.role === 'CLIENT',
      lateCancelConsumes: this.policy.lateCancelConsumes,
      ...(reason ? { reason } : {}),
    });
    // What this cancel ended: the bookings the activity cancelled. A retry after the first
    // attempt committed cancels nothing new; then: those from this start on, active as far as
    // this workflow knew and cancelled now (a session cancelled on its own just before may
    // not have reached this workflow yet, so only the ones the cancel could have reached).
    const cancelledNow = new Set(result.cancelledIds ?? []);
    const fromMs = Date.parse(from.startTime);
    const wasActive = new Set(series.booked.filter((b) => ACTIVE_BOOKING_STATUSES.includes(b.status) && Date.parse(b.startTime) >= fromMs).map((b) => b.bookingId));
    const cancelled = result.booked.filter((b) =>
      cancelledNow.size > 0 ? cancelledNow.has(b.bookingId) : wasActive.has(b.bookingId) && (CANCELLED_STATUSES as readonly string[]).includes(b.status),
    );
    const updated: SeriesSummary = { ...series, status: result.status, booked: result.booked };
    this.state.series = updated;
    if (cancelled.length === 0) return { result: 'done', series: updated, cancelled, duplicate: true };
    this.record('series cancelled from', `${from.startTime}: ${cancelled.map((b) => b.bookingId).join(', ')}`);
    await Promise.all(
      cancelled.map(async (booking) => {
        try {
          await getExternalWorkflowHandle(occurrenceWorkflowIdFor(this.request.bookingRequestId, booking.bookingId)).signal(occurrenceCancelledSignal, {
            bookingId: booking.bookingId,
            booking,
            ...(reason ? { reason } : {}),
          });
        } catch (error) {
          // The occurrence's workflow has ended already (its outcome window closed): nothing to tell.
          this.record('occurrence not told', `booking ${booking.bookingId}: ${failureMessage(error)}`);
        }
      }),
    );
    const late = cancelled.filter((b) => b.status === 'LATE_CANCELLED').length;
    const by = command.actor.role === 'CLIENT' ? 'client' : command.actor.role === 'TRAINER' ? 'trainer' : 'admin';
    await this.tell('series.cancelled', ['client', 'trainer'], seriesWording.cancelled(cancelled.length, late, by), { series: updated, cancelled, ...(reason ? { reason } : {}) });
    await this.announceFreedTime();
    return { result: 'done', series: updated, cancelled, duplicate: false };
  }

  // --- helpers ---

  private record(event: string, detail?: string): void {
    this.state.history.push({ at: new Date().toISOString(), event, ...(detail === undefined ? {} : { detail }) });
  }

  private setStatus(status: BookingWorkflowStatus): void {
    this.state.status = status;
    upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.bookingStatus, value: status }]);
    setCurrentDetails(`Booking request ${this.request.bookingRequestId}: **${status}**`);
    this.record(`status ${status}`);
  }

  private async refreshOptions(): Promise<void> {
    if (this.isSeries) {
      this.state.options = await this.activities.db.seriesOptions({ bookingRequestId: this.request.bookingRequestId, maxResults: this.timings.maxOptions, holdOwner: this.workflowId });
      const describe = (o: SlotOption): string => `${o.series!.weekdays.join(',')} ${o.series!.localTime} from ${o.slotStart} (${o.totalScore}, ${o.series!.free}/${o.series!.total} free)`;
      this.record('series options', this.state.options.map(describe).join(', ') || 'none');
      return;
    }
    this.state.options = await this.activities.db.rankOptions({ bookingRequestId: this.request.bookingRequestId, maxResults: this.timings.maxOptions, holdOwner: this.workflowId });
    this.record('ranked options', this.state.options.map((o) => `${o.slotStart} (${o.totalScore})`).join(', ') || 'none');
  }

  /** Tells people; a message that cannot be delivered is noted, and the booking goes on. */
  private async tell(kind: NotificationKind, audience: Audience[], text: string, extra: Partial<Notification> = {}): Promise<void> {
    const notification: Notification = {
      key: `${this.workflowId}/${++this.notificationSeq}/${kind}`,
      kind,
      audience,
      bookingRequestId: this.request.bookingRequestId,
      trainerId: this.request.trainerId,
      clientId: this.request.clientId,
      text,
      ...extra,
    };
    try {
      await this.activities.messenger.notify(notification);
    } catch (error) {
      this.record('notification failed', `${kind}: ${failureMessage(error)}`);
    }
  }

  /** The cancel freed slots: the trainer's other pending requests re-rank; a failure is noted, and the cancel stands. */
  private async announceFreedTime(): Promise<void> {
    try {
      await this.activities.messenger.announceFreedTime({ trainerId: this.request.trainerId, bookingRequestId: this.request.bookingRequestId });
    } catch (error) {
      this.record('announce failed', failureMessage(error));
    }
  }

  private async compensate(): Promise<void> {
    for (const step of this.compensations.reverse()) {
      await step.run();
      this.record('compensated', step.name);
    }
    this.compensations = [];
  }
}
