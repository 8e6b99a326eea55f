import { chatInputCommand, type SlashCommand } from './slash-command';

/** `/help`: what the bot can do, with buttons. */
export const helpCommand: SlashCommand = {
  definition: chatInputCommand({ name: 'help', description: 'What this bot can do' }),
  toText: () => 'help',
};
