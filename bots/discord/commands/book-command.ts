import { ApplicationCommandOptionType } from 'discord.js';
import { chatInputCommand, type SlashCommand } from './slash-command';

/** `/book [details]`: starts a booking; details said at once skip the questions they answer. */
export const bookCommand: SlashCommand = {
  definition: chatInputCommand({
    name: 'book',
    description: 'Book a training session',
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'details',
        description: 'Optional, all at once: "90 min next week, mornings 10-12" or "every Tue 18:00 for 10 weeks"',
        required: false,
        max_length: 500,
      },
    ],
  }),
  toText: (options) => `book ${options.getString('details') ?? ''}`.trim(),
};
