import type { Interaction } from 'discord.js';
import { logger } from '../../../src/logger';
import { loggableError } from '../loggable-error';
import { handleSlashCommand } from './command-handler';
import { handleComponent } from './component-handler';
import type { HandlerContext } from './handler-context';
import { apologise } from './interaction-replies';
import { handleModalSubmit } from './modal-handler';

/** Routes an interaction to its handler; a failure is logged and the person told, never thrown. */
export async function handleInteraction(interaction: Interaction, context: HandlerContext): Promise<void> {
  try {
    if (interaction.isChatInputCommand()) await handleSlashCommand(interaction, context);
    else if (interaction.isButton() || interaction.isStringSelectMenu()) await handleComponent(interaction, context);
    else if (interaction.isModalSubmit()) await handleModalSubmit(interaction, context);
  } catch (error) {
    logger.error({ err: loggableError(error), platform: 'discord', interactionType: interaction.type }, 'a Discord interaction failed');
    if (interaction.isRepliable()) await apologise(interaction);
  }
}
