import { ApplicationCommandOptionType } from 'discord.js';
import { chatInputCommand, type SlashCommand } from './slash-command';

/** `/reschedule [booking]`: moves a booking to another free time. */
export const rescheduleCommand: SlashCommand = {
  definition: chatInputCommand({
    name: 'reschedule',
    description: 'Move a booking to another time',
    options: [{ type: ApplicationCommandOptionType.Integer, name: 'booking', description: 'The booking number, e.g. 12', required: false, min_value: 1 }],
  }),
  toText: (options) => {
    const booking = options.getInteger('booking');
    return booking === null ? 'reschedule' : `reschedule ${booking}`;
  },
};
