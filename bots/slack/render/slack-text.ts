/**
 * Slack's mrkdwn gives `&`, `<` and `>` a meaning (entities, links, mentions), so text from
 * people (names, notes, reasons) is escaped before it is shown, and incoming message text
 * is decoded back to what the person typed.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `<@U123>` → `@U123`, `<https://x|label>` → `label`, `&lt;` → `<`: what the person typed. */
export function plainTextOf(slackText: string): string {
  return slackText
    .replace(/<([^<>|]*)\|([^<>]*)>/g, '$2')
    .replace(/<([^<>]*)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Cuts `text` to `max` characters, marking the cut; Block Kit refuses longer strings. */
export function fit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
