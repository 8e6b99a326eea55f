import type { APIMessage, APIUser } from 'discord.js';
import type { FakeDiscord, FakeInteraction } from './fake-discord';
import type { Place } from './fake/payloads';
import { snowflake } from './fake/snowflake';

const later = (a: string, b: string): boolean => BigInt(a) > BigInt(b);

/**
 * A person using Discord through the fake: writes DMs, runs slash commands, presses buttons,
 * picks options, fills in modals, and reads the bot's messages as they see them.
 */
export class DiscordPerson {
  /** Messages created before this id were there before the person's latest action. */
  private mark = snowflake();

  constructor(
    readonly fake: FakeDiscord,
    readonly user: APIUser,
  ) {}

  get id(): string {
    return this.user.id;
  }

  get name(): string {
    return this.user.global_name ?? this.user.username;
  }

  private act<T>(action: () => T): T {
    this.mark = snowflake();
    return action();
  }

  say(text: string): APIMessage {
    return this.act(() => this.fake.sendDirectMessage(this.user, text));
  }

  command(name: string, options: Record<string, string | number> = {}, place?: Place): FakeInteraction {
    return this.act(() => this.fake.runCommand(this.user, name, options, place));
  }

  press(message: APIMessage, label: string | RegExp): FakeInteraction {
    return this.act(() => this.fake.pressButton(this.user, message.id, label));
  }

  pick(message: APIMessage, optionLabel: string | RegExp): FakeInteraction {
    return this.act(() => this.fake.chooseOption(this.user, message.id, optionLabel));
  }

  /** A button with that label if the message has one, else that option of a select (many choices become a select). */
  choose(message: APIMessage, label: string | RegExp): FakeInteraction {
    const matches = (text: string | undefined): boolean => text !== undefined && (typeof label === 'string' ? text === label : label.test(text));
    const hasButton = this.fake.buttonsOf(this.current(message)).some((b) => 'label' in b && matches(b.label));
    return hasButton ? this.press(message, label) : this.pick(message, label);
  }

  submit(opened: FakeInteraction, values: Record<string, string>): FakeInteraction {
    return this.act(() => this.fake.submitModal(this.user, opened, values));
  }

  /** The message as it reads now. */
  current(message: APIMessage): APIMessage {
    return this.fake.message(message.id).message;
  }

  /** Every bot message this person sees, oldest first. */
  messages(): APIMessage[] {
    return this.fake.botMessagesFor(this.id);
  }

  /** The first bot message since the person's latest action whose text matches. */
  async next(pattern: RegExp): Promise<APIMessage> {
    const since = this.mark;
    return this.fake.waitFor(`a message to ${this.name} matching ${String(pattern)}`, () => this.messages().find((m) => later(m.id, since) && pattern.test(m.content)));
  }

  /** Any bot message to this person (old or new) whose text matches, once there is one. */
  async seen(pattern: RegExp): Promise<APIMessage> {
    return this.fake.waitFor(`a message to ${this.name} matching ${String(pattern)}`, () => this.messages().find((m) => pattern.test(m.content)));
  }

  /** The modal the bot opened in answer to an interaction. */
  async modalFor(interaction: FakeInteraction): Promise<NonNullable<FakeInteraction['modal']>> {
    return this.fake.waitFor('a modal', () => interaction.modal);
  }
}
