import { ApplicationCommandOptionType } from 'discord.js';
import { chatInputCommand, type SlashCommand } from './slash-command';

/**
 * `/credits [client]`: a client's own session packs (credits left per trainer, expiry, last
 * movements); for a trainer, the clients running low, or with `client` that client's credits.
 */
export const creditsCommand: SlashCommand = {
  definition: chatInputCommand({
    name: 'credits',
    description: 'Your session packs and credits; trainers: clients running low, or one client\'s credits',
    options: [{ type: ApplicationCommandOptionType.String, name: 'client', description: 'Trainers: the client\'s name or username, e.g. Jamie Lee', required: false, max_length: 100 }],
  }),
  toText: (options) => {
    const client = options.getString('client')?.trim();
    return client ? `credits for ${client}` : 'credits';
  },
};
