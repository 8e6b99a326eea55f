import type { Notification } from '../../src/notifications/notification';
import {
  approveSeriesLabel,
  cancelledSummary,
  datesWithReasons,
  earliest,
  MAX_LISTED_DATES,
  MAX_LISTED_SESSIONS,
  readRule,
  repeatsWanted,
  seriesOptionLines,
  sessionIn,
  sessionList,
  sessionsNoun,
} from '../../src/notifications/series-text';
import type { BookingSummary, SeriesOptionDetail, SeriesSummary, SlotOption } from '../../workflows/contract';
import { creditChatWording } from '../../src/domain/credits/wording';
import { formatBlock, formatDay, formatDuration, formatInstant, formatMoney, formatRange } from '../core/format';
import type { Action, Button, MessageField, OutgoingMessage } from '../core/messages';
import { ACTIONS } from '../engine/action-ids';
import type { NotificationView } from './notification-view';

function wants(view: NotificationView): string {
  if (view.startTime) return `exactly ${formatRange(view.startTime, new Date(view.startTime.getTime() + view.durationMinutes * 60_000), view.trainerTimeZone)}`;
  const p = view.preferences;
  if (!p) return 'no preferences given';
  const parts = [p.startDate === p.endDate ? formatDay(p.startDate) : `${formatDay(p.startDate)} – ${formatDay(p.endDate)}`];
  if (p.preferredTimes.length > 0) parts.push(`prefers ${p.preferredTimes.map(formatBlock).join(' or ')}`);
  if (p.avoidTimes.length > 0) parts.push(`avoids ${p.avoidTimes.map(formatBlock).join(' and ')}`);
  parts.push(p.allowWeekends ? 'weekends fine' : 'no weekends', p.allowEvenings ? 'evenings fine' : 'no evenings');
  return `${parts.join('; ')} (${view.requestTimeZone})`;
}

function requestFields(view: NotificationView): MessageField[] {
  return [
    { label: 'Client', value: view.clientName },
    { label: 'Session', value: `${view.sessionType}, ${formatDuration(view.durationMinutes)}` },
    ...(view.location ? [{ label: 'Location', value: view.location }] : []),
    { label: 'Wants', value: wants(view) },
    ...(view.recurrence ? [{ label: 'Repeats', value: repeatsWanted(view.recurrence) }] : []),
    ...(view.specialRequests ? [{ label: 'Notes', value: view.specialRequests }] : []),
  ];
}

/** "Tue 1 Dec, 10:00–11:30 (Europe/Berlin) · score 90 (date 50, time 40, avoid 0, bonus 0)". */
export function describeOption(option: SlotOption, zone: string): string {
  const b = option.breakdown;
  const review = option.requiresManualReview ? ' ⚠ low match: manual review recommended' : '';
  return `${formatRange(option.slotStart, option.slotEnd, zone)} · score ${option.totalScore} (date ${b.dateMatch}, time ${b.timeOfDayMatch}, avoid ${b.avoidTimePenalty}, bonus ${b.weekendEveningBonus})${review}`;
}

type SeriesOption = SlotOption & { series: SeriesOptionDetail };
const isSeriesOption = (option: SlotOption): option is SeriesOption => option.series !== undefined;

/** One option's field: a single slot on one line, a weekly time of a series on several. */
function optionField(option: SlotOption, index: number, zone: string): MessageField {
  const value = isSeriesOption(option) ? seriesOptionLines(option, zone, MAX_LISTED_DATES).join('\n') : describeOption(option, zone);
  return { label: `Option ${index + 1}`, value };
}

function approveLabel(option: SlotOption, zone: string): string {
  return isSeriesOption(option) ? approveSeriesLabel(option, zone) : `Approve ${formatInstant(option.slotStart, zone)}`;
}

