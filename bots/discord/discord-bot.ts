import { Client, Events, GatewayIntentBits, Partials } from 'discord.js';
import { once } from 'node:events';
import { logger } from '../../src/logger';
import type { PlatformAdapters } from '../core/adapter';
import type { ChatEngine } from '../engine/chat-engine';
import { ChatRuntime } from '../runtime/chat-runtime';
import { DiscordAdapter } from './discord-adapter';
import type { DiscordBotConfig } from './discord-config';
import { loginErrorOf } from './discord-login-error';
import type { HandlerContext } from './handlers/handler-context';
import { handleInteraction } from './handlers/interaction-handler';
import { handleDirectMessage } from './handlers/message-handler';
import { loggableError } from './loggable-error';

export interface DiscordBotOptions {
  engine: ChatEngine;
  /** The registry the ChatNotifier delivers through; the bot adds its adapter once connected. */
  adapters: PlatformAdapters;
  config: DiscordBotConfig;
  /** How long a press may wait for the engine before it is acknowledged anyway (the runtime's default 2 s); tests shorten it. */
  ackBudgetMs?: number;
  /** Messages and presses one person may send per minute (CHAT_RATE_PER_MINUTE; the runtime's default 20). */
  chatRatePerMinute?: number;
  now?: () => Date;
}

export interface DiscordBot {
  readonly client: Client;
  readonly adapter: DiscordAdapter;
  stop(): Promise<void>;
}

/**
 * Connects the Discord bot: slash commands, buttons, selects and modals anywhere it is
 * installed, free text in DMs, and the adapter that posts and edits workflow
 * notifications. Resolves once the gateway session is ready; rejects with a
 * DiscordLoginError (one sentence, no token) when Discord refuses the token or cannot be
 * reached. The bot keeps nothing in memory that a restart would lose.
 */
export async function startDiscordBot(options: DiscordBotOptions): Promise<DiscordBot> {
  const { config } = options;
  const now = options.now ?? (() => new Date());
  const client = new Client({
    // Guilds: slash commands and buttons in servers; DirectMessages: the DM conversation (DM
    // text needs no Message Content intent). DM channels are not cached, hence the partial.
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages],
    partials: [Partials.Channel],
    allowedMentions: { parse: [] },
    rest: { ...(config.apiUrl ? { api: config.apiUrl } : {}), ...(config.restRetries === undefined ? {} : { retries: config.restRetries }) },
  });
  const runtime = new ChatRuntime({ engine: options.engine, platform: 'discord', loggable: loggableError, ...(options.ackBudgetMs === undefined ? {} : { ackBudgetMs: options.ackBudgetMs }), ...(options.chatRatePerMinute === undefined ? {} : { ratePerMinute: options.chatRatePerMinute }) });
  const adapter = new DiscordAdapter(client.rest, now);
  const context: HandlerContext = { runtime, adapter, now };

  client.on(Events.Error, (error) => logger.error({ err: loggableError(error), platform: 'discord' }, 'Discord client error'));
  client.on(Events.ShardError, (error) => logger.warn({ err: error, platform: 'discord' }, 'Discord gateway connection error'));
  client.on(Events.ShardDisconnect, (event) => logger.warn({ code: event.code, platform: 'discord' }, 'Discord gateway disconnected for good'));
  client.on(Events.InteractionCreate, (interaction) => void handleInteraction(interaction, context));
  client.on(Events.MessageCreate, (message) => void handleDirectMessage(message, context));

  const loginAborted = new AbortController();
  const ready = once(client, Events.ClientReady, { signal: loginAborted.signal });
  try {
    await client.login(config.token);
    await ready;
  } catch (error) {
    loginAborted.abort();
    await ready.catch(() => undefined); // stops waiting for a ready that will not come
    await client.destroy();
    throw loginErrorOf(error);
  }
  if (client.application && client.application.id !== config.applicationId) {
    logger.warn({ platform: 'discord' }, 'DISCORD_APPLICATION_ID is not the application of DISCORD_BOT_TOKEN; slash commands registered for it will not reach this bot');
  }

  options.adapters.register(adapter);
  logger.info({ platform: 'discord', bot: client.user?.username }, 'Discord bot connected');
  return {
    client,
    adapter,
    /** Takes no new events, lets the ones in progress finish, then disconnects. */
    async stop() {
      options.adapters.unregister(adapter);
      client.removeAllListeners(Events.InteractionCreate).removeAllListeners(Events.MessageCreate);
      await runtime.drained();
      await client.destroy();
    },
  };
}
