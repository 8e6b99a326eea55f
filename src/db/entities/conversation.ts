import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';
import { CHAT_PLATFORMS } from '../../domain/statuses';

/**
 * Where a chat dialogue stands, keyed by platform and person, so a bot restart loses
 * nothing. `version` guards against two bot instances advancing one dialogue at once.
 */
export const Conversation = defineEntity({
  name: 'Conversation',
  uniques: [{ properties: ['platform', 'workspaceId', 'externalUserId'] }],
  properties: {
    id: p.integer().primary(),
    platform: p.enum(CHAT_PLATFORMS),
    workspaceId: p.string().default(''),
    externalUserId: p.string(),
    state: p.json<Record<string, unknown>>(),
    version: p.integer().version(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Conversation = InferEntity<typeof Conversation>;
