import { DiscordAPIError } from 'discord.js';
import { registerDiscordCommands } from '../bots/discord/commands/register-commands';
import { ConfigError, loadConfig } from '../src/config';

/**
 * `npm run discord:register [-- --guild <server id>]`: registers the bot's slash commands
 * with Discord (DISCORD_BOT_TOKEN, DISCORD_APPLICATION_ID, optional DISCORD_API_URL, from
 * the environment or `.env`). Global commands can take a while to show in every server;
 * `--guild` registers them in one server, at once. Run it again after changing a command.
 */
function guildOf(args: string[]): string | undefined {
  const at = args.indexOf('--guild');
  if (at < 0) return undefined;
  const id = args[at + 1];
  if (!id || !/^\d{17,20}$/.test(id)) throw new ConfigError('--guild needs a server id (17 to 20 digits; Developer Mode → right-click the server → Copy Server ID)');
  return id;
}

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.DISCORD_BOT_TOKEN || !config.DISCORD_APPLICATION_ID) throw new ConfigError('DISCORD_BOT_TOKEN and DISCORD_APPLICATION_ID are needed to register the commands (see docs/discord.md)');
  const guildId = guildOf(process.argv.slice(2));
  const registered = await registerDiscordCommands({
    token: config.DISCORD_BOT_TOKEN,
    applicationId: config.DISCORD_APPLICATION_ID,
    ...(config.DISCORD_API_URL ? { apiUrl: config.DISCORD_API_URL } : {}),
    ...(guildId ? { guildId } : {}),
  });
  process.stdout.write(`Registered ${registered.length} slash commands${guildId ? ` in server ${guildId}` : ' globally'}: ${registered.map((c) => `/${c.name}`).join(', ')}\n`);
}

main().catch((error: unknown) => {
  let message = error instanceof Error ? error.message : String(error);
  if (error instanceof DiscordAPIError && error.status === 401) message = 'Discord refused the bot token: check DISCORD_BOT_TOKEN.';
  else if (error instanceof DiscordAPIError) message = `Discord refused the commands (${error.status}): ${error.message}`;
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
});