/** The trainer's request message: the ranked slots (or weekly times of a series) as Approve buttons, plus Reject. */
function optionsMessage(notification: Notification, view: NotificationView): OutgoingMessage {
  const zone = view.trainerTimeZone;
  const options = notification.options ?? [];
  const id = notification.bookingRequestId;
  const reject: Button = { kind: 'button', id: ACTIONS.reject, value: String(id), label: 'Reject', style: 'danger' };
  const deadline = notification.expiresAt ? [{ label: 'Answer by', value: formatInstant(notification.expiresAt, zone) }] : [];
  if (options.length === 0) {
    return {
      text: `Booking request #${id} from ${view.clientName}: no free slots fit it yet; publish more availability or reject it.`,
      fields: [...requestFields(view), ...deadline],
      actions: [reject],
    };
  }
  const series = options.some(isSeriesOption);
  const lead =
    notification.kind === 'request.slot-taken'
      ? `${series ? 'A session of that weekly time' : 'That slot'} was just taken. Current best options for request #${id} from ${view.clientName}:`
      : series
        ? `New weekly series request #${id} from ${view.clientName}: approve one of the weekly times, or reject.`
        : `New booking request #${id} from ${view.clientName}: approve one of the best-matching slots, or reject.`;
  return {
    text: lead,
    fields: [...requestFields(view), ...deadline, ...options.map((option, i) => optionField(option, i, zone))],
    actions: [
      ...options.map((option): Action => ({ kind: 'button', id: ACTIONS.approve, value: `${id}.${option.slotId}`, label: approveLabel(option, zone), style: option.requiresManualReview ? 'default' : 'primary' })),
      reject,
    ],
  };
}

/** The trainer's request message once decided: the outcome, and no buttons. */
export function closedOptionsMessage(notification: Notification, view: NotificationView): OutgoingMessage {
  const id = notification.bookingRequestId;
  const zone = view.trainerTimeZone;
  const fields = requestFields(view);
  switch (notification.kind) {
    case 'request.approved':
      if (notification.series) return { text: `Request #${id} from ${view.clientName}: approved as ${seriesBooked(notification.series, zone)}.`, fields };
      return { text: `Request #${id} from ${view.clientName}: approved for ${notification.booking ? formatRange(notification.booking.startTime, notification.booking.endTime, zone) : 'the chosen slot'}.`, fields };
    case 'request.rejected':
      return { text: `Request #${id} from ${view.clientName}: rejected (${notification.reason ?? 'no reason'}).`, fields };
    case 'request.expired':
      return { text: `Request #${id} from ${view.clientName}: expired without an answer.`, fields };
    case 'request.withdrawn':
      return { text: `Request #${id} from ${view.clientName}: withdrawn by the client.`, fields };
    default:
      return { text: `Request #${id} from ${view.clientName}: these options are out of date; see the newer message.`, fields };
  }
}

const intervalOf = (series: SeriesSummary): number => readRule(series.rrule)?.interval ?? 1;

/** "10 weekly sessions from Tue 8 Dec 18:00 (Europe/Berlin)", and how many dates were skipped. */
function seriesBooked(series: SeriesSummary, zone: string): string {
  const first = earliest(series.booked);
  const skipped = series.skipped.length > 0 ? `, ${series.skipped.length} ${series.skipped.length === 1 ? 'date' : 'dates'} skipped` : '';
  return `${sessionsNoun(series.booked.length, intervalOf(series))}${first ? ` from ${sessionIn(first.startTime, zone)} (${zone})` : ''}${skipped}`;
}

/**
 * A confirmed series for either side: "Booked: 10 weekly sessions of Strength Training with
 * Jamie Lee (Europe/Berlin): Tue 8 Dec 18:00, …, total 1200.00.", the skipped dates with why
 * (available dates only), and a way to the bookings.
 */
