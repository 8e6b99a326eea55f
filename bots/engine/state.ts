import type { PaymentMethod } from '../../src/domain/credits/credits';
import type { WeekdayCode } from '../../src/domain/series/recurrence';
import type { SeriesConflictMode } from '../../src/domain/series/series';
import type { LocationType } from '../../src/domain/statuses';
import type { AvailabilityText } from '../parsing/availability';

/** Flexible-request preferences as the dialogue collects them. */
export interface DraftPreferences {
  startDate?: string;
  endDate?: string;
  preferredTimes: string[];
  avoidTimes: string[];
  allowWeekends: boolean;
  allowEvenings: boolean;
  /** The person said they are done (free text with dates, or the Continue button). */
  done: boolean;
}

/**
 * A weekly series (issue 12) as the dialogue collects it, from free text ("every Tuesday
 * 18:00 for 10 weeks") or the Repeat buttons. A direct series (mode `exact`) starts at the
 * draft's `startTime`; a flexible one in the draft's preferences.
 */
export interface DraftSeries {
  /** Every `interval` weeks (1–4); undefined while the Repeat question is open. */
  interval?: number;
  /** The days named; empty means the first session's own day (direct) or the trainer's candidate's (flexible). */
  weekdays: WeekdayCode[];
  /** The days are settled: named in text, or answered on the days question. */
  daysDone: boolean;
  /** How many sessions; or else `until`, or `forMonths` (resolved from the first session's date). */
  count?: number;
  until?: string;
  forMonths?: number;
  conflictMode: SeriesConflictMode;
  /** Direct series from text: the local start time (HH:MM); the first session is worked out once trainer and duration are known. */
  time?: string;
  /** The earliest day the series may begin ("starting next Monday"), YYYY-MM-DD in the client's zone. */
  from?: string;
}

export interface BookingDraft {
  trainerId?: number;
  sessionType?: string;
  durationMinutes?: number;
  locationType?: LocationType;
  mode?: 'exact' | 'flexible';
  /** Exact: the day whose free starts are offered (YYYY-MM-DD in the client's zone). */
  day?: string;
  /** Exact: the chosen start (ISO instant). */
  startTime?: string;
  preferences?: DraftPreferences;
  /** `null` once the person skipped it. */
  specialRequests?: string | null;
  /** Set when the booking repeats weekly; absent for one session. */
  series?: DraftSeries;
}

export type BookStep = 'trainer' | 'sessionType' | 'duration' | 'location' | 'mode' | 'day' | 'slot' | 'preferences' | 'repeat' | 'repeatDays' | 'repeatEnd' | 'special' | 'confirm';

export interface BookFlow {
  kind: 'book';
  /** Changes per flow, and is part of each button's value: buttons of an old flow are recognised. */
  nonce: string;
  draft: BookingDraft;
  /** Confirmed and being sent: a second Confirm must not send it twice. */
  submitting?: boolean;
}

export interface RejectFlow {
  kind: 'reject';
  nonce: string;
  bookingRequestId: number;
}

export interface CancelFlow {
  kind: 'cancel';
  nonce: string;
  bookingId: number;
}

export interface RescheduleFlow {
  kind: 'reschedule';
  nonce: string;
  bookingId: number;
  day?: string;
}

export interface PublishFlow {
  kind: 'publish';
  nonce: string;
  availability?: AvailabilityText;
  /** What the trainer wrote so far, while a part (hours, days, weeks) is still missing. */
  said?: string;
}

/** An instant range [from, to) as ISO strings (the state is stored as JSON). */
export interface TimeOffRange {
  from: string;
  to: string;
}

export interface TimeOffFlow {
  kind: 'time-off';
  nonce: string;
  /** What "block Fri 14-18" named, once understood; confirmed before anything is removed. */
  ranges?: TimeOffRange[];
  summary?: string;
}

/**
 * A payment a trainer filled in (the payment form) that waits for one answer: which client
 * the name meant, or that an amount other than the pack's price is meant (a discount).
 * Money is a string of minor units: the state is stored as JSON.
 */
export interface PaymentDraft {
  packageTypeId: number;
  clientId?: number;
  clientName?: string;
  amountMinor: string;
  currency: string;
  method: PaymentMethod;
  reference: string | null;
  /** The payment's idempotency key (the form submission's): recorded once however often it is confirmed. */
  key: string;
  /** The amount is not the pack's price: recorded only once the trainer confirms it. */
  differs: boolean;
}

export interface PaymentFlow {
  kind: 'payment';
  nonce: string;
  draft: PaymentDraft;
  /** The clients the written name fitted, while the trainer chooses. */
  candidates?: number[];
}

export type Flow = BookFlow | RejectFlow | CancelFlow | RescheduleFlow | PublishFlow | TimeOffFlow | PaymentFlow;

/** What the Conversation row's `state` holds. */
export interface ConversationState {
  flow: Flow | null;
}

export const EMPTY_STATE: ConversationState = { flow: null };

/** A short random tag for a new flow (not a secret: buttons are authorised on the server). */
export function newNonce(): string {
  return Math.random().toString(36).slice(2, 8);
}
