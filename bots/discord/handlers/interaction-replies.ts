import { MessageFlags, type ChatInputCommandInteraction, type MessageComponentInteraction, type ModalSubmitInteraction, type RepliableInteraction } from 'discord.js';
import type { Reply } from '../../core/replies';
import { renderMessage } from '../render/components';

const ephemeral = (yes: boolean) => (yes ? { flags: MessageFlags.Ephemeral as const } : {});

/**
 * In a server, a booking conversation is nobody else's business: everything the bot answers
 * there is ephemeral. In a DM only the person sees it anyway.
 */
const privateHere = (interaction: ChatInputCommandInteraction | MessageComponentInteraction | ModalSubmitInteraction): boolean =>
  interaction.inGuild() || Boolean(!interaction.isChatInputCommand() && interaction.message?.flags.has(MessageFlags.Ephemeral));

/**
 * Answers a press (already acknowledged with deferUpdate) on a message. When the engine
 * acted on it (any public reply), the message's components are removed so they are not
 * pressed again; the content stays, and for a trainer's request it is rewritten with the
 * outcome by the notifier. A refusal or a problem (private replies only) leaves the message
 * as it was. The replies follow as new messages; private ones only the presser sees.
 */
export async function answerPress(interaction: MessageComponentInteraction | ModalSubmitInteraction, replies: readonly Reply[], now: Date): Promise<void> {
  if (replies.some((reply) => !reply.private)) await interaction.editReply({ components: [] });
  const inPrivate = privateHere(interaction);
  for (const reply of replies) {
    await interaction.followUp({ ...renderMessage(reply.message, now), ...ephemeral(reply.private === true || inPrivate) });
  }
}

/** Answers a slash command (already acknowledged with deferReply): the first reply replaces "thinking…". */
export async function answerCommand(interaction: ChatInputCommandInteraction | ModalSubmitInteraction, replies: readonly Reply[], now: Date): Promise<void> {
  const [first, ...rest] = replies;
  if (!first) {
    await interaction.deleteReply();
    return;
  }
  await interaction.editReply(renderMessage(first.message, now));
  const inPrivate = privateHere(interaction);
  for (const reply of rest) {
    await interaction.followUp({ ...renderMessage(reply.message, now), ...ephemeral(reply.private === true || inPrivate) });
  }
}

/** The runtime's sentence to a person whose interaction failed on our side, only for them. */
export async function apologise(interaction: RepliableInteraction, text: string): Promise<void> {
  if (interaction.deferred || interaction.replied) await interaction.followUp({ content: text, flags: MessageFlags.Ephemeral });
  else await interaction.reply({ content: text, flags: MessageFlags.Ephemeral });
}
