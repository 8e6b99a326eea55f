/** The domain's closed vocabularies, shared by entities, workflows, API and bots. */
export const USER_ROLES = ['CLIENT', 'TRAINER', 'ADMIN'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const CHAT_PLATFORMS = ['slack', 'discord', 'terminal'] as const;
export type ChatPlatform = (typeof CHAT_PLATFORMS)[number];

export const REQUEST_STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'EXPIRED', 'WITHDRAWN'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** A booking row's status (table `booking`); the workflow's own status is `BookingWorkflowStatus` (workflows/contract.ts). */
export const BOOKING_STATUSES = ['PENDING', 'CONFIRMED', 'CANCELLED', 'COMPLETED', 'NO_SHOW', 'LATE_CANCELLED'] as const;
export type BookingRowStatus = (typeof BOOKING_STATUSES)[number];
/** Bookings in these states own their slots and may not overlap another of the trainer's. */
export const ACTIVE_BOOKING_STATUSES = ['PENDING', 'CONFIRMED'] as const satisfies readonly BookingRowStatus[];

export const SESSION_STATUSES = ['PENDING', 'CONFIRMED', 'COMPLETED', 'CANCELLED', 'NO_SHOW'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const LOCATION_TYPES = ['GYM', 'HOME', 'ONLINE'] as const;
export type LocationType = (typeof LOCATION_TYPES)[number];

/**
 * The booking workflow's status of a request and its booking (the `BookingStatus` search
 * attribute): the request's outcome while it is open, then the booking's.
 */
export const WORKFLOW_STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'EXPIRED', 'WITHDRAWN', 'CANCELLED', 'LATE_CANCELLED', 'COMPLETED', 'NO_SHOW'] as const;
