import type { MikroORM } from '@mikro-orm/postgresql';
import { ChatIdentity, User } from '../../src/db/entities';
import type { ChatAddress } from '../core/events';

/**
 * Operator action: this platform identity belongs to that user (a trainer's Slack account,
 * the terminal's demo personas). Creates the identity or moves it to the user.
 */
export async function linkChatIdentity(orm: MikroORM, address: Omit<ChatAddress, 'channelId'> & { channelId?: string | null }, userId: number): Promise<void> {
  const em = orm.em.fork();
  const where = { platform: address.platform, workspaceId: address.workspaceId, externalUserId: address.externalUserId };
  const existing = await em.findOne(ChatIdentity, where);
  if (existing) {
    existing.user = em.getReference(User, userId);
    if (address.channelId) existing.directChannelId = address.channelId;
  } else {
    em.create(ChatIdentity, { ...where, user: userId, directChannelId: address.channelId ?? null });
  }
  await em.flush();
}
