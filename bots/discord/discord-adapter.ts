import { DiscordAPIError, RESTJSONErrorCodes, Routes, type APIChannel, type APIMessage, type REST, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { logger } from '../../src/logger';
import type { ChatRecipient, PlatformAdapter } from '../core/adapter';
import { DirectChannels } from '../core/direct-channels';
import type { MessageRef } from '../core/events';
import type { OutgoingMessage } from '../core/messages';
import { renderMessage, type DiscordMessage } from './render/components';

/** Nobody is pinged by what the bot repeats (a name or a reason may contain "@everyone"). */
const NO_MENTIONS = { parse: [] } satisfies RESTPostAPIChannelMessageJSONBody['allowed_mentions'];

const isUnknownChannel = (error: unknown): boolean => error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownChannel;

/**
 * Discord's outgoing side, with the bot token: a message to a person goes to their DM with
 * the bot (opened on demand) and is edited later. Bot-token calls work at any time, unlike
 * interaction tokens, which expire after 15 minutes; so the messages that must change later
 * (a trainer's request, a day on) go here. It knows only Discord people; the other side of
 * a booking may be on any platform.
 */
export class DiscordAdapter implements PlatformAdapter {
  readonly platform = 'discord' as const;
  private readonly directChannels = new DirectChannels(async (userId) => {
    const channel = (await this.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as APIChannel;
    return channel.id;
  });

  constructor(
    private readonly rest: REST,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async send(to: ChatRecipient, message: OutgoingMessage): Promise<MessageRef> {
    const rendered = renderMessage(message, this.now());
    let channelId = to.channelId ?? (await this.directChannels.of(to.externalUserId));
    let posted;
    try {
      posted = await this.postRendered(channelId, rendered);
    } catch (error) {
      // A remembered channel that is gone: open the DM afresh, once.
      if (!to.channelId || !isUnknownChannel(error)) throw error;
      logger.warn({ platform: 'discord' }, 'a stored DM channel is unknown to Discord; opening the DM again');
      this.directChannels.forget(to.externalUserId);
      channelId = await this.directChannels.of(to.externalUserId);
      posted = await this.postRendered(channelId, rendered);
    }
    return { platform: 'discord', workspaceId: to.workspaceId, channelId: posted.channel_id, messageId: posted.id };
  }

  async update(ref: MessageRef, message: OutgoingMessage): Promise<void> {
    await this.rest.patch(Routes.channelMessage(ref.channelId, ref.messageId), { body: { ...renderMessage(message, this.now()), allowed_mentions: NO_MENTIONS } });
  }

  /** Posts to a channel the bot may write in, such as the DM a person just wrote in. */
  async post(channelId: string, message: OutgoingMessage): Promise<void> {
    await this.postRendered(channelId, renderMessage(message, this.now()));
  }

  private async postRendered(channelId: string, message: DiscordMessage): Promise<APIMessage> {
    const body: RESTPostAPIChannelMessageJSONBody = { ...message, allowed_mentions: NO_MENTIONS };
    return (await this.rest.post(Routes.channelMessages(channelId), { body })) as APIMessage;
  }
}
