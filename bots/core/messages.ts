/**
 * The platform-neutral message model. The engine and the notifier speak only this; each
 * platform adapter renders it (Block Kit, Discord components, numbered terminal lines).
 *
 * Action ids and values are opaque and short, because they travel through the platform and
 * come back in a button press: Slack allows 2,000 characters of `value`, Discord only 100
 * of `custom_id` for id and value together. So a value carries ids, never meaning; what an
 * id may do and who may do it is decided on the server when it comes back.
 */
export type ButtonStyle = 'primary' | 'danger' | 'default';

export interface Button {
  kind: 'button';
  /** What pressing it does, e.g. `approve`; the engine routes on it. */
  id: string;
  /** Which thing it does it to, e.g. `12.345` (request 12, slot 345). */
  value: string;
  label: string;
  style?: ButtonStyle;
}

export interface SelectOption {
  label: string;
  value: string;
}

export interface Select {
  kind: 'select';
  id: string;
  placeholder: string;
  options: SelectOption[];
}

/** A calendar picker; its value comes back as YYYY-MM-DD. */
export interface DatePicker {
  kind: 'date';
  id: string;
  placeholder: string;
  /** The value it comes back with is `prefix` + the date, so a flow can tell its pickers apart. */
  valuePrefix?: string;
  initialDate?: string;
}

export type Action = Button | Select | DatePicker;

export interface FormField {
  id: string;
  label: string;
  placeholder?: string;
  multiline?: boolean;
  /** Longest answer accepted; adapters pass it on as the input's limit. */
  maxLength?: number;
  /** May be left empty (a settings form: empty keeps the value); fields are required otherwise. */
  optional?: boolean;
  /** The answer filled in when the form opens (a pack's price), which the person may change. */
  initial?: string;
}

/** A modal (Slack view, Discord modal) or, where there is none, questions asked in turn. */
export interface FormRequest {
  /** Comes back with the submission; opaque and short like an action id. */
  id: string;
  title: string;
  submitLabel: string;
  fields: FormField[];
}

export interface MessageField {
  label: string;
  value: string;
}

export interface OutgoingMessage {
  /** Always readable on its own: platforms without rich layout show only this. */
  text: string;
  /** Label–value lines of a summary (trainer, duration, time …). */
  fields?: MessageField[];
  actions?: Action[];
  /** Ask the platform to open a form, in answer to the button press that caused it. */
  form?: FormRequest;
}

/** Discord's `custom_id` limit; adapters encode `id` and `value` together within it. */
export const MAX_ENCODED_ACTION_LENGTH = 100;
