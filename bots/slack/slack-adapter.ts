import type { webApi } from '@slack/bolt';
import type { ChatRecipient, PlatformAdapter } from '../core/adapter';
import type { MessageRef } from '../core/events';
import type { OutgoingMessage } from '../core/messages';
import type { DirectChannels } from '../core/direct-channels';
import { slackDirectChannels } from './direct-channels';
import { slackMessage } from './render/block-kit';

/**
 * Slack for the notifier: workflow messages are posted to the person's direct conversation
 * with the bot (opened when none is known yet) and edited later with the bot token, which,
 * unlike a `response_url`, never expires.
 */
export class SlackAdapter implements PlatformAdapter {
  readonly platform = 'slack' as const;
  private readonly directChannels: DirectChannels;

  constructor(private readonly client: webApi.WebClient) {
    this.directChannels = slackDirectChannels(client);
  }

  async send(to: ChatRecipient, message: OutgoingMessage): Promise<MessageRef> {
    const channel = to.channelId ?? (await this.directChannels.of(to.externalUserId));
    const posted = await this.client.chat.postMessage({ channel, ...slackMessage(message) });
    if (!posted.ts) throw new Error('chat.postMessage returned no message ts');
    return { platform: 'slack', workspaceId: to.workspaceId, channelId: posted.channel ?? channel, messageId: posted.ts };
  }

  async update(ref: MessageRef, message: OutgoingMessage): Promise<void> {
    await this.client.chat.update({ channel: ref.channelId, ts: ref.messageId, ...slackMessage(message) });
  }
}
