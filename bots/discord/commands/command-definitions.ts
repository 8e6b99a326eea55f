import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { availabilityCommand } from './availability-command';
import { bookCommand } from './book-command';
import { bookingsCommand } from './bookings-command';
import { cancelCommand } from './cancel-command';
import { creditsCommand } from './credits-command';
import { helpCommand } from './help-command';
import { linkCommand } from './link-command';
import { policyCommand } from './policy-command';
import { rescheduleCommand } from './reschedule-command';
import type { SlashCommand } from './slash-command';
import { timeOffCommand } from './timeoff-command';
import { timezoneCommand } from './timezone-command';

/** Every slash command; the bot answers these and the registration script registers them. */
export const SLASH_COMMANDS: readonly SlashCommand[] = [
  bookCommand,
  bookingsCommand,
  creditsCommand,
  availabilityCommand,
  timeOffCommand,
  policyCommand,
  cancelCommand,
  rescheduleCommand,
  timezoneCommand,
  linkCommand,
  helpCommand,
];

export function slashCommandNamed(name: string): SlashCommand | undefined {
  return SLASH_COMMANDS.find((command) => command.definition.name === name);
}

/** The body of `PUT /applications/{id}/commands`. */
export function commandDefinitions(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return SLASH_COMMANDS.map((command) => command.definition);
}
