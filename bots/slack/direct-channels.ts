import type { webApi } from '@slack/bolt';
import { DirectChannels } from '../core/direct-channels';

/** The bot's direct conversation with each Slack person (`conversations.open`, scope im:write). */
export function slackDirectChannels(client: webApi.WebClient): DirectChannels {
  return new DirectChannels(async (userId) => {
    const opened = await client.conversations.open({ users: userId });
    const channelId = opened.channel?.id;
    if (!channelId) throw new Error('conversations.open returned no channel');
    return channelId;
  });
}

/** Direct-message channel ids start with D; only the person and the bot see what is there. */
export const isDirectChannel = (channelId: string): boolean => channelId.startsWith('D');
