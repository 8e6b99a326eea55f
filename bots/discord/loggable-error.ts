import { DiscordAPIError, HTTPError } from 'discord.js';

/** Interaction tokens sit in webhook and callback paths; they act for 15 minutes, so they stay out of logs. */
const TOKEN_IN_PATH = /\/(webhooks\/\d+|interactions\/\d+)\/[^/?]+/g;

const withoutTokens = (url: string): string => url.replace(TOKEN_IN_PATH, '/$1/:token');

/**
 * A Discord error as it may be logged: discord.js errors carry the request URL (with an
 * interaction token in it) and the request body (a person's words); only what says what
 * went wrong is kept. Other errors are logged as they are.
 */
export function loggableError(error: unknown): unknown {
  if (error instanceof DiscordAPIError || error instanceof HTTPError) {
    return { type: error.name, message: error.message, status: error.status, method: error.method, route: withoutTokens(error.url), ...(error instanceof DiscordAPIError ? { code: error.code } : {}) };
  }
  return error;
}
