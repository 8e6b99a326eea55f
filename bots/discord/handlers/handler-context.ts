import type { ChatEngine } from '../../engine/chat-engine';
import type { DiscordMessenger } from '../discord-messenger';

/** What every handler works with; nothing here holds a conversation (that lives in the database). */
export interface HandlerContext {
  engine: ChatEngine;
  messenger: DiscordMessenger;
  /**
   * How long a button press may wait for the engine's answer before it is acknowledged
   * anyway. Discord wants a first answer within 3 s, and opening a form (a modal) must be
   * that first answer, so the engine gets this long to say whether it wants one.
   */
  ackBudgetMs: number;
  now: () => Date;
}
