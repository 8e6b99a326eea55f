import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';
import { Booking } from './booking';
import { Trainer } from './trainer';

/**
 * A block of a trainer's published availability. `lockedUntil`/`lockOwner` is a short hold
 * that outlives a transaction (a client picking a slot, a workflow awaiting approval);
 * an expired hold counts as free.
 */
export const TimeSlot = defineEntity({
  name: 'TimeSlot',
  uniques: [{ properties: ['trainer', 'startTime'] }],
  properties: {
    id: p.integer().primary(),
    trainer: () => p.manyToOne(Trainer).deleteRule('cascade'),
    startTime: p.datetime(),
    endTime: p.datetime(),
    durationMinutes: p.integer(),
    isAvailable: p.boolean().default(true),
    isBooked: p.boolean().default(false),
    booking: () => p.manyToOne(Booking).nullable().deleteRule('set null').index(),
    lockedUntil: p.datetime().nullable(),
    lockOwner: p.string().nullable(),
  },
});
export type TimeSlot = InferEntity<typeof TimeSlot>;
