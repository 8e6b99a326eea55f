import { DateTime } from 'luxon';
import { formatDay, formatInstant, formatRange } from '../core/format';
import type { Action, Button, MessageField } from '../core/messages';
import { privateReply, reply, type Reply } from '../core/replies';
import { yesOrNo } from './answers';
import type { DialogueEvent, FlowStep } from './step-result';
import { parseDayText } from '../parsing/day';
import { parsePreferenceText } from '../parsing/preferences';
import { minutesOfBlock } from '../parsing/clock';
import type { Actor } from '../../workflows/contract';
import { ACTIONS, flowValue } from './action-ids';
import type { BookingInfo, DialogueContext } from './dialogue-context';
import { newNonce, type CancelFlow, type RescheduleFlow } from './state';
import { withdrawButton } from './withdraw';
import { checkClientReschedule, decideClientCancel, isPolicyRefusal, policyWording } from '../../src/domain/policy';
import { partOfSeries } from '../../src/notifications/series-text';
import type { BookingRef } from './step-result';

const NOT_YOURS = "That booking isn't one of yours, or it no longer exists.";
const MAX_LISTED = 5;
const CANCEL_WORDS = { yes: ['cancel it', 'yes cancel', 'yes, cancel', 'yes cancel it', 'yes, cancel it'], no: ['keep', 'keep it'] };
// For an occurrence of a series: which sessions (compared without case and punctuation).
const THIS_SESSION = ['this session', 'this one', 'only this', 'only this one', 'only this session', 'just this', 'just this one', 'just this session', 'this'];
const ALL_FOLLOWING = ['this and all following', 'all following', 'and all following', 'this and following', 'all', 'all of them', 'the rest', 'this and the rest', 'all following sessions'];
const said = (text: string, phrases: readonly string[]): boolean => phrases.includes(text.toLowerCase().replace(/[^a-z ]/g, ' ').replace(/\s+/g, ' ').trim());

type SeriesBooking = BookingInfo & { seriesId: number };
const inSeries = (booking: BookingInfo): booking is SeriesBooking => booking.seriesId !== null;

/** The booking a change is for; an occurrence of a series names its booking and series too (its own workflow). */
function refOf(booking: BookingInfo): BookingRef {
  return booking.seriesId === null ? { bookingRequestId: booking.bookingRequestId } : { bookingRequestId: booking.bookingRequestId, bookingId: booking.bookingId, seriesId: booking.seriesId };
}

/** Upcoming bookings and open requests, mine only, with Cancel and Reschedule buttons. */
export async function listBookings(context: DialogueContext): Promise<FlowStep> {
  const [bookings, requests] = await Promise.all([context.myBookings(), context.myPendingRequests()]);
  if (bookings.length === 0 && requests.length === 0) {
    return { replies: [reply({ text: 'You have no upcoming bookings or open requests. Write "book" to make one.', actions: [{ kind: 'button', id: ACTIONS.menu, value: 'book', label: 'Book a session', style: 'primary' }] })], effects: [] };
  }
  const fields: MessageField[] = [];
  const actions: Action[] = [];
  for (const booking of bookings) {
    const asTrainer = booking.trainerId === context.me.trainerId;
    const zone = asTrainer ? booking.trainerTimeZone : context.me.timeZone ?? booking.trainerTimeZone;
    const series = booking.seriesId === null ? '' : ` · ${partOfSeries(booking.seriesRule, booking.startTime, zone)}`;
    fields.push({
      label: `Booking #${booking.bookingId}`,
      value: `${booking.sessionType} ${asTrainer ? `for ${booking.clientName}` : `with ${booking.trainerName}`}, ${formatRange(booking.startTime, booking.endTime, zone)}${series}`,
    });
    if (actions.length < MAX_LISTED * 2) {
      actions.push({ kind: 'button', id: ACTIONS.rescheduleBooking, value: String(booking.bookingId), label: `Reschedule #${booking.bookingId}` });
      actions.push({ kind: 'button', id: ACTIONS.cancelBooking, value: String(booking.bookingId), label: `Cancel #${booking.bookingId}`, style: 'danger' });
    }
  }
  for (const request of requests) {
    const asTrainer = request.trainerId === context.me.trainerId;
    fields.push({
      label: `Request #${request.bookingRequestId} (waiting)`,
      value: `${request.sessionType} ${asTrainer ? `from ${request.clientName}` : `with ${request.trainerName}`}, answer due ${formatInstant(request.expiresAt, context.zoneFor())}`,
    });
    if (request.clientUserId === context.me.userId && actions.length < MAX_LISTED * 3) actions.push(withdrawButton(request.bookingRequestId));
  }
  return { replies: [reply({ text: 'Here is what you have coming up:', fields, actions })], effects: [] };
}

