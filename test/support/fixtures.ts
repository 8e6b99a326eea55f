import type { EntityManager } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { BookingRequest, TimeSlot, Trainer, User } from '../../src/db/entities';
import { atDate } from './time';

const HOUR_MS = 3_600_000;

export async function createTrainer(em: EntityManager, overrides: { pricePerHour?: number; timeZone?: string } = {}): Promise<Trainer> {
  const tag = randomBytes(4).toString('hex');
  const user = em.create(User, { username: `trainer-${tag}`, fullName: `Trainer ${tag}`, role: 'TRAINER', timeZone: overrides.timeZone ?? 'UTC' });
  const trainer = em.create(Trainer, { user, pricePerHour: overrides.pricePerHour ?? 60, specialty: 'Strength', timeZone: overrides.timeZone ?? 'UTC', gymName: 'Test Gym' });
  await em.flush();
  return trainer;
}

export async function createClient(em: EntityManager): Promise<User> {
  const tag = randomBytes(4).toString('hex');
  const user = em.create(User, { username: `client-${tag}`, fullName: `Client ${tag}`, role: 'CLIENT' });
  await em.flush();
  return user;
}

/** `count` back-to-back slots of `minutes` each, the first starting at `start`. */
export async function createSlots(em: EntityManager, trainer: Trainer, start: Date, count: number, minutes = 60): Promise<TimeSlot[]> {
  const slots: TimeSlot[] = [];
  for (let i = 0; i < count; i++) {
    const startTime = new Date(start.getTime() + i * minutes * 60_000);
    slots.push(em.create(TimeSlot, { trainer, startTime, endTime: new Date(startTime.getTime() + minutes * 60_000), durationMinutes: minutes }));
  }
  await em.flush();
  return slots;
}

export async function createRequest(
  em: EntityManager,
  trainer: Trainer,
  client: User,
  overrides: Partial<Pick<BookingRequest, 'durationMinutes' | 'preferredStartDate' | 'preferredEndDate' | 'preferredTimes' | 'avoidTimes' | 'allowWeekends' | 'allowEvenings' | 'timeZone' | 'expiresAt'>> = {},
): Promise<BookingRequest> {
  const request = em.create(BookingRequest, {
    client,
    trainer,
    sessionType: 'Strength Training',
    durationMinutes: 60,
    expiresAt: new Date(Date.now() + 24 * HOUR_MS),
    ...overrides,
  });
  await em.flush();
  return request;
}

/**
 * A chat-ready trainer: UTC, 80 an hour, Strength Training and HIIT, with `count` hourly
 * slots from 09:00 UTC on `day` (YYYY-MM-DD); `name` is their full name as the bots show it.
 */
export async function createTrainerWithSlots(em: EntityManager, day: string, count = 6): Promise<{ trainer: Trainer; slots: TimeSlot[]; name: string }> {
  const trainer = await createTrainer(em, { pricePerHour: 80 });
  trainer.trainingTypes = ['Strength Training', 'HIIT'];
  await em.flush();
  const slots = await createSlots(em, trainer, atDate(day, 9), count);
  const name = (await em.findOneOrFail(User, trainer.user.id)).fullName;
  return { trainer, slots, name };
}
