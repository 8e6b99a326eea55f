import { ChannelType, type Message } from 'discord.js';
import { messageAddress } from '../chat-address';
import type { HandlerContext } from './handler-context';

const TEXT_ONLY = 'I can only read text; write "help" to see what I can do.';

/**
 * A direct message to the bot is chat text for the engine; the replies are posted in the DM
 * (a form there is asked as its text, which the dialogue accepts as the answer). Messages
 * in servers are not read: the bot has no Message Content intent and uses slash commands
 * there. Its own messages and other bots' are ignored; a replayed message id is dropped.
 */
export async function handleDirectMessage(message: Message, context: HandlerContext): Promise<void> {
  if (message.author.bot || message.channel.type !== ChannelType.DM) return;
  const answer = (text: string): Promise<void> => context.adapter.post(message.channelId, { text });
  await context.runtime.process({ kind: 'direct message', id: `message:${message.id}`, apologise: answer }, async () => {
    const text = message.content.trim();
    if (!text) {
      await answer(TEXT_ONLY);
      return;
    }
    const replies = await context.runtime.engine.handle({ type: 'text', from: messageAddress(message), text });
    for (const reply of replies) await context.adapter.post(message.channelId, reply.message);
  });
}
