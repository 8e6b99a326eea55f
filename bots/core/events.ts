import type { ChatPlatform } from '../../src/domain/statuses';

/** Who wrote or pressed, as the platform names them; every incoming event carries one. */
export interface ChatAddress {
  platform: ChatPlatform;
  /** Slack team id; '' on Discord, whose user ids are the same in every server and DM; 'local' for the terminal. */
  workspaceId: string;
  externalUserId: string;
  /** Where it happened; a direct-message channel becomes the person's reply address. */
  channelId: string;
  /** True when `channelId` is a direct conversation with the bot. */
  isDirect?: boolean;
  /** The person's display name, when the platform tells it (used for a new account). */
  displayName?: string;
  /** An IANA zone the platform knows for the person (Slack's `tz`), if any. */
  timeZone?: string;
}

/** A platform message id, enough to edit that message later. */
export interface MessageRef {
  platform: ChatPlatform;
  workspaceId: string;
  channelId: string;
  messageId: string;
}

export interface TextEvent {
  type: 'text';
  from: ChatAddress;
  text: string;
}

export interface ActionEvent {
  type: 'action';
  from: ChatAddress;
  actionId: string;
  value: string;
  /**
   * Unique per press (Slack `action_ts` + user, Discord interaction id): a repeated delivery
   * of one press carries the same id, so the change it asks for is applied once.
   */
  pressId: string;
  /** The message the button was on, when the platform says. */
  source?: MessageRef;
}

export interface FormEvent {
  type: 'form';
  from: ChatAddress;
  formId: string;
  values: Record<string, string>;
  /** Unique per submission, like `pressId`. */
  submissionId: string;
}

export type IncomingEvent = TextEvent | ActionEvent | FormEvent;
