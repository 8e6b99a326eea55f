/**
 * The longest chat message the bots read. Longer ones get one sentence back and are not
 * parsed: no one describes when they can train in more than this, and the parsers' work
 * grows with the text (linearly, but chrono-node's constant is large).
 */
export const MAX_CHAT_MESSAGE_CHARS = 2000;

/** Characters as a person counts them (code points), stopping once past the cap. */
function countUpTo(text: string, limit: number): number {
  // Each code point is one or two UTF-16 units, so the length bounds the count both ways.
  if (text.length <= limit) return text.length;
  if (text.length > 2 * limit) return limit + 1;
  let count = 0;
  for (const _ of text) if (++count > limit) break;
  return count;
}

/** Whether a chat message is over MAX_CHAT_MESSAGE_CHARS. Constant time for huge messages. */
export function isMessageTooLong(text: string): boolean {
  return countUpTo(text, MAX_CHAT_MESSAGE_CHARS) > MAX_CHAT_MESSAGE_CHARS;
}

/** The one sentence to answer a message over the cap with; undefined when it is short enough. */
export function messageTooLong(text: string): string | undefined {
  return isMessageTooLong(text) ? `That message is too long for me — please keep it under ${MAX_CHAT_MESSAGE_CHARS.toLocaleString('en-US')} characters.` : undefined;
}
