import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';
import { CHAT_PLATFORMS } from '../../domain/statuses';
import { User } from './user';

/** One person's account on one chat platform; a person may have several. */
export const ChatIdentity = defineEntity({
  name: 'ChatIdentity',
  uniques: [{ properties: ['platform', 'workspaceId', 'externalUserId'] }],
  properties: {
    id: p.integer().primary(),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    platform: p.enum(CHAT_PLATFORMS),
    /** Slack team id; '' on Discord (one account across servers and DMs) and 'local' in the terminal. */
    workspaceId: p.string().default(''),
    externalUserId: p.string(),
    /** Where the bot reaches this person directly (a DM channel id), once known. */
    directChannelId: p.string().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ChatIdentity = InferEntity<typeof ChatIdentity>;
