import { randomBytes, randomUUID } from 'node:crypto';
import { APP_ID, BOT_ID, BOT_USER_ID, type BoltAnswer, type DeliveryOptions, type FakeEphemeral, type FakeMessage, type FakeSlack, type FakeView, type SlackUser } from './fake-slack';

type Json = Record<string, unknown>;
type Target = FakeMessage | FakeEphemeral;

let pressCount = 0;
/** Slack's `action_ts`: unique per press. */
const nextActionTs = (): string => `${Math.floor(Date.now() / 1000)}.${String(++pressCount).padStart(6, '0')}`;

const textOf = (value: unknown): string => ((value as Json | undefined)?.text as string | undefined) ?? '';
const unescape = (text: string): string => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const slackEncoded = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const matches = (text: string, label: string | RegExp): boolean => (typeof label === 'string' ? text === label : label.test(text));

function elementsOf(target: Target): Json[] {
  return target.blocks.filter((b) => b.type === 'actions').flatMap((b) => ((b.elements as Json[]).map((e) => ({ ...e, block_id: b.block_id }))));
}

/** The labels of a message's buttons, in order. */
export const buttonsOf = (target: Target): string[] => elementsOf(target).filter((e) => e.type === 'button').map((e) => textOf(e.text));

/** True while a message still offers something to press or pick. */
export const hasControls = (target: Target): boolean => elementsOf(target).length > 0;

/** A message's `*Label*\nvalue` fields, as a person reads them. */
export function fieldsOf(target: Target): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const block of target.blocks) {
    for (const field of (block.fields as Json[] | undefined) ?? []) {
      const [, label = '', value = ''] = /^\*([^*]*)\*\n([\s\S]*)$/.exec(textOf(field)) ?? [];
      fields[unescape(label)] = unescape(value);
    }
  }
  return fields;
}

/** The text of a message's context lines (where the bot writes an outcome). */
export const contextOf = (target: Target): string =>
  unescape(
    target.blocks
      .filter((b) => b.type === 'context')
      .flatMap((b) => (b.elements as Json[]).map(textOf))
      .join(' '),
  );

/** The main text block as a person reads it. */
export const bodyOf = (target: Target): string => unescape(textOf(target.blocks.find((b) => b.type === 'section' && b.text)?.text)) || target.text;

/**
 * A person in the fake workspace: writes to the bot, runs `/book`, presses buttons, picks
 * options and dates, submits modals — each delivered as Slack delivers it — and reads what
 * the bot posted in their direct conversation.
 */
export class SlackPerson {
  constructor(
    readonly fake: FakeSlack,
    readonly user: SlackUser,
  ) {
    fake.addUser(user);
  }

  get id(): string {
    return this.user.id;
  }

  /** The direct conversation between this person and the bot. */
  get dm(): string {
    return this.fake.dmOf(this.user.id);
  }

  private userObject(): Json {
    return { id: this.user.id, username: this.user.name, name: this.user.name, team_id: this.fake.teamId };
  }

  /** A `message.im` event; returns the body so a test can deliver it again. */
  async say(text: string, options: DeliveryOptions = {}): Promise<{ answer: BoltAnswer; body: Json }> {
    const message = this.fake.recordUserMessage(this.dm, this.user.id, text);
    const body: Json = {
      token: 'unused-verification-token',
      team_id: this.fake.teamId,
      api_app_id: APP_ID,
      // Slack sends what was typed with &, < and > as entities (a raw < starts a link or mention).
      event: { type: 'message', channel: this.dm, user: this.user.id, text: slackEncoded(text), ts: message.ts, event_ts: message.ts, channel_type: 'im', client_msg_id: randomUUID(), team: this.fake.teamId },
      type: 'event_callback',
      event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: this.fake.teamId, user_id: BOT_USER_ID, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
      event_context: `4-${randomBytes(8).toString('hex')}`,
    };
    return { answer: await this.fake.deliver({ kind: 'event', body }, options), body };
  }

  /** `/book <text>`, by default typed in the direct conversation with the bot. */
  command(text: string, channelId = this.dm, options: DeliveryOptions = {}): Promise<BoltAnswer> {
    const fields: Record<string, string> = {
      token: 'unused-verification-token',
      team_id: this.fake.teamId,
      team_domain: 'fake-team',
      channel_id: channelId,
      channel_name: channelId.startsWith('D') ? 'directmessage' : 'general',
      user_id: this.user.id,
      user_name: this.user.name,
      command: '/book',
      text,
      api_app_id: APP_ID,
      is_enterprise_install: 'false',
      response_url: this.fake.issueResponseUrl({ channel: channelId, user: this.user.id }),
      trigger_id: this.fake.issueTrigger(this.user.id),
    };
    return this.fake.deliver({ kind: 'command', fields }, options);
  }

