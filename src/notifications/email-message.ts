import { DateTime } from 'luxon';
import { creditWording } from '../domain/credits/wording';
import type { BookingSummary, SlotOption } from '../../workflows/contract';
import type { Audience, CreditNotice, CreditNoticeKind, Notification, NotificationKind } from './notification';
import { datesWithReasons, earliest, readRule, seriesOptionLines, sessionList, sessionsNoun } from './series-text';

/** Who an e-mail goes to, with the zone its times are shown in. */
export interface EmailRecipient {
  role: Audience;
  email: string;
  name: string;
  /** An IANA zone, e.g. Europe/Berlin. */
  timeZone: string;
}

export interface EmailMessage {
  subject: string;
  text: string;
}

const LOCALE = 'en-GB';

function at(iso: string, zone: string): DateTime {
  return DateTime.fromISO(iso, { zone }).setLocale(LOCALE);
}

/** "Tue 3 Dec, 10:00", for subjects. */
function shortTime(iso: string, zone: string): string {
  return at(iso, zone).toFormat('ccc d LLL, HH:mm');
}

/** "Tuesday 3 December 2026, 10:00–11:00 (Europe/Berlin)". */
function timeSpan(startIso: string, endIso: string, zone: string): string {
  const start = at(startIso, zone);
  const end = at(endIso, zone);
  const endText = start.hasSame(end, 'day') ? end.toFormat('HH:mm') : end.toFormat('cccc d LLLL yyyy, HH:mm');
  return `${start.toFormat('cccc d LLLL yyyy, HH:mm')}–${endText} (${zone})`;
}

function moment(iso: string, zone: string): string {
  return `${at(iso, zone).toFormat('cccc d LLLL yyyy, HH:mm')} (${zone})`;
}

function bookingLines(booking: BookingSummary, zone: string): string[] {
  return [
    `When: ${timeSpan(booking.startTime, booking.endTime, zone)}`,
    `Duration: ${booking.durationMinutes} minutes`,
    `Total: ${booking.totalCost.toFixed(2)}`,
    // Paid with a pack's credit (issue 13): "Credit: uses 1 credit (4 left) of Ten × 60".
    ...(booking.credit ? [`Credit: ${creditWording.usesCredit(booking.credit.left)} of ${booking.credit.packName}`] : []),
    `Booking: #${booking.bookingId}`,
  ];
}

function optionLines(options: SlotOption[], zone: string): string[] {
  if (options.length === 0) return [];
  const series = options.some((option) => option.series);
  return [
    series ? 'Best weekly times:' : 'Best free times:',
    ...options.flatMap((option, index) => {
      const review = option.requiresManualReview ? ', manual review recommended' : '';
      // A weekly time of a series: every date that is not free, with why (an e-mail has room for them all).
      if (option.series) return seriesOptionLines({ ...option, series: option.series }, zone).map((line, i) => (i === 0 ? `  ${index + 1}. ${line}${review}` : `     ${line}`));
      return [`  ${index + 1}. ${timeSpan(option.slotStart, option.slotEnd, zone)} (score ${option.totalScore}${review})`];
    }),
  ];
}

/** A confirmed series: every session in the reader's zone, the skipped dates with why, the total. */
function seriesLines(series: NonNullable<Notification['series']>, zone: string): string[] {
  const noun = sessionsNoun(series.booked.length, readRule(series.rrule)?.interval ?? 1);
  return [
    `Sessions: ${noun} (${zone}): ${sessionList(series.booked, zone)}`,
    ...(series.skipped.length > 0 ? [`Skipped: ${datesWithReasons(series.skipped, zone)}`] : []),
    `Total: ${series.booked.reduce((sum, booking) => sum + booking.totalCost, 0).toFixed(2)}`,
  ];
}

/** "This and all following": what was cancelled, and what is still booked. */
function cancelledLines(notification: Notification, zone: string): string[] {
  const cancelled = notification.cancelled ?? [];
  const gone = new Set(cancelled.map((booking) => booking.bookingId));
  const left = (notification.series?.booked ?? []).filter((booking) => booking.status === 'CONFIRMED' && !gone.has(booking.bookingId));
  // The notification's own sentence says how many and who; these lines say which.
  return [
    `Cancelled (${zone}): ${sessionList(cancelled, zone)}`,
    ...(left.length > 0 ? [`Still booked: ${sessionList(left, zone)}`] : []),
  ];
}

type SubjectOf = (notification: Notification, zone: string) => string;

const about = (notification: Notification, zone: string, fallback: string, withTime: (time: string) => string): string =>
  notification.booking ? withTime(shortTime(notification.booking.startTime, zone)) : fallback;

