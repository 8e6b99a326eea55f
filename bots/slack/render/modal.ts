import type { types } from '@slack/bolt';
import type { FormRequest } from '../../core/messages';
import { fit } from './slack-text';

/** Every form the engine asks for opens as a modal with this callback id. */
export const FORM_CALLBACK_ID = 'engine-form';

const MAX_TITLE = 24;
const MAX_LABEL = 2000;
const MAX_PLACEHOLDER = 150;
const MAX_INPUT_LENGTH = 3000;

/** What the modal remembers for its submission: which form, and where the answer goes. */
export interface FormMetadata {
  formId: string;
  /** The conversation the form was asked from; replies to the submission go there. */
  channelId: string;
}

const plain = (text: string, max: number): types.PlainTextElement => ({ type: 'plain_text', text: fit(text, max), emoji: true });

/** A FormRequest as a modal: one text input per field (required unless `optional`, prefilled with `initial`), block and action id = field id. */
export function formView(form: FormRequest, metadata: FormMetadata): types.ModalView {
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK_ID,
    private_metadata: JSON.stringify(metadata),
    title: plain(form.title, MAX_TITLE),
    submit: plain(form.submitLabel, MAX_TITLE),
    close: plain('Cancel', MAX_TITLE),
    blocks: form.fields.map((field): types.InputBlock => {
      const input: types.PlainTextInput = { type: 'plain_text_input', action_id: field.id, multiline: field.multiline ?? false };
      if (field.maxLength !== undefined) input.max_length = Math.min(field.maxLength, MAX_INPUT_LENGTH);
      if (field.placeholder) input.placeholder = plain(field.placeholder, MAX_PLACEHOLDER);
      if (field.initial) input.initial_value = field.initial.slice(0, input.max_length ?? MAX_INPUT_LENGTH);
      return { type: 'input', block_id: field.id, label: plain(field.label, MAX_LABEL), element: input, ...(field.optional ? { optional: true } : {}) };
    }),
  };
}

/** The metadata formView stored; `undefined` for a view this bot did not open. */
export function formMetadataOf(privateMetadata: string | undefined): FormMetadata | undefined {
  try {
    const parsed = JSON.parse(privateMetadata ?? '') as Partial<FormMetadata> | null;
    if (typeof parsed?.formId === 'string' && typeof parsed.channelId === 'string') return { formId: parsed.formId, channelId: parsed.channelId };
  } catch {
    // Not JSON: not one of ours.
  }
  return undefined;
}

type ViewStateValues = Record<string, Record<string, { value?: string | null } | undefined> | undefined>;

/** The submitted text of every input, by field id (a field left empty is ''). */
export function formValuesOf(values: ViewStateValues): Record<string, string> {
  const answers: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(values)) {
    const input = actions?.[blockId] ?? Object.values(actions ?? {})[0];
    answers[blockId] = input?.value ?? '';
  }
  return answers;
}
