import type { OutgoingMessage } from './messages';

/**
 * What the engine answers to one event, in order. Adapters deliver replies in the same
 * conversation (an interaction response where there is one).
 */
export interface Reply {
  message: OutgoingMessage;
  /**
   * Only the person who acted may see it (Slack ephemeral, Discord flag 64): refusals
   * of a button press in a shared channel must not be seen by others.
   */
  private?: boolean;
}

export const reply = (message: OutgoingMessage | string): Reply => ({ message: typeof message === 'string' ? { text: message } : message });
export const privateReply = (message: OutgoingMessage | string): Reply => ({ ...reply(message), private: true });
