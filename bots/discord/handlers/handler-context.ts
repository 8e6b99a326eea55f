import type { ChatRuntime } from '../../runtime/chat-runtime';
import type { DiscordAdapter } from '../discord-adapter';

/** What every handler works with; nothing here holds a conversation (that lives in the database). */
export interface HandlerContext {
  /** The engine, and everything around it that is not Discord's (de-dup, in-flight, ack budget, apology). */
  runtime: ChatRuntime;
  /** Bot-token posting, for answers outside an interaction (a DM). */
  adapter: DiscordAdapter;
  now: () => Date;
}
