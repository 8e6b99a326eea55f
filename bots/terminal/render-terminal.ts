import type { Action, OutgoingMessage } from '../core/messages';

/** One numbered choice on the terminal: pressing a button, a select option, or a date picker. */
export interface NumberedChoice {
  number: number;
  actionId: string;
  /** For a date picker: the prefix the typed date is appended to. */
  value: string;
  picksDate: boolean;
  label: string;
}

/** Buttons and select options become numbers the person types; a date picker asks for a date. */
export function numberChoices(actions: readonly Action[]): NumberedChoice[] {
  const choices: NumberedChoice[] = [];
  const add = (actionId: string, value: string, label: string, picksDate = false): void => {
    choices.push({ number: choices.length + 1, actionId, value, picksDate, label });
  };
  for (const action of actions) {
    if (action.kind === 'button') add(action.id, action.value, action.label);
    else if (action.kind === 'select') for (const option of action.options) add(action.id, option.value, `${action.placeholder}: ${option.label}`);
    else add(action.id, action.valuePrefix ?? '', `${action.placeholder} (then type the date, e.g. 2026-12-01)`, true);
  }
  return choices;
}

/** A message as terminal lines: the text, its fields indented, its choices numbered. */
export function renderTerminalMessage(header: string, message: OutgoingMessage, choices: readonly NumberedChoice[]): string {
  const lines = [`── ${header} ──`, message.text];
  // A value of several lines (a weekly time and its dates) keeps its later lines under the first.
  for (const field of message.fields ?? []) lines.push(`   ${field.label}: ${field.value.split('\n').join('\n      ')}`);
  for (const choice of choices) lines.push(`   [${choice.number}] ${choice.label}`);
  if (message.form) lines.push(`   (${message.form.title}: answer the question${message.form.fields.length > 1 ? 's' : ''} below)`);
  return `${lines.join('\n')}\n`;
}
