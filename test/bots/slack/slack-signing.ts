import { createHmac } from 'node:crypto';

/** Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`. */
export function slackSignature(signingSecret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/** Seconds since the epoch, as Slack sends them in X-Slack-Request-Timestamp. */
export const slackTimestamp = (at = Date.now()): string => String(Math.floor(at / 1000));
