import type { ChatAddress } from '../core/events';

/** Messages and presses one person may send per minute before the bot answers RATE_LIMITED instead. */
export const DEFAULT_CHAT_RATE_PER_MINUTE = 20;

const WINDOW_MS = 60_000;
/** Past this many people tracked, those idle for a whole window are forgotten. */
const SWEEP_AT = 10_000;

/**
 * A sliding one-minute window per person (platform, workspace and user): at most `perMinute`
 * events are let through in any 60 seconds. Memory stays bounded: each person keeps at most
 * `perMinute` times, and people idle for a minute are dropped once many are tracked.
 */
export class ChatRateLimit {
  private readonly seen = new Map<string, number[]>();

  constructor(
    readonly perMinute: number = DEFAULT_CHAT_RATE_PER_MINUTE,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one event of the person; false when it is over the rate (it is not counted then). A rate of 0 is no limit. */
  allow(from: ChatAddress): boolean {
    if (this.perMinute <= 0) return true;
    const at = this.now();
    const key = `${from.platform}:${from.workspaceId}:${from.externalUserId}`;
    const recent = (this.seen.get(key) ?? []).filter((time) => at - time < WINDOW_MS);
    if (recent.length >= this.perMinute) {
      this.seen.set(key, recent);
      return false;
    }
    recent.push(at);
    this.seen.set(key, recent);
    if (this.seen.size > SWEEP_AT) this.sweep(at);
    return true;
  }

  private sweep(at: number): void {
    for (const [key, times] of this.seen) if (times.every((time) => at - time >= WINDOW_MS)) this.seen.delete(key);
  }
}