// A Record over every kind: a new kind does not compile until it has a subject.
const SUBJECTS: Record<NotificationKind, SubjectOf> = {
  'request.received': (n) => `Booking request #${n.bookingRequestId} sent to your trainer`,
  'request.options': (n) => `New booking request #${n.bookingRequestId}: choose a time`,
  'request.slot-taken': (n) => `Booking request #${n.bookingRequestId}: the chosen time was just taken`,
  'request.approved': (n, zone) => {
    const first = n.series ? earliest(n.series.booked) : undefined;
    if (n.series && first) return `Weekly sessions confirmed: ${n.series.booked.length} from ${shortTime(first.startTime, zone)}`;
    return about(n, zone, `Booking request #${n.bookingRequestId} confirmed`, (time) => `Booking confirmed: ${time}`);
  },
  'request.rejected': (n) => `Booking request #${n.bookingRequestId} declined`,
  'request.expired': (n) => `Booking request #${n.bookingRequestId} expired`,
  'request.withdrawn': (n) => `Booking request #${n.bookingRequestId} withdrawn by the client`,
  'request.credit-needed': (n) => `Booking request #${n.bookingRequestId}: a session pack is needed`,
  'booking.reminder': (n, zone) => about(n, zone, 'Reminder: training session coming up', (time) => `Reminder: training session ${time}`),
  'booking.cancelled': (n, zone) => about(n, zone, 'Booking cancelled', (time) => `Booking cancelled: ${time}`),
  'booking.rescheduled': (n, zone) => about(n, zone, 'Booking moved', (time) => `Booking moved to ${time}`),
  'booking.outcome-prompt': (n, zone) => about(n, zone, 'How did the session go?', (time) => `How did the session on ${time} go?`),
  'booking.outcome-recorded': (n, zone) => about(n, zone, 'Session recorded', (time) => `Session on ${time} recorded`),
  'series.cancelled': (n, zone) => {
    const first = earliest(n.cancelled ?? []);
    return `Weekly sessions cancelled: ${n.cancelled?.length ?? 0}${first ? ` from ${shortTime(first.startTime, zone)}` : ''} of request #${n.bookingRequestId}`;
  },
};

/**
 * The plain-text e-mail for one recipient of a notification: its sentence, then what the
 * person needs to act on (times in their own zone, options, booking, reason, deadline).
 */
export function renderEmail(notification: Notification, recipient: EmailRecipient): EmailMessage {
  const zone = recipient.timeZone;
  const details: string[] = [];
  if (notification.options && recipient.role === 'trainer') details.push(...optionLines(notification.options, zone));
  if (notification.kind === 'series.cancelled') details.push(...cancelledLines(notification, zone));
  else if (notification.kind === 'request.approved' && notification.series) details.push(...seriesLines(notification.series, zone));
  else if (notification.booking) details.push(...bookingLines(notification.booking, zone));
  if (notification.reason && !notification.text.includes(notification.reason)) details.push(`Reason: ${notification.reason}`);
  if (notification.expiresAt) {
    details.push(recipient.role === 'trainer' ? `Please answer by ${moment(notification.expiresAt, zone)}.` : `Your trainer can answer until ${moment(notification.expiresAt, zone)}.`);
  }
  if (notification.kind === 'request.options' || (notification.kind === 'request.slot-taken' && recipient.role === 'trainer')) {
    details.push('Approve or reject the request in the chat.');
  }
  const paragraphs = [`Hello ${recipient.name},`, notification.text, details.join('\n'), `Booking request #${notification.bookingRequestId}`];
  return {
    subject: SUBJECTS[notification.kind](notification, zone),
    text: `${paragraphs.filter((paragraph) => paragraph !== '').join('\n\n')}\n`,
  };
}

const CREDIT_SUBJECTS: Record<CreditNoticeKind, (notice: CreditNotice) => string> = {
  'credits.purchased': (n) => `Your pack "${n.packName}" is ready`,
  'credits.low': (n) => (n.totalLeft === 0 ? 'Session credits used up' : `Session credits running low: ${n.totalLeft} left`),
  'credits.expiring': (n) => `Session credits expiring: "${n.packName}"`,
  'credits.expired': (n) => `Session credits expired: "${n.packName}"`,
};

/** The short plain-text e-mail of a pack notice (issue 13): its one sentence, worded for this reader already. */
export function renderCreditEmail(notice: CreditNotice, recipient: Pick<EmailRecipient, 'name'>): EmailMessage {
  return { subject: CREDIT_SUBJECTS[notice.kind](notice), text: `Hello ${recipient.name},\n\n${notice.text}\n` };
}
