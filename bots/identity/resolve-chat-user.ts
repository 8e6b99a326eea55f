import { UniqueConstraintViolationException, type EntityManager, type MikroORM } from '@mikro-orm/postgresql';
import { IANAZone } from 'luxon';
import { ChatIdentity, Trainer, User } from '../../src/db/entities';
import { logger } from '../../src/logger';
import type { ChatAddress } from '../core/events';
import type { ChatUser } from './chat-user';

const identityWhere = (address: ChatAddress) => ({ platform: address.platform, workspaceId: address.workspaceId, externalUserId: address.externalUserId });

async function createClientFor(em: EntityManager, address: ChatAddress): Promise<void> {
  await em.transactional((tx) => {
    const user = tx.create(User, {
      username: `${address.platform}:${address.workspaceId}:${address.externalUserId}`.slice(0, 255),
      fullName: (address.displayName?.trim() || `${address.platform} user ${address.externalUserId}`).slice(0, 255),
      role: 'CLIENT',
      timeZone: address.timeZone && IANAZone.isValidZone(address.timeZone) ? address.timeZone : null,
    });
    tx.create(ChatIdentity, { user, ...identityWhere(address), directChannelId: address.isDirect ? address.channelId : null });
    return Promise.resolve();
  });
  logger.info({ platform: address.platform, workspaceId: address.workspaceId }, 'new chat user registered as a client');
}

/**
 * The user behind a platform identity. A first contact becomes a CLIENT account; trainers
 * are attached to their existing user by an operator (linkChatIdentity) or a link code.
 * Two first messages racing each other end with one account.
 */
export async function resolveChatUser(orm: MikroORM, address: ChatAddress): Promise<ChatUser> {
  const em = orm.em.fork();
  let identity = await em.findOne(ChatIdentity, identityWhere(address), { populate: ['user'] });
  if (!identity) {
    try {
      await createClientFor(em.fork(), address);
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
    }
    identity = await em.findOneOrFail(ChatIdentity, identityWhere(address), { populate: ['user'] });
  }
  // A direct channel is where proactive messages go; keep it current.
  if (address.isDirect && identity.directChannelId !== address.channelId) {
    identity.directChannelId = address.channelId;
    await em.flush();
  }
  const user = identity.user;
  const trainer = await em.findOne(Trainer, { user: user.id });
  return {
    userId: user.id,
    identityId: identity.id,
    fullName: user.fullName,
    role: user.role,
    timeZone: user.timeZone ?? null,
    trainerId: trainer?.id ?? null,
    trainerTimeZone: trainer?.timeZone ?? null,
  };
}
