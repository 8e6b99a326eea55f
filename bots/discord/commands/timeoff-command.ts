import { ApplicationCommandOptionType } from 'discord.js';
import { chatInputCommand, type SlashCommand } from './slash-command';

/** `/timeoff when`: a trainer removes free slots ("Fri 14-18", "24-26 Dec"); booked ones stay and are listed. */
export const timeOffCommand: SlashCommand = {
  definition: chatInputCommand({
    name: 'timeoff',
    description: 'Trainers: block time off, removing free slots (booked sessions stay)',
    options: [{ type: ApplicationCommandOptionType.String, name: 'when', description: 'e.g. "Fri 14-18" or "24-26 Dec"', required: true, max_length: 300 }],
  }),
  toText: (options) => `time off ${options.getString('when') ?? ''}`.trim(),
};