function seriesApproved(lead: 'Booked' | 'Confirmed', series: SeriesSummary, view: NotificationView, zone: string, withWhom: string): OutgoingMessage {
  const total = series.booked.reduce((sum, booking) => sum + booking.totalCost, 0);
  const noun = sessionsNoun(series.booked.length, intervalOf(series));
  const credits = creditsHeld(series.booked);
  const fields: MessageField[] = [
    ...(credits ? [{ label: 'Credits', value: credits }] : []),
    ...(series.skipped.length > 0 ? [{ label: `Skipped (${series.skipped.length})`, value: datesWithReasons(series.skipped, zone, MAX_LISTED_DATES) }] : []),
  ];
  return {
    text: `${lead}: ${noun} of ${view.sessionType} ${withWhom} (${zone}): ${sessionList(series.booked, zone, MAX_LISTED_SESSIONS)}, total ${formatMoney(total)}.`,
    ...(fields.length > 0 ? { fields } : {}),
    actions: [myBookings],
  };
}

/**
 * The pack credits approved bookings hold (issue 13): "uses 1 credit, 4 left", or for a
 * series "uses 10 credits, 2 left" (what is left after the last of them); undefined when
 * none is paid from a pack.
 */
function creditsHeld(bookings: readonly BookingSummary[]): string | undefined {
  const paid = bookings.filter((booking) => booking.credit);
  if (paid.length === 0) return undefined;
  return creditChatWording.held(paid.length, Math.min(...paid.map((booking) => booking.credit!.left)));
}

/** ", total 80.00", or for a session paid from a pack "; uses 1 credit, 4 left". */
function costOf(booking: BookingSummary | undefined): string {
  if (!booking) return '';
  const credits = creditsHeld([booking]);
  return credits ? `; ${credits}` : `, total ${formatMoney(booking.totalCost)}`;
}

/** "this and all following": which sessions, and what is left of the series. */
function seriesCancelled(notification: Notification, view: NotificationView, zone: string, withWhom: string): OutgoingMessage {
  const cancelled = notification.cancelled ?? [];
  const gone = new Set(cancelled.map((booking) => booking.bookingId));
  const left = (notification.series?.booked ?? []).filter((booking) => booking.status === 'CONFIRMED' && !gone.has(booking.bookingId));
  return {
    text: `${view.sessionType} ${withWhom}: ${cancelledSummary(cancelled, zone)}${notification.reason ? ` (${notification.reason})` : ''}.`,
    ...(left.length > 0 ? { fields: [{ label: `Still booked (${left.length})`, value: sessionList(left, zone, MAX_LISTED_SESSIONS) }] } : {}),
    actions: [myBookings],
  };
}

/** One occurrence of a series cancelled on its own: the rest stays. */
const restStays = (view: NotificationView): string => (view.recurrence ? ' The other sessions of the series stay booked.' : '');

function bookingLine(notification: Notification, view: NotificationView, zone: string, withWhom: string): string {
  const b = notification.booking;
  return b ? `${view.sessionType} ${withWhom}, ${formatRange(b.startTime, b.endTime, zone)}` : `${view.sessionType} ${withWhom}`;
}

function manageButtons(notification: Notification): Action[] {
  const bookingId = notification.booking?.bookingId;
  if (bookingId === undefined) return [];
  return [
    { kind: 'button', id: ACTIONS.rescheduleBooking, value: String(bookingId), label: 'Reschedule' },
    { kind: 'button', id: ACTIONS.cancelBooking, value: String(bookingId), label: 'Cancel booking', style: 'danger' },
  ];
}

const bookAgain: Action = { kind: 'button', id: ACTIONS.menu, value: 'book', label: 'Book again', style: 'primary' };
const myBookings: Action = { kind: 'button', id: ACTIONS.menu, value: 'list', label: 'My bookings' };
const myCredits: Action = { kind: 'button', id: ACTIONS.menu, value: 'credits', label: 'My credits' };

/** Completed / No-show: `<request id>.<C|N>`, and for an occurrence of a series `.<booking id>` (its own workflow). */
function outcomeButtons(notification: Notification, view: NotificationView): Action[] {
  const occurrence = view.recurrence && notification.booking ? `.${notification.booking.bookingId}` : '';
  return [
    { kind: 'button', id: ACTIONS.outcome, value: `${notification.bookingRequestId}.C${occurrence}`, label: 'Completed', style: 'primary' },
    { kind: 'button', id: ACTIONS.outcome, value: `${notification.bookingRequestId}.N${occurrence}`, label: 'No-show', style: 'danger' },
  ];
}

