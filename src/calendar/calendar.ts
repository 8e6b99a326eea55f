import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus, type ICalCalendar } from 'ical-generator';
import { eventDescription, eventLocation, eventSummary, type CalendarEventFacts } from '../domain/calendar/wording';

/** One booking as its calendar event needs it (what `loadCalendarBookings` reads). */
export interface CalendarBooking extends CalendarEventFacts {
  /** The iCalendar SEQUENCE: `booking.calendar_sequence`, raised by the database on every change. */
  sequence: number;
  /** The unguessable key of the booking's own .ics link. */
  calendarKey: string;
  startTime: Date;
  endTime: Date;
  trainerEmail: string | null;
  clientEmail: string | null;
}

export type CalendarMethod = 'REQUEST' | 'CANCEL' | 'PUBLISH';

export interface BuildCalendarOptions {
  method: CalendarMethod;
  bookings: readonly CalendarBooking[];
  /** The calendar's name (X-WR-CALNAME), for a feed. */
  name?: string;
  /**
   * ORGANIZER needs an e-mail address; for a trainer without one, this address (the mail
   * sender) stands in. Without either, the event has no ORGANIZER.
   */
  organizerFallbackEmail?: string;
  /** DTSTAMP; now by default. */
  now?: Date;
  /** How often a subscribed calendar should refresh (feeds), in seconds. */
  refreshSeconds?: number;
}

const PRODUCT = { company: 'trainer-booking', product: 'trainer-booking', language: 'EN' };

/** The stable UID of a booking's event: the same in every invite, update, cancellation and feed. */
export function bookingUid(bookingId: number): string {
  return `booking-${bookingId}@trainer-booking`;
}

function eventStatus(booking: CalendarBooking, method: CalendarMethod): ICalEventStatus {
  if (method === 'CANCEL' || booking.status === 'CANCELLED' || booking.status === 'LATE_CANCELLED') return ICalEventStatus.CANCELLED;
  if (booking.status === 'PENDING') return ICalEventStatus.TENTATIVE;
  return ICalEventStatus.CONFIRMED;
}

/**
 * Adds one booking's event to a calendar. Times are UTC instants (`DTSTART:…Z`), so every
 * calendar shows them in its own zone; a series occurrence is an event of its own.
 */
export function bookingEvent(calendar: ICalCalendar, booking: CalendarBooking, options: Pick<BuildCalendarOptions, 'method' | 'organizerFallbackEmail' | 'now'>): void {
  const organizerEmail = booking.trainerEmail ?? options.organizerFallbackEmail;
  calendar.createEvent({
    id: bookingUid(booking.bookingId),
    sequence: booking.sequence,
    stamp: options.now ?? new Date(),
    start: booking.startTime,
    end: booking.endTime,
    summary: eventSummary(booking),
    description: eventDescription(booking),
    location: eventLocation(booking),
    status: eventStatus(booking, options.method),
    ...(organizerEmail ? { organizer: { name: booking.trainerName, email: organizerEmail } } : {}),
    attendees: booking.clientEmail
      ? [{ name: booking.clientName, email: booking.clientEmail, role: ICalAttendeeRole.REQ, status: options.method === 'CANCEL' ? ICalAttendeeStatus.DECLINED : ICalAttendeeStatus.ACCEPTED }]
      : [],
  });
}

/** A whole iCalendar object (text) of the given bookings: an invite (REQUEST), a cancellation (CANCEL) or a feed (PUBLISH). */
export function buildCalendar(options: BuildCalendarOptions): string {
  const calendar = ical({
    prodId: PRODUCT,
    method: ICalCalendarMethod[options.method],
    ...(options.name ? { name: options.name } : {}),
    ...(options.refreshSeconds ? { ttl: options.refreshSeconds } : {}),
  });
  for (const booking of options.bookings) bookingEvent(calendar, booking, options);
  return calendar.toString();
}

/** The HTTP / MIME content type of a calendar with this method. */
export function calendarContentType(method: CalendarMethod): string {
  return method === 'PUBLISH' ? 'text/calendar; charset=utf-8' : `text/calendar; charset=utf-8; method=${method}`;
}
