/**
 * What the booking workflow tells people, platform-neutral. Chat adapters render each kind
 * (Block Kit, Discord components, e-mail); `key` is unique per notification so an adapter
 * can drop a repeat delivery after an activity retry.
 * Pure types: workflow code imports this file.
 */
import type { BookingSummary, SeriesSummary, SlotOption } from '../../workflows/contract';

export type Audience = 'client' | 'trainer';

export type NotificationKind =
  | 'request.received'
  | 'request.options'
  | 'request.slot-taken'
  | 'request.approved'
  | 'request.rejected'
  | 'request.expired'
  | 'request.withdrawn'
  /**
   * The trainer approved, but the client has no credit the trainer's policy requires (issue
   * 13): nothing was booked and the request waits; the client reads how to get a pack, the
   * trainer that the client has none.
   */
  | 'request.credit-needed'
  | 'booking.reminder'
  | 'booking.cancelled'
  | 'booking.rescheduled'
  | 'booking.outcome-prompt'
  | 'booking.outcome-recorded'
  /** Occurrences of a series cancelled together ("this and all following"): one message for all. */
  | 'series.cancelled';

export interface Notification {
  key: string;
  kind: NotificationKind;
  audience: Audience[];
  bookingRequestId: number;
  trainerId: number;
  clientId: number;
  /** One sentence a person can read as it is. */
  text: string;
  options?: SlotOption[];
  booking?: BookingSummary;
  /** A series request's confirmed series (request.approved), or what is left of it (series.cancelled). */
  series?: SeriesSummary;
  /** series.cancelled: the occurrences just cancelled. */
  cancelled?: BookingSummary[];
  reason?: string;
  expiresAt?: string;
}

export interface Notifier {
  notify(notification: Notification): Promise<void>;
}

/**
 * What the ledger tells people about their packs (issue 13), outside any booking request:
 * a payment recorded, a pack about to run out (few credits left, or its validity ending),
 * credits expired. `key` is unique per notice, so a retried delivery does not post twice.
 */
export type CreditNoticeKind = 'credits.purchased' | 'credits.low' | 'credits.expiring' | 'credits.expired';

export interface CreditNotice {
  key: string;
  kind: CreditNoticeKind;
  audience: Audience[];
  clientId: number;
  trainerId: number;
  /** One sentence a person can read as it is (worded in src/domain/credits/wording.ts). */
  text: string;
  lotId: number;
  packName: string;
  /** Credits left in this pack after the event; and for the client with this trainer in all packs. */
  available: number;
  totalLeft: number;
  expiresAt: string;
}

/** Implemented by every notifier that can reach people outside a booking request (chat, e-mail). */
export interface CreditNotifier {
  notifyCredits(notice: CreditNotice): Promise<void>;
}
