import { MessageFlags, type ButtonInteraction, type StringSelectMenuInteraction } from 'discord.js';
import { logger } from '../../../src/logger';
import { decodeAction } from '../../core/action-codec';
import type { ActionEvent } from '../../core/events';
import type { Reply } from '../../core/replies';
import { interactionAddress, messageRef } from '../chat-address';
import { renderModal } from '../render/modal';
import type { HandlerContext } from './handler-context';
import { answerPress } from './interaction-replies';

const NOT_MINE = 'That button is not one I can use any more; write "help" to start again.';

/** The engine's answer if it comes within `ms`, else `undefined` (the answer keeps coming). */
async function answerWithin(answer: Promise<Reply[]>, ms: number): Promise<Reply[] | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A button press or a select choice becomes the action it encodes (a select's choice is
 * its value). If the engine answers with a form within the acknowledgement budget, the
 * form opens as a modal (which must be the first answer to the press); otherwise the press
 * is acknowledged without changing the message, and the engine's replies follow. A form
 * that comes too late is asked as its message's text, which the dialogue also accepts.
 */
export async function handleComponent(interaction: ButtonInteraction | StringSelectMenuInteraction, context: HandlerContext): Promise<void> {
  const action = decodeAction(interaction.customId);
  const value = interaction.isStringSelectMenu() ? interaction.values[0] : action?.value;
  if (!action || value === undefined) {
    await interaction.reply({ content: NOT_MINE, flags: MessageFlags.Ephemeral });
    return;
  }
  const event: ActionEvent = { type: 'action', from: interactionAddress(interaction), actionId: action.id, value, pressId: interaction.id, source: messageRef(interaction.message) };
  const answer = context.engine.handle(event);
  // If acknowledging fails, nobody awaits the answer any more; its failure must not go unhandled.
  answer.catch(() => undefined);
  const early = await answerWithin(answer, context.ackBudgetMs);
  const form = early?.find((reply) => reply.message.form)?.message.form;
  if (early && form) {
    await interaction.showModal(renderModal(form));
    const unsaid = early.filter((reply) => !reply.message.form);
    if (unsaid.length > 0) logger.warn({ count: unsaid.length }, 'replies beside a form are not shown on Discord (a modal is the only answer to its press)');
    return;
  }
  await interaction.deferUpdate();
  await answerPress(interaction, early ?? (await answer), context.now());
}
