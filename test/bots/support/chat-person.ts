import { randomUUID } from 'node:crypto';
import { encodeAction } from '../../../bots/core/action-codec';
import type { ChatAddress } from '../../../bots/core/events';
import type { Action, OutgoingMessage } from '../../../bots/core/messages';
import type { Reply } from '../../../bots/core/replies';
import type { ChatEngine } from '../../../bots/engine/chat-engine';
import type { ChatPlatform } from '../../../src/domain/statuses';

/** A person in a chat with the bot: writes, presses buttons, fills forms, reads replies. */
export class ChatPerson {
  readonly address: ChatAddress;
  readonly heard: Reply[] = [];

  constructor(
    public engine: ChatEngine,
    platform: ChatPlatform,
    readonly externalUserId: string,
    displayName: string,
    workspaceId = 'W1',
  ) {
    this.address = { platform, workspaceId, externalUserId, channelId: `dm-${externalUserId}`, isDirect: true, displayName };
  }

  private async record(replies: Promise<Reply[]>): Promise<Reply[]> {
    const got = await replies;
    // Every action the engine offers must fit Discord's 100-character custom_id (it throws if not).
    for (const action of got.flatMap((r) => r.message.actions ?? [])) {
      if (action.kind === 'select') for (const option of action.options) encodeAction(action.id, option.value);
      else encodeAction(action.id, action.kind === 'date' ? `${action.valuePrefix ?? ''}2026-12-31` : action.value);
    }
    this.heard.push(...got);
    return got;
  }

  say(text: string): Promise<Reply[]> {
    return this.record(this.engine.handle({ type: 'text', from: this.address, text }));
  }

  /** The last reply that offers actions (what a person would press next). */
  lastWithActions(): OutgoingMessage {
    const found = [...this.heard].reverse().find((r) => (r.message.actions?.length ?? 0) > 0);
    if (!found) throw new Error('no reply with actions yet');
    return found.message;
  }

  last(): Reply {
    const reply = this.heard.at(-1);
    if (!reply) throw new Error('no reply yet');
    return reply;
  }

  /** Finds a button (by label) or a select option (by its label) in a message. */
  static find(message: OutgoingMessage, label: string | RegExp): { actionId: string; value: string } {
    const matches = (text: string): boolean => (typeof label === 'string' ? text === label : label.test(text));
    for (const action of message.actions ?? ([] as Action[])) {
      if (action.kind === 'button' && matches(action.label)) return { actionId: action.id, value: action.value };
      if (action.kind === 'select') {
        const option = action.options.find((o) => matches(o.label));
        if (option) return { actionId: action.id, value: option.value };
      }
    }
    throw new Error(`no action ${String(label)} in ${JSON.stringify(message)}`);
  }

  /** Presses a button (or picks an option) in `message`, by default the last one offering any. */
  press(label: string | RegExp, message: OutgoingMessage = this.lastWithActions(), pressId: string = randomUUID()): Promise<Reply[]> {
    const { actionId, value } = ChatPerson.find(message, label);
    return this.pressValue(actionId, value, pressId);
  }

  pressValue(actionId: string, value: string, pressId: string = randomUUID()): Promise<Reply[]> {
    return this.record(this.engine.handle({ type: 'action', from: this.address, actionId, value, pressId }));
  }

  /** Picks a date in a date picker of the last message with actions. */
  pickDate(date: string, message: OutgoingMessage = this.lastWithActions()): Promise<Reply[]> {
    const picker = (message.actions ?? []).find((a) => a.kind === 'date');
    if (!picker || picker.kind !== 'date') throw new Error('no date picker');
    return this.pressValue(picker.id, `${picker.valuePrefix ?? ''}${date}`);
  }

  submit(formId: string, values: Record<string, string>): Promise<Reply[]> {
    return this.record(this.engine.handle({ type: 'form', from: this.address, formId, values, submissionId: randomUUID() }));
  }
}

/** The text of every reply, for readable assertions. */
export const texts = (replies: readonly Reply[]): string[] => replies.map((r) => r.message.text);
