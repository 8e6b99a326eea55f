import type { MikroORM } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import type { ChatAddress, IncomingEvent } from '../../../../bots/core/events';
import type { Reply } from '../../../../bots/core/replies';
import type { ChatEngine } from '../../../../bots/engine/chat-engine';
import type { BookingInfo, ClientInfo, DialogueContext, RequestInfo, TrainerInfo } from '../../../../bots/engine/dialogue-context';
import { dialogueStep } from '../../../../bots/engine/dialogue';
import { runEffect, type BookingOperations } from '../../../../bots/engine/effects';
import { EMPTY_STATE, type ConversationState } from '../../../../bots/engine/state';
import type { DialogueEvent, Effect } from '../../../../bots/engine/step-result';
import type { ChatUser } from '../../../../bots/identity/chat-user';
import { findConsecutiveRuns, type FreeSlot } from '../../../../src/slots/consecutive-slots';
import { newBookingRequestSchema, RequestValidationError, type NewBookingRequest } from '../../../../src/requests/new-request';
import type { BookingTarget, StartedRequest } from '../../../../src/temporal/booking-client';
import type { BookingSummary, CancelSeriesOutcome, ChangeOutcome, DecisionOutcome } from '../../../../workflows/contract';
import { DEFAULT_POLICY, type TrainerPolicy } from '../../../../src/domain/policy';
import { InMemoryCredits } from './in-memory-credits';

type Ops = BookingOperations;
type Args = { [K in keyof Ops]: Parameters<Ops[K]> };
type Call = { [K in keyof Ops]: { op: K; args: Args[K] } }[keyof Ops];

const summaryOf = (bookingId: number, startTime: string, durationMinutes: number): BookingSummary => ({
  bookingId,
  startTime,
  endTime: new Date(Date.parse(startTime) + durationMinutes * 60_000).toISOString(),
  durationMinutes,
  slotIds: [],
  totalCost: 0,
  status: 'CONFIRMED',
});

/** The request a booking target names (a request id, or a series occurrence's request). */
const requestIdOf = (target: BookingTarget): number => (typeof target === 'number' ? target : target.bookingRequestId);

const summaryOfBooking = (booking: BookingInfo): BookingSummary => ({ ...summaryOf(booking.bookingId, booking.startTime.toISOString(), booking.durationMinutes), status: booking.status });

/**
 * The booking client as the chat sees it, without Temporal: records every call, checks a
 * started request against the real schema, and answers with plausible outcomes (or with
 * what a test sets in `next`).
 */
export class FakeBookingClient implements BookingOperations {
  readonly calls: Call[] = [];
  private nextRequestId = 500;
  /** One-shot answers a test sets before the call; a thrown error is thrown. */
  next: { startRequest?: Error; decide?: DecisionOutcome; cancel?: ChangeOutcome; cancelSeries?: CancelSeriesOutcome; reschedule?: ChangeOutcome } = {};

  /**
   * `bookingOf` finds the booking a target names (a request's, or a series occurrence by its
   * booking id), `bookingsOf` every booking of a request (a series has several), so cancel,
   * cancelSeries and reschedule change them as the workflows would.
   */
  constructor(
    private readonly bookingOf: (target: BookingTarget) => BookingInfo | undefined = () => undefined,
    private readonly bookingsOf: (bookingRequestId: number) => BookingInfo[] = () => [],
  ) {}

  startRequest(request: NewBookingRequest): Promise<StartedRequest> {
    this.calls.push({ op: 'startRequest', args: [request] });
    const planned = this.next.startRequest;
    delete this.next.startRequest;
    if (planned) return Promise.reject(planned);
    const parsed = newBookingRequestSchema.safeParse(request);
    if (!parsed.success) {
      const field = parsed.error.issues[0]!.path.join('.');
      return Promise.reject(new RequestValidationError(field, parsed.error.issues[0]!.message));
    }
    const bookingRequestId = ++this.nextRequestId;
    return Promise.resolve({ bookingRequestId, workflowId: `booking-request-${bookingRequestId}` });
  }

