import { logger } from '../logger';
import type { Notification, Notifier } from './notification';
import { RecentKeys } from './recent-keys';

const log = logger.child({ component: 'notifications' });

/**
 * Hands each notification to every channel (chat, e-mail, log) at once. One channel
 * failing does not stop the others; the composite still rejects afterwards, so Temporal
 * retries the notify activity. On that retry only the channels that failed are called
 * again: a channel that delivered a key is not asked twice within this process.
 */
export class CompositeNotifier implements Notifier {
  private readonly channels: [name: string, notifier: Notifier][];
  private readonly delivered = new RecentKeys();

  /** `channels` by name, e.g. `{ slack, email, log }`; the names appear in errors and logs. */
  constructor(channels: Record<string, Notifier>) {
    this.channels = Object.entries(channels);
  }

  async notify(notification: Notification): Promise<void> {
    const pending = this.channels.filter(([name]) => !this.delivered.has(this.deliveryKey(name, notification)));
    const results = await Promise.allSettled(pending.map(([, notifier]) => notifier.notify(notification)));
    const failed: { name: string; error: unknown }[] = [];
    results.forEach((result, index) => {
      const [name] = pending[index]!;
      if (result.status === 'fulfilled') this.delivered.add(this.deliveryKey(name, notification));
      else failed.push({ name, error: result.reason });
    });
    if (failed.length === 0) return;
    for (const { name, error } of failed) {
      log.warn({ err: error, channel: name, key: notification.key, kind: notification.kind }, `${name} notification failed; Temporal will retry`);
    }
    throw new AggregateError(
      failed.map(({ error }) => error),
      `${failed.length} of ${this.channels.length} notification channels failed for ${notification.kind} (${notification.key}): ${failed.map(({ name, error }) => `${name}: ${error instanceof Error ? error.message : String(error)}`).join('; ')}`,
    );
  }

  private deliveryKey(channel: string, notification: Notification): string {
    return `${channel}\u0000${notification.key}`;
  }
}
