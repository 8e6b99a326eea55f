import { webApi } from '@slack/bolt';
import type { AppConfig } from '../../src/config';
import { boltLogger } from './bolt-logger';

export type SlackConfig = Pick<AppConfig, 'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN' | 'SLACK_SIGNING_SECRET' | 'SLACK_API_URL'>;

/**
 * How the Web API client retries a failed call: briefly. Bolt's default retries for half an
 * hour; a person waiting in chat would not, and a notification runs in a Temporal activity
 * (30 s timeout) that Temporal retries itself — a call still retrying in the background after
 * that could post a message twice. Tests pass `{ retries: 0 }`.
 */
export const DEFAULT_RETRY: webApi.RetryOptions = { retries: 2, factor: 2, minTimeout: 1_000, maxTimeout: 4_000, randomize: true };

/** A call that hangs longer than this fails (and is retried as above) instead of holding a listener or an activity. */
const REQUEST_TIMEOUT_MS = 6_000;

/** Options for every Web API client of the bot: Slack itself, or `SLACK_API_URL`. */
export function webClientOptions(config: SlackConfig, retryConfig: webApi.RetryOptions = DEFAULT_RETRY): webApi.WebClientOptions {
  return { logger: boltLogger(), retryConfig, timeout: REQUEST_TIMEOUT_MS, ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}) };
}

/**
 * A bot-token client without the rest of the bot: what a worker process that only delivers
 * notifications needs for a SlackAdapter.
 */
export function createSlackWebClient(config: SlackConfig, retryConfig?: webApi.RetryOptions): webApi.WebClient {
  if (!config.SLACK_BOT_TOKEN) throw new Error('SLACK_BOT_TOKEN is not set');
  return new webApi.WebClient(config.SLACK_BOT_TOKEN, webClientOptions(config, retryConfig));
}
