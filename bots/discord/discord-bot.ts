import { Client, Events, GatewayIntentBits, Partials } from 'discord.js';
import { once } from 'node:events';
import { logger } from '../../src/logger';
import type { PlatformAdapters } from '../core/adapter';
import type { ChatEngine } from '../engine/chat-engine';
import { DiscordAdapter } from './discord-adapter';
import type { DiscordBotConfig } from './discord-config';
import { loginErrorOf } from './discord-login-error';
import { DiscordMessenger } from './discord-messenger';
import type { HandlerContext } from './handlers/handler-context';
import { handleInteraction } from './handlers/interaction-handler';
import { handleDirectMessage } from './handlers/message-handler';
import { loggableError } from './loggable-error';

export interface DiscordBotOptions {
  engine: ChatEngine;
  /** The registry the ChatNotifier delivers through; the bot adds its adapter once connected. */
  adapters: PlatformAdapters;
  config: DiscordBotConfig;
  /** See `HandlerContext.ackBudgetMs`; 2 s leaves a second of Discord's 3 for the network. */
  ackBudgetMs?: number;
  now?: () => Date;
}

export interface DiscordBot {
  readonly client: Client;
  readonly adapter: DiscordAdapter;
  stop(): Promise<void>;
}

const DEFAULT_ACK_BUDGET_MS = 2_000;

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
  const messenger = new DiscordMessenger(client.rest);
  const context: HandlerContext = { engine: options.engine, messenger, ackBudgetMs: options.ackBudgetMs ?? DEFAULT_ACK_BUDGET_MS, now };

  client.on(Events.Error, (error) => logger.error({ err: loggableError(error), platform: 'discord' }, 'Discord client error'));
  client.on(Events.ShardError, (error) => logger.warn({ err: error, platform: 'discord' }, 'Discord gateway connection error'));
  client.on(Events.ShardDisconnect, (event) => logger.warn({ code: event.code, platform: 'discord' }, 'Discord gateway disconnected for good'));
  // Handlers in progress, so that stopping lets each finish its answer.
  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>): void => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
  client.on(Events.InteractionCreate, (interaction) => track(handleInteraction(interaction, context)));
  client.on(Events.MessageCreate, (message) => track(handleDirectMessage(message, context)));

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

  const adapter = new DiscordAdapter(messenger, now);
  options.adapters.register(adapter);
  logger.info({ platform: 'discord', bot: client.user?.username }, 'Discord bot connected');
  return {
    client,
    adapter,
    /** Takes no new events, lets the ones in progress finish, then disconnects. */
    async stop() {
      options.adapters.unregister(adapter);
      client.removeAllListeners(Events.InteractionCreate).removeAllListeners(Events.MessageCreate);
      await Promise.allSettled(inFlight);
      await client.destroy();
    },
  };
}
