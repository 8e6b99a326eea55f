import type { EntityManager } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { issueToken } from '../../../src/api/auth/api-tokens';
import { startApi, type RunningApi } from '../../../src/api/start-api';
import { User } from '../../../src/db/entities';
import type { UserRole } from '../../../src/domain/statuses';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createSlots, createTrainer } from '../../support/fixtures';
import { RecordingNotifier } from '../../support/recording-notifier';
import { startBookingWorker, type RunningBookingWorker } from '../../support/temporal';
import { atDate, nextWeekday, plusDays } from '../../support/time';

export const ADMIN_TOKEN = `admin-${randomBytes(24).toString('hex')}`;

export interface ApiHarness {
  db: TestDatabase;
  adminToken: string;
  worker: RunningBookingWorker;
  notifier: RecordingNotifier;
  api: RunningApi;
  call: <T = Record<string, unknown>>(method: string, path: string, options?: CallOptions) => Promise<ApiResponse<T>>;
  stop(): Promise<void>;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiResponse<T> {
  status: number;
  body: T;
}

/**
 * The real app on 127.0.0.1 (a free port) over the test file's own database and a real
 * worker on the run's Temporal server; callers talk to it over real HTTP.
 */
export async function startApiHarness(options: { writeRatePerMinute?: number } = {}): Promise<ApiHarness> {
  const db = await createTestDatabase();
  const notifier = new RecordingNotifier();
  const worker = await startBookingWorker({ db, notifier });
  const api = await startApi({
    orm: db.orm,
    bookings: worker.bookings,
    temporalClient: worker.client,
    // Tests send many writes per token: the rate limit is off unless a test asks for one (rate-limit.test.ts).
    config: { API_HOST: '127.0.0.1', API_PORT: 0, ADMIN_API_TOKEN: ADMIN_TOKEN, API_WRITE_RATE_PER_MINUTE: options.writeRatePerMinute ?? 0 },
  });
  async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${api.url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }
  return {
    db,
    adminToken: ADMIN_TOKEN,
    worker,
    notifier,
    api,
    call,
    async stop() {
      await api.close();
      await worker.stop();
      await db.drop();
    },
  };
}

export interface Person {
  userId: number;
  token: string;
}

export async function createPerson(em: EntityManager, role: UserRole): Promise<Person> {
  const tag = randomBytes(4).toString('hex');
  const user = em.create(User, { username: `${role.toLowerCase()}-${tag}`, fullName: `${role} ${tag}`, role, timeZone: 'UTC' });
  await em.flush();
  return { userId: user.id, token: (await issueToken(em, user.id, 'test')).token };
}

export interface TrainerPerson extends Person {
  trainerId: number;
}

/**
 * The day the API tests' trainers publish on: a Monday 3 to 9 days ahead, so a Monday to
 * Wednesday request holds no weekend day and its scores are the same whenever the suite runs.
 */
export const SLOT_DAY = nextWeekday('monday', { after: 3 });

/** A trainer with a token and `slotCount` hourly slots from 09:00 UTC on `day`. */
export async function createTrainerPerson(em: EntityManager, slotCount = 6, day = SLOT_DAY): Promise<TrainerPerson & { slotIds: number[] }> {
  const trainer = await createTrainer(em, { pricePerHour: 90 });
  const slots = await createSlots(em, trainer, atDate(day, 9), slotCount);
  return { userId: trainer.user.id, trainerId: trainer.id, token: (await issueToken(em, trainer.user.id, 'test')).token, slotIds: slots.map((s) => s.id) };
}

/** The seed's Step 1 body, moved into the future: `day` and the two days after, 10-12 preferred, 09:00-09:30 avoided. */
export function flexibleBody(trainerId: number, day = SLOT_DAY, durationMinutes = 60): Record<string, unknown> {
  return {
    trainer_id: trainerId,
    session_type: 'Strength Training',
    duration_minutes: durationMinutes,
    location: 'Gym Studio',
    preferred_start_date: day,
    preferred_end_date: plusDays(day, 2),
    preferred_times: ['10:00-12:00', '14:00-16:00'],
    avoid_times: ['09:00-09:30'],
    allow_weekends: true,
    allow_evenings: false,
    special_requests: 'Focus on compound movements',
    time_zone: 'UTC',
  };
}
