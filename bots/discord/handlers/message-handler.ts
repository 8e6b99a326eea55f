import { ChannelType, type Message } from 'discord.js';
import { logger } from '../../../src/logger';
import { messageAddress } from '../chat-address';
import { loggableError } from '../loggable-error';
import { renderMessage } from '../render/components';
import type { HandlerContext } from './handler-context';

const TEXT_ONLY = 'I can only read text; write "help" to see what I can do.';

/**
 * A direct message to the bot is chat text for the engine; the replies are posted in the DM
 * (a form there is asked as its text, which the dialogue accepts as the answer). Messages
 * in servers are not read: the bot has no Message Content intent and uses slash commands
 * there. Its own messages and other bots' are ignored.
 */
export async function handleDirectMessage(message: Message, context: HandlerContext): Promise<void> {
  if (message.author.bot || message.channel.type !== ChannelType.DM) return;
  try {
    const text = message.content.trim();
    if (!text) {
      await context.messenger.post(message.channelId, renderMessage({ text: TEXT_ONLY }));
      return;
    }
    const replies = await context.engine.handle({ type: 'text', from: messageAddress(message), text });
    for (const reply of replies) await context.messenger.post(message.channelId, renderMessage(reply.message, context.now()));
  } catch (error) {
    logger.error({ err: loggableError(error), platform: 'discord' }, 'a Discord direct message could not be answered');
  }
}