function actorFor(booking: BookingInfo, context: DialogueContext): Actor {
  return booking.trainerId === context.me.trainerId ? { role: 'TRAINER', trainerId: booking.trainerId } : { role: 'CLIENT', userId: context.me.userId };
}

const zoneOf = (booking: BookingInfo, context: DialogueContext): string => (booking.trainerId === context.me.trainerId ? booking.trainerTimeZone : context.me.timeZone ?? booking.trainerTimeZone);

/** "Cancel #12": asks to confirm first; only the booking's client or trainer gets that far. */
export async function startCancel(bookingId: number, context: DialogueContext): Promise<FlowStep> {
  const booking = await context.myBooking(bookingId);
  if (!booking || booking.status !== 'CONFIRMED') return { replies: [privateReply(NOT_YOURS)], effects: [] };
  // A client reads the consequence before confirming: refused once started, late inside the cutoff.
  let warning = '';
  if (actorFor(booking, context).role === 'CLIENT') {
    const verdict = decideClientCancel(await context.policy(booking.trainerId), booking.startTime, context.now);
    if (isPolicyRefusal(verdict)) return { replies: [privateReply(verdict.sentence)], effects: [] };
    if (verdict === 'late') warning = ` ${policyWording.lateCancelWarning(await context.policy(booking.trainerId))}`;
  }
  const flow: CancelFlow = { kind: 'cancel', nonce: newNonce(), bookingId };
  if (inSeries(booking)) return { flow, replies: [await seriesCancelQuestion(flow, booking, context, warning)], effects: [] };
  return {
    flow,
    replies: [
      reply({
        text: `Cancel ${booking.sessionType} on ${formatRange(booking.startTime, booking.endTime, zoneOf(booking, context))}?${warning}`,
        actions: [
          { kind: 'button', id: ACTIONS.cancelConfirm, value: flow.nonce, label: 'Yes, cancel it', style: 'danger' },
          { kind: 'button', id: ACTIONS.keep, value: flow.nonce, label: 'Keep it' },
        ],
      }),
    ],
    effects: [],
  };
}

/**
 * An occurrence of a series: cancel only this session (its own workflow), or it and every
 * later one (the series request's workflow), or keep it.
 */
async function seriesCancelQuestion(flow: CancelFlow, booking: SeriesBooking, context: DialogueContext, warning: string): Promise<Reply> {
  const zone = zoneOf(booking, context);
  const following = (await context.mySeriesBookings(booking.seriesId)).filter((b) => b.startTime.getTime() > booking.startTime.getTime()).length;
  const rest = following === 0 ? 'it is the last one booked' : following === 1 ? '1 more session follows' : `${following} more sessions follow`;
  return reply({
    text: `Cancel ${booking.sessionType} on ${formatRange(booking.startTime, booking.endTime, zone)}? It is ${partOfSeries(booking.seriesRule, booking.startTime, zone)} and ${rest}: cancel only this session, or this and all following.${warning}`,
    actions: [
      { kind: 'button', id: ACTIONS.cancelConfirm, value: flow.nonce, label: 'This session', style: 'danger' },
      { kind: 'button', id: ACTIONS.cancelFollowing, value: flow.nonce, label: following === 0 ? 'This and all following' : `This and all following (${following + 1})`, style: 'danger' },
      { kind: 'button', id: ACTIONS.keep, value: flow.nonce, label: 'Keep it' },
    ],
  });
}

/** One cancel per press, or per dialogue when confirmed by text. */
const cancelKey = (event: DialogueEvent, flow: CancelFlow, scope: string): string =>
  event.type === 'action' ? `${event.from.platform}:${scope}:${event.pressId}` : `chat:${scope}:${flow.nonce}`;

