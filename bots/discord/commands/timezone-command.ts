import { ApplicationCommandOptionType } from 'discord.js';
import { chatInputCommand, type SlashCommand } from './slash-command';

/** `/timezone zone`: the zone times are shown and read in (Discord does not tell it). */
export const timezoneCommand: SlashCommand = {
  definition: chatInputCommand({
    name: 'timezone',
    description: 'Set your time zone',
    options: [{ type: ApplicationCommandOptionType.String, name: 'zone', description: 'e.g. Europe/Berlin or America/New_York', required: true, max_length: 64 }],
  }),
  // "America/New York" as people type it is the zone America/New_York.
  toText: (options) => `timezone ${options.getString('zone', true).trim().replace(/\s+/g, '_')}`,
};
