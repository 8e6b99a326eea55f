import { describe, expect, it } from 'vitest';
import { CompositeNotifier } from '../../src/notifications/composite-notifier';
import type { CreditNotice, CreditNotifier, Notification, Notifier } from '../../src/notifications/notification';

/** A channel that counts its calls and fails its first `failures` deliveries. */
class Channel implements Notifier {
  calls = 0;
  delivered: string[] = [];
  constructor(private failures = 0) {}
  notify(notification: Notification): Promise<void> {
    this.calls++;
    if (this.failures > 0) {
      this.failures--;
      return Promise.reject(new Error('platform unavailable'));
    }
    this.delivered.push(notification.key);
    return Promise.resolve();
  }
}

function notification(key: string): Notification {
  return { key, kind: 'request.approved', audience: ['client', 'trainer'], bookingRequestId: 1, trainerId: 2, clientId: 3, text: 'The booking is confirmed.' };
}

describe('CompositeNotifier', () => {
  it('hands a notification to every channel', async () => {
    const slack = new Channel();
    const email = new Channel();
    await new CompositeNotifier({ slack, email }).notify(notification('n-1'));
    expect([slack.delivered, email.delivered]).toEqual([['n-1'], ['n-1']]);
  });

  it('still delivers through the others when one channel fails, and then rejects so Temporal retries', async () => {
    const slack = new Channel();
    const email = new Channel(1);
    const discord = new Channel();
    const composite = new CompositeNotifier({ slack, email, discord });

    await expect(composite.notify(notification('n-2'))).rejects.toThrow(/1 of 3 notification channels failed for request\.approved \(n-2\): email: platform unavailable/);
    expect([slack.delivered, email.delivered, discord.delivered]).toEqual([['n-2'], [], ['n-2']]);
  });

  it('on the retry, calls only the channels that failed: nobody is told twice', async () => {
    const slack = new Channel();
    const email = new Channel(2);
    const composite = new CompositeNotifier({ slack, email });

    await expect(composite.notify(notification('n-3'))).rejects.toThrow(AggregateError);
    await expect(composite.notify(notification('n-3'))).rejects.toThrow(AggregateError);
    await composite.notify(notification('n-3'));
    await composite.notify(notification('n-3')); // a late duplicate after success

    expect(slack.calls).toBe(1);
    expect(email.calls).toBe(3);
    expect([slack.delivered, email.delivered]).toEqual([['n-3'], ['n-3']]);
  });

  it('keeps notifications apart by key', async () => {
    const slack = new Channel();
    const composite = new CompositeNotifier({ slack });
    await composite.notify(notification('n-4'));
    await composite.notify(notification('n-5'));
    expect(slack.delivered).toEqual(['n-4', 'n-5']);
  });

  it('reports every failing channel with its own error', async () => {
    const composite = new CompositeNotifier({ slack: new Channel(1), email: new Channel(1) });
    const failure = await composite.notify(notification('n-6')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AggregateError);
    expect((failure as AggregateError).errors).toHaveLength(2);
    expect((failure as AggregateError).message).toContain('slack: platform unavailable; email: platform unavailable');
  });
});

/** A channel that reaches people about their packs too (issue 13), failing its first `failures` notices. */
class CreditChannel extends Channel implements CreditNotifier {
  notices: string[] = [];
  constructor(private noticeFailures = 0) {
    super();
  }
  notifyCredits(notice: CreditNotice): Promise<void> {
    if (this.noticeFailures > 0) {
      this.noticeFailures--;
      return Promise.reject(new Error('mail server down'));
    }
    this.notices.push(notice.key);
    return Promise.resolve();
  }
}

function creditNotice(key: string): CreditNotice {
  return { key, kind: 'credits.low', audience: ['client'], clientId: 3, trainerId: 2, text: 'You have 1 credit left with Sam.', lotId: 5, packName: 'Ten', available: 1, totalLeft: 1, expiresAt: '2027-03-14T08:00:00.000Z' };
}

describe('CompositeNotifier and pack notices', () => {
  it('hands a notice to the channels that can send one, skips the others, and on a retry calls only the one that failed', async () => {
    const plain = new Channel();
    const chat = new CreditChannel();
    const email = new CreditChannel(1);
    const composite = new CompositeNotifier({ plain, chat, email });

    await expect(composite.notifyCredits(creditNotice('c-1'))).rejects.toThrow(/1 of 2 notification channels failed for credits\.low \(c-1\): email: mail server down/);
    await composite.notifyCredits(creditNotice('c-1'));
    expect([chat.notices, email.notices, plain.calls]).toEqual([['c-1'], ['c-1'], 0]);
  });
});
