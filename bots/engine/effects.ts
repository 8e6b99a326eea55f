import type { MikroORM } from '@mikro-orm/postgresql';
import { announceAvailabilityChange } from '../../src/availability/announce';
import { SlotOverlapError, TrainerNotFoundError, publishSlots } from '../../src/availability/publish-slots';
import { User } from '../../src/db/entities';
import { logger } from '../../src/logger';
import { RequestValidationError } from '../../src/requests/new-request';
import { InvalidRecurrenceError } from '../../src/series/recurrence';
import type { BookingClient, BookingTarget } from '../../src/temporal/booking-client';
import { cancelledSummary, earliest, readRule, sentence, sessionIn, sessionsNoun } from '../../src/notifications/series-text';
import { formatDay, formatInstant, formatRange } from '../core/format';
import { privateReply, reply, type Reply } from '../core/replies';
import { redeemLinkCode } from '../../src/identity/link-codes';
import { issueCalendarFeedUrl, revokeCalendarFeedUrl } from '../../src/calendar/chat-links';
import { calendarWording } from '../../src/domain/calendar/wording';
import type { ChatUser } from '../identity/chat-user';
import { NoCreditError } from '../../src/domain/credits/errors';
import { ERROR_CODES } from '../../src/domain/errors';
import { PolicyRefusalError, policyWording } from '../../src/domain/policy';
import { slotsOf } from './publish';
import { withdrawButton } from './withdraw';
import { savePolicy } from '../../src/policy';
import { policyView } from './policy-settings';
import { runTimeOff } from './time-off-effect';
import type { BookingRef, Effect, EffectEvent } from './step-result';
import type { BookingSummary } from '../../workflows/contract';
import { runCreditEffect } from './credits/effects';
import type { ChatCredits } from './credits/port';
import { creditChatWording } from '../../src/domain/credits/wording';

/**
 * The booking operations the chat may ask for; all of them go through the workflow (a pack's
 * payment starts the pack's workflow: its reminder and expiry).
 */
export type BookingOperations = Pick<BookingClient, 'startRequest' | 'decide' | 'cancel' | 'cancelSeries' | 'reschedule' | 'recordOutcome' | 'withdraw' | 'availabilityChanged' | 'recordPayment'>;

/** The workflow that owns the booking: its request's, or for an occurrence of a series its own. */
export function targetOf(ref: BookingRef): BookingTarget {
  return ref.seriesId !== undefined && ref.seriesId !== null && ref.bookingId !== undefined ? { bookingRequestId: ref.bookingRequestId, bookingId: ref.bookingId, seriesId: ref.seriesId } : ref.bookingRequestId;
}

export interface EffectDeps {
  orm: MikroORM;
  /** Where links to the API point (PUBLIC_BASE_URL): calendar feeds. */
  publicBaseUrl: string;
  bookings: BookingOperations;
  /** Packs, payments and credits (the ledger behind the engine's port). */
  credits: ChatCredits;
  now: () => Date;
}

export interface EffectOutcome {
  replies: Reply[];
  followUp?: EffectEvent;
}

async function runStartRequest(effect: Extract<Effect, { type: 'start-request' }>, deps: EffectDeps): Promise<EffectOutcome> {
  try {
    const started = await deps.bookings.startRequest(effect.request);
    return {
      // "Sent!" is a statement (Slack and Discord show it on the pressed summary); the Withdraw button follows it.
      replies: [
        reply(`Sent! ${effect.trainerName} has your request #${started.bookingRequestId} and 24 hours to answer; I'll tell you here.`),
        reply({ text: `Changed your mind? You can withdraw request #${started.bookingRequestId} until ${effect.trainerName} answers.`, actions: [withdrawButton(started.bookingRequestId)] }),
      ],
      followUp: { type: 'request-started', nonce: effect.nonce, bookingRequestId: started.bookingRequestId },
    };
  } catch (error) {
    if (error instanceof RequestValidationError) return { replies: [], followUp: { type: 'request-refused', nonce: effect.nonce, field: error.field, message: error.message } };
    // A series the domain cannot book as asked (no session before its end, more than 52): its first sentence, its field under recurrence.
    if (error instanceof InvalidRecurrenceError) {
      return { replies: [], followUp: { type: 'request-refused', nonce: effect.nonce, field: `recurrence.${error.field}`, message: error.problems[0]?.sentence ?? error.message } };
    }
    // The trainer's policy at the door (notice, horizon, limits): its one sentence; start_time → startTime.
    if (error instanceof NoCreditError) return { replies: [], followUp: { type: 'request-refused', nonce: effect.nonce, field: '', message: error.sentence } };
    if (error instanceof PolicyRefusalError) {
      const field = (error.field ?? '').replace(/_([a-z])/g, (_match: string, letter: string) => letter.toUpperCase());
      return { replies: [], followUp: { type: 'request-refused', nonce: effect.nonce, field, message: error.refusal.sentence } };
    }
    logger.error({ err: error }, 'could not start a booking request from chat');
    return { replies: [], followUp: { type: 'request-refused', nonce: effect.nonce, field: '', message: "I couldn't send the request just now; please press Confirm again in a moment." } };
  }
}

