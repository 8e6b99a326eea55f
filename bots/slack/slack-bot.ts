import { App, webApi, type AppOptions } from '@slack/bolt';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { ConfigError } from '../../src/config';
import { logger } from '../../src/logger';
import type { PlatformAdapters } from '../core/adapter';
import type { ChatEngine } from '../engine/chat-engine';
import { boltLogger } from './bolt-logger';
import { ChatRuntime } from '../runtime/chat-runtime';
import { slackDirectChannels } from './direct-channels';
import * as actions from './listeners/actions';
import * as commands from './listeners/commands';
import type { ListenerDeps } from './listeners/listener-deps';
import * as messages from './listeners/messages';
import * as views from './listeners/views';
import { SlackAdapter } from './slack-adapter';
import { SlackPeople } from './slack-people';
import { explainRefusal, identifyBot } from './token-checks';
import { webClientOptions, type SlackConfig } from './slack-web-client';

const log = logger.child({ component: 'slack' });

export type SlackMode = 'socket' | 'http';

export interface SlackBotOptions {
  orm: MikroORM;
  engine: ChatEngine;
  /** Messages and presses one person may send per minute (CHAT_RATE_PER_MINUTE; the runtime's default 20). */
  chatRatePerMinute?: number;
  /** The registry the ChatNotifier delivers through; the bot's SlackAdapter joins it. */
  adapters: PlatformAdapters;
  config: SlackConfig;
  /**
   * `socket`: the bot connects out to Slack (SLACK_APP_TOKEN), no public URL needed.
   * `http`: Slack POSTs signed requests to `http://host:port/slack/events` (SLACK_SIGNING_SECRET).
   */
  mode: SlackMode;
  /** HTTP mode: where to listen (default 3000 on 0.0.0.0; 0 picks a free port). */
  port?: number;
  host?: string;
  /** Web API retries (see DEFAULT_RETRY); tests pass `{ retries: 0 }`. */
  retryConfig?: webApi.RetryOptions;
  /** Socket Mode: retries of `apps.connections.open` (default: the Socket Mode client's own). */
  socketRetryConfig?: webApi.RetryOptions;
}

export interface SlackBot {
  adapter: SlackAdapter;
  /** HTTP mode: the URL Slack's requests go to. */
  url?: string;
  /** Resolves once everything received so far has been handled (replies posted, messages edited). */
  idle(): Promise<void>;
  /** Stops receiving, then waits for the work in hand to finish. */
  stop(): Promise<void>;
}

const DEFAULT_PORT = 3000;

/**
 * The mode the configuration asks for: Socket Mode when there is an app token (the default
 * for people running it themselves), HTTP with a signing secret; `undefined` when Slack is
 * not configured at all.
 */
export function slackModeFor(config: SlackConfig): SlackMode | undefined {
  if (!config.SLACK_BOT_TOKEN) return undefined;
  if (config.SLACK_APP_TOKEN) return 'socket';
  return config.SLACK_SIGNING_SECRET ? 'http' : undefined;
}

/** Each missing setting as one sentence, before anything connects. */
function checkConfig(config: SlackConfig, mode: SlackMode): string {
  const problems: string[] = [];
  if (!config.SLACK_BOT_TOKEN) problems.push('SLACK_BOT_TOKEN is missing — the Slack bot needs its bot token (xoxb-…)');
  if (mode === 'socket' && !config.SLACK_APP_TOKEN) problems.push('SLACK_APP_TOKEN is missing — Socket Mode needs the app-level token (xapp-…)');
  if (mode === 'http' && !config.SLACK_SIGNING_SECRET) problems.push('SLACK_SIGNING_SECRET is missing — HTTP mode needs it to check that requests come from Slack');
  if (problems.length > 0) throw new ConfigError(problems);
  return config.SLACK_BOT_TOKEN!;
}

function appOptions(options: SlackBotOptions, token: string, bot: { botId: string; botUserId: string }): AppOptions {
  const common: AppOptions = { token, ...bot, logger: boltLogger(), clientOptions: webClientOptions(options.config, options.retryConfig) };
  if (options.mode === 'http') return { ...common, signingSecret: options.config.SLACK_SIGNING_SECRET! };
  // The Socket Mode client gets an options object of its own: it writes its retry policy
  // into it, which would otherwise leak into every Web API client Bolt makes.
  const { retryConfig: _botRetries, ...rest } = webClientOptions(options.config);
  const socketClientOptions: webApi.WebClientOptions = { ...rest, ...(options.socketRetryConfig ? { retryConfig: options.socketRetryConfig } : {}) };
  return { ...common, socketMode: true, appToken: options.config.SLACK_APP_TOKEN!, installerOptions: { clientOptions: socketClientOptions } };
}

/**
 * The Slack bot: Bolt with the listeners for `/book`, direct messages, button presses and
 * modal submissions, all driving the platform-neutral chat engine, and a SlackAdapter in
 * `adapters` so workflow notifications reach Slack users. It keeps no state a restart
 * would lose: dialogues live in PostgreSQL, bookings in Temporal workflows.
 */
export async function startSlackBot(options: SlackBotOptions): Promise<SlackBot> {
  const token = checkConfig(options.config, options.mode);
  const bot = await identifyBot(new webApi.WebClient(token, webClientOptions(options.config, options.retryConfig)));
  const app = new App(appOptions(options, token, bot));
  app.error((error) => {
    log.error({ err: error }, 'Slack listener failed');
    return Promise.resolve();
  });

  const runtime = new ChatRuntime({ engine: options.engine, platform: 'slack', ...(options.chatRatePerMinute === undefined ? {} : { ratePerMinute: options.chatRatePerMinute }) });
  // Global middleware runs around every listener, so the work is in hand from dispatch on.
  app.use(async ({ next }) => {
    await runtime.track(next());
  });

  const deps: ListenerDeps = { runtime, people: new SlackPeople(options.orm, app.client), directChannels: slackDirectChannels(app.client) };
  for (const listeners of [commands, messages, actions, views]) listeners.register(app, deps);

  let url: string | undefined;
  if (options.mode === 'http') {
    const server = (await app.start({ port: options.port ?? DEFAULT_PORT, host: options.host ?? '0.0.0.0' })) as Server;
    const address = server.address() as AddressInfo;
    url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/slack/events`;
    log.info({ port: address.port }, 'Slack bot listening for HTTP requests');
  } else {
    try {
      await app.start();
    } catch (error) {
      throw explainRefusal(error, 'SLACK_APP_TOKEN');
    }
    log.info('Slack bot connected with Socket Mode');
  }

  const adapter = new SlackAdapter(app.client);
  options.adapters.register(adapter);
  return {
    adapter,
    ...(url ? { url } : {}),
    idle: () => runtime.drained(),
    async stop() {
      await app.stop();
      await runtime.drained();
      options.adapters.unregister(adapter);
    },
  };
}
