import type { App } from '@slack/bolt';
import { commandOf } from '../../engine/commands';
import { ephemeral, postReplies } from '../post-replies';
import type { ListenerDeps } from './listener-deps';

export const BOOK_COMMAND = '/book';

/** `/book` alone starts a booking; `/book next week mornings` books with that; `/book help` is help. */
export function commandText(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return 'book';
  return commandOf(trimmed) ? trimmed : `book ${trimmed}`;
}

/**
 * `/book` from anywhere in the workspace. Slack wants an answer within 3 seconds, so the
 * command is acknowledged at once and the dialogue then runs in the person's direct
 * conversation with the bot, where their next messages reach it (the bot reads only DMs).
 */
export function register(app: App, deps: ListenerDeps): void {
  app.command(BOOK_COMMAND, async ({ ack, command, client, respond }) => {
    await ack();
    await deps.runtime.process({ kind: 'slash command', apologise: (sorry) => respond({ response_type: 'ephemeral', text: sorry }) }, async () => {
      const channelId = await deps.directChannels.of(command.user_id);
      const from = await deps.people.address({ workspaceId: command.team_id, userId: command.user_id, channelId });
      const replies = await deps.runtime.engine.handle({ type: 'text', from, text: commandText(command.text) });
      await postReplies({ client, channelId, showPrivately: ephemeral(client, channelId, command.user_id) }, replies);
      if (command.channel_id !== channelId) await respond({ response_type: 'ephemeral', text: 'I have answered you in our direct messages (under Apps in the sidebar).' });
    });
  });
}
