import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { PlatformAdapters } from '../../../bots/core/adapter';
import { createChatEngine, type ChatEngine } from '../../../bots/engine/chat-engine';
import { linkChatIdentity } from '../../../bots/identity/link-identity';
import { ChatNotifier } from '../../../bots/notifications/chat-notifier';
import { startSlackBot, type SlackBot, type SlackMode } from '../../../bots/slack/slack-bot';
import type { TimeSlot, Trainer } from '../../../src/db/entities';
import type { WorkflowTimings } from '../../../workflows/contract';
import { startBookingStack } from '../../support/booking-stack';
import type { TestDatabase } from '../../support/database';
import { createTrainerWithSlots } from '../../support/fixtures';
import type { RunningBookingWorker } from '../../support/temporal';
import { FakeSlack, type FakeMessage } from './fake-slack';
import { bodyOf, buttonsOf, SlackPerson } from './slack-person';

// Shaped like real credentials, so config validation and log scrubbing treat them as such.
export const SLACK_TOKENS = {
  bot: 'xoxb-1000000001-2000000002-fakeBotTokenForTests',
  app: 'xapp-1-A0FAKEAPP-3000000003-fakeAppTokenForTests',
  signingSecret: 'fakeSigningSecretForTests0123456789',
};


export interface SlackTrainer {
  trainer: Trainer;
  name: string;
  slots: TimeSlot[];
  person: SlackPerson;
}

/**
 * One test file's world: its own database, a real Temporal worker whose notifier delivers
 * through the bot's adapters, the real engine, the fake Slack, and the real Bolt app
 * connected to it over HTTP or Socket Mode.
 */
export class SlackHarness {
  private people = 0;

  private constructor(
    readonly db: TestDatabase,
    readonly worker: RunningBookingWorker,
    readonly engine: ChatEngine,
    readonly adapters: PlatformAdapters,
    readonly fake: FakeSlack,
    readonly bot: SlackBot,
  ) {}

  static async start({ mode, timings }: { mode: SlackMode; timings?: Partial<WorkflowTimings> }): Promise<SlackHarness> {
    const adapters = new PlatformAdapters();
    const fake = await FakeSlack.start({ botToken: SLACK_TOKENS.bot, appToken: SLACK_TOKENS.app, signingSecret: SLACK_TOKENS.signingSecret });
    const { db, running: worker } = await startBookingStack({ notifier: (created) => new ChatNotifier(created.orm, adapters), ...(timings ? { timings } : {}) });
    const engine = createChatEngine({ orm: db.orm, bookings: worker.bookings });
    const bot = await startSlackBot({
      orm: db.orm,
      engine,
      adapters,
      mode,
      config: {
        SLACK_BOT_TOKEN: SLACK_TOKENS.bot,
        SLACK_APP_TOKEN: mode === 'socket' ? SLACK_TOKENS.app : undefined,
        SLACK_SIGNING_SECRET: mode === 'http' ? SLACK_TOKENS.signingSecret : undefined,
        SLACK_API_URL: fake.apiUrl,
      },
      port: 0,
      host: '127.0.0.1',
      retryConfig: { retries: 0 },
      socketRetryConfig: { retries: 0 },
    });
    if (bot.url) fake.useHttpReceiver(bot.url);
    return new SlackHarness(db, worker, engine, adapters, fake, bot);
  }

  async stop(): Promise<void> {
    // The bot first: it finishes what it is handling while the worker and database still run.
    await this.bot.stop();
    await this.worker.stop();
    await this.fake.stop();
    await this.db.drop();
  }

  /** A new person in the workspace. */
  person(realName: string, tz = 'UTC'): SlackPerson {
    const id = `U${++this.people}${randomBytes(3).toString('hex').toUpperCase()}`;
    return new SlackPerson(this.fake, { id, name: realName.toLowerCase().replace(/\W+/g, '.'), realName, tz });
  }

  /** A trainer (UTC; Strength Training and HIIT) with six hourly slots from 09:00 UTC on `day` (YYYY-MM-DD), whose Slack account an operator linked (unless `link: false`). */
  async trainer(day: string, options: { link?: boolean } = {}): Promise<SlackTrainer> {
    const { trainer, slots, name } = await createTrainerWithSlots(this.db.orm.em.fork(), day);
    const person = this.person(name);
    // An operator links the Slack user id only: the bot opens the DM when it first writes.
    if (options.link !== false) await linkChatIdentity(this.db.orm, { platform: 'slack', workspaceId: this.fake.teamId, externalUserId: person.id }, trainer.user.id);
    return { trainer, name, slots, person };
  }

  /** The trainer's request message from `clientName`, with its Approve buttons. */
  requestMessageFor(trainer: SlackPerson, clientName: string, since = 0): Promise<FakeMessage> {
    return trainer.nextMessage(since, (m) => m.text.includes(`from ${clientName}`) && buttonsOf(m).some((b) => b.startsWith('Approve')), 'the request message');
  }

  async waitForStatus(bookingRequestId: number, status: string): Promise<void> {
    await expect.poll(async () => (await this.worker.bookings.state(bookingRequestId)).status, { timeout: 30_000, interval: 50 }).toBe(status);
  }
}

/**
 * The client's side of a flexible booking in their DM: "book" (or `/book`), the trainer, the session
 * type, everything else in one sentence, no notes, Confirm. Returns the request id, read
 * from the summary message once Confirm has closed it.
 */
export async function bookFlexibly(client: SlackPerson, trainerName: string, options: { startWith?: 'message' | 'command'; when?: string } = {}): Promise<number> {
  const when = options.when ?? 'next 7 days, mornings 9-12, weekends fine, 60 min, at the gym';
  let mark = client.fake.mark();
  if (options.startWith === 'command') await client.command('');
  else await client.say('book');
  const trainers = await client.nextMessage(mark, (m) => m.text.startsWith('Which trainer'));
  mark = client.fake.mark();
  if (buttonsOf(trainers).some((b) => b.startsWith(trainerName))) await client.press(trainers, new RegExp(`^${trainerName}`));
  else await client.choose(trainers, new RegExp(`^${trainerName}`));
  await client.nextMessage(mark, (m) => m.text.startsWith('What kind of session'));
  mark = client.fake.mark();
  await client.say('Strength');
  await client.nextMessage(mark, (m) => m.text.startsWith('How long'));
  mark = client.fake.mark();
  await client.say(when);
  const notes = await client.nextMessage(mark, (m) => m.text.startsWith('Anything the trainer should know'));
  mark = client.fake.mark();
  await client.press(notes, 'Skip');
  const summary = await client.nextMessage(mark, (m) => m.text.startsWith('Please check your request'));
  await client.press(summary, 'Confirm');
  const sent = await client.fake.waitFor(() => /request #(\d+)/.exec(bodyOf(summary)), 'the summary to show the request number');
  return Number(sent[1]);
}
