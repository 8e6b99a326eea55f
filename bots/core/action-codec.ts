import { MAX_ENCODED_ACTION_LENGTH } from './messages';

const SEPARATOR = '|';

/**
 * One string for platforms with a single custom id (Discord `custom_id`): `id|value`.
 * Throws when it would not fit, so an oversized value fails where it is made, in tests,
 * rather than in a user's chat.
 */
export function encodeAction(id: string, value: string): string {
  if (id.includes(SEPARATOR)) throw new RangeError(`action id ${JSON.stringify(id)} must not contain "${SEPARATOR}"`);
  const encoded = `${id}${SEPARATOR}${value}`;
  if (encoded.length > MAX_ENCODED_ACTION_LENGTH) throw new RangeError(`action ${JSON.stringify(encoded)} is longer than ${MAX_ENCODED_ACTION_LENGTH} characters`);
  return encoded;
}

/** The inverse of encodeAction; `undefined` for a string no adapter made. */
export function decodeAction(encoded: string): { id: string; value: string } | undefined {
  const at = encoded.indexOf(SEPARATOR);
  if (at <= 0) return undefined;
  return { id: encoded.slice(0, at), value: encoded.slice(at + 1) };
}
