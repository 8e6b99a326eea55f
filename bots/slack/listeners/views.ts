import type { App, ViewResponseAction } from '@slack/bolt';
import { isDirectChannel } from '../direct-channels';
import { ephemeral, postReplies } from '../post-replies';
import { FORM_CALLBACK_ID, formMetadataOf, formValuesOf } from '../render/modal';
import { fit } from '../render/slack-text';
import type { ListenerDeps } from './listener-deps';

const MAX_ERROR_TEXT = 300;

/**
 * Modal submissions (`view_submission`) of the engine's forms, such as the reason for a
 * rejection. When everything the engine says is private (a problem with the answer, or a
 * refusal), the modal stays open and shows it under the first field
 * (`response_action: 'errors'`); otherwise the modal closes and the replies go to the
 * conversation the form was asked from. The engine has the runtime's ack budget to answer
 * (Slack closes the modal with an error after 3 seconds); a slower answer arrives as a message.
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
    const acknowledge = (response?: ViewResponseAction): Promise<void> => {
      acknowledged = true;
      return ack(response);
    };
    // No delivery id: a modal kept open with a problem is submitted again under the same view id.
    const apologise = (sorry: string): Promise<void> => (acknowledged ? showPrivately({ text: sorry }) : acknowledge(errors(sorry)));
    await deps.runtime.process({ kind: 'form submission', apologise }, async () => {
      const from = await deps.people.address({ workspaceId: body.team?.id ?? body.user.team_id ?? '', userId, channelId: metadata.channelId });
      // The view id identifies the modal: submitting it twice decides once.
      const { early, replies } = await deps.runtime.ask({ type: 'form', from, formId: metadata.formId, values, submissionId: view.id });
      const problem = early && early.length > 0 && early.every((reply) => reply.private) ? errors(early.map((reply) => reply.message.text).join(' ')) : undefined;
      if (problem) {
        await acknowledge(problem);
        return;
      }
      await acknowledge();
      const channelId = isDirectChannel(metadata.channelId) ? metadata.channelId : await deps.directChannels.of(userId);
      await postReplies({ client, channelId, showPrivately }, early ?? (await replies));
    });
  });
}
