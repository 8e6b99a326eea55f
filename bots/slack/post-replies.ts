import type { webApi } from '@slack/bolt';
import type { OutgoingMessage } from '../core/messages';
import type { Reply } from '../core/replies';
import { slackMessage } from './render/block-kit';

/** Where the engine's answers to one event go. */
export interface ReplyRoute {
  client: webApi.WebClient;
  /** Public replies become new messages here: the person's direct conversation with the bot. */
  channelId: string;
  /** Shows a message to the person who acted and nobody else. */
  showPrivately: (message: OutgoingMessage) => Promise<void>;
}

/** An ephemeral message: only `userId` sees it, and only until they reload. */
export function ephemeral(client: webApi.WebClient, channelId: string, userId: string): (message: OutgoingMessage) => Promise<void> {
  return async (message) => {
    await client.chat.postEphemeral({ channel: channelId, user: userId, ...slackMessage(message) });
  };
}

/**
 * Posts the replies in order. A form that reaches this point could not be opened as a
 * modal, so its message is posted instead: the engine's text asks for the answer in words.
 */
export async function postReplies(route: ReplyRoute, replies: readonly Reply[]): Promise<void> {
  for (const reply of replies) {
    if (reply.private) await route.showPrivately(reply.message);
    else await route.client.chat.postMessage({ channel: route.channelId, ...slackMessage(reply.message) });
  }
}
