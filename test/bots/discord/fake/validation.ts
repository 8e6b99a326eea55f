import { ButtonStyle, ComponentType, TextInputStyle } from 'discord.js';

/**
 * What Discord checks in a message or modal a bot sends, with its limits; a body that
 * breaks one is refused whole with 400 "Invalid Form Body" (code 50035). Returns the
 * problems, empty when Discord would accept it.
 */
type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const length = (value: unknown): number => (typeof value === 'string' ? value.length : -1);

function checkString(problems: string[], where: string, value: unknown, min: number, max: number): void {
  const n = length(value);
  if (n < min || n > max) problems.push(`${where}: must be a string of ${min}–${max} characters (got ${n < 0 ? typeof value : n})`);
}

function checkButton(problems: string[], where: string, button: Json, ids: Set<string>): void {
  const style = button.style as ButtonStyle;
  if (![ButtonStyle.Primary, ButtonStyle.Secondary, ButtonStyle.Success, ButtonStyle.Danger, ButtonStyle.Link].includes(style)) problems.push(`${where}.style: unknown style ${String(button.style)}`);
  if (length(button.label) > 80) problems.push(`${where}.label: longer than 80`);
  if (style === ButtonStyle.Link) {
    checkString(problems, `${where}.url`, button.url, 1, 512);
    return;
  }
  checkString(problems, `${where}.custom_id`, button.custom_id, 1, 100);
  if (typeof button.custom_id === 'string') {
    if (ids.has(button.custom_id)) problems.push(`${where}.custom_id: duplicate ${button.custom_id}`);
    ids.add(button.custom_id);
  }
}

function checkSelect(problems: string[], where: string, select: Json, ids: Set<string>): void {
  checkString(problems, `${where}.custom_id`, select.custom_id, 1, 100);
  if (typeof select.custom_id === 'string') {
    if (ids.has(select.custom_id)) problems.push(`${where}.custom_id: duplicate ${select.custom_id}`);
    ids.add(select.custom_id);
  }
  if (select.placeholder !== undefined) checkString(problems, `${where}.placeholder`, select.placeholder, 0, 150);
  const options = select.options;
  if (!Array.isArray(options) || options.length < 1 || options.length > 25) {
    problems.push(`${where}.options: 1–25 options`);
    return;
  }
  const values = new Set<string>();
  options.forEach((option: unknown, i) => {
    if (!isObject(option)) return problems.push(`${where}.options[${i}]: not an object`);
    checkString(problems, `${where}.options[${i}].label`, option.label, 1, 100);
    checkString(problems, `${where}.options[${i}].value`, option.value, 1, 100);
    if (typeof option.value === 'string' && values.has(option.value)) problems.push(`${where}.options[${i}].value: duplicate`);
    values.add(String(option.value));
  });
}

function checkComponents(problems: string[], components: unknown): void {
  if (components === undefined) return;
  if (!Array.isArray(components) || components.length > 5) return void problems.push('components: at most 5 action rows');
  const ids = new Set<string>();
  components.forEach((row: unknown, r) => {
    if (!isObject(row) || row.type !== ComponentType.ActionRow || !Array.isArray(row.components)) return problems.push(`components[${r}]: not an action row`);
    const children = row.components as unknown[];
    if (children.length < 1 || children.length > 5) problems.push(`components[${r}]: 1–5 components per row`);
    const hasSelect = children.some((c) => isObject(c) && c.type === ComponentType.StringSelect);
    if (hasSelect && children.length > 1) problems.push(`components[${r}]: a select must be alone in its row`);
    children.forEach((child, c) => {
      const where = `components[${r}].components[${c}]`;
      if (!isObject(child)) return problems.push(`${where}: not an object`);
      if (child.type === ComponentType.Button) checkButton(problems, where, child, ids);
      else if (child.type === ComponentType.StringSelect) checkSelect(problems, where, child, ids);
      else problems.push(`${where}: unsupported component type ${String(child.type)}`);
    });
  });
}