function seriesCancelStep(flow: CancelFlow, booking: SeriesBooking, event: DialogueEvent, context: DialogueContext): FlowStep {
  const text = event.type === 'text' ? event.text : '';
  const kept = (event.type === 'action' && event.actionId === ACTIONS.keep) || (event.type === 'text' && yesOrNo(text, CANCEL_WORDS) === 'no');
  if (kept) return { flow: null, replies: [reply('OK, the booking stays as it is.')], effects: [] };
  const one = (event.type === 'action' && event.actionId === ACTIONS.cancelConfirm) || said(text, THIS_SESSION);
  const all = (event.type === 'action' && event.actionId === ACTIONS.cancelFollowing) || said(text, ALL_FOLLOWING);
  if (one) return { flow: null, replies: [], effects: [{ type: 'cancel-booking', ...refOf(booking), actor: actorFor(booking, context), requestKey: cancelKey(event, flow, 'cancel') }] };
  if (all) {
    return {
      flow: null,
      replies: [],
      effects: [{ type: 'cancel-series', bookingRequestId: booking.bookingRequestId, fromBookingId: booking.bookingId, actor: actorFor(booking, context), requestKey: cancelKey(event, flow, 'cancel-series'), zone: zoneOf(booking, context) }],
    };
  }
  return { flow, replies: [reply('Please answer "this session", "all following", or "keep" to keep the booking.')], effects: [] };
}

export async function cancelStep(flow: CancelFlow, event: DialogueEvent, context: DialogueContext): Promise<FlowStep> {
  const current = await context.myBooking(flow.bookingId);
  if (current && inSeries(current)) {
    if (current.status !== 'CONFIRMED') return { flow: null, replies: [privateReply(NOT_YOURS)], effects: [] };
    return seriesCancelStep(flow, current, event, context);
  }
  const confirmed = (event.type === 'action' && event.actionId === ACTIONS.cancelConfirm) || (event.type === 'text' && yesOrNo(event.text, CANCEL_WORDS) === 'yes');
  const kept = (event.type === 'action' && event.actionId === ACTIONS.keep) || (event.type === 'text' && yesOrNo(event.text, CANCEL_WORDS) === 'no');
  if (kept) return { flow: null, replies: [reply('OK, the booking stays as it is.')], effects: [] };
  if (!confirmed) return { flow, replies: [reply('Please answer "yes" to cancel the booking or "no" to keep it.')], effects: [] };
  if (!current) return { flow: null, replies: [privateReply(NOT_YOURS)], effects: [] };
  return { flow: null, replies: [], effects: [{ type: 'cancel-booking', ...refOf(current), actor: actorFor(current, context), requestKey: cancelKey(event, flow, 'cancel') }] };
}

async function dayPrompt(flow: RescheduleFlow, booking: BookingInfo, context: DialogueContext, lead?: string): Promise<Reply> {
  const zone = zoneOf(booking, context);
  const days = await context.daysWithFreeStarts(booking.trainerId, booking.durationMinutes, zone, MAX_LISTED);
  return reply({
    text: lead ?? `To which day should booking #${booking.bookingId} move? Pick one, or write a day and time like "Friday at 10".`,
    actions: [
      ...days.map((day): Button => ({ kind: 'button', id: ACTIONS.rescheduleDay, value: `${flow.nonce}.${day}`, label: formatDay(day) })),
      { kind: 'date', id: ACTIONS.rescheduleDay, placeholder: 'Pick a date', valuePrefix: `${flow.nonce}.` },
      { kind: 'button', id: ACTIONS.keep, value: flow.nonce, label: 'Keep it as it is' },
    ],
  });
}

async function slotPrompt(flow: RescheduleFlow & { day: string }, booking: BookingInfo, context: DialogueContext): Promise<Reply> {
  const zone = zoneOf(booking, context);
  const starts = await context.freeStarts(booking.trainerId, flow.day, booking.durationMinutes, zone);
  if (starts.length === 0) return dayPrompt(flow, booking, context, `There are no free ${booking.durationMinutes}-minute times on ${formatDay(flow.day)}; please pick another day.`);
  const options = starts.map((iso) => ({ label: DateTime.fromISO(iso, { zone }).toFormat('HH:mm'), value: `${flow.nonce}.${iso}` }));
  const picks: Action[] =
    options.length <= MAX_LISTED
      ? options.map((o): Button => ({ kind: 'button', id: ACTIONS.rescheduleSlot, value: o.value, label: o.label }))
      : [{ kind: 'select', id: ACTIONS.rescheduleSlot, placeholder: 'New start time', options: options.slice(0, 25) }];
  return reply({ text: `Free start times on ${formatDay(flow.day)} (${zone}):`, actions: [...picks, { kind: 'date', id: ACTIONS.rescheduleDay, placeholder: 'Another day', valuePrefix: `${flow.nonce}.` }] });
}

