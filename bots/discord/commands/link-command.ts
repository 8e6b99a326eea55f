import { ApplicationCommandOptionType } from 'discord.js';
import { chatInputCommand, type SlashCommand } from './slash-command';

/** `/link code`: attaches this Discord account to an existing user (how trainers join). */
export const linkCommand: SlashCommand = {
  definition: chatInputCommand({
    name: 'link',
    description: 'Link this Discord account with a code you were given',
    options: [{ type: ApplicationCommandOptionType.String, name: 'code', description: 'The code, e.g. K7QM-3XHD', required: true, min_length: 4, max_length: 20 }],
  }),
  toText: (options) => `link ${options.getString('code', true).trim()}`,
};
