import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';
import { User } from './user';

/**
 * The secret of a user's calendar feed URL (`/calendar/<token>.ics`, issue 14). Like API
 * tokens only the SHA-256 is stored; issuing a new one revokes the user's previous ones.
 */
export const CalendarFeedToken = defineEntity({
  name: 'CalendarFeedToken',
  properties: {
    id: p.integer().primary(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    /** Hex SHA-256 of the token (32 random bytes). */
    tokenHash: p.string().length(64).unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
    revokedAt: p.datetime().nullable(),
  },
});
export type CalendarFeedToken = InferEntity<typeof CalendarFeedToken>;