  decide(...args: Parameters<Ops['decide']>): ReturnType<Ops['decide']> {
    this.calls.push({ op: 'decide', args });
    const [, decision] = args;
    const planned = this.next.decide;
    delete this.next.decide;
    if (planned) return Promise.resolve(planned);
    if (decision.kind === 'reject') return Promise.resolve({ result: 'rejected', reason: decision.reason, duplicate: false });
    return Promise.resolve({ result: 'approved', booking: summaryOf(900, '2030-06-05T10:00:00.000Z', 60), duplicate: false });
  }

  cancel(...args: Parameters<Ops['cancel']>): ReturnType<Ops['cancel']> {
    this.calls.push({ op: 'cancel', args });
    const planned = this.next.cancel;
    delete this.next.cancel;
    if (planned) return Promise.resolve(planned);
    const booking = this.bookingOf(args[0]);
    if (!booking) return Promise.resolve({ result: 'refused', message: 'There is no booking for that request.' });
    booking.status = 'CANCELLED';
    return Promise.resolve({ result: 'done', booking: { ...summaryOf(booking.bookingId, booking.startTime.toISOString(), booking.durationMinutes), status: 'CANCELLED' }, duplicate: false });
  }

  reschedule(...args: Parameters<Ops['reschedule']>): ReturnType<Ops['reschedule']> {
    this.calls.push({ op: 'reschedule', args });
    const planned = this.next.reschedule;
    delete this.next.reschedule;
    if (planned) return Promise.resolve(planned);
    const booking = this.bookingOf(args[0]);
    if (!booking) return Promise.resolve({ result: 'refused', message: 'There is no booking for that request.' });
    booking.startTime = new Date(args[1].newStartTime);
    booking.endTime = new Date(booking.startTime.getTime() + booking.durationMinutes * 60_000);
    return Promise.resolve({ result: 'done', booking: summaryOf(booking.bookingId, args[1].newStartTime, booking.durationMinutes), duplicate: false });
  }

  recordOutcome(...args: Parameters<Ops['recordOutcome']>): ReturnType<Ops['recordOutcome']> {
    this.calls.push({ op: 'recordOutcome', args });
    const booking = this.bookingOf(args[0]);
    return Promise.resolve({ ...summaryOf(booking?.bookingId ?? requestIdOf(args[0]), (booking?.startTime ?? new Date(0)).toISOString(), 60), status: args[1].outcome });
  }

  /** "This and all following": the session `fromBookingId` of the request's series and every later confirmed one. */
  cancelSeries(...args: Parameters<Ops['cancelSeries']>): ReturnType<Ops['cancelSeries']> {
    this.calls.push({ op: 'cancelSeries', args });
    const planned = this.next.cancelSeries;
    delete this.next.cancelSeries;
    if (planned) return Promise.resolve(planned);
    const [bookingRequestId, command] = args;
    const all = this.bookingsOf(bookingRequestId).sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
    const from = all.find((b) => b.bookingId === command.fromBookingId);
    if (!from || from.seriesId === null) return Promise.resolve({ result: 'refused', message: 'That booking is not part of a series.' });
    const cancelled = all.filter((b) => b.status === 'CONFIRMED' && b.startTime >= from.startTime);
    for (const booking of cancelled) booking.status = 'CANCELLED';
    const series = { seriesId: from.seriesId, status: 'CONFIRMED' as const, conflictMode: 'ALL_OR_NOTHING' as const, rrule: from.seriesRule ?? '', timeZone: from.trainerTimeZone, booked: all.map(summaryOfBooking), skipped: [] };
    return Promise.resolve({ result: 'done', series, cancelled: cancelled.map(summaryOfBooking), duplicate: false });
  }

  withdraw(...args: Parameters<Ops['withdraw']>): ReturnType<Ops['withdraw']> {
    this.calls.push({ op: 'withdraw', args });
    return Promise.resolve({ result: 'withdrawn', duplicate: false });
  }

  /** Payments go through the chat's credits port (InMemoryCredits) in memory; a call here is recorded and refused. */
  recordPayment(...args: Parameters<Ops['recordPayment']>): ReturnType<Ops['recordPayment']> {
    this.calls.push({ op: 'recordPayment', args });
    return Promise.reject(new Error('the in-memory chat records payments in InMemoryCredits'));
  }

  availabilityChanged(...args: Parameters<Ops['availabilityChanged']>): ReturnType<Ops['availabilityChanged']> {
    this.calls.push({ op: 'availabilityChanged', args });
    return Promise.resolve(0);
  }

