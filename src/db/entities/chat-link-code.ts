import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';
import { User } from './user';

/**
 * A one-time code an operator issues so a person (a trainer) can attach their chat account
 * to their existing user by writing `link CODE` to the bot. Only the SHA-256 is stored.
 */
export const ChatLinkCode = defineEntity({
  name: 'ChatLinkCode',
  properties: {
    id: p.integer().primary(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    codeHash: p.string().length(64).unique(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ChatLinkCode = InferEntity<typeof ChatLinkCode>;
