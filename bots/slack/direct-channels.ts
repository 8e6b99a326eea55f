import type { webApi } from '@slack/bolt';

/**
 * The bot's direct conversation with each person (`conversations.open`, scope im:write).
 * Opening is idempotent on Slack's side, so this cache only saves calls; losing it loses
 * nothing.
 */
export class DirectChannels {
  private readonly byUser = new Map<string, string>();

  constructor(private readonly client: webApi.WebClient) {}

  async of(userId: string): Promise<string> {
    const known = this.byUser.get(userId);
    if (known) return known;
    const opened = await this.client.conversations.open({ users: userId });
    const channelId = opened.channel?.id;
    if (!channelId) throw new Error('conversations.open returned no channel');
    this.byUser.set(userId, channelId);
    return channelId;
  }
}

/** Direct-message channel ids start with D; only the person and the bot see what is there. */
export const isDirectChannel = (channelId: string): boolean => channelId.startsWith('D');
