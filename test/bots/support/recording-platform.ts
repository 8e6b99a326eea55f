import type { ChatRecipient, PlatformAdapter } from '../../../bots/core/adapter';
import type { MessageRef } from '../../../bots/core/events';
import type { OutgoingMessage } from '../../../bots/core/messages';
import type { ChatPlatform } from '../../../src/domain/statuses';

export interface PostedMessage {
  to: ChatRecipient;
  ref: MessageRef;
  /** The message as it reads now (after any edit). */
  message: OutgoingMessage;
  edits: OutgoingMessage[];
}

/**
 * An in-memory chat platform: the boundary where Slack or Discord would be. It keeps what
 * the bot posted and how it was edited, so tests can read and press it like a person.
 */
export class RecordingPlatform implements PlatformAdapter {
  readonly posted: PostedMessage[] = [];
  private sequence = 0;

  constructor(readonly platform: ChatPlatform) {}

  send(to: ChatRecipient, message: OutgoingMessage): Promise<MessageRef> {
    const ref: MessageRef = { platform: this.platform, workspaceId: to.workspaceId, channelId: to.channelId ?? `dm-${to.externalUserId}`, messageId: `${this.platform}-${++this.sequence}` };
    this.posted.push({ to, ref, message, edits: [] });
    return Promise.resolve(ref);
  }

  update(ref: MessageRef, message: OutgoingMessage): Promise<void> {
    const posted = this.posted.find((p) => p.ref.messageId === ref.messageId);
    if (!posted) return Promise.reject(new Error(`no message ${ref.messageId}`));
    posted.message = message;
    posted.edits.push(message);
    return Promise.resolve();
  }

  to(externalUserId: string): PostedMessage[] {
    return this.posted.filter((p) => p.to.externalUserId === externalUserId);
  }

  async waitFor(externalUserId: string, matches: (message: OutgoingMessage) => boolean, timeoutMs = 20_000): Promise<PostedMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.to(externalUserId).find((p) => matches(p.message));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no message to ${externalUserId} matched within ${timeoutMs} ms; got ${JSON.stringify(this.to(externalUserId).map((p) => p.message.text))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
