/**
 * The minimal workflow's public surface (benchmark 3's baseline), shared by its workflow
 * code and the benchmark's client: only definitions and types.
 */
import { defineUpdate } from '@temporalio/workflow';

export interface MinimalRequest {
  requestId: number;
}

export interface MinimalOption {
  slotId: number;
}

export interface MinimalBooking {
  bookingId: number;
}

export type MinimalNotificationKind = 'received' | 'options' | 'approved';

/** The trainer's button press, answered with the booking. */
export const minimalDecideUpdate = defineUpdate<MinimalBooking, [MinimalOption]>('decide');
