import { Routes, type APIChannel, type APIMessage, type REST, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { DiscordMessage } from './render/components';

/** Nobody is pinged by what the bot repeats (a name or a reason may contain "@everyone"). */
const NO_MENTIONS = { parse: [] } satisfies RESTPostAPIChannelMessageJSONBody['allowed_mentions'];

/**
 * The bot-token side of Discord's REST API: posting to a channel, editing a message and
 * opening a DM. These work at any time, unlike interaction tokens, which expire after 15
 * minutes; so the messages that must change later (a trainer's request, a day on) go here.
 */
export class DiscordMessenger {
  // Discord keeps one DM channel per person; remembering it saves a call (a restart only costs one).
  private readonly directChannels = new Map<string, string>();

  constructor(private readonly rest: REST) {}

  /** The DM channel with a user (`POST /users/@me/channels`, which returns the existing one). */
  async openDirectChannel(userId: string): Promise<string> {
    const known = this.directChannels.get(userId);
    if (known) return known;
    const channel = (await this.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as APIChannel;
    this.directChannels.set(userId, channel.id);
    return channel.id;
  }

  forgetDirectChannel(userId: string): void {
    this.directChannels.delete(userId);
  }

  async post(channelId: string, message: DiscordMessage): Promise<APIMessage> {
    const body: RESTPostAPIChannelMessageJSONBody = { ...message, allowed_mentions: NO_MENTIONS };
    return (await this.rest.post(Routes.channelMessages(channelId), { body })) as APIMessage;
  }

  async edit(channelId: string, messageId: string, message: DiscordMessage): Promise<APIMessage> {
    return (await this.rest.patch(Routes.channelMessage(channelId, messageId), { body: { ...message, allowed_mentions: NO_MENTIONS } })) as APIMessage;
  }
}
