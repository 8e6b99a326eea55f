import { MINUTE_MS } from '../../src/domain/time';

/** Slack redelivers an unacknowledged event three times within about five minutes; a Discord gateway resume replays what a dropped session missed. */
const DEFAULT_WINDOW_MS = 15 * MINUTE_MS;
const DEFAULT_MAX_KEYS = 50_000;

/**
 * The deliveries this process handled lately (event ids, button presses, interactions), so a
 * redelivery (`X-Slack-Retry-Num`, a Socket Mode envelope sent again, a replayed gateway
 * event) is recognised and dropped. Memory is bounded: keys expire after the window, and the
 * oldest go first beyond `maxKeys`.
 * Decisions are idempotent further down as well (the press id is the workflow Update id);
 * this keeps a repeated message from advancing a dialogue twice or answering twice.
 */
export class RecentDeliveries {
  // Insertion order is expiry order, because every key gets the same window.
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly windowMs = DEFAULT_WINDOW_MS,
    private readonly maxKeys = DEFAULT_MAX_KEYS,
  ) {}

  /** True the first time `key` is seen within the window; false for a repeat. */
  firstTime(key: string, now = Date.now()): boolean {
    for (const [oldest, expiry] of this.expiries) {
      if (expiry > now) break;
      this.expiries.delete(oldest);
    }
    if (this.expiries.has(key)) return false;
    // Full: the oldest key makes room (only a new key evicts, so a check never forgets what it asks about).
    if (this.expiries.size >= this.maxKeys) this.expiries.delete(this.expiries.keys().next().value!);
    this.expiries.set(key, now + this.windowMs);
    return true;
  }
}
