import { MessageFlags, type ButtonInteraction, type StringSelectMenuInteraction } from 'discord.js';
import { logger } from '../../../src/logger';
import { decodeAction } from '../../core/action-codec';
import type { ActionEvent } from '../../core/events';
import { interactionAddress, messageRef } from '../chat-address';
import { renderModal } from '../render/modal';
import { UNKNOWN_CONTROL } from '../../runtime/texts';
import type { HandlerContext } from './handler-context';
import { answerPress } from './interaction-replies';

/**
 * A button press or a select choice becomes the action it encodes (a select's choice is
 * its value). If the engine answers with a form within the runtime's ack budget, the
 * form opens as a modal (which must be the first answer to the press); otherwise the press
 * is acknowledged without changing the message, and the engine's replies follow. A form
 * that comes too late is asked as its message's text, which the dialogue also accepts.
 */
export async function handleComponent(interaction: ButtonInteraction | StringSelectMenuInteraction, context: HandlerContext): Promise<void> {
  const action = decodeAction(interaction.customId);
  const value = interaction.isStringSelectMenu() ? interaction.values[0] : action?.value;
  if (!action || value === undefined) {
    await interaction.reply({ content: UNKNOWN_CONTROL, flags: MessageFlags.Ephemeral });
    return;
  }
  const event: ActionEvent = { type: 'action', from: interactionAddress(interaction), actionId: action.id, value, pressId: interaction.id, source: messageRef(interaction.message) };
  const { early, replies } = await context.runtime.ask(event);
  const form = early?.find((reply) => reply.message.form)?.message.form;
  if (early && form) {
    await interaction.showModal(renderModal(form));
    const unsaid = early.filter((reply) => !reply.message.form);
    if (unsaid.length > 0) logger.warn({ count: unsaid.length }, 'replies beside a form are not shown on Discord (a modal is the only answer to its press)');
    return;
  }
  await interaction.deferUpdate();
  await answerPress(interaction, early ?? (await replies), context.now());
}
