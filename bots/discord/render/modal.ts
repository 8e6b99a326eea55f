import { ComponentType, TextInputStyle, type APILabelComponent, type APIModalInteractionResponseCallbackData } from 'discord.js';
import type { FormField, FormRequest } from '../../core/messages';
import { clip } from './clip';
import { DISCORD_LIMITS } from './limits';

function labelled(field: FormField): APILabelComponent {
  const long = field.label.length > DISCORD_LIMITS.labelText;
  return {
    type: ComponentType.Label,
    label: clip(field.label, DISCORD_LIMITS.labelText),
    // A label longer than Discord shows is given in full underneath.
    ...(long ? { description: clip(field.label, DISCORD_LIMITS.labelDescription) } : {}),
    component: {
      type: ComponentType.TextInput,
      custom_id: field.id,
      style: field.multiline ? TextInputStyle.Paragraph : TextInputStyle.Short,
      required: !field.optional,
      max_length: Math.min(field.maxLength ?? DISCORD_LIMITS.textInputLength, DISCORD_LIMITS.textInputLength),
      ...(field.placeholder ? { placeholder: clip(field.placeholder, DISCORD_LIMITS.textInputPlaceholder) } : {}),
      ...(field.initial ? { value: field.initial.slice(0, Math.min(field.maxLength ?? DISCORD_LIMITS.textInputLength, DISCORD_LIMITS.textInputLength)) } : {}),
    },
  };
}

/**
 * A form as a Discord modal: one labelled text input per field (five at most), prefilled
 * with the field's `initial` answer. Its custom
 * id is the form's id, which comes back with the submission. Discord modals have no
 * submit label of their own, so `submitLabel` is not shown.
 */
export function renderModal(form: FormRequest): APIModalInteractionResponseCallbackData {
  if (form.id.length > DISCORD_LIMITS.customId) throw new RangeError(`form id ${JSON.stringify(form.id)} is longer than ${DISCORD_LIMITS.customId} characters`);
  return {
    custom_id: form.id,
    title: clip(form.title, DISCORD_LIMITS.modalTitle),
    components: form.fields.slice(0, DISCORD_LIMITS.modalComponents).map(labelled),
  };
}
