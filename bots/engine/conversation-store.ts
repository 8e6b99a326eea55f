import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { Conversation } from '../../src/db/entities';
import type { ChatAddress } from '../core/events';
import { EMPTY_STATE, type ConversationState } from './state';

export interface StoredConversation {
  entity: Conversation;
  state: ConversationState;
}

const where = (address: ChatAddress) => ({ platform: address.platform, workspaceId: address.workspaceId, externalUserId: address.externalUserId });

function stateOf(raw: Record<string, unknown>): ConversationState {
  // A row written by an older engine, or damaged by hand, starts over rather than crashing.
  const flow = raw.flow;
  return flow && typeof flow === 'object' && typeof (flow as { kind?: unknown }).kind === 'string' ? (raw as unknown as ConversationState) : EMPTY_STATE;
}

/** The person's dialogue, created empty on first contact. */
export async function loadConversation(em: EntityManager, address: ChatAddress): Promise<StoredConversation> {
  let entity = await em.findOne(Conversation, where(address));
  if (!entity) {
    try {
      const fresh = em.fork();
      fresh.create(Conversation, { ...where(address), state: { ...EMPTY_STATE } });
      await fresh.flush();
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
    }
    entity = await em.findOneOrFail(Conversation, where(address));
  }
  return { entity, state: stateOf(entity.state) };
}

/**
 * Writes the new state under the version it was read with: if another bot instance
 * advanced the dialogue meanwhile, MikroORM throws OptimisticLockError and nothing is written.
 */
export async function saveConversation(em: EntityManager, conversation: StoredConversation, state: ConversationState): Promise<void> {
  conversation.entity.state = state as unknown as Record<string, unknown>;
  await em.flush();
}
