import type { ChatPlatform } from '../../src/domain/statuses';
import type { MessageRef } from './events';
import type { OutgoingMessage } from './messages';

/** Where a proactive message goes: a person on one platform. */
export interface ChatRecipient {
  workspaceId: string;
  externalUserId: string;
  /** The person's direct channel with the bot, once known; otherwise the adapter opens one. */
  channelId: string | null;
}

/**
 * One chat platform as the notifier sees it: post a message to a person, edit it later.
 * Replies to an incoming event travel back through the adapter's own event handling.
 */
export interface PlatformAdapter {
  readonly platform: ChatPlatform;
  send(to: ChatRecipient, message: OutgoingMessage): Promise<MessageRef>;
  update(ref: MessageRef, message: OutgoingMessage): Promise<void>;
}

/** The platforms this process can reach; bots register themselves as they start. */
export class PlatformAdapters {
  private readonly byPlatform = new Map<ChatPlatform, PlatformAdapter>();

  register(adapter: PlatformAdapter): void {
    this.byPlatform.set(adapter.platform, adapter);
  }

  unregister(adapter: PlatformAdapter): void {
    if (this.byPlatform.get(adapter.platform) === adapter) this.byPlatform.delete(adapter.platform);
  }

  get(platform: ChatPlatform): PlatformAdapter | undefined {
    return this.byPlatform.get(platform);
  }
}