/** " (uses 1 credit, 4 left)" for approved bookings paid from a pack ("uses 10 credits, 2 left" for a series); '' when none is. */
function creditsUsed(bookings: readonly BookingSummary[]): string {
  const paid = bookings.filter((booking) => booking.credit);
  return paid.length === 0 ? '' : ` (${creditChatWording.held(paid.length, Math.min(...paid.map((booking) => booking.credit!.left)))})`;
}

async function runDecide(effect: Extract<Effect, { type: 'decide' }>, deps: EffectDeps, me: ChatUser): Promise<EffectOutcome> {
  const zone = me.trainerTimeZone ?? 'UTC';
  const outcome = await deps.bookings.decide(effect.bookingRequestId, effect.decision, effect.requestKey);
  switch (outcome.result) {
    case 'refused':
      return { replies: [privateReply(outcome.message)] };
    case 'approved': {
      const lead = outcome.duplicate ? 'Already approved' : 'Approved';
      const series = outcome.series;
      const first = series ? earliest(series.booked) : undefined;
      if (series && first) {
        const skipped = series.skipped.length > 0 ? `, ${series.skipped.length} ${series.skipped.length === 1 ? 'date' : 'dates'} skipped` : '';
        const noun = sessionsNoun(series.booked.length, readRule(series.rrule)?.interval ?? 1);
        return { replies: [reply(`${lead}: ${effect.clientName}, ${noun} from ${sessionIn(first.startTime, zone)} (${zone})${skipped}${creditsUsed(series.booked)}. ${effect.clientName} has been told.`)] };
      }
      const credit = creditsUsed([outcome.booking]);
      return { replies: [reply(`${lead}: ${effect.clientName}, ${formatRange(outcome.booking.startTime, outcome.booking.endTime, zone)}${credit}. ${effect.clientName} has been told.`)] };
    }
    case 'rejected':
      return { replies: [reply(`${outcome.duplicate ? 'Already rejected' : 'Rejected'}; ${effect.clientName} has been told why.`)] };
    case 'conflict':
      // The client has no credit that fits (the trainer requires one): that sentence alone; the request keeps waiting.
      if (outcome.code === ERROR_CODES.creditNone) return { replies: [reply(outcome.message)] };
      // Refused by the policy (the option came inside the notice, or breaks the buffers): its sentence; fresh options follow.
      if (outcome.code) return { replies: [reply(`${outcome.message} I have sent you the free options as they are now.`)] };
      return { replies: [reply('That slot was just taken by another booking; I have sent you the free options as they are now.')] };
    case 'closed':
      return { replies: [privateReply(`This request is already ${outcome.status.toLowerCase()}.`)] };
  }
}

async function runPublish(effect: Extract<Effect, { type: 'publish-availability' }>, deps: EffectDeps): Promise<EffectOutcome> {
  const slots = slotsOf(effect.availability, effect.zone, deps.now());
  try {
    const published = await publishSlots(deps.orm.em.fork(), effect.trainerId, slots);
    const a = effect.availability;
    await tellPendingRequests(deps, effect.trainerId, 'published');
    return { replies: [reply(`Published ${published.length} slots between ${formatDay(a.fromDate)} and ${formatDay(a.toDate)}; clients can book them now.`)] };
  } catch (error) {
    if (error instanceof SlotOverlapError) {
      const first = error.overlaps[0];
      const where = first ? ` (the first at ${formatInstant(first.slot.startTime, effect.zone)})` : '';
      return { replies: [reply(`Some of those times overlap slots you already published${where}, so nothing was published; please choose other days or hours.`)] };
    }
    if (error instanceof TrainerNotFoundError) return { replies: [privateReply('Only trainers can publish availability.')] };
    throw error;
  }
}

/** Pending requests of the trainer re-rank their options; never fails the change and waits for it only briefly. */
async function tellPendingRequests(deps: EffectDeps, trainerId: number, reason: 'published' | 'removed'): Promise<void> {
  await announceAvailabilityChange(deps.bookings, { trainerId, reason });
}

async function runWithdraw(effect: Extract<Effect, { type: 'withdraw-request' }>, deps: EffectDeps): Promise<EffectOutcome> {
  const outcome = await deps.bookings.withdraw(effect.bookingRequestId, { actor: { role: 'CLIENT', userId: effect.userId }, reason: 'Withdrawn in chat by the client' }, effect.requestKey);
  switch (outcome.result) {
    case 'refused':
      return { replies: [privateReply(outcome.message)] };
    case 'withdrawn':
      return { replies: [reply(`Request #${effect.bookingRequestId} ${outcome.duplicate ? 'is already withdrawn' : 'withdrawn'}; ${effect.trainerName} was told.`)] };
    case 'closed':
      return { replies: [privateReply(`Request #${effect.bookingRequestId} is already ${outcome.status.toLowerCase().replace(/_/g, ' ')}, so there is nothing to withdraw.`)] };
  }
}

