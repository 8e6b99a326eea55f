import type { App } from '@slack/bolt';
import { ephemeral, postReplies } from '../post-replies';
import { plainTextOf } from '../render/slack-text';
import type { ListenerDeps } from './listener-deps';

/**
 * Messages a person writes to the bot in their direct conversation (event `message.im`).
 * Bolt acknowledges events before this runs; a redelivery of the same event (Slack adds
 * `X-Slack-Retry-Num` when an acknowledgement got lost) is recognised by its event id and
 * changes nothing (the runtime drops it). Edits, joins, files without text and the bot's own posts are not
 * messages to answer.
 */
export function register(app: App, deps: ListenerDeps): void {
  app.event('message', async ({ event, body, client }) => {
    if (event.channel_type !== 'im' || event.subtype !== undefined || event.bot_id) return;
    const text = plainTextOf(event.text ?? '').trim();
    if (!text) return;
    const showPrivately = ephemeral(client, event.channel, event.user);
    await deps.runtime.process({ kind: 'direct message', id: `event:${body.event_id}`, apologise: (sorry) => showPrivately({ text: sorry }) }, async () => {
      const from = await deps.people.address({ workspaceId: body.team_id, userId: event.user, channelId: event.channel });
      const replies = await deps.runtime.engine.handle({ type: 'text', from, text });
      await postReplies({ client, channelId: event.channel, showPrivately }, replies);
    });
  });
}
