import { OptimisticLockError, type MikroORM } from '@mikro-orm/postgresql';
import { logger } from '../../src/logger';
import type { IncomingEvent } from '../core/events';
import { privateReply, type Reply } from '../core/replies';
import { messageTooLong } from '../parsing/message-length';
import type { ChatUser } from '../identity/chat-user';
import { resolveChatUser } from '../identity/resolve-chat-user';
import { loadConversation, saveConversation } from './conversation-store';
import { createDialogueContext } from './dialogue-context';
import { dialogueStep } from './dialogue';
import { runEffect, type BookingOperations } from './effects';
import { createCreditLedger } from '../../src/credits/ledger';
import { ledgerCredits, type ChatCredits } from './credits/port';
import type { DialogueEvent, Effect } from './step-result';

export interface ChatEngineOptions {
  orm: MikroORM;
  bookings: BookingOperations;
  /** The clock relative dates are read against; tests may fix it. */
  now?: () => Date;
  /**
   * Packs, payments and credits; by default the credit ledger on `orm` (with the same clock),
   * recording payments through `bookings.recordPayment` (which starts each pack's workflow).
   */
  credits?: ChatCredits;
  /** Where links to the API point (PUBLIC_BASE_URL), e.g. calendar feeds; the local API by default. */
  publicBaseUrl?: string;
}

/**
 * What every platform calls (through the runtime): one incoming event in, the replies to
 * show out. Bad input is answered, never thrown; it rejects only when something on our side
 * fails (the database, Temporal), and the runtime logs that and apologises.
 */
export interface ChatEngine {
  handle(event: IncomingEvent): Promise<Reply[]>;
}

// Another instance advancing the same dialogue is rare and short; a few re-reads settle it.
const MAX_ATTEMPTS = 5;
// An effect's answer may move the dialogue once more (a refused request back to a step).
const MAX_FOLLOW_UPS = 3;

/**
 * The platform-neutral chat engine. Each event: find the person (a new one becomes a
 * client), read their dialogue, decide the next state and replies, store the state under
 * its version — if another bot instance got there first, read again and decide again —
 * and only then make the writes the step asked for (start a request, approve, cancel …).
 * So two instances never both advance one dialogue, and a lost race writes nothing.
 * Nothing here is kept in memory between events: a restart loses no conversation.
 */
export function createChatEngine({ orm, bookings, now = () => new Date(), publicBaseUrl = 'http://127.0.0.1:8080', credits = ledgerCredits(createCreditLedger(orm, now), (input) => bookings.recordPayment(input)) }: ChatEngineOptions): ChatEngine {
  async function advance(me: ChatUser, event: DialogueEvent, from: IncomingEvent['from']): Promise<{ replies: Reply[]; effects: Effect[] }> {
    for (let attempt = 1; ; attempt++) {
      const em = orm.em.fork();
      const conversation = await loadConversation(em, from);
      const result = await dialogueStep(conversation.state, event, createDialogueContext(em, me, now(), credits));
      try {
        if (JSON.stringify(result.state) !== JSON.stringify(conversation.state)) await saveConversation(em, conversation, result.state);
        return result;
      } catch (error) {
        if (!(error instanceof OptimisticLockError) || attempt >= MAX_ATTEMPTS) throw error;
        logger.debug({ platform: from.platform, attempt }, 'conversation advanced elsewhere; deciding again');
      }
    }
  }

  return {
    async handle(event) {
      // A message over the cap is answered in one sentence and never parsed (nor a form's answers).
      const tooLong = event.type === 'text' ? messageTooLong(event.text) : event.type === 'form' ? Object.values(event.values).map(messageTooLong).find(Boolean) : undefined;
      if (tooLong) return [privateReply(tooLong)];
      const me = await resolveChatUser(orm, event.from);
      const replies: Reply[] = [];
      let next: DialogueEvent | undefined = event;
      for (let round = 0; next && round <= MAX_FOLLOW_UPS; round++) {
        const result = await advance(me, next, event.from);
        replies.push(...result.replies);
        next = undefined;
        for (const effect of result.effects) {
          const outcome = await runEffect(effect, { orm, bookings, credits, now, publicBaseUrl }, me);
          replies.push(...outcome.replies);
          next = outcome.followUp ?? next;
        }
      }
      return replies;
    },
  };
}
