import type { AppConfig } from '../../src/config';

/** What the Discord bot needs to connect; the token is a secret and is never logged. */
export interface DiscordBotConfig {
  token: string;
  applicationId: string;
  /** Discord's API base URL without the version (`DISCORD_API_URL`); Discord itself when unset. */
  apiUrl?: string;
  /** How often a failed REST call is retried (discord.js' default 3; tests use 0). */
  restRetries?: number;
}

/** The bot's settings from the app configuration, or `undefined` when Discord is not set up. */
export function discordBotConfigFrom(config: Pick<AppConfig, 'DISCORD_BOT_TOKEN' | 'DISCORD_APPLICATION_ID' | 'DISCORD_API_URL'>): DiscordBotConfig | undefined {
  if (!config.DISCORD_BOT_TOKEN || !config.DISCORD_APPLICATION_ID) return undefined;
  return { token: config.DISCORD_BOT_TOKEN, applicationId: config.DISCORD_APPLICATION_ID, ...(config.DISCORD_API_URL ? { apiUrl: config.DISCORD_API_URL } : {}) };
}
