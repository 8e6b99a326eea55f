import { ChannelType, type BaseInteraction, type Message, type User } from 'discord.js';
import type { ChatAddress, MessageRef } from '../core/events';

/**
 * Discord user ids are the same in every server and in DMs, so one person is one identity
 * whatever server they write from: the workspace is always ''. (Keyed by server, a trainer
 * linked in a DM would be a stranger when pressing a button in a server.)
 */
export const DISCORD_WORKSPACE = '';

function addressOf(user: User, channelId: string, isDirect: boolean): ChatAddress {
  return { platform: 'discord', workspaceId: DISCORD_WORKSPACE, externalUserId: user.id, channelId, isDirect, displayName: user.globalName ?? user.username };
}

/** Where an interaction came from; a DM with the bot becomes the person's reply address. */
export function interactionAddress(interaction: BaseInteraction): ChatAddress {
  const isDirect = !interaction.inGuild() && interaction.channel?.type === ChannelType.DM;
  return addressOf(interaction.user, interaction.channelId ?? '', isDirect);
}

export function messageAddress(message: Message): ChatAddress {
  return addressOf(message.author, message.channelId, message.channel.type === ChannelType.DM);
}

export function messageRef(message: Pick<Message, 'channelId' | 'id'>): MessageRef {
  return { platform: 'discord', workspaceId: DISCORD_WORKSPACE, channelId: message.channelId, messageId: message.id };
}
