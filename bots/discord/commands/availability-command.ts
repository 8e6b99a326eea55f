import { ApplicationCommandOptionType } from 'discord.js';
import { chatInputCommand, type SlashCommand } from './slash-command';

/** `/availability [hours]`: a trainer publishes bookable slots. */
export const availabilityCommand: SlashCommand = {
  definition: chatInputCommand({
    name: 'availability',
    description: 'Trainers: publish the hours clients can book',
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'hours',
        description: 'e.g. "Mon-Fri 9-17 for the next 2 weeks"',
        required: false,
        max_length: 300,
      },
    ],
  }),
  toText: (options) => `publish ${options.getString('hours') ?? ''}`.trim(),
};
