import { DiscordjsErrorCodes } from 'discord.js';

/** Why the bot could not connect, in one sentence a person can act on; never holds the token. */
export class DiscordLoginError extends Error {
  override name = 'DiscordLoginError';
}

const TOKEN_REFUSED = 'Discord refused the bot token: check DISCORD_BOT_TOKEN (the Bot page of your application in the Discord developer portal; reset the token if it leaked).';

/**
 * discord.js says "invalid token" in two ways: the REST API answers 401 to fetching the
 * gateway (TokenInvalid), or the gateway closes with 4004 after IDENTIFY ("Authentication
 * failed"). Anything else is a connection problem.
 */
export function loginErrorOf(error: unknown): DiscordLoginError {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === DiscordjsErrorCodes.TokenInvalid || message === 'Authentication failed') return new DiscordLoginError(TOKEN_REFUSED, { cause: error });
  return new DiscordLoginError(`Could not connect to Discord: ${message}`, { cause: error });
}
