import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';
import type { SeriesRecurrence } from '../../domain/series/series';
import { LOCATION_TYPES, REQUEST_STATUSES } from '../../domain/statuses';
import { Trainer } from './trainer';
import { User } from './user';

/**
 * What a client asked for: either an exact slot (`startTime`/`endTime`, direct booking) or
 * preferences that W_C ranks (flexible request). Lives for 24 hours while PENDING.
 */
export const BookingRequest = defineEntity({
  name: 'BookingRequest',
  indexes: [{ properties: ['trainer', 'status'] }, { properties: ['client', 'status'] }],
  properties: {
    id: p.integer().primary(),
    client: () => p.manyToOne(User),
    trainer: () => p.manyToOne(Trainer),
    sessionType: p.string(),
    durationMinutes: p.integer(),
    location: p.string().nullable(),
    locationType: p.enum(LOCATION_TYPES).default('GYM'),
    specialRequests: p.text().nullable(),
    // Direct booking: the exact slot the client chose.
    startTime: p.datetime().nullable(),
    endTime: p.datetime().nullable(),
    // Flexible request: preferences scored by W_C, meant in `timeZone`.
    preferredStartDate: p.string().columnType('date').nullable(),
    preferredEndDate: p.string().columnType('date').nullable(),
    preferredTimes: p.json<string[]>().default('[]'),
    avoidTimes: p.json<string[]>().default('[]'),
    allowWeekends: p.boolean().default(false),
    allowEvenings: p.boolean().default(false),
    timeZone: p.string().default('UTC'),
    /** A weekly series request (issue 12): how it repeats; null for a single booking. */
    recurrence: p.json<SeriesRecurrence>().nullable(),
    status: p.enum(REQUEST_STATUSES).default('PENDING'),
    expiresAt: p.datetime(),
    confirmedDate: p.datetime().nullable(),
    rejectionReason: p.text().nullable(),
    notes: p.text().nullable(),
    /** The Temporal workflow that owns this request (`booking-request-<id>`). */
    workflowId: p.string().nullable().unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type BookingRequest = InferEntity<typeof BookingRequest>;
