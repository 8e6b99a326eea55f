import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { interactionAddress } from '../chat-address';
import { slashCommandNamed } from '../commands/command-definitions';
import type { HandlerContext } from './handler-context';
import { answerCommand } from './interaction-replies';

/**
 * A slash command: acknowledged at once ("thinking…", ephemeral in a server), then the
 * engine answers the text the command stands for.
 */
export async function handleSlashCommand(interaction: ChatInputCommandInteraction, context: HandlerContext): Promise<void> {
  const command = slashCommandNamed(interaction.commandName);
  if (!command) {
    await interaction.reply({ content: `I don't know /${interaction.commandName}; try /help.`, flags: MessageFlags.Ephemeral });
    return;
  }
  await interaction.deferReply(interaction.inGuild() ? { flags: MessageFlags.Ephemeral } : {});
  const replies = await context.runtime.engine.handle({ type: 'text', from: interactionAddress(interaction), text: command.toText(interaction.options) });
  await answerCommand(interaction, replies, context.now());
}