  /** The calls of one kind, in order. */
  callsOf<K extends keyof Ops>(op: K): Args[K][] {
    return this.calls.filter((c) => c.op === op).map((c) => c.args as Args[K]);
  }

  /** The arguments of the one call of that kind; throws unless there was exactly one. */
  onlyCall<K extends keyof Ops>(op: K): Args[K] {
    const calls = this.callsOf(op);
    if (calls.length !== 1) throw new Error(`expected one ${op} call, got ${calls.length}`);
    return calls[0]!;
  }
}

/** Effects that touch the database directly; the in-memory engine records them and says nothing. */
const DATABASE_EFFECTS = new Set<Effect['type']>(['publish-availability', 'set-time-zone', 'link-account', 'calendar-feed']);

// runEffect takes an ORM for the database effects above, which never reach it here.
const NO_DATABASE = new Proxy({}, {
  get() {
    throw new Error('the in-memory chat has no database');
  },
}) as MikroORM;

const addressKey = (address: ChatAddress): string => `${address.platform}:${address.workspaceId}:${address.externalUserId}`;

/**
 * Everything the dialogue reads, in memory: trainers, free slots, bookings, requests and
 * each person's conversation state. `engine()` runs the real dialogue (bots/engine) over
 * it the way the chat engine does — step, store the state, then run the effects — with a
 * FakeBookingClient in place of Temporal. No PostgreSQL, no Temporal: a step takes microseconds.
 */
export class InMemoryChat {
  readonly trainers: TrainerInfo[] = [];
  readonly freeSlots = new Map<number, FreeSlot[]>();
  readonly bookings: BookingInfo[] = [];
  readonly requests: RequestInfo[] = [];
  readonly people = new Map<string, ChatUser>();
  readonly conversations = new Map<string, ConversationState>();
  /** Trainers' booking policies; DEFAULT_POLICY for a trainer without one. */
  readonly policies = new Map<number, TrainerPolicy>();
  /** Every effect the dialogue asked for, in order. */
  readonly effects: Effect[] = [];
  readonly client = new FakeBookingClient(
    (target) => (typeof target === 'number' ? this.bookings.find((b) => b.bookingRequestId === target) : this.bookings.find((b) => b.bookingId === target.bookingId)),
    (bookingRequestId) => this.bookings.filter((b) => b.bookingRequestId === bookingRequestId),
  );
  /** Packs, lots, entries and payments (the credit ledger in memory). */
  readonly credits: InMemoryCredits = new InMemoryCredits(() => this.now, {
    client: (userId) => this.personById(userId)?.fullName ?? 'The client',
    trainer: (trainerId) => this.trainers.find((t) => t.id === trainerId)?.name ?? 'the trainer',
  });
  private ids = 100;

  constructor(public now: Date) {}

  /** Everyone known, as a trainer looks them up: the username is the name in lower case with dots ("Jamie Lee" → jamie.lee). */
  private personById(userId: number): ClientInfo | undefined {
    const user = [...this.people.values()].find((person) => person.userId === userId);
    return user ? { userId: user.userId, fullName: user.fullName, username: user.fullName.toLowerCase().replace(/\s+/g, '.'), timeZone: user.timeZone } : undefined;
  }

  /** A trainer (and their chat identity, if `address` is given). */
  addTrainer(fields: Partial<TrainerInfo> & { name: string }, address?: ChatAddress): TrainerInfo {
    const id = ++this.ids;
    const trainer: TrainerInfo = { id, username: fields.name.toLowerCase().replace(/\s+/g, '.'), specialty: 'Strength', trainingTypes: ['Strength Training', 'HIIT'], gymName: 'Test Gym', timeZone: 'UTC', ...fields };
    this.trainers.push(trainer);
    this.trainers.sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
    if (address) {
      this.people.set(addressKey(address), { userId: ++this.ids, identityId: ++this.ids, fullName: trainer.name, role: 'TRAINER', timeZone: null, trainerId: id, trainerTimeZone: trainer.timeZone });
    }
    return trainer;
  }

  /** A known client behind `address` (unknown addresses become clients on first contact anyway). */
  addClient(address: ChatAddress, fields: Partial<ChatUser> = {}): ChatUser {
    const user: ChatUser = { userId: ++this.ids, identityId: ++this.ids, fullName: address.displayName ?? 'Client', role: 'CLIENT', timeZone: null, trainerId: null, trainerTimeZone: null, ...fields };
    this.people.set(addressKey(address), user);
    return user;
  }

