import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';
import { SESSION_STATUSES } from '../../domain/statuses';
import { Booking } from './booking';
import { Trainer } from './trainer';
import { User } from './user';

/** The training record of a booking: what happened and how both sides rated it. */
export const Session = defineEntity({
  name: 'Session',
  tableName: 'training_session',
  properties: {
    id: p.integer().primary(),
    booking: () => p.manyToOne(Booking).deleteRule('cascade').index(),
    client: () => p.manyToOne(User),
    trainer: () => p.manyToOne(Trainer),
    title: p.string(),
    sessionType: p.string(),
    scheduledDate: p.datetime(),
    durationMinutes: p.integer(),
    location: p.string().nullable(),
    status: p.enum(SESSION_STATUSES).default('CONFIRMED'),
    actualStartTime: p.datetime().nullable(),
    actualEndTime: p.datetime().nullable(),
    clientRating: p.integer().nullable().check('client_rating between 1 and 5'),
    trainerRating: p.integer().nullable().check('trainer_rating between 1 and 5'),
    trainerNotes: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Session = InferEntity<typeof Session>;
