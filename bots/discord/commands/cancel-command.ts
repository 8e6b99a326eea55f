import { ApplicationCommandOptionType } from 'discord.js';
import { chatInputCommand, type SlashCommand } from './slash-command';

/** `/cancel [booking]`: cancels a booking by number, or stops what the bot is asking. */
export const cancelCommand: SlashCommand = {
  definition: chatInputCommand({
    name: 'cancel',
    description: 'Cancel a booking (give its number), or stop the current question',
    options: [{ type: ApplicationCommandOptionType.Integer, name: 'booking', description: 'The booking number, e.g. 12', required: false, min_value: 1 }],
  }),
  toText: (options) => {
    const booking = options.getInteger('booking');
    return booking === null ? 'cancel' : `cancel ${booking}`;
  },
};
