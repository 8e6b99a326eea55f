import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  ComponentType,
  InteractionContextType,
  InteractionType,
  Locale,
  MessageType,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIChatInputApplicationCommandInteraction,
  type APIEmbed,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageComponentInteraction,
  type APIMessageTopLevelComponent,
  type APIModalSubmitInteraction,
  type APIModalSubmission,
  type APIUser,
  type GuildMemberFlags,
  type GatewayMessageCreateDispatchData,
} from 'discord.js';
import { snowflake } from './snowflake';

/** Where an interaction happens: a DM with the bot, or a text channel of a server. */
export type Place = { kind: 'dm'; channelId: string } | { kind: 'guild'; guildId: string; channelId: string };

// What the bot may do where it is asked (send messages, embed links, use external emojis …).
const APP_PERMISSIONS = '2248473465835073';
const ATTACHMENT_LIMIT = 26_214_400;

/** A user called `displayName` (their username is its lowercase form, as Discord's). */
export function userPayload(displayName: string, bot = false): APIUser {
  const username = displayName.toLowerCase().replace(/\s+/g, '_');
  return { id: snowflake(), username, global_name: bot ? null : displayName, discriminator: '0', avatar: null, ...(bot ? { bot: true } : {}) };
}

export interface MessageContent {
  content: string;
  embeds: APIEmbed[];
  components: APIMessageTopLevelComponent[];
  flags: number;
}

export function messagePayload(channelId: string, author: APIUser, content: MessageContent, extra: Partial<APIMessage> = {}): APIMessage {
  return {
    id: snowflake(),
    channel_id: channelId,
    author,
    content: content.content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: content.embeds,
    pinned: false,
    type: MessageType.Default,
    flags: content.flags,
    components: content.components,
    ...extra,
  };
}

/** MESSAGE_CREATE as the gateway sends it for a DM (with `channel_type`, which discord.js needs). */
export function directMessageCreate(message: APIMessage): GatewayMessageCreateDispatchData {
  return { ...message, channel_type: ChannelType.DM };
}

function member(user: APIUser): APIInteractionGuildMember {
  return { user, roles: [], joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0 as GuildMemberFlags, permissions: '2248473465835073', avatar: null, nick: null, premium_since: null, pending: false, communication_disabled_until: null };
}

/** The fields every interaction carries, for the person and the place. */
function common(applicationId: string, user: APIUser, place: Place) {
  const where =
    place.kind === 'dm'
      ? {
          user,
          channel: { id: place.channelId, type: ChannelType.DM as const, recipients: [user], flags: 0, last_message_id: null },
          context: InteractionContextType.BotDM,
          authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: '0' },
        }
      : {
          guild_id: place.guildId,
          guild: { id: place.guildId, features: [], locale: Locale.EnglishUS },
          guild_locale: Locale.EnglishUS,
          member: member(user),
          channel: { id: place.channelId, type: ChannelType.GuildText as const, guild_id: place.guildId, name: 'training', flags: 0, last_message_id: null, position: 0, parent_id: null, nsfw: false },
          context: InteractionContextType.Guild,
          authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: place.guildId },
        };
  return {
    id: snowflake(),
    application_id: applicationId,
    token: `aW50ZXJhY3Rpb246${snowflake()}${Math.random().toString(36).slice(2)}`,
    version: 1 as const,
    channel_id: place.channelId,
    app_permissions: APP_PERMISSIONS,
    locale: Locale.EnglishUS,
    entitlements: [],
    attachment_size_limit: ATTACHMENT_LIMIT,
    ...where,
  };
}

export function slashCommandInteraction(
  applicationId: string,
  user: APIUser,
  place: Place,
  command: { id: string; name: string; options: APIApplicationCommandInteractionDataBasicOption[] },
): APIChatInputApplicationCommandInteraction {
  return {
    ...common(applicationId, user, place),
    type: InteractionType.ApplicationCommand,
    data: { id: command.id, name: command.name, type: ApplicationCommandType.ChatInput, options: command.options },
  };
}

export function buttonInteraction(applicationId: string, user: APIUser, place: Place, message: APIMessage, customId: string): APIMessageComponentInteraction {
  return {
    ...common(applicationId, user, place),
    type: InteractionType.MessageComponent,
    message,
    data: { custom_id: customId, component_type: ComponentType.Button },
  };
}

export function selectInteraction(applicationId: string, user: APIUser, place: Place, message: APIMessage, customId: string, values: string[]): APIMessageComponentInteraction {
  return {
    ...common(applicationId, user, place),
    type: InteractionType.MessageComponent,
    message,
    data: { custom_id: customId, component_type: ComponentType.StringSelect, values },
  };
}

/** A modal's submission; `message` when the modal was opened from a component on it. */
export function modalSubmitInteraction(applicationId: string, user: APIUser, place: Place, data: APIModalSubmission, message: APIMessage | undefined): APIModalSubmitInteraction {
  return {
    ...common(applicationId, user, place),
    type: InteractionType.ModalSubmit,
    data,
    ...(message ? { message } : {}),
  };
}
