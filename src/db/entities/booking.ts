import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';
import { BOOKING_STATUSES, LOCATION_TYPES } from '../../domain/statuses';
import { BookingRequest } from './booking-request';
import { TimeSlot } from './time-slot';
import { Trainer } from './trainer';
import { User } from './user';

/**
 * A confirmed session time. The database forbids two active bookings of one trainer that
 * overlap (exclusion constraint, see the initial migration) and a second booking for one
 * request (unique `booking_request_id`).
 */
export const Booking = defineEntity({
  name: 'Booking',
  properties: {
    id: p.integer().primary(),
    bookingRequest: () => p.oneToOne(BookingRequest).owner().unique(),
    client: () => p.manyToOne(User),
    trainer: () => p.manyToOne(Trainer),
    sessionType: p.string(),
    durationMinutes: p.integer(),
    startTime: p.datetime(),
    endTime: p.datetime(),
    pricePerHour: p.decimal('number').precision(10).scale(2),
    totalCost: p.decimal('number').precision(10).scale(2),
    location: p.string().nullable(),
    locationType: p.enum(LOCATION_TYPES).default('GYM'),
    status: p.enum(BOOKING_STATUSES).default('CONFIRMED'),
    isRecurring: p.boolean().default(false),
    recurringPattern: p.string().nullable(),
    notes: p.text().nullable(),
    cancellationReason: p.text().nullable(),
    timeSlots: () => p.oneToMany(TimeSlot).mappedBy('booking'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Booking = InferEntity<typeof Booking>;
