/**
 * The Block Kit rules Slack enforces on `chat.postMessage`, `chat.update` and `views.open`
 * that the bot's rendering has to respect: Slack answers `invalid_blocks` when one is broken.
 * https://docs.slack.dev/reference/block-kit/blocks
 */
type Json = Record<string, unknown>;

const textOf = (value: unknown): string => (typeof value === 'object' && value !== null && typeof (value as Json).text === 'string' ? ((value as Json).text as string) : '');

function elementProblems(element: Json): string[] {
  const problems: string[] = [];
  const label = textOf(element.text);
  if (element.type === 'button') {
    if (!label) problems.push('a button has no text');
    if (label.length > 75) problems.push(`button text longer than 75: ${label}`);
    if (typeof element.value === 'string' && (element.value.length === 0 || element.value.length > 2000)) problems.push('button value must be 1–2000 characters');
    if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') problems.push(`unknown button style ${JSON.stringify(element.style)}`);
  }
  if (element.type === 'static_select') {
    const options = Array.isArray(element.options) ? (element.options as Json[]) : [];
    if (options.length === 0 || options.length > 100) problems.push('a static_select needs 1–100 options');
    for (const option of options) {
      if (textOf(option.text).length > 75) problems.push('option text longer than 75');
      if (typeof option.value !== 'string' || option.value.length === 0 || option.value.length > 150) problems.push('option value must be 1–150 characters');
    }
  }
  if (element.type === 'datepicker' && element.initial_date !== undefined && (typeof element.initial_date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(element.initial_date))) problems.push('initial_date must be YYYY-MM-DD');
  if (element.placeholder !== undefined && (textOf(element.placeholder).length === 0 || textOf(element.placeholder).length > 150)) problems.push('placeholder must be 1–150 characters');
  if (typeof element.action_id !== 'string' || element.action_id.length === 0 || element.action_id.length > 255) problems.push('action_id must be 1–255 characters');
  return problems;
}

/** Every rule a list of blocks breaks; empty when Slack would take it. */
export function blockProblems(blocks: unknown): string[] {
  if (!Array.isArray(blocks)) return ['blocks must be an array'];
  if (blocks.length > 50) return ['more than 50 blocks'];
  const problems: string[] = [];
  const blockIds = new Set<string>();
  const actionIds = new Set<string>();
  for (const block of blocks as Json[]) {
    if (typeof block.block_id === 'string') {
      if (blockIds.has(block.block_id)) problems.push(`duplicate block_id ${block.block_id}`);
      blockIds.add(block.block_id);
    }
    const elements: Json[] = block.type === 'actions' ? ((block.elements as Json[] | undefined) ?? []) : block.type === 'input' ? [block.element as Json] : [];
    if (block.type === 'actions' && (elements.length === 0 || elements.length > 25)) problems.push('an actions block needs 1–25 elements');
    for (const element of elements) {
      problems.push(...elementProblems(element));
      if (typeof element.action_id === 'string') {
        if (actionIds.has(element.action_id)) problems.push(`duplicate action_id ${element.action_id}`);
        actionIds.add(element.action_id);
      }
    }
    if (block.type === 'section') {
      if (textOf(block.text).length > 3000) problems.push('section text longer than 3000');
      const fields = (block.fields as Json[] | undefined) ?? [];
      if (fields.length > 10) problems.push('more than 10 fields in a section');
      for (const field of fields) if (textOf(field).length > 2000) problems.push('field longer than 2000');
      if (!block.text && fields.length === 0) problems.push('a section needs text or fields');
    }
    if (block.type === 'input' && textOf(block.label).length > 2000) problems.push('input label longer than 2000');
    if (block.type === 'input') {
      const input = block.element as Json | undefined;
      const initial = input?.initial_value;
      if (initial !== undefined && (typeof initial !== 'string' || initial.length > 3000)) problems.push('initial_value must be a string of at most 3000 characters');
      if (typeof initial === 'string' && typeof input?.max_length === 'number' && initial.length > input.max_length) problems.push('initial_value longer than max_length');
    }
  }
  return problems;
}

/** The rules for a modal view on top of its blocks. */
export function viewProblems(view: unknown): string[] {
  if (typeof view !== 'object' || view === null) return ['view must be an object'];
  const v = view as Json;
  const problems = blockProblems(v.blocks);
  if (v.type !== 'modal') problems.push('view type must be modal');
  for (const key of ['title', 'submit', 'close'] as const) {
    if (v[key] !== undefined && textOf(v[key]).length > 24) problems.push(`${key} longer than 24`);
  }
  if (!textOf(v.title)) problems.push('a modal needs a title');
  if (typeof v.private_metadata === 'string' && v.private_metadata.length > 3000) problems.push('private_metadata longer than 3000');
  if (typeof v.callback_id === 'string' && v.callback_id.length > 255) problems.push('callback_id longer than 255');
  return problems;
}