export function renderForTrainer(notification: Notification, view: NotificationView): OutgoingMessage {
  const zone = view.trainerTimeZone;
  const line = bookingLine(notification, view, zone, `with ${view.clientName}`);
  switch (notification.kind) {
    case 'request.options':
    case 'request.slot-taken':
      return optionsMessage(notification, view);
    case 'request.approved':
      if (notification.series) return seriesApproved('Booked', notification.series, view, zone, `with ${view.clientName}`);
      return { text: `Booked: ${line}${costOf(notification.booking)}.`, actions: manageButtons(notification) };
    case 'request.expired':
      return { text: `Request #${notification.bookingRequestId} from ${view.clientName} expired without an answer.` };
    case 'request.withdrawn':
      return { text: `${view.clientName} withdrew request #${notification.bookingRequestId}${notification.reason ? ` (${notification.reason})` : ''}.` };
    case 'booking.reminder':
      return { text: `Reminder: ${line}.` };
    case 'booking.cancelled':
      return { text: `Cancelled: ${line}${notification.reason ? ` (${notification.reason})` : ''}.${restStays(view)}` };
    case 'series.cancelled':
      return seriesCancelled(notification, view, zone, `with ${view.clientName}`);
    case 'booking.rescheduled':
      return { text: `Moved: ${line}.` };
    case 'booking.outcome-prompt':
      return { text: `How did ${line} go?`, actions: outcomeButtons(notification, view) };
    case 'request.credit-needed':
      // The approval waits for a credit: sell the client a pack, then approve again.
      return { text: notification.text, actions: [{ kind: 'button', id: ACTIONS.sellPack, value: String(view.clientUserId), label: `Sell ${view.clientName} a pack`.slice(0, 80), style: 'primary' }] };
    default:
      return { text: notification.text };
  }
}

export function renderForClient(notification: Notification, view: NotificationView): OutgoingMessage {
  const zone = view.clientTimeZone;
  const id = notification.bookingRequestId;
  const line = bookingLine(notification, view, zone, `with ${view.trainerName}`);
  switch (notification.kind) {
    case 'request.received':
      return { text: `Your request #${id} is with ${view.trainerName}${notification.expiresAt ? `, who has until ${formatInstant(notification.expiresAt, zone)} (${zone}) to answer` : ''}.` };
    case 'request.approved':
      if (notification.series) return seriesApproved('Confirmed', notification.series, view, zone, `with ${view.trainerName}`);
      return { text: `Confirmed: ${line}${costOf(notification.booking)}.`, actions: manageButtons(notification) };
    case 'request.rejected':
      return { text: `${view.trainerName} declined your request #${id}: ${notification.reason ?? 'no reason given'}`, actions: [bookAgain] };
    case 'request.expired':
      return { text: `Your request #${id} expired: ${view.trainerName} did not answer within 24 hours.`, actions: [bookAgain] };
    case 'request.slot-taken':
      return { text: `The time ${view.trainerName} picked for request #${id} was just taken by another booking; they will choose another.` };
    case 'booking.reminder':
      return { text: `Reminder: ${line}.`, actions: manageButtons(notification) };
    case 'booking.cancelled':
      return { text: `Cancelled: ${line}${notification.reason ? ` (${notification.reason})` : ''}.${restStays(view)}`, actions: [view.recurrence ? myBookings : bookAgain] };
    case 'series.cancelled':
      return seriesCancelled(notification, view, zone, `with ${view.trainerName}`);
    case 'booking.rescheduled':
      return { text: `Moved: ${line}.`, actions: manageButtons(notification) };
    case 'request.credit-needed':
      return { text: notification.text, actions: [myCredits] };
    default:
      return { text: notification.text };
  }
}
