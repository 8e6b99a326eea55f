import { webApi } from '@slack/bolt';
import { ConfigError } from '../../src/config';

/** Slack's answers that mean "this token is not (or no longer) good". */
const REFUSALS = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type']);

const HINTS = {
  SLACK_BOT_TOKEN: "copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page",
  SLACK_APP_TOKEN: "generate an app-level token (xapp-…) with the connections:write scope on the app's Basic Information page",
} as const;

/**
 * A token Slack refused, as one sentence naming the variable (never its value); any other
 * failure (Slack unreachable) is passed on as it is.
 */
export function explainRefusal(error: unknown, variable: keyof typeof HINTS): unknown {
  if (error instanceof webApi.WebAPIPlatformError && REFUSALS.has(error.data.error)) {
    return new ConfigError([`${variable} was refused by Slack (${error.data.error}) — ${HINTS[variable]}`]);
  }
  return error;
}

/**
 * Checks the bot token once at start (`auth.test`) and returns the bot's ids, which Bolt
 * would otherwise fetch in the background and only complain about in a log line.
 */
export async function identifyBot(client: webApi.WebClient): Promise<{ botId: string; botUserId: string }> {
  try {
    const identity = await client.auth.test();
    if (!identity.bot_id || !identity.user_id) throw new ConfigError(['SLACK_BOT_TOKEN is not a bot token — use the Bot User OAuth Token (xoxb-…)']);
    return { botId: identity.bot_id, botUserId: identity.user_id };
  } catch (error) {
    throw explainRefusal(error, 'SLACK_BOT_TOKEN');
  }
}
