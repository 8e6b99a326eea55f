import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';
import { CHAT_PLATFORMS } from '../../domain/statuses';
import { ChatIdentity } from './chat-identity';

/**
 * A message the bot posted to a person about a booking request, with the platform's id for
 * it, so it can be edited later (the trainer's approve buttons replaced by the outcome) and
 * so a retried notification is not posted twice (unique per notification and identity).
 */
export const ChatMessage = defineEntity({
  name: 'ChatMessage',
  uniques: [{ properties: ['notificationKey', 'identity'] }],
  indexes: [{ properties: ['bookingRequestId'] }],
  properties: {
    id: p.integer().primary(),
    /** The workflow notification's key. */
    notificationKey: p.string(),
    /** Plain id, not a relation: a message outlives nothing and is never joined on. */
    bookingRequestId: p.integer(),
    kind: p.string(),
    identity: () => p.manyToOne(ChatIdentity).deleteRule('cascade'),
    platform: p.enum(CHAT_PLATFORMS),
    workspaceId: p.string().default(''),
    channelId: p.string(),
    messageId: p.string(),
    /** It offers decision buttons that are still live; cleared when they are replaced. */
    hasOpenActions: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ChatMessage = InferEntity<typeof ChatMessage>;
