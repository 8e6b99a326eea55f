import type { ChatPlatform } from '../../src/domain/statuses';
import { logger } from '../../src/logger';
import type { IncomingEvent } from '../core/events';
import { privateReply, type Reply } from '../core/replies';
import type { ChatEngine } from '../engine/chat-engine';
import { within } from './deadline';
import { InFlight } from './in-flight';
import { RecentDeliveries } from './recent-deliveries';
import { ChatRateLimit } from './rate-limit';
import { APOLOGY, RATE_LIMITED } from './texts';

/**
 * Slack and Discord both want a first answer within 3 seconds; a modal (a form) can only be
 * that first answer. 2 s leaves a second for the network.
 */
export const DEFAULT_ACK_BUDGET_MS = 2_000;

export interface ChatRuntimeOptions {
  engine: ChatEngine;
  platform: ChatPlatform;
  /** How long an answer that must be the platform's first may wait for the engine (see `ask`). */
  ackBudgetMs?: number;
  /** What of an error may be logged (Discord errors carry interaction tokens); as it is by default. */
  loggable?: (error: unknown) => unknown;
  /** Messages and presses one person may send per minute (CHAT_RATE_PER_MINUTE); 20 by default. */
  ratePerMinute?: number;
  /** The clock of the rate limit, in milliseconds; tests may fix it. */
  clock?: () => number;
}

/** One thing a platform delivered: a message, a command, a press, a form submission. */
export interface Delivery {
  /** What it is, for the log: 'direct message', 'button press' … */
  kind: string;
  /**
   * The same for a redelivery of the same thing (Slack event id or press id, Discord
   * interaction or message id): a repeat is dropped. Omit when the platform never repeats it.
   */
  id?: string;
  /** Tells the person who acted, privately, that it failed on our side. */
  apologise(text: string): Promise<unknown>;
}

/** The engine's answer to one event, as far as it came within the ack budget. */
export interface TimedAnswer {
  /** The replies, if the engine answered within the budget. */
  early: Reply[] | undefined;
  /** The replies whenever they come (the same as `early` when that is set). */
  replies: Promise<Reply[]>;
}

/**
 * What every chat platform does around the engine, done once: drop redeliveries, keep track
 * of the work in hand so stopping lets it finish, give the engine as long as the platform's
 * acknowledgement allows, and when something fails, log it and tell the person in one
 * sentence. A platform adapter only translates: its payloads into engine events, the
 * engine's replies into its messages.
 */
export class ChatRuntime {
  /** The engine as platforms call it: a person over the rate gets RATE_LIMITED, and the engine is not asked. */
  readonly engine: ChatEngine;
  readonly platform: ChatPlatform;
  readonly ackBudgetMs: number;
  private readonly loggable: (error: unknown) => unknown;
  private readonly inFlight = new InFlight();
  private readonly recent = new RecentDeliveries();
  private readonly log;

  constructor(options: ChatRuntimeOptions) {
    const limit = new ChatRateLimit(options.ratePerMinute, options.clock);
    const engine = options.engine;
    this.engine = { handle: (event) => (limit.allow(event.from) ? engine.handle(event) : Promise.resolve([privateReply(RATE_LIMITED)])) };
    this.platform = options.platform;
    this.ackBudgetMs = options.ackBudgetMs ?? DEFAULT_ACK_BUDGET_MS;
    this.loggable = options.loggable ?? ((error) => error);
    this.log = logger.child({ platform: options.platform });
  }

  /**
   * Handles one delivery with `handle` (the platform's translation): a redelivery is
   * dropped, the work is tracked until it ends, and a failure is logged and apologised for.
   * Never rejects.
   */
  process(delivery: Delivery, handle: () => Promise<void>): Promise<void> {
    return this.track(this.run(delivery, handle));
  }

  /** Counts `work` as in hand until it settles (for work a platform starts before `process`). */
  track<T>(work: Promise<T>): Promise<T> {
    return this.inFlight.track(work);
  }

  /**
   * Asks the engine and waits at most the ack budget: what the platform must answer first
   * (open a modal, keep one open with an error) is decided on `early`; the rest follows from
   * `replies`. A failure within the budget rejects here; a later one rejects `replies`.
   */
  async ask(event: IncomingEvent): Promise<TimedAnswer> {
    const replies = this.engine.handle(event);
    // Should acknowledging fail, nobody awaits the replies any more; their failure must not go unhandled.
    replies.catch(() => undefined);
    return { early: await within(replies, this.ackBudgetMs), replies };
  }

  /** Resolves once everything received so far has been handled. */
  drained(): Promise<void> {
    return this.inFlight.drained();
  }

  private async run(delivery: Delivery, handle: () => Promise<void>): Promise<void> {
    if (delivery.id !== undefined && !this.recent.firstTime(delivery.id)) {
      this.log.info({ deliveryId: delivery.id, kind: delivery.kind }, 'a delivery already handled came again; ignored');
      return;
    }
    try {
      await handle();
    } catch (error) {
      this.log.error({ err: this.loggable(error), kind: delivery.kind }, `${delivery.kind} failed`);
      try {
        await delivery.apologise(APOLOGY);
      } catch (apologyError) {
        this.log.warn({ err: this.loggable(apologyError), kind: delivery.kind }, 'could not tell the person that it failed');
      }
    }
  }
}
