import type { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import { Booking, BookingRequest, Trainer, User } from '../../src/db/entities';
import type { TrainerPolicy } from '../../src/domain/policy';
import { loadPolicy } from '../../src/policy';
import { findBookableRuns } from '../../src/slots/bookable-runs';
import type { ChatUser } from '../identity/chat-user';
import type { CreditReads } from './credits/port';

export interface TrainerInfo {
  id: number;
  name: string;
  username: string;
  specialty: string;
  trainingTypes: string[];
  gymName: string | null;
  timeZone: string;
}

export interface BookingInfo {
  bookingId: number;
  bookingRequestId: number;
  clientUserId: number;
  clientName: string;
  trainerId: number;
  trainerName: string;
  trainerTimeZone: string;
  sessionType: string;
  durationMinutes: number;
  startTime: Date;
  endTime: Date;
  status: string;
  /** The weekly series this booking is an occurrence of (issue 12), or null for a single booking. */
  seriesId: number | null;
  /** The series' rule (RFC 5545 text, the booking's `recurring_pattern`), null outside a series. */
  seriesRule: string | null;
}

export interface RequestInfo {
  bookingRequestId: number;
  clientUserId: number;
  clientName: string;
  trainerId: number;
  trainerName: string;
  sessionType: string;
  durationMinutes: number;
  status: string;
  expiresAt: Date;
}

/** A person a trainer may sell a pack to or look up credits for. */
export interface ClientInfo {
  userId: number;
  fullName: string;
  username: string;
  /** Their own IANA zone, if known. */
  timeZone: string | null;
}

/**
 * Everything a dialogue step may read. Steps never write: writes are effects, run after
 * the new dialogue state is stored, so a step that loses a race changes nothing.
 */
export interface DialogueContext {
  now: Date;
  me: ChatUser;
  /** Whose clock relative words and shown times follow: the person's zone, else the trainer's. */
  zoneFor(trainer?: TrainerInfo): string;
  trainers(): Promise<TrainerInfo[]>;
  trainer(id: number): Promise<TrainerInfo | undefined>;
  /** Free starts (ISO) for a session of that length on a local day, in time order. */
  freeStarts(trainerId: number, day: string, durationMinutes: number, zone: string): Promise<string[]>;
  /** The next local days (up to `limit`, within two weeks) that have a free start. */
  daysWithFreeStarts(trainerId: number, durationMinutes: number, zone: string, limit: number): Promise<string[]>;
  /** Upcoming confirmed bookings where I am the client or the trainer. */
  myBookings(): Promise<BookingInfo[]>;
  /** One booking, only if I am its client or trainer. */
  myBooking(bookingId: number): Promise<BookingInfo | undefined>;
  /** The upcoming confirmed bookings of a series where I am the client or the trainer, in time order. */
  mySeriesBookings(seriesId: number): Promise<BookingInfo[]>;
  /** Pending requests I sent, or that are addressed to me as a trainer. */
  myPendingRequests(): Promise<RequestInfo[]>;
  /** Any request (for deciding who may approve it). */
  request(bookingRequestId: number): Promise<RequestInfo | undefined>;
  /** The trainer's booking policy (the defaults when they set none). */
  policy(trainerId: number): Promise<TrainerPolicy>;
  /** Packs, balances and ledger entries (issue 13). */
  credits: CreditReads;
  /** As a trainer: the people who asked me for a session, paid me or hold a pack of mine, by name. */
  myClients(): Promise<ClientInfo[]>;
  /** Anyone but me with exactly this username (a new client a trainer sells a first pack to). */
  personByUsername(username: string): Promise<ClientInfo | undefined>;
  person(userId: number): Promise<ClientInfo | undefined>;
}

function trainerInfo(trainer: Trainer): TrainerInfo {
  return {
    id: trainer.id,
    name: trainer.user.fullName,
    username: trainer.user.username,
    specialty: trainer.specialty,
    trainingTypes: trainer.trainingTypes,
    gymName: trainer.gymName ?? null,
    timeZone: trainer.timeZone,
  };
}

function bookingInfo(booking: Booking): BookingInfo {
  return {
    bookingId: booking.id,
    bookingRequestId: booking.bookingRequest.id,
    clientUserId: booking.client.id,
    clientName: booking.client.fullName,
    trainerId: booking.trainer.id,
    trainerName: booking.trainer.user.fullName,
    trainerTimeZone: booking.trainer.timeZone,
    sessionType: booking.sessionType,
    durationMinutes: booking.durationMinutes,
    startTime: booking.startTime,
    endTime: booking.endTime,
    status: booking.status,
    seriesId: booking.series?.id ?? null,
    seriesRule: booking.series ? (booking.recurringPattern ?? null) : null,
  };
}

function requestInfo(request: BookingRequest): RequestInfo {
  return {
    bookingRequestId: request.id,
    clientUserId: request.client.id,
    clientName: request.client.fullName,
    trainerId: request.trainer.id,
    trainerName: request.trainer.user.fullName,
    sessionType: request.sessionType,
    durationMinutes: request.durationMinutes,
    status: request.status,
    expiresAt: request.expiresAt,
  };
}

const MAX_TRAINERS = 25;
/** The largest id a PostgreSQL integer column holds. */
const MAX_ID = 2_147_483_647;

const MAX_CLIENTS = 500;

function clientInfo(user: User): ClientInfo {
  return { userId: user.id, fullName: user.fullName, username: user.username, timeZone: user.timeZone ?? null };
}

export function createDialogueContext(em: EntityManager, me: ChatUser, now: Date, credits: CreditReads): DialogueContext {
  const mine = me.trainerId === null ? { client: me.userId } : { $or: [{ client: me.userId }, { trainer: me.trainerId }] };
  const context: DialogueContext = {
    now,
    me,
    zoneFor: (trainer) => me.timeZone ?? trainer?.timeZone ?? me.trainerTimeZone ?? 'UTC',
    async trainers() {
      const trainers = await em.find(Trainer, {}, { populate: ['user'], orderBy: { user: { fullName: 'asc' }, id: 'asc' }, limit: MAX_TRAINERS });
      return trainers.map(trainerInfo);
    },
    async trainer(id) {
      const trainer = await em.findOne(Trainer, id, { populate: ['user'] });
      return trainer ? trainerInfo(trainer) : undefined;
    },
    async freeStarts(trainerId, day, durationMinutes, zone) {
      const start = DateTime.fromISO(day, { zone }).startOf('day');
      const from = new Date(Math.max(start.toMillis(), now.getTime()));
      // What the trainer's policy allows (notice, horizon, buffers), as ranking offers it.
      const runs = await findBookableRuns(em, { trainerId, durationMinutes, now, from, to: start.plus({ days: 1 }).toJSDate() });
      return runs.map((run) => new Date(run.startMs).toISOString());
    },
    async daysWithFreeStarts(trainerId, durationMinutes, zone, limit) {
      const today = DateTime.fromJSDate(now, { zone }).startOf('day');
      const runs = await findBookableRuns(em, { trainerId, durationMinutes, now, to: today.plus({ days: 14 }).toJSDate() });
      const days: string[] = [];
      for (const run of runs) {
        const day = DateTime.fromMillis(run.startMs, { zone }).toISODate()!;
        if (!days.includes(day)) days.push(day);
        if (days.length >= limit) break;
      }
      return days;
    },
    async myBookings() {
      const bookings = await em.find(
        Booking,
        { ...mine, status: 'CONFIRMED', endTime: { $gt: now } },
        { populate: ['client', 'trainer.user', 'bookingRequest'], orderBy: { startTime: 'asc' }, limit: 20 },
      );
      return bookings.map(bookingInfo);
    },
    async myBooking(bookingId) {
      // Ids are PostgreSQL integers: a larger number written in chat is no booking.
      if (!Number.isSafeInteger(bookingId) || bookingId <= 0 || bookingId > MAX_ID) return undefined;
      const booking = await em.findOne(Booking, { id: bookingId, ...mine }, { populate: ['client', 'trainer.user', 'bookingRequest'] });
      return booking ? bookingInfo(booking) : undefined;
    },
    async mySeriesBookings(seriesId) {
      const bookings = await em.find(
        Booking,
        { ...mine, series: seriesId, status: 'CONFIRMED', endTime: { $gt: now } },
        { populate: ['client', 'trainer.user', 'bookingRequest'], orderBy: { startTime: 'asc' } },
      );
      return bookings.map(bookingInfo);
    },
    async myPendingRequests() {
      const requests = await em.find(BookingRequest, { ...mine, status: 'PENDING', expiresAt: { $gt: now } }, { populate: ['client', 'trainer.user'], orderBy: { id: 'asc' }, limit: 20 });
      return requests.map(requestInfo);
    },
    async request(bookingRequestId) {
      const request = await em.findOne(BookingRequest, bookingRequestId, { populate: ['client', 'trainer.user'] });
      return request ? requestInfo(request) : undefined;
    },
    policy: (trainerId) => loadPolicy(em, trainerId),
    credits,
    async myClients() {
      if (me.trainerId === null) return [];
      const rows = await em.execute<{ id: number }[]>(
        `select client_id as id from booking_request where trainer_id = ?
         union select client_id from payment where trainer_id = ?
         union select client_id from credit_lot where trainer_id = ?`,
        [me.trainerId, me.trainerId, me.trainerId],
      );
      if (rows.length === 0) return [];
      const users = await em.find(User, { id: { $in: rows.map((row) => row.id) } }, { orderBy: { fullName: 'asc', id: 'asc' }, limit: MAX_CLIENTS });
      return users.map(clientInfo);
    },
    async personByUsername(username) {
      const [row] = await em.execute<{ id: number }[]>('select id from app_user where lower(username) = lower(?) and id <> ? limit 1', [username, me.userId]);
      const user = row ? await em.findOne(User, row.id) : null;
      return user ? clientInfo(user) : undefined;
    },
    async person(userId) {
      if (!Number.isSafeInteger(userId) || userId <= 0) return undefined;
      const user = await em.findOne(User, userId);
      return user ? clientInfo(user) : undefined;
    },
  };
  return context;
}
