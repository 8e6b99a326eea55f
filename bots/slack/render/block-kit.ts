import type { types } from '@slack/bolt';
import type { Action, MessageField, OutgoingMessage } from '../../core/messages';
import { slackActionId } from './action-ids';
import { escapeMrkdwn, fit } from './slack-text';

// Block Kit's limits (https://docs.slack.dev/reference/block-kit): longer content is refused
// with `invalid_blocks`, so everything is cut or split to fit here.
const MAX_SECTION_TEXT = 3000;
const MAX_FIELD_TEXT = 2000;
const MAX_FIELDS_PER_SECTION = 10;
const MAX_ELEMENTS_PER_ACTIONS = 25;
const MAX_LABEL = 75;
const MAX_OPTIONS = 100;
const MAX_OPTION_VALUE = 150;
const MAX_PLACEHOLDER = 150;
const MAX_BUTTON_VALUE = 2000;
/** Slack's top-level `text` is the notification and screen-reader text. */
const MAX_FALLBACK_TEXT = 4000;

const plain = (text: string, max: number): types.PlainTextElement => ({ type: 'plain_text', text: fit(text, max), emoji: true });

function fieldText(field: MessageField): types.MrkdwnElement {
  return { type: 'mrkdwn', text: fit(`*${escapeMrkdwn(field.label)}*\n${escapeMrkdwn(field.value)}`, MAX_FIELD_TEXT) };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function element(action: Action, position: number): types.ActionsBlockElement {
  switch (action.kind) {
    case 'button': {
      const button: types.Button = { type: 'button', action_id: slackActionId(action.id, position), text: plain(action.label, MAX_LABEL) };
      if (action.value) button.value = fit(action.value, MAX_BUTTON_VALUE);
      if (action.style === 'primary' || action.style === 'danger') button.style = action.style;
      return button;
    }
    case 'select': {
      const select: types.StaticSelect = {
        type: 'static_select',
        action_id: slackActionId(action.id, position),
        options: action.options.slice(0, MAX_OPTIONS).map((option) => ({ text: plain(option.label, MAX_LABEL), value: fit(option.value, MAX_OPTION_VALUE) })),
      };
      if (action.placeholder) select.placeholder = plain(action.placeholder, MAX_PLACEHOLDER);
      return select;
    }
    case 'date': {
      const picker: types.Datepicker = { type: 'datepicker', action_id: slackActionId(action.id, position, action.valuePrefix ?? '') };
      if (action.placeholder) picker.placeholder = plain(action.placeholder, MAX_PLACEHOLDER);
      if (action.initialDate) picker.initial_date = action.initialDate;
      return picker;
    }
  }
}

/**
 * A neutral message as Block Kit: its text in a section, its fields in sections of ten, its
 * actions in actions blocks of twenty-five. Every action id is unique within the message.
 */
export function messageBlocks(message: OutgoingMessage): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [{ type: 'section', block_id: 'text', text: { type: 'mrkdwn', text: fit(escapeMrkdwn(message.text), MAX_SECTION_TEXT) } }];
  chunks(message.fields ?? [], MAX_FIELDS_PER_SECTION).forEach((fields, i) => {
    blocks.push({ type: 'section', block_id: `fields-${i}`, fields: fields.map(fieldText) });
  });
  const elements = (message.actions ?? []).map(element);
  chunks(elements, MAX_ELEMENTS_PER_ACTIONS).forEach((row, i) => {
    blocks.push({ type: 'actions', block_id: `actions-${i}`, elements: row });
  });
  return blocks;
}

/** The message's own text, for notifications and for clients that show no blocks. */
export function fallbackText(message: OutgoingMessage): string {
  return fit(message.text, MAX_FALLBACK_TEXT);
}

/** What `chat.postMessage`, `chat.update` and `respond` take for a neutral message. */
export function slackMessage(message: OutgoingMessage): { text: string; blocks: types.KnownBlock[] } {
  return { text: fallbackText(message), blocks: messageBlocks(message) };
}
