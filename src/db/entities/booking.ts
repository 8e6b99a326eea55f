import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';
import { BOOKING_STATUSES, LOCATION_TYPES } from '../../domain/statuses';
import { BookingRequest } from './booking-request';
import { BookingSeries } from './booking-series';
import { TimeSlot } from './time-slot';
import { Trainer } from './trainer';
import { User } from './user';

/**
 * Fills `blocked_start`/`blocked_end` from the trainer's policy buffers (0 without a
 * policy row) on insert, and again when an update moves the session or changes its
 * trainer; any other update keeps them, so a later policy change never makes an unrelated
 * update (a status, a note) collide. Whatever a writer sends for these two columns is
 * overwritten: raw SQL inserts that do not know them keep working.
 */
const BLOCKED_RANGE_TRIGGER_BODY = [
  `if tg_op = 'INSERT' or new.start_time is distinct from old.start_time or new.end_time is distinct from old.end_time or new.trainer_id is distinct from old.trainer_id then`,
  `new.blocked_start := new.start_time - make_interval(mins => coalesce((select tp.buffer_before_minutes from trainer_policy tp where tp.trainer_id = new.trainer_id), 0));`,
  `new.blocked_end := new.end_time + make_interval(mins => coalesce((select tp.buffer_after_minutes from trainer_policy tp where tp.trainer_id = new.trainer_id), 0));`,
  `else new.blocked_start := old.blocked_start; new.blocked_end := old.blocked_end;`,
  `end if; return new;`,
].join(' ');

/**
 * Raises `calendar_sequence` (the iCalendar SEQUENCE of the booking's event, issue 14)
 * whenever an update changes what a calendar shows: the times, the status or the place.
 * In the database, so every writer (reschedule, cancel, outcome, raw SQL) bumps it.
 */
const CALENDAR_SEQUENCE_TRIGGER_BODY = [
  `if new.start_time is distinct from old.start_time or new.end_time is distinct from old.end_time or new.status is distinct from old.status or new.location is distinct from old.location then`,
  `new.calendar_sequence := greatest(new.calendar_sequence, old.calendar_sequence + 1);`,
  `end if; return new;`,
].join(' ');

/**
 * A confirmed session time. The database forbids two active bookings of one trainer whose
 * blocked ranges overlap (`booking_no_buffer_overlap`; the blocked range is the session
 * widened by the trainer's before- and after-buffer, so two sessions are at least
 * after + before apart), two overlapping active bookings of one client, even with two
 * trainers (`booking_client_no_overlap`), and a second booking for one request (unique
 * `booking_request_id` among bookings outside a series, `booking_request_single_booking`).
 * The occurrences of a weekly series share their request and name their series
 * (`series_id`), one booking per start. The exclusion constraints and the partial unique
 * index live in the migrations only.
 */
export const Booking = defineEntity({
  name: 'Booking',
  checks: [{ name: 'booking_blocked_covers_session', expression: 'blocked_start <= start_time and blocked_end >= end_time' }],
  uniques: [{ properties: ['series', 'startTime'] }],
  indexes: [{ properties: ['bookingRequest'] }],
  triggers: [
    { name: 'booking_blocked_range', timing: 'before', events: ['insert', 'update'], body: BLOCKED_RANGE_TRIGGER_BODY },
    { name: 'booking_calendar_sequence', timing: 'before', events: ['update'], body: CALENDAR_SEQUENCE_TRIGGER_BODY },
  ],
  properties: {
    id: p.integer().primary(),
    bookingRequest: () => p.manyToOne(BookingRequest),
    /** The weekly series this booking is an occurrence of (issue 12), or null for a single booking. */
    series: () => p.manyToOne(BookingSeries).nullable(),
    client: () => p.manyToOne(User),
    trainer: () => p.manyToOne(Trainer),
    sessionType: p.string(),
    durationMinutes: p.integer(),
    startTime: p.datetime(),
    endTime: p.datetime(),
    /**
     * The session widened by the trainer's buffers, set by the database trigger
     * `booking_blocked_range` (the ORM's own values are placeholders it overwrites).
     */
    blockedStart: p.datetime().onCreate((booking: { startTime: Date }) => booking.startTime),
    blockedEnd: p.datetime().onCreate((booking: { endTime: Date }) => booking.endTime),
    pricePerHour: p.decimal('number').precision(10).scale(2),
    totalCost: p.decimal('number').precision(10).scale(2),
    location: p.string().nullable(),
    locationType: p.enum(LOCATION_TYPES).default('GYM'),
    status: p.enum(BOOKING_STATUSES).default('CONFIRMED'),
    isRecurring: p.boolean().default(false),
    recurringPattern: p.string().nullable(),
    notes: p.text().nullable(),
    cancellationReason: p.text().nullable(),
    /** The iCalendar SEQUENCE of this booking's event: raised by the trigger `booking_calendar_sequence`. */
    calendarSequence: p.integer().default(0),
    /** The unguessable key of this booking's own .ics link (`/calendar/bookings/<key>.ics`). */
    calendarKey: p.uuid().defaultRaw('gen_random_uuid()').unique(),
    timeSlots: () => p.oneToMany(TimeSlot).mappedBy('booking'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Booking = InferEntity<typeof Booking>;