/** "This and all following": one sentence on how many sessions from when, and a late cancellation's note. */
async function runCancelSeries(effect: Extract<Effect, { type: 'cancel-series' }>, deps: EffectDeps): Promise<EffectOutcome> {
  const command = { actor: effect.actor, fromBookingId: effect.fromBookingId, reason: `Cancelled in chat by the ${effect.actor.role.toLowerCase()}` };
  const outcome = await deps.bookings.cancelSeries(effect.bookingRequestId, command, effect.requestKey);
  if (outcome.result === 'refused') return { replies: [privateReply(outcome.message)] };
  if (outcome.result === 'conflict') return { replies: [reply(outcome.message)] };
  const summary = sentence(cancelledSummary(outcome.cancelled, effect.zone));
  const late = outcome.cancelled.some((booking) => booking.status === 'LATE_CANCELLED');
  return { replies: [reply(`${outcome.duplicate ? 'Already done: ' : ''}${summary}${late ? '. Both of you get a note.' : '; both of you get a note.'}`)] };
}

/** Runs one write the dialogue asked for, and says how it went. */
export async function runEffect(effect: Effect, deps: EffectDeps, me: ChatUser): Promise<EffectOutcome> {
  switch (effect.type) {
    case 'start-request':
      return runStartRequest(effect, deps);
    case 'decide':
      return runDecide(effect, deps, me);
    case 'cancel-booking': {
      const outcome = await deps.bookings.cancel(targetOf(effect), { actor: effect.actor, reason: `Cancelled in chat by the ${effect.actor.role.toLowerCase()}` }, effect.requestKey);
      if (outcome.result === 'refused') return { replies: [privateReply(outcome.message)] };
      if (outcome.result === 'conflict') return { replies: [reply(outcome.message)] };
      if (outcome.late) return { replies: [reply(`Booking #${outcome.booking.bookingId}: ${policyWording.lateCancelled()} Both of you get a note.`)] };
      return { replies: [reply(`Booking #${outcome.booking.bookingId} is cancelled; both of you get a note.`)] };
    }
    case 'cancel-series':
      return runCancelSeries(effect, deps);
    case 'reschedule-booking': {
      const outcome = await deps.bookings.reschedule(targetOf(effect), { actor: effect.actor, newStartTime: effect.newStartTime }, effect.requestKey);
      if (outcome.result === 'refused') return { replies: [privateReply(outcome.message)] };
      // Refused by the policy at the reservation's own clock (e.g. the client already has a session then): its sentence.
      if (outcome.result === 'conflict' && outcome.code) return { replies: [privateReply(`${outcome.message} Booking #${outcome.booking.bookingId} stays as it was.`)] };
      if (outcome.result === 'conflict') return { replies: [reply(`That time was just taken, so booking #${outcome.booking.bookingId} stays as it was; write "reschedule ${outcome.booking.bookingId}" to pick another.`)] };
      return { replies: [reply(`Moved: booking #${outcome.booking.bookingId} is now ${formatRange(outcome.booking.startTime, outcome.booking.endTime, effect.zone)}.`)] };
    }
    case 'record-outcome': {
      const outcome = await deps.bookings.recordOutcome(targetOf(effect), effect.command);
      if ('result' in outcome) return { replies: [privateReply(outcome.message)] };
      return { replies: [reply(`Recorded booking #${outcome.bookingId} as ${outcome.status === 'COMPLETED' ? 'completed' : 'a no-show'}.`)] };
    }
    case 'publish-availability':
      return runPublish(effect, deps);
    case 'set-time-zone': {
      const em = deps.orm.em.fork();
      await em.nativeUpdate(User, { id: effect.userId }, { timeZone: effect.timeZone });
      return { replies: [reply(`Your time zone is now ${effect.timeZone}; I'll show times and read dates in it.`)] };
    }
    case 'withdraw-request':
      return runWithdraw(effect, deps);
    case 'time-off': {
      const { outcome, removed } = await runTimeOff(effect, deps.orm);
      if (removed > 0) await tellPendingRequests(deps, effect.trainerId, 'removed');
      return outcome;
    }
    case 'save-policy':
      try {
        const saved = await savePolicy(deps.orm.em.fork(), effect.trainerId, effect.patch);
        return { replies: [reply(policyView(saved.policy, policyWording.settingsSaved()))] };
      } catch (error) {
        if (error instanceof PolicyRefusalError) return { replies: [privateReply(error.refusal.sentence)] };
        throw error;
      }
    case 'record-payment':
    case 'create-pack':
    case 'stop-pack':
      return runCreditEffect(effect, deps.credits);
    case 'calendar-feed': {
      const em = deps.orm.em.fork();
      // A secret: only the person who asked sees it.
      if (!effect.revoke) return { replies: [privateReply(calendarWording.feedIssued(await issueCalendarFeedUrl(em, effect.userId, deps.publicBaseUrl)))] };
      return { replies: [privateReply(calendarWording.feedRevoked((await revokeCalendarFeedUrl(em, effect.userId)) ? 1 : 0))] };
    }
    case 'link-account': {
      const outcome = await redeemLinkCode(deps.orm, effect.identityId, effect.code, deps.now());
      return { replies: [outcome.linked ? reply(`Linked: this chat account now acts as ${outcome.fullName}.`) : privateReply(outcome.message)] };
    }
  }
}
