import type { App } from '@slack/bolt';
import { logger } from '../../../src/logger';
import { ephemeral, postReplies, SORRY } from '../post-replies';
import { plainTextOf } from '../render/slack-text';
import type { ListenerDeps } from './listener-deps';

const log = logger.child({ component: 'slack' });

/**
 * Messages a person writes to the bot in their direct conversation (event `message.im`).
 * Bolt acknowledges events before this runs; a redelivery of the same event (Slack adds
 * `X-Slack-Retry-Num` when an acknowledgement got lost) is recognised by its event id and
 * changes nothing. Edits, joins, files without text and the bot's own posts are not
 * messages to answer.
 */
export function register(app: App, deps: ListenerDeps): void {
  app.event('message', async ({ event, body, client, context }) => {
    if (event.channel_type !== 'im' || event.subtype !== undefined || event.bot_id) return;
    const text = plainTextOf(event.text ?? '').trim();
    if (!text) return;
    if (!deps.deliveries.firstTime(`event:${body.event_id}`)) {
      log.info({ eventId: body.event_id, retryNum: context.retryNum, retryReason: context.retryReason }, 'Slack redelivered an event already handled; ignored');
      return;
    }
    const showPrivately = ephemeral(client, event.channel, event.user);
    try {
      const from = await deps.people.address({ workspaceId: body.team_id, userId: event.user, channelId: event.channel });
      const replies = await deps.engine.handle({ type: 'text', from, text });
      await postReplies({ client, channelId: event.channel, showPrivately }, replies);
    } catch (error) {
      log.error({ err: error }, 'direct message failed');
      await showPrivately({ text: SORRY }).catch(() => undefined);
    }
  });
}
