import { REST } from 'discord.js';
import { DiscordAdapter } from './discord-adapter';
import type { DiscordBotConfig } from './discord-config';

/**
 * The notification side of Discord without the bot's gateway connection: posting and
 * editing need only the bot token. For a worker that runs apart from the bot process;
 * where the bot runs in the same process, `startDiscordBot` registers its own adapter.
 */
export function createDiscordRestAdapter(config: DiscordBotConfig, now?: () => Date): DiscordAdapter {
  const rest = new REST({ ...(config.apiUrl ? { api: config.apiUrl } : {}), ...(config.restRetries === undefined ? {} : { retries: config.restRetries }) }).setToken(config.token);
  return new DiscordAdapter(rest, now);
}