function checkEmbeds(problems: string[], embeds: unknown): void {
  if (embeds === undefined) return;
  if (!Array.isArray(embeds) || embeds.length > 10) return void problems.push('embeds: at most 10');
  embeds.forEach((embed: unknown, e) => {
    if (!isObject(embed)) return problems.push(`embeds[${e}]: not an object`);
    if (embed.description !== undefined) checkString(problems, `embeds[${e}].description`, embed.description, 1, 4096);
    const fields = embed.fields;
    if (fields === undefined) return;
    if (!Array.isArray(fields) || fields.length > 25) return problems.push(`embeds[${e}].fields: at most 25`);
    fields.forEach((field: unknown, f) => {
      if (!isObject(field)) return problems.push(`embeds[${e}].fields[${f}]: not an object`);
      checkString(problems, `embeds[${e}].fields[${f}].name`, field.name, 1, 256);
      checkString(problems, `embeds[${e}].fields[${f}].value`, field.value, 1, 1024);
    });
  });
  // All embeds of a message together: title, description, field names and values, footer, author.
  const total = embeds.filter(isObject).reduce<number>((sum, embed) => {
    const texts = [embed.title, embed.description, isObject(embed.footer) ? embed.footer.text : undefined, isObject(embed.author) ? embed.author.name : undefined];
    const fields = Array.isArray(embed.fields) ? embed.fields.filter(isObject).flatMap((field) => [field.name, field.value]) : [];
    return sum + [...texts, ...fields].reduce<number>((n, text) => n + (typeof text === 'string' ? length(text) : 0), 0);
  }, 0);
  if (total > 6000) problems.push(`embeds: ${total} characters in all, more than 6000`);
}

/** A message body (create, edit, interaction response, follow-up). `partial`: an edit may leave keys out. */
export function messageBodyProblems(body: unknown, { partial }: { partial: boolean }): string[] {
  if (!isObject(body)) return ['body: not a JSON object'];
  const problems: string[] = [];
  if (body.content !== undefined && body.content !== null && length(body.content) > 2000) problems.push('content: longer than 2000 characters');
  checkEmbeds(problems, body.embeds);
  checkComponents(problems, body.components);
  const empty = !body.content && !(Array.isArray(body.embeds) && body.embeds.length > 0) && !(Array.isArray(body.components) && body.components.length > 0);
  if (!partial && empty) problems.push('Cannot send an empty message (50006)');
  return problems;
}

/** A modal (interaction callback type 9). */
export function modalProblems(data: unknown): string[] {
  if (!isObject(data)) return ['data: not a JSON object'];
  const problems: string[] = [];
  checkString(problems, 'custom_id', data.custom_id, 1, 100);
  checkString(problems, 'title', data.title, 1, 45);
  const components = data.components;
  if (!Array.isArray(components) || components.length < 1 || components.length > 5) return [...problems, 'components: 1–5'];
  const ids = new Set<string>();
  components.forEach((component: unknown, i) => {
    if (!isObject(component)) return problems.push(`components[${i}]: not an object`);
    let input: unknown;
    if (component.type === ComponentType.Label) {
      checkString(problems, `components[${i}].label`, component.label, 1, 45);
      if (component.description !== undefined) checkString(problems, `components[${i}].description`, component.description, 1, 100);
      input = component.component;
    } else if (component.type === ComponentType.ActionRow && Array.isArray(component.components) && component.components.length === 1) {
      input = component.components[0];
      if (isObject(input)) checkString(problems, `components[${i}].components[0].label`, input.label, 1, 45);
    } else {
      return problems.push(`components[${i}]: a label (or an action row) with one text input`);
    }
    if (!isObject(input) || input.type !== ComponentType.TextInput) return problems.push(`components[${i}]: no text input`);
    checkString(problems, `components[${i}] text input custom_id`, input.custom_id, 1, 100);
    if (typeof input.custom_id === 'string') {
      if (ids.has(input.custom_id)) problems.push(`components[${i}]: duplicate custom_id`);
      ids.add(input.custom_id);
    }
    if (input.style !== TextInputStyle.Short && input.style !== TextInputStyle.Paragraph) problems.push(`components[${i}] text input style: 1 or 2`);
    if (input.max_length !== undefined && (typeof input.max_length !== 'number' || input.max_length < 1 || input.max_length > 4000)) problems.push(`components[${i}] text input max_length: 1–4000`);
    if (input.placeholder !== undefined) checkString(problems, `components[${i}] text input placeholder`, input.placeholder, 0, 100);
    if (input.value !== undefined) {
      checkString(problems, `components[${i}] text input value`, input.value, 0, 4000);
      if (typeof input.value === 'string' && typeof input.max_length === 'number' && input.value.length > input.max_length) problems.push(`components[${i}] text input value: longer than max_length`);
    }
  });
  return problems;
}