  userAt(address: ChatAddress): ChatUser {
    const key = addressKey(address);
    let user = this.people.get(key);
    if (!user) {
      user = { userId: ++this.ids, identityId: ++this.ids, fullName: address.displayName ?? `${address.platform} user ${address.externalUserId}`, role: 'CLIENT', timeZone: address.timeZone ?? null, trainerId: null, trainerTimeZone: null };
      this.people.set(key, user);
    }
    return user;
  }

  /** `count` back-to-back free slots of `minutes` from `start`. */
  addSlots(trainerId: number, start: Date, count: number, minutes = 60): void {
    const slots = this.freeSlots.get(trainerId) ?? [];
    for (let i = 0; i < count; i++) {
      const startMs = start.getTime() + i * minutes * 60_000;
      slots.push({ id: ++this.ids, startMs, endMs: startMs + minutes * 60_000 });
    }
    slots.sort((a, b) => a.startMs - b.startMs);
    this.freeSlots.set(trainerId, slots);
  }

  /** A confirmed booking between a client and a trainer. */
  addBooking(client: ChatUser, trainer: TrainerInfo, startTime: Date, durationMinutes = 60): BookingInfo {
    const booking: BookingInfo = {
      bookingId: ++this.ids,
      bookingRequestId: ++this.ids,
      clientUserId: client.userId,
      clientName: client.fullName,
      trainerId: trainer.id,
      trainerName: trainer.name,
      trainerTimeZone: trainer.timeZone,
      sessionType: 'Strength Training',
      durationMinutes,
      startTime,
      endTime: new Date(startTime.getTime() + durationMinutes * 60_000),
      status: 'CONFIRMED',
      seriesId: null,
      seriesRule: null,
    };
    this.bookings.push(booking);
    return booking;
  }

  /**
   * A confirmed weekly series: one booking per start, all of one (approved) request and one
   * series, sharing `rule` (RFC 5545 text).
   */
  addSeries(client: ChatUser, trainer: TrainerInfo, starts: Date[], rule: string, durationMinutes = 60): BookingInfo[] {
    const request = { ...this.addRequest(client, trainer), status: 'APPROVED', durationMinutes };
    this.requests.splice(this.requests.length - 1, 1, request);
    const { bookingRequestId } = request;
    const seriesId = ++this.ids;
    return starts.map((start) => {
      const booking = { ...this.addBooking(client, trainer, start, durationMinutes), bookingRequestId, seriesId, seriesRule: rule };
      this.bookings.splice(this.bookings.length - 1, 1, booking);
      return booking;
    });
  }

  /** A pending request from a client to a trainer, answer due in 24 hours. */
  addRequest(client: ChatUser, trainer: TrainerInfo): RequestInfo {
    const request: RequestInfo = {
      bookingRequestId: ++this.ids,
      clientUserId: client.userId,
      clientName: client.fullName,
      trainerId: trainer.id,
      trainerName: trainer.name,
      sessionType: 'Strength Training',
      durationMinutes: 60,
      status: 'PENDING',
      expiresAt: new Date(this.now.getTime() + 24 * 3_600_000),
    };
    this.requests.push(request);
    return request;
  }

