import { REST, Routes, type APIApplicationCommand } from 'discord.js';
import { commandDefinitions } from './command-definitions';

export interface RegisterCommandsOptions {
  token: string;
  applicationId: string;
  /** Discord's API base URL (`DISCORD_API_URL`); Discord itself when unset. */
  apiUrl?: string;
  /** Register in one server only: changes show at once there (global ones can take a while). */
  guildId?: string;
}

/**
 * Replaces the application's slash commands with ours (`PUT`, so a removed command goes
 * too, and running it twice changes nothing). Returns what Discord registered.
 */
export async function registerDiscordCommands(options: RegisterCommandsOptions): Promise<APIApplicationCommand[]> {
  const rest = new REST({ ...(options.apiUrl ? { api: options.apiUrl } : {}), retries: 1 }).setToken(options.token);
  const route = options.guildId ? Routes.applicationGuildCommands(options.applicationId, options.guildId) : Routes.applicationCommands(options.applicationId);
  return (await rest.put(route, { body: commandDefinitions() })) as APIApplicationCommand[];
}
