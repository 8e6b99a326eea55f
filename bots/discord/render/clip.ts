/** `text` cut to `max` characters (ending in "…" when cut): Discord rejects longer strings. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