  /** The dialogue's reads for `me`, with the same "mine only" rules as the database context. */
  contextFor(me: ChatUser): DialogueContext {
    const now = this.now;
    const mine = (row: { clientUserId: number; trainerId: number }): boolean => row.clientUserId === me.userId || (me.trainerId !== null && row.trainerId === me.trainerId);
    const starts = (trainerId: number, from: number, to: number, durationMinutes: number): number[] => {
      const free = (this.freeSlots.get(trainerId) ?? []).filter((s) => s.startMs >= from && s.startMs < to);
      return findConsecutiveRuns(free, durationMinutes).map((run) => run.startMs);
    };
    return {
      now,
      me,
      policy: (trainerId) => Promise.resolve(this.policies.get(trainerId) ?? DEFAULT_POLICY),
      zoneFor: (trainer) => me.timeZone ?? trainer?.timeZone ?? me.trainerTimeZone ?? 'UTC',
      trainers: () => Promise.resolve([...this.trainers]),
      trainer: (id) => Promise.resolve(this.trainers.find((t) => t.id === id)),
      freeStarts: (trainerId, day, durationMinutes, zone) => {
        const start = DateTime.fromISO(day, { zone }).startOf('day');
        const found = starts(trainerId, Math.max(start.toMillis(), now.getTime()), start.plus({ days: 1 }).toMillis(), durationMinutes);
        return Promise.resolve(found.map((ms) => new Date(ms).toISOString()));
      },
      daysWithFreeStarts: (trainerId, durationMinutes, zone, limit) => {
        const today = DateTime.fromJSDate(now, { zone }).startOf('day');
        const days: string[] = [];
        for (const ms of starts(trainerId, now.getTime(), today.plus({ days: 14 }).toMillis(), durationMinutes)) {
          const day = DateTime.fromMillis(ms, { zone }).toISODate()!;
          if (!days.includes(day)) days.push(day);
          if (days.length >= limit) break;
        }
        return Promise.resolve(days);
      },
      myBookings: () => Promise.resolve(this.bookings.filter((b) => mine(b) && b.status === 'CONFIRMED' && b.endTime > now).sort((a, b) => a.startTime.getTime() - b.startTime.getTime())),
      myBooking: (bookingId) => Promise.resolve(this.bookings.find((b) => b.bookingId === bookingId && mine(b))),
      mySeriesBookings: (seriesId) =>
        Promise.resolve(this.bookings.filter((b) => b.seriesId === seriesId && mine(b) && b.status === 'CONFIRMED' && b.endTime > now).sort((a, b) => a.startTime.getTime() - b.startTime.getTime())),
      myPendingRequests: () => Promise.resolve(this.requests.filter((r) => mine(r) && r.status === 'PENDING' && r.expiresAt > now)),
      request: (bookingRequestId) => Promise.resolve(this.requests.find((r) => r.bookingRequestId === bookingRequestId)),
      credits: this.credits,
      myClients: () => {
        const trainerId = me.trainerId;
        if (trainerId === null) return Promise.resolve([]);
        const ids = new Set([
          ...this.requests.filter((r) => r.trainerId === trainerId).map((r) => r.clientUserId),
          ...this.bookings.filter((b) => b.trainerId === trainerId).map((b) => b.clientUserId),
          ...this.credits.lots.filter((lot) => lot.trainerId === trainerId).map((lot) => lot.clientId),
        ]);
        const clients = [...ids].map((id) => this.personById(id)).filter((client): client is ClientInfo => client !== undefined);
        return Promise.resolve(clients.sort((a, b) => a.fullName.localeCompare(b.fullName) || a.userId - b.userId));
      },
      personByUsername: (username) =>
        Promise.resolve([...this.people.values()].map((user) => this.personById(user.userId)!).find((client) => client.userId !== me.userId && client.username === username.toLowerCase())),
      person: (userId) => Promise.resolve(this.personById(userId)),
    };
  }

  /** The conversation state stored for `address` (empty before the first event). */
  stateOf(address: ChatAddress): ConversationState {
    return this.conversations.get(addressKey(address)) ?? EMPTY_STATE;
  }

  /** A ChatEngine over this world: drive it with ChatPerson like the real one. */
  engine(): ChatEngine {
    const advance = async (me: ChatUser, event: DialogueEvent, from: ChatAddress) => {
      const result = await dialogueStep(this.stateOf(from), event, this.contextFor(me));
      this.conversations.set(addressKey(from), result.state);
      return result;
    };
    return {
      handle: async (event: IncomingEvent): Promise<Reply[]> => {
        const me = this.userAt(event.from);
        const replies: Reply[] = [];
        let next: DialogueEvent | undefined = event;
        for (let round = 0; next && round <= 3; round++) {
          const result = await advance(me, next, event.from);
          replies.push(...result.replies);
          next = undefined;
          for (const effect of result.effects) {
            this.effects.push(effect);
            if (DATABASE_EFFECTS.has(effect.type)) continue;
            const outcome = await runEffect(effect, { orm: NO_DATABASE, bookings: this.client, credits: this.credits, now: () => this.now, publicBaseUrl: 'http://bookings.test' }, me);
            replies.push(...outcome.replies);
            next = outcome.followUp ?? next;
          }
        }
        return replies;
      },
    };
  }
}
