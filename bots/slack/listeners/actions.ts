import type { App, BlockAction, BlockElementAction, RespondFn, webApi } from '@slack/bolt';
import { logger } from '../../../src/logger';
import type { MessageRef } from '../../core/events';
import type { OutgoingMessage } from '../../core/messages';
import type { Reply } from '../../core/replies';
import { isDirectChannel } from '../direct-channels';
import { openForm } from '../open-form';
import { UNKNOWN_CONTROL } from '../../runtime/texts';
import { ephemeral, postReplies } from '../post-replies';
import { parseSlackActionId } from '../render/action-ids';
import { slackMessage } from '../render/block-kit';
import { closedBlocks, type Closing } from '../render/closed-message';
import type { ListenerDeps } from './listener-deps';

const log = logger.child({ component: 'slack' });

interface Pressed {
  actionId: string;
  value: string;
  /** What the person chose, in their words: the button, option or date. */
  label: string;
}

/** The engine's action from a Slack button, select or date picker this bot rendered. */
function pressedOf(action: BlockElementAction): Pressed | undefined {
  const parsed = parseSlackActionId(action.action_id);
  if (!parsed) return undefined;
  switch (action.type) {
    case 'button':
      return { actionId: parsed.engineId, value: action.value ?? '', label: action.text.text };
    case 'static_select':
      return { actionId: parsed.engineId, value: action.selected_option.value, label: action.selected_option.text.text };
    case 'datepicker':
      return action.selected_date ? { actionId: parsed.engineId, value: `${parsed.valuePrefix}${action.selected_date}`, label: action.selected_date } : undefined;
    default:
      return undefined;
  }
}

/** A form that could not open as a modal is asked in words: its message says what to write. */
function withoutForm(reply: Reply): Reply {
  const { form: _form, ...message } = reply.message;
  return { ...reply, message };
}

/** A reply that only says how it went (no choices, no summary): it belongs on the pressed message. */
const isStatement = (reply: Reply): boolean => !reply.private && !reply.message.form && !reply.message.actions?.length && !reply.message.fields?.length;

interface PressContext {
  body: BlockAction;
  client: webApi.WebClient;
  respond: RespondFn;
  pressed: Pressed;
  /** The person's direct conversation with the bot, where new messages go. */
  directChannelId: string;
  showPrivately: (message: OutgoingMessage) => Promise<void>;
}

/**
 * The pressed message once its press was taken: its buttons go (a second press has nothing
 * to press) and it shows how it went. False when it could not be edited.
 */
async function closePressedMessage({ body, client, respond }: PressContext, closing: Closing): Promise<boolean> {
  const text = 'outcome' in closing ? closing.outcome : `${body.message?.text ?? ''}\n✓ ${closing.choice}`;
  try {
    if (body.container.is_ephemeral === true) {
      await respond({ replace_original: true, text });
      return true;
    }
    const channel = (body.container.channel_id as string | undefined) ?? body.channel?.id;
    if (!body.message || !channel) return false;
    const blocks = Array.isArray(body.message.blocks) ? (body.message.blocks as unknown[]) : [];
    await client.chat.update({ channel, ts: body.message.ts, text, blocks: closedBlocks(blocks, closing) });
    return true;
  } catch (error) {
    log.warn({ err: error }, 'could not edit the pressed message');
    return false;
  }
}

/**
 * Shows what the engine answered to a press. A refusal (only private replies) changes
 * nothing on the message; a form opens as a modal; otherwise the pressed message is closed
 * with the outcome and the next question arrives as a new message.
 */
async function answerPress(context: PressContext, replies: readonly Reply[]): Promise<void> {
  const formReply = replies.find((reply) => reply.message.form);
  let shownOnMessage = new Set<Reply>();
  if (formReply?.message.form) {
    const form = formReply.message.form;
    const opened = await openForm(context.client, context.body.trigger_id, form, { formId: form.id, channelId: context.directChannelId });
    if (opened) shownOnMessage.add(formReply);
  } else if (replies.some((reply) => !reply.private)) {
    const statements = replies.filter(isStatement);
    const closing: Closing = statements.length > 0 ? { outcome: statements.map((reply) => reply.message.text).join(' ') } : { choice: context.pressed.label };
    if (await closePressedMessage(context, closing)) shownOnMessage = new Set(statements);
  }
  const rest = replies.filter((reply) => !shownOnMessage.has(reply)).map(withoutForm);
  await postReplies({ client: context.client, channelId: context.directChannelId, showPrivately: context.showPrivately }, rest);
}

/**
 * Button presses, selects and date pickers (`block_actions`). Acknowledged at once (Slack
 * allows 3 seconds; an approval runs a workflow Update), then handled. The press id is
 * `action_ts` + user: the runtime drops a redelivered press, and the engine passes it on as
 * the Update id, so even a redelivery to another instance approves once. Who may press
 * what is the engine's decision: anyone else gets a private refusal and nothing changes.
 */
export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction>({ type: 'block_actions' }, async ({ ack, body, action, client, respond }) => {
    await ack();
    const showPrivately = async (message: OutgoingMessage): Promise<void> => {
      // Presses on messages come with a response_url; anything else is answered in the DM.
      if (body.response_url) await respond({ response_type: 'ephemeral', replace_original: false, ...slackMessage(message) });
      else await ephemeral(client, await deps.directChannels.of(body.user.id), body.user.id)(message);
    };
    const userId = body.user.id;
    const pressId = `${action.action_ts}:${userId}`;
    await deps.runtime.process({ kind: 'button press', id: `press:${pressId}`, apologise: (sorry) => showPrivately({ text: sorry }) }, async () => {
      const pressed = pressedOf(action);
      if (!pressed) {
        await showPrivately({ text: UNKNOWN_CONTROL });
        return;
      }
      const workspaceId = body.team?.id ?? body.user.team_id ?? '';
      const pressedIn = (body.container.channel_id as string | undefined) ?? body.channel?.id;
      const directChannelId = pressedIn && isDirectChannel(pressedIn) ? pressedIn : await deps.directChannels.of(userId);
      const from = await deps.people.address({ workspaceId, userId, channelId: pressedIn ?? directChannelId });
      const messageTs = body.container.message_ts as string | undefined;
      const source: MessageRef | undefined = pressedIn && messageTs ? { platform: 'slack', workspaceId, channelId: pressedIn, messageId: messageTs } : undefined;
      const replies = await deps.runtime.engine.handle({ type: 'action', from, actionId: pressed.actionId, value: pressed.value, pressId, ...(source ? { source } : {}) });
      await answerPress({ body, client, respond, pressed, directChannelId, showPrivately }, replies);
    });
  });
}
