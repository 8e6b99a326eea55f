/**
 * Slack wants every `action_id` in a message to be unique, but the engine gives all the
 * Approve buttons one id (`approve`) and tells them apart by value. So the Slack action id
 * is `<engine id>~<position>`, and a date picker, which has no value of its own, carries
 * the engine's value prefix as a third part: `<engine id>~<position>~<prefix>`.
 */
const SEPARATOR = '~';
/** Slack's limit for an `action_id`. */
const MAX_ACTION_ID_LENGTH = 255;

export function slackActionId(engineId: string, position: number, valuePrefix?: string): string {
  const actionId = [engineId, String(position), ...(valuePrefix === undefined ? [] : [valuePrefix])].join(SEPARATOR);
  if (engineId.includes(SEPARATOR) || actionId.length > MAX_ACTION_ID_LENGTH) throw new RangeError(`action id ${JSON.stringify(actionId)} does not fit Slack`);
  return actionId;
}

export interface ParsedActionId {
  engineId: string;
  valuePrefix: string;
}

/** The inverse of slackActionId; `undefined` for an action id this bot did not make. */
export function parseSlackActionId(actionId: string): ParsedActionId | undefined {
  const first = actionId.indexOf(SEPARATOR);
  if (first <= 0) return undefined;
  const second = actionId.indexOf(SEPARATOR, first + 1);
  const position = actionId.slice(first + 1, second < 0 ? undefined : second);
  if (!/^\d+$/.test(position)) return undefined;
  return { engineId: actionId.slice(0, first), valuePrefix: second < 0 ? '' : actionId.slice(second + 1) };
}
