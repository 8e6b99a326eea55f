import type { App } from '@slack/bolt';
import { setTimeout as delay } from 'node:timers/promises';
import { logger } from '../../../src/logger';
import type { Reply } from '../../core/replies';
import { isDirectChannel } from '../direct-channels';
import { ephemeral, postReplies, SORRY } from '../post-replies';
import { FORM_CALLBACK_ID, formMetadataOf, formValuesOf } from '../render/modal';
import { fit } from '../render/slack-text';
import type { ListenerDeps } from './listener-deps';

const log = logger.child({ component: 'slack' });

/**
 * How long a submission may wait for the engine before the modal is acknowledged (Slack
 * closes it with an error after 3 seconds). An answer within it can still keep the modal
 * open with the problem shown at the field; a slower one arrives as a message.
 */
const ANSWER_IN_MODAL_MS = 2_000;
const MAX_ERROR_TEXT = 300;

/**
 * Modal submissions (`view_submission`) of the engine's forms, such as the reason for a
 * rejection. When everything the engine says is private (a problem with the answer, or a
 * refusal), the modal stays open and shows it under the first field
 * (`response_action: 'errors'`); otherwise the modal closes and the replies go to the
 * conversation the form was asked from.
 */
export function register(app: App, deps: ListenerDeps): void {
  app.view(FORM_CALLBACK_ID, async ({ ack, body, view, client }) => {
    const metadata = formMetadataOf(view.private_metadata);
    const values = formValuesOf(view.state.values);
    const firstField = Object.keys(values)[0];
    const errors = (text: string) => (firstField ? { response_action: 'errors' as const, errors: { [firstField]: fit(text, MAX_ERROR_TEXT) } } : undefined);
    if (!metadata) {
      await ack(errors('This form has expired; please close it and start again.'));
      return;
    }
    const userId = body.user.id;
    const showPrivately = ephemeral(client, metadata.channelId, userId);
    let acknowledged = false;
    try {
      const from = await deps.people.address({ workspaceId: body.team?.id ?? body.user.team_id ?? '', userId, channelId: metadata.channelId });
      // The view id identifies the modal: submitting it twice decides once.
      const answering = deps.engine.handle({ type: 'form', from, formId: metadata.formId, values, submissionId: view.id });
      const timer = new AbortController();
      const early = await Promise.race([answering, delay(ANSWER_IN_MODAL_MS, undefined, { signal: timer.signal }).catch(() => undefined)]);
      timer.abort();
      const problem = early && early.length > 0 && early.every((reply) => reply.private) ? errors(early.map((reply) => reply.message.text).join(' ')) : undefined;
      acknowledged = true;
      if (problem) {
        await ack(problem);
        return;
      }
      await ack();
      const replies: Reply[] = early ?? (await answering);
      const channelId = isDirectChannel(metadata.channelId) ? metadata.channelId : await deps.directChannels.of(userId);
      await postReplies({ client, channelId, showPrivately }, replies);
    } catch (error) {
      log.error({ err: error }, 'form submission failed');
      if (!acknowledged) await ack(errors(SORRY));
      else await showPrivately({ text: SORRY }).catch(() => undefined);
    }
  });
}