export async function startReschedule(bookingId: number, context: DialogueContext): Promise<FlowStep> {
  const booking = await context.myBooking(bookingId);
  if (!booking || booking.status !== 'CONFIRMED') return { replies: [privateReply(NOT_YOURS)], effects: [] };
  // A client cannot move a session that has started or starts inside the cutoff: say so before asking for a day.
  if (actorFor(booking, context).role === 'CLIENT') {
    const refusal = checkClientReschedule(await context.policy(booking.trainerId), booking.startTime, booking.startTime, context.now);
    if (refusal && (refusal.code === 'policy_started' || refusal.code === 'policy_cutoff_reschedule')) return { replies: [privateReply(refusal.sentence)], effects: [] };
  }
  const flow: RescheduleFlow = { kind: 'reschedule', nonce: newNonce(), bookingId };
  return { flow, replies: [await dayPrompt(flow, booking, context)], effects: [] };
}

function moveTo(flow: RescheduleFlow, booking: BookingInfo, startIso: string, key: string, context: DialogueContext): FlowStep {
  return {
    flow: null,
    replies: [],
    effects: [{ type: 'reschedule-booking', ...refOf(booking), actor: actorFor(booking, context), newStartTime: startIso, requestKey: key, zone: zoneOf(booking, context) }],
  };
}

export async function rescheduleStep(flow: RescheduleFlow, event: DialogueEvent, context: DialogueContext): Promise<FlowStep> {
  const booking = await context.myBooking(flow.bookingId);
  if (!booking || booking.status !== 'CONFIRMED') return { flow: null, replies: [privateReply(NOT_YOURS)], effects: [] };
  const zone = zoneOf(booking, context);
  if (event.type === 'action') {
    const { rest } = flowValue(event.value);
    if (event.actionId === ACTIONS.keep) return { flow: null, replies: [reply('OK, the booking stays as it is.')], effects: [] };
    if (event.actionId === ACTIONS.rescheduleDay && /^\d{4}-\d{2}-\d{2}$/.test(rest)) {
      const next = { ...flow, day: rest };
      return { flow: next, replies: [await slotPrompt(next, booking, context)], effects: [] };
    }
    if (event.actionId === ACTIONS.rescheduleSlot && flow.day) {
      const starts = await context.freeStarts(booking.trainerId, flow.day, booking.durationMinutes, zone);
      if (!starts.includes(rest)) return { flow, replies: [await slotPrompt({ ...flow, day: flow.day }, booking, context)], effects: [] };
      return moveTo(flow, booking, rest, `${event.from.platform}:move:${event.pressId}`, context);
    }
    return { flow, replies: [await dayPrompt(flow, booking, context, 'That choice is no longer valid; please choose again.')], effects: [] };
  }
  if (event.type !== 'text') return { flow, replies: [], effects: [] };
  const text = event.text.trim();
  if (yesOrNo(text, CANCEL_WORDS) === 'no') return { flow: null, replies: [reply('OK, the booking stays as it is.')], effects: [] };
  const parsed = parseDayText(text, { now: context.now, timeZone: zone });
  let day = parsed.day;
  let minute = parsed.startMinute;
  if (!day && flow.day) {
    const times = parsePreferenceText(text, { now: context.now, timeZone: zone });
    if (times.preferredTimes.length === 1 && !times.dateRange) [day, minute] = [flow.day, minutesOfBlock(times.preferredTimes[0]!)[0]];
  }
  if (!day) return { flow, replies: [await dayPrompt(flow, booking, context, parsed.problems[0]?.message)], effects: [] };
  const next = { ...flow, day };
  if (minute === undefined) return { flow: next, replies: [await slotPrompt(next, booking, context)], effects: [] };
  const starts = await context.freeStarts(booking.trainerId, day, booking.durationMinutes, zone);
  const start = starts.find((iso) => {
    const local = DateTime.fromISO(iso, { zone });
    return local.hour * 60 + local.minute === minute;
  });
  if (!start) return { flow: next, replies: [await slotPrompt(next, booking, context)], effects: [] };
  return moveTo(next, booking, start, `${event.from.platform}:move:${flow.nonce}:${start}`, context);
}