  /** The `block_actions` payload for pressing/picking `action` on `target`, as Slack builds it. */
  actionPayload(target: Target, action: Json): Json {
    const container = { type: 'message', message_ts: target.ts, channel_id: target.channel, is_ephemeral: target.kind === 'ephemeral' };
    return {
      type: 'block_actions',
      user: this.userObject(),
      api_app_id: APP_ID,
      token: 'unused-verification-token',
      container,
      trigger_id: this.fake.issueTrigger(this.user.id),
      team: { id: this.fake.teamId, domain: 'fake-team' },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: target.channel, name: target.channel.startsWith('D') ? 'directmessage' : 'general' },
      ...(target.kind === 'message' ? { message: { type: 'message', user: BOT_USER_ID, bot_id: BOT_ID, app_id: APP_ID, team: this.fake.teamId, text: target.text, ts: target.ts, blocks: copy(target.blocks) } } : {}),
      state: { values: {} },
      response_url: this.fake.issueResponseUrl(target.kind === 'message' ? { channel: target.channel, user: this.user.id, message: target } : { channel: target.channel, user: this.user.id, ephemeral: target }),
      actions: [{ ...action, action_ts: nextActionTs() }],
    };
  }

  private find(target: Target, test: (element: Json) => boolean, what: string): Json {
    const element = elementsOf(target).find(test);
    if (!element) throw new Error(`no ${what} in ${JSON.stringify(target.blocks)}`);
    return element;
  }

  /** The payload of pressing the button labelled `label`. */
  buttonPayload(target: Target, label: string | RegExp): Json {
    const button = this.find(target, (e) => e.type === 'button' && matches(textOf(e.text), label), `button ${String(label)}`);
    return this.actionPayload(target, { type: 'button', action_id: button.action_id, block_id: button.block_id, text: button.text, ...(button.value === undefined ? {} : { value: button.value }), ...(button.style ? { style: button.style } : {}) });
  }

  async press(target: Target, label: string | RegExp): Promise<{ answer: BoltAnswer; payload: Json }> {
    const payload = this.buttonPayload(target, label);
    return { answer: await this.fake.deliver({ kind: 'interaction', payload }), payload };
  }

  /** Picks the option labelled `label` in the select that has it. */
  async choose(target: Target, label: string | RegExp): Promise<BoltAnswer> {
    const isIn = (e: Json): Json | undefined => (e.options as Json[] | undefined)?.find((o) => matches(textOf(o.text), label));
    const select = this.find(target, (e) => e.type === 'static_select' && isIn(e) !== undefined, `option ${String(label)}`);
    const option = isIn(select)!;
    return this.fake.deliver({ kind: 'interaction', payload: this.actionPayload(target, { type: 'static_select', action_id: select.action_id, block_id: select.block_id, selected_option: option, ...(select.placeholder ? { placeholder: select.placeholder } : {}) }) });
  }

  async pickDate(target: Target, date: string): Promise<BoltAnswer> {
    const picker = this.find(target, (e) => e.type === 'datepicker', 'date picker');
    return this.fake.deliver({ kind: 'interaction', payload: this.actionPayload(target, { type: 'datepicker', action_id: picker.action_id, block_id: picker.block_id, selected_date: date }) });
  }

  /** Submits the modal with these answers by field (block) id, as Slack would accept them. */
  async submit(opened: FakeView, answers: Record<string, string>): Promise<BoltAnswer> {
    if (!opened.open) throw new Error(`modal ${opened.id} is closed`);
    const values: Record<string, Record<string, Json>> = {};
    for (const block of (opened.view.blocks as Json[]).filter((b) => b.type === 'input')) {
      const element = block.element as Json;
      const value = answers[block.block_id as string] ?? '';
      // Slack's own client checks these before it submits anything.
      if (!block.optional && value === '') throw new Error(`Slack would not submit: ${String(block.block_id)} is required`);
      if (typeof element.max_length === 'number' && value.length > element.max_length) throw new Error(`Slack would not submit: ${String(block.block_id)} is too long`);
      values[block.block_id as string] = { [element.action_id as string]: { type: 'plain_text_input', value } };
    }
    const payload: Json = {
      type: 'view_submission',
      team: { id: this.fake.teamId, domain: 'fake-team' },
      user: this.userObject(),
      api_app_id: APP_ID,
      token: 'unused-verification-token',
      trigger_id: this.fake.issueTrigger(this.user.id),
      view: { ...copy(opened.view), id: opened.id, team_id: this.fake.teamId, state: { values }, hash: opened.hash, previous_view_id: null, root_view_id: opened.id, app_id: APP_ID, bot_id: BOT_ID },
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
    return this.fake.deliver({ kind: 'interaction', payload });
  }

  // ── Reading ─────────────────────────────────────────────────────────────────────────

  /** The first bot message in this person's DM after `since` that matches. */
  nextMessage(since: number, matching: (m: FakeMessage) => boolean = () => true, what = 'a message'): Promise<FakeMessage> {
    return this.fake.waitFor(() => this.fake.botMessagesIn(this.dm, since).find(matching), `${what} to ${this.user.name}`);
  }

  /** The first message only this person sees, after `since`, that matches. */
  nextEphemeral(since: number, matching: (e: FakeEphemeral) => boolean = () => true, what = 'a private message'): Promise<FakeEphemeral> {
    return this.fake.waitFor(() => this.fake.ephemeralsFor(this.user.id, since).find(matching), `${what} to ${this.user.name}`);
  }

  /** The modal opened for this person after `since`. */
  nextView(since: number): Promise<FakeView> {
    return this.fake.waitFor(() => this.fake.views.find((v) => v.userId === this.user.id && v.seq > since), `a modal for ${this.user.name}`);
  }
}
