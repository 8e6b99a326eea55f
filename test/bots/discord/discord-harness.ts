import { PlatformAdapters } from '../../../bots/core/adapter';
import { startDiscordBot, type DiscordBot } from '../../../bots/discord/discord-bot';
import type { DiscordBotConfig } from '../../../bots/discord/discord-config';
import { registerDiscordCommands } from '../../../bots/discord/commands/register-commands';
import { createChatEngine, type ChatEngine } from '../../../bots/engine/chat-engine';
import { linkChatIdentity } from '../../../bots/identity/link-identity';
import { ChatNotifier } from '../../../bots/notifications/chat-notifier';
import type { TimeSlot, Trainer } from '../../../src/db/entities';
import type { WorkflowTimings } from '../../../workflows/contract';
import { startBookingStack } from '../../support/booking-stack';
import type { TestDatabase } from '../../support/database';
import { createTrainerWithSlots } from '../../support/fixtures';
import type { RunningBookingWorker } from '../../support/temporal';
import { DiscordPerson } from './discord-person';
import { FakeDiscord } from './fake-discord';


/**
 * Everything real but Discord: PostgreSQL, a Temporal worker with the ChatNotifier, the
 * chat engine, and the discord.js bot connected to a fake Discord on 127.0.0.1 with the
 * slash commands registered.
 */
export interface DiscordHarness {
  db: TestDatabase;
  fake: FakeDiscord;
  worker: RunningBookingWorker;
  engine: ChatEngine;
  adapters: PlatformAdapters;
  bot: DiscordBot;
  config: DiscordBotConfig;
  stop(): Promise<void>;
}

export async function startDiscordHarness(options: { timings?: Partial<WorkflowTimings> } = {}): Promise<DiscordHarness> {
  // A short heartbeat interval, so heartbeats and their ACKs happen during a test.
  const fake = await FakeDiscord.start({ heartbeatIntervalMs: 1_000 });
  const adapters = new PlatformAdapters();
  const stack = await startBookingStack({ notifier: (created) => new ChatNotifier(created.orm, adapters), ...(options.timings ? { timings: options.timings } : {}) });
  const { db, running: worker } = stack;
  const engine = createChatEngine({ orm: db.orm, bookings: worker.bookings });
  const config: DiscordBotConfig = { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl, restRetries: 0 };
  await registerDiscordCommands(config);
  const bot = await startDiscordBot({ engine, adapters, config });
  return {
    db,
    fake,
    worker,
    engine,
    adapters,
    bot,
    config,
    async stop() {
      await bot.stop();
      await fake.close();
      await stack.stop();
    },
  };
}

let trainers = 0;

export interface DiscordTrainer {
  trainer: Trainer;
  slots: TimeSlot[];
  name: string;
  person: DiscordPerson;
}

/**
 * A trainer (UTC, Strength Training and HIIT) with six hourly slots from 09:00 UTC
 * on `day` (YYYY-MM-DD), whose Discord account an operator linked (unless `linked: false`).
 * Their messages go to `channelId` when given (a server channel their team reads), else to
 * a DM the bot opens.
 */
export async function trainerOnDiscord(harness: DiscordHarness, day: string, options: { channelId?: string; linked?: boolean } = {}): Promise<DiscordTrainer> {
  const { trainer, slots, name } = await createTrainerWithSlots(harness.db.orm.em.fork(), day);
  const person = new DiscordPerson(harness.fake, harness.fake.addUser(`Coach ${++trainers}`));
  if (options.linked !== false) await linkChatIdentity(harness.db.orm, { platform: 'discord', workspaceId: '', externalUserId: person.id, channelId: options.channelId ?? null }, trainer.user.id);
  return { trainer, slots, name, person };
}

export function clientOnDiscord(harness: DiscordHarness, displayName: string): DiscordPerson {
  return new DiscordPerson(harness.fake, harness.fake.addUser(displayName));
}
