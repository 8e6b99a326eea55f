import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';

/**
 * One slash command: how it is registered with Discord, and what a person using it means
 * in the engine's words. Commands are shortcuts for what can also be written in a DM, so
 * each becomes the chat text the engine already understands ("book …", "my bookings").
 */
export interface SlashCommand {
  readonly definition: RESTPostAPIChatInputApplicationCommandsJSONBody;
  toText(options: ChatInputCommandInteraction['options']): string;
}

/** Every command works in servers the bot was added to and in the bot's DMs. */
export function chatInputCommand(definition: Omit<RESTPostAPIChatInputApplicationCommandsJSONBody, 'type' | 'contexts' | 'integration_types'>): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    ...definition,
    type: ApplicationCommandType.ChatInput,
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
    integration_types: [ApplicationIntegrationType.GuildInstall],
  };
}
