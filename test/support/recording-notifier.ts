import { Context } from '@temporalio/activity';
import type { CreditNotice, CreditNotifier, Notification, Notifier } from '../../src/notifications/notification';

export interface RecordedNotification extends Notification {
  /** When the workflow asked for it, on the Temporal server's clock (skipped time included). */
  scheduledAtMs: number;
}

/** A pack notice as recorded, with when its activity was scheduled (the server's clock). */
export interface RecordedCreditNotice extends CreditNotice {
  scheduledAtMs: number;
}

/** When the activity delivering now was scheduled, on the Temporal server's clock (skipped time included); now outside an activity. */
function scheduledAt(): number {
  try {
    return Context.current().info.scheduledTimestampMs;
  } catch {
    return Date.now();
  }
}

/** Keeps every notification (and pack notice) for assertions; `failFirst` makes the first N deliveries fail. */
export class RecordingNotifier implements Notifier, CreditNotifier {
  readonly sent: RecordedNotification[] = [];
  /** Pack notices (issue 13), once per key. */
  readonly credits: RecordedCreditNotice[] = [];
  attempts = 0;
  constructor(private failFirst = 0) {}

  notify(notification: Notification): Promise<void> {
    this.attempts++;
    if (this.failFirst > 0) {
      this.failFirst--;
      return Promise.reject(new Error('chat platform unavailable (simulated)'));
    }
    let scheduledAtMs = Date.now();
    try {
      scheduledAtMs = Context.current().info.scheduledTimestampMs;
    } catch {
      // Called outside an activity.
    }
    // A retried activity may deliver twice; adapters drop repeats by key, and so do we.
    if (!this.sent.some((n) => n.key === notification.key)) this.sent.push({ ...notification, scheduledAtMs });
    return Promise.resolve();
  }

  notifyCredits(notice: CreditNotice): Promise<void> {
    if (!this.credits.some((n) => n.key === notice.key)) this.credits.push({ ...notice, scheduledAtMs: scheduledAt() });
    return Promise.resolve();
  }

  /** The pack notices of a client (of one kind). */
  creditsOf(clientId: number, kind?: CreditNotice['kind']): RecordedCreditNotice[] {
    return this.credits.filter((n) => n.clientId === clientId && (kind === undefined || n.kind === kind));
  }

  async waitForCredits(clientId: number, kind: CreditNotice['kind'], count = 1, timeoutMs = 20_000): Promise<RecordedCreditNotice[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.creditsOf(clientId, kind).length < count) {
      if (Date.now() > deadline) throw new Error(`no ${kind} notice for client ${clientId} within ${timeoutMs} ms; got ${JSON.stringify(this.creditsOf(clientId).map((n) => n.kind))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.creditsOf(clientId, kind);
  }

  of(bookingRequestId: number, kind?: Notification['kind']): RecordedNotification[] {
    return this.sent.filter((n) => n.bookingRequestId === bookingRequestId && (kind === undefined || n.kind === kind));
  }

  async waitFor(bookingRequestId: number, kind: Notification['kind'], count = 1, timeoutMs = 20_000): Promise<RecordedNotification[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.of(bookingRequestId, kind).length < count) {
      if (Date.now() > deadline) throw new Error(`no ${kind} notification for request ${bookingRequestId} within ${timeoutMs} ms; got ${JSON.stringify(this.of(bookingRequestId).map((n) => n.kind))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.of(bookingRequestId, kind);
  }
}
