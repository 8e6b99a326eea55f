import { ComponentType, MessageFlags, type ModalSubmitInteraction } from 'discord.js';
import type { FormEvent } from '../../core/events';
import { interactionAddress } from '../chat-address';
import type { HandlerContext } from './handler-context';
import { answerCommand, answerPress } from './interaction-replies';

/** A submitted modal: every text input by its id, as the form's values. */
export async function handleModalSubmit(interaction: ModalSubmitInteraction, context: HandlerContext): Promise<void> {
  const values: Record<string, string> = {};
  for (const [id, field] of interaction.fields.fields) if (field.type === ComponentType.TextInput) values[id] = field.value;
  const event: FormEvent = { type: 'form', from: interactionAddress(interaction), formId: interaction.customId, values, submissionId: interaction.id };
  if (interaction.isFromMessage()) {
    // Opened from a button: the answer concerns that message, as for the press itself.
    await interaction.deferUpdate();
    await answerPress(interaction, await context.runtime.engine.handle(event), context.now());
    return;
  }
  await interaction.deferReply(interaction.inGuild() ? { flags: MessageFlags.Ephemeral } : {});
  await answerCommand(interaction, await context.runtime.engine.handle(event), context.now());
}
