import { DiscordAPIError, RESTJSONErrorCodes } from 'discord.js';
import { logger } from '../../src/logger';
import type { ChatRecipient, PlatformAdapter } from '../core/adapter';
import type { MessageRef } from '../core/events';
import type { OutgoingMessage } from '../core/messages';
import type { DiscordMessenger } from './discord-messenger';
import { renderMessage } from './render/components';

const isUnknownChannel = (error: unknown): boolean => error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownChannel;

/**
 * Discord for the workflow's notifications: a message to a person goes to their DM with the
 * bot (opened on demand), and is edited later with the bot token. It knows only Discord
 * people; the other side of a booking may be on any platform.
 */
export class DiscordAdapter implements PlatformAdapter {
  readonly platform = 'discord' as const;

  constructor(
    private readonly messenger: DiscordMessenger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async send(to: ChatRecipient, message: OutgoingMessage): Promise<MessageRef> {
    const rendered = renderMessage(message, this.now());
    let channelId = to.channelId ?? (await this.messenger.openDirectChannel(to.externalUserId));
    let posted;
    try {
      posted = await this.messenger.post(channelId, rendered);
    } catch (error) {
      // A remembered channel that is gone: open the DM afresh, once.
      if (!to.channelId || !isUnknownChannel(error)) throw error;
      logger.warn({ platform: 'discord' }, 'a stored DM channel is unknown to Discord; opening the DM again');
      this.messenger.forgetDirectChannel(to.externalUserId);
      channelId = await this.messenger.openDirectChannel(to.externalUserId);
      posted = await this.messenger.post(channelId, rendered);
    }
    return { platform: 'discord', workspaceId: to.workspaceId, channelId: posted.channel_id, messageId: posted.id };
  }

  async update(ref: MessageRef, message: OutgoingMessage): Promise<void> {
    await this.messenger.edit(ref.channelId, ref.messageId, renderMessage(message, this.now()));
  }
}
