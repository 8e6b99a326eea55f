import {
  ButtonStyle as DiscordButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APISelectMenuOption,
  type APIStringSelectComponent,
} from 'discord.js';
import { logger } from '../../../src/logger';
import { encodeAction } from '../../core/action-codec';
import type { Action, Button, ButtonStyle, OutgoingMessage } from '../../core/messages';
import { clip } from './clip';
import { dateOptions } from './date-options';
import { DISCORD_LIMITS } from './limits';

export type MessageActionRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/**
 * A message as Discord takes it: the text as content (readable in notifications), the
 * fields as one embed, the actions as rows of components. `embeds` and `components` are
 * always present, so that an edit also removes what the message had before.
 */
export interface DiscordMessage {
  content: string;
  embeds: APIEmbed[];
  components: MessageActionRow[];
}

const STYLES: Record<ButtonStyle, DiscordButtonStyle.Primary | DiscordButtonStyle.Danger | DiscordButtonStyle.Secondary> = {
  primary: DiscordButtonStyle.Primary,
  danger: DiscordButtonStyle.Danger,
  default: DiscordButtonStyle.Secondary,
};

/** A select's custom id carries its action id; the position keeps two selects of one action apart. */
export const selectCustomId = (actionId: string, position: number): string => encodeAction(actionId, `~${position}`);

function button(action: Button): APIButtonComponentWithCustomId {
  return { type: ComponentType.Button, custom_id: encodeAction(action.id, action.value), label: clip(action.label, DISCORD_LIMITS.buttonLabel), style: STYLES[action.style ?? 'default'] };
}

function select(customId: string, placeholder: string, options: APISelectMenuOption[]): APIStringSelectComponent {
  return { type: ComponentType.StringSelect, custom_id: customId, placeholder: clip(placeholder, DISCORD_LIMITS.selectPlaceholder), min_values: 1, max_values: 1, options: options.slice(0, DISCORD_LIMITS.selectOptions) };
}

function selectOf(action: Exclude<Action, Button>, position: number, now: Date): APIStringSelectComponent | undefined {
  if (action.kind === 'date') return select(selectCustomId(action.id, position), action.placeholder, dateOptions(action, now));
  if (action.options.length === 0) return undefined;
  return select(
    selectCustomId(action.id, position),
    action.placeholder,
    action.options.map((option) => ({ label: clip(option.label, DISCORD_LIMITS.selectOptionLabel), value: option.value })),
  );
}

/**
 * Buttons fill rows of five in order; each select (and each date picker, which becomes a
 * select of days) takes a row of its own. Discord allows five rows: what does not fit is
 * left out (and logged), rather than the whole message being refused.
 */
export function renderActionRows(actions: readonly Action[], now: Date = new Date()): MessageActionRow[] {
  const rows: MessageActionRow[] = [];
  const used = new Set<string>();
  let buttons: MessageActionRow | undefined;
  actions.forEach((action, position) => {
    if (action.kind === 'button') {
      const component = button(action);
      // Discord refuses a message with two components of one custom id.
      if (used.has(component.custom_id)) return;
      used.add(component.custom_id);
      if (!buttons || buttons.components.length >= DISCORD_LIMITS.buttonsPerRow) {
        buttons = { type: ComponentType.ActionRow, components: [] };
        rows.push(buttons);
      }
      buttons.components.push(component);
      return;
    }
    buttons = undefined;
    const component = selectOf(action, position, now);
    if (component) rows.push({ type: ComponentType.ActionRow, components: [component] });
  });
  if (rows.length > DISCORD_LIMITS.actionRows) logger.warn({ rows: rows.length }, 'a message has more actions than Discord shows; the last ones are left out');
  return rows.slice(0, DISCORD_LIMITS.actionRows);
}

/**
 * The fields as one embed, each cut to Discord's limits, and all of them together within the
 * embed total: a field that does not fit is cut, and those after it are left out (logged).
 */
function renderEmbeds(message: OutgoingMessage): APIEmbed[] {
  const fields: { name: string; value: string }[] = [];
  let budget: number = DISCORD_LIMITS.embedTotal;
  for (const field of (message.fields ?? []).slice(0, DISCORD_LIMITS.embedFields)) {
    const name = clip(field.label || '—', DISCORD_LIMITS.embedFieldName);
    const room = Math.min(DISCORD_LIMITS.embedFieldValue, budget - name.length);
    if (room < 2) {
      logger.warn({ fields: message.fields?.length }, 'a message has more field text than a Discord embed holds; the last fields are left out');
      break;
    }
    const value = clip(field.value || '—', room);
    fields.push({ name, value });
    budget -= name.length + value.length;
  }
  return fields.length === 0 ? [] : [{ fields }];
}

/** The neutral message as a Discord message. A `form` is not part of it: see `renderModal`. */
export function renderMessage(message: OutgoingMessage, now: Date = new Date()): DiscordMessage {
  return {
    content: clip(message.text || '…', DISCORD_LIMITS.content),
    embeds: renderEmbeds(message),
    components: renderActionRows(message.actions ?? [], now),
  };
}
