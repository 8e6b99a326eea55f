import type { ChatRuntime } from '../../runtime/chat-runtime';
import type { DirectChannels } from '../../core/direct-channels';
import type { SlackPeople } from '../slack-people';

/** What every listener needs besides Bolt's own arguments. */
export interface ListenerDeps {
  /** The engine, and everything around it that is not Slack's (de-dup, in-flight, apology). */
  runtime: ChatRuntime;
  people: SlackPeople;
  directChannels: DirectChannels;
}
