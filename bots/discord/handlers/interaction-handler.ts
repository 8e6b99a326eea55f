import type { Interaction } from 'discord.js';
import { handleSlashCommand } from './command-handler';
import { handleComponent } from './component-handler';
import type { HandlerContext } from './handler-context';
import { apologise } from './interaction-replies';
import { handleModalSubmit } from './modal-handler';

function kindOf(interaction: Interaction): string {
  if (interaction.isChatInputCommand()) return 'slash command';
  if (interaction.isButton() || interaction.isStringSelectMenu()) return 'button press';
  if (interaction.isModalSubmit()) return 'form submission';
  return `interaction of type ${interaction.type}`;
}

/**
 * Routes an interaction to its handler, through the runtime: a replayed interaction id is
 * dropped, and a failure is logged and the person told, never thrown.
 */
export function handleInteraction(interaction: Interaction, context: HandlerContext): Promise<void> {
  const delivery = { kind: kindOf(interaction), id: `interaction:${interaction.id}`, apologise: (text: string) => (interaction.isRepliable() ? apologise(interaction, text) : Promise.resolve()) };
  return context.runtime.process(delivery, async () => {
    if (interaction.isChatInputCommand()) await handleSlashCommand(interaction, context);
    else if (interaction.isButton() || interaction.isStringSelectMenu()) await handleComponent(interaction, context);
    else if (interaction.isModalSubmit()) await handleModalSubmit(interaction, context);
  });
}
