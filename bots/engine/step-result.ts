import type { NewBookingRequest } from '../../src/requests/new-request';
import type { Reply } from '../core/replies';
import type { IncomingEvent } from '../core/events';
import type { Actor, SessionOutcomeCommand, TrainerDecision } from '../../workflows/contract';
import type { AvailabilityText } from '../parsing/availability';
import type { PolicyPatch } from '../../src/policy';
import type { RecordPaymentInput } from '../../src/credits/ledger';
import type { NewPackageType } from './credits/port';
import type { ConversationState, Flow, TimeOffRange } from './state';

/**
 * Which booking a change is for: its request, and for an occurrence of a series also the
 * booking and its series (the occurrence has a workflow of its own; see BookingTarget).
 */
export interface BookingRef {
  bookingRequestId: number;
  bookingId?: number;
  seriesId?: number | null;
}

/** A write the dialogue asks for; the engine runs it after the new state is stored. */
export type Effect =
  | { type: 'start-request'; nonce: string; request: NewBookingRequest; trainerName: string }
  | { type: 'decide'; bookingRequestId: number; decision: TrainerDecision; requestKey: string; clientName: string }
  | ({ type: 'cancel-booking'; actor: Actor; requestKey: string } & BookingRef)
  /** "This and all following" of a series: `fromBookingId` and every later session, through the series request's workflow. */
  | { type: 'cancel-series'; bookingRequestId: number; fromBookingId: number; actor: Actor; requestKey: string; zone: string }
  | ({ type: 'reschedule-booking'; actor: Actor; newStartTime: string; requestKey: string; zone: string } & BookingRef)
  | ({ type: 'record-outcome'; command: SessionOutcomeCommand } & BookingRef)
  | { type: 'publish-availability'; trainerId: number; availability: AvailabilityText; zone: string }
  | { type: 'set-time-zone'; userId: number; timeZone: string }
  | { type: 'link-account'; identityId: number; code: string }
  /** A new secret calendar feed URL for the user (shown privately, once), or its revocation. */
  | { type: 'calendar-feed'; userId: number; revoke: boolean }
  | { type: 'time-off'; trainerId: number; ranges: TimeOffRange[]; summary: string; zone: string }
  | { type: 'save-policy'; trainerId: number; patch: PolicyPatch }
  | { type: 'withdraw-request'; bookingRequestId: number; userId: number; trainerName: string; requestKey: string }
  /** A trainer records a client's payment for a pack; `zone` is the trainer's, for the expiry date. */
  | { type: 'record-payment'; payment: RecordPaymentInput; clientName: string; zone: string }
  | { type: 'create-pack'; pack: NewPackageType }
  | { type: 'stop-pack'; trainerId: number; packageTypeId: number };

/** What an effect tells the dialogue back, so it can move on or return to a step. */
export type EffectEvent =
  | { type: 'request-started'; nonce: string; bookingRequestId: number }
  | { type: 'request-refused'; nonce: string; field: string; message: string };

export type DialogueEvent = IncomingEvent | EffectEvent;

/**
 * What a flow (booking, publishing, managing bookings, a trainer's decision) answers to one
 * event: its next state — `undefined` leaves the dialogue's flow as it is, `null` ends it —
 * the replies to show and the writes to make.
 */
export interface FlowStep {
  flow?: Flow | null;
  replies: Reply[];
  effects: Effect[];
}

/** One dialogue step: the whole new conversation state, the replies and the writes. */
export interface StepResult {
  state: ConversationState;
  replies: Reply[];
  effects: Effect[];
}
