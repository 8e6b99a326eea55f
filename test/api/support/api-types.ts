import type { z } from 'zod';
import type { approvalResponseSchema, bookingRequestDetailSchema, bookingRequestSchema } from '../../../src/api/schemas/booking-requests';
import type { bookingSeriesSchema } from '../../../src/api/schemas/booking-series';
import type { bookingChangeResponseSchema, bookingSchema } from '../../../src/api/schemas/bookings';
import type { ScoredSlotView } from '../../../src/api/schemas/scored-slots';
import type { bulkCreateResponseSchema, timeSlotSchema } from '../../../src/api/schemas/time-slots';

/** The bodies the API answers with, typed from the same zod schemas that shape them. */
export type RequestView = z.infer<typeof bookingRequestSchema>;
export type RequestDetail = z.infer<typeof bookingRequestDetailSchema>;
export type Approval = z.infer<typeof approvalResponseSchema> & { booking_id?: number; confirmed_time?: string; slots_booked?: number; rejection_reason?: string };
export type BookingView = z.infer<typeof bookingSchema>;
export type BookingChange = z.infer<typeof bookingChangeResponseSchema>;
export type SeriesView = z.infer<typeof bookingSeriesSchema>;
export type SlotView = z.infer<typeof timeSlotSchema>;
export type BulkCreated = z.infer<typeof bulkCreateResponseSchema>;
export interface ScoredSlots {
  booking_request_id: number;
  scored_slots: ScoredSlotView[];
}
export type { ScoredSlotView };

/** Every error: the common shape plus what some carry (fresh options, overlaps, the booking). */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  field?: string;
  options?: ScoredSlotView[];
  overlaps?: { start_time: string; end_time: string; conflicts_with: { start_time: string; end_time: string } }[];
  booking?: BookingView;
}

/** A success body, or (at run time) an error: tests check the status before they rely on either. */
export type Answer<T> = T & Partial<ErrorBody>;
