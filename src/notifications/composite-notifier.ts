import { logger } from '../logger';
import type { CreditNotice, CreditNotifier, Notification, Notifier } from './notification';
import { RecentKeys } from './recent-keys';

const log = logger.child({ component: 'notifications' });

/**
 * Hands each notification to every channel (chat, e-mail, log) at once. One channel
 * failing does not stop the others; the composite still rejects afterwards, so Temporal
 * retries the notify activity. On that retry only the channels that failed are called
 * again: a channel that delivered a key is not asked twice within this process.
 */
export class CompositeNotifier implements Notifier, CreditNotifier {
  private readonly channels: [name: string, notifier: Notifier & Partial<CreditNotifier>][];
  private readonly delivered = new RecentKeys();

  /** `channels` by name, e.g. `{ slack, email, log }`; the names appear in errors and logs. */
  constructor(channels: Record<string, Notifier & Partial<CreditNotifier>>) {
    this.channels = Object.entries(channels);
  }

  async notify(notification: Notification): Promise<void> {
    await this.deliver(this.channels, notification, (notifier) => notifier.notify(notification));
  }

  /** A pack notice (issue 13) to every channel that can reach people outside a booking request; the others are skipped. */
  async notifyCredits(notice: CreditNotice): Promise<void> {
    await this.deliver(
      this.channels.filter(([, notifier]) => typeof notifier.notifyCredits === 'function'),
      notice,
      (notifier) => notifier.notifyCredits!(notice),
    );
  }

  private async deliver(channels: [string, Notifier & Partial<CreditNotifier>][], message: { key: string; kind: string }, send: (notifier: Notifier & Partial<CreditNotifier>) => Promise<void>): Promise<void> {
    const pending = channels.filter(([name]) => !this.delivered.has(this.deliveryKey(name, message)));
    const results = await Promise.allSettled(pending.map(([, notifier]) => send(notifier)));
    const failed: { name: string; error: unknown }[] = [];
    results.forEach((result, index) => {
      const [name] = pending[index]!;
      if (result.status === 'fulfilled') this.delivered.add(this.deliveryKey(name, message));
      else failed.push({ name, error: result.reason });
    });
    if (failed.length === 0) return;
    for (const { name, error } of failed) {
      log.warn({ err: error, channel: name, key: message.key, kind: message.kind }, `${name} notification failed; Temporal will retry`);
    }
    throw new AggregateError(
      failed.map(({ error }) => error),
      `${failed.length} of ${channels.length} notification channels failed for ${message.kind} (${message.key}): ${failed.map(({ name, error }) => `${name}: ${error instanceof Error ? error.message : String(error)}`).join('; ')}`,
    );
  }

  private deliveryKey(channel: string, message: { key: string }): string {
    return `${channel}\u0000${message.key}`;
  }
}
