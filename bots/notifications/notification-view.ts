import type { EntityManager } from '@mikro-orm/postgresql';
import { BookingRequest } from '../../src/db/entities';
import type { SeriesRecurrence } from '../../src/domain/series/series';

/** What a notification is about, read once from the database for rendering. */
export interface NotificationView {
  bookingRequestId: number;
  clientUserId: number;
  clientName: string;
  trainerUserId: number;
  trainerName: string;
  sessionType: string;
  durationMinutes: number;
  location: string | null;
  specialRequests: string | null;
  /** Direct booking: the requested start. */
  startTime: Date | null;
  preferences: {
    startDate: string;
    endDate: string;
    preferredTimes: string[];
    avoidTimes: string[];
    allowWeekends: boolean;
    allowEvenings: boolean;
  } | null;
  /** The zone the request's preferences are meant in. */
  requestTimeZone: string;
  trainerTimeZone: string;
  /** The client's own zone, else the request's. */
  clientTimeZone: string;
  /** A weekly series request (issue 12): how it repeats; null for a single booking. Optional for views built before series. */
  recurrence?: SeriesRecurrence | null;
}

export async function loadNotificationView(em: EntityManager, bookingRequestId: number): Promise<NotificationView | undefined> {
  const request = await em.findOne(BookingRequest, bookingRequestId, { populate: ['client', 'trainer.user'] });
  if (!request) return undefined;
  return {
    bookingRequestId: request.id,
    clientUserId: request.client.id,
    clientName: request.client.fullName,
    trainerUserId: request.trainer.user.id,
    trainerName: request.trainer.user.fullName,
    sessionType: request.sessionType,
    durationMinutes: request.durationMinutes,
    location: request.location ?? null,
    specialRequests: request.specialRequests ?? null,
    startTime: request.startTime ?? null,
    preferences:
      request.preferredStartDate && request.preferredEndDate
        ? {
            startDate: request.preferredStartDate,
            endDate: request.preferredEndDate,
            preferredTimes: request.preferredTimes,
            avoidTimes: request.avoidTimes,
            allowWeekends: request.allowWeekends,
            allowEvenings: request.allowEvenings,
          }
        : null,
    requestTimeZone: request.timeZone,
    trainerTimeZone: request.trainer.timeZone,
    clientTimeZone: request.client.timeZone ?? request.timeZone,
    recurrence: request.recurrence ?? null,
  };
}
