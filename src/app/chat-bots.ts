import type { MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config';
import { logger } from '../logger';
import type { PlatformAdapters } from '../../bots/core/adapter';
import { discordBotConfigFrom } from '../../bots/discord/discord-config';
import { startDiscordBot } from '../../bots/discord/discord-bot';
import { createDiscordRestAdapter } from '../../bots/discord/discord-rest-adapter';
import { createChatEngine } from '../../bots/engine/chat-engine';
import { publicBaseUrlOf } from '../calendar/links';
import type { BookingOperations } from '../../bots/engine/effects';
import { SlackAdapter } from '../../bots/slack/slack-adapter';
import { slackModeFor, startSlackBot } from '../../bots/slack/slack-bot';
import { createSlackWebClient } from '../../bots/slack/slack-web-client';

export interface RunningChatBots {
  /** The platforms that are running, e.g. ['slack', 'discord']. */
  started: string[];
  stop(): Promise<void>;
}

/**
 * Starts the chat bots that have credentials, all on one engine, each registering its
 * adapter in `adapters` (the registry the ChatNotifier delivers through). A bot that cannot
 * start (a refused token) is reported in one sentence and the others carry on.
 */
export async function startChatBots(options: { config: AppConfig; orm: MikroORM; bookings: BookingOperations; adapters: PlatformAdapters }): Promise<RunningChatBots> {
  const { config, orm, adapters } = options;
  const engine = createChatEngine({ orm, bookings: options.bookings, publicBaseUrl: publicBaseUrlOf(config) });
  const running: { name: string; stop: () => Promise<void> }[] = [];

  const slackMode = slackModeFor(config);
  if (slackMode) {
    try {
      const bot = await startSlackBot({ orm, engine, adapters, config, mode: slackMode, chatRatePerMinute: config.CHAT_RATE_PER_MINUTE });
      running.push({ name: 'slack', stop: () => bot.stop() });
      logger.info({ mode: slackMode, url: bot.url }, 'Slack bot running');
    } catch (error) {
      logger.error({ err: error }, `Slack bot not started: ${(error as Error).message}`);
    }
  }
  const discord = discordBotConfigFrom(config);
  if (discord) {
    try {
      const bot = await startDiscordBot({ engine, adapters, config: discord, chatRatePerMinute: config.CHAT_RATE_PER_MINUTE });
      running.push({ name: 'discord', stop: () => bot.stop() });
      logger.info('Discord bot running');
    } catch (error) {
      logger.error({ err: error }, `Discord bot not started: ${(error as Error).message}`);
    }
  }
  return {
    started: running.map((bot) => bot.name),
    async stop() {
      for (const bot of running.reverse()) await bot.stop();
    },
  };
}

/**
 * For a worker running apart from the bots: the send-and-edit side of each configured
 * platform (no gateway, no receiver), so workflow notifications still reach people.
 */
export function registerPlatformAdapters(config: AppConfig, adapters: PlatformAdapters): string[] {
  const registered: string[] = [];
  if (config.SLACK_BOT_TOKEN) {
    adapters.register(new SlackAdapter(createSlackWebClient(config)));
    registered.push('slack');
  }
  const discord = discordBotConfigFrom(config);
  if (discord) {
    adapters.register(createDiscordRestAdapter(discord));
    registered.push('discord');
  }
  return registered;
}
