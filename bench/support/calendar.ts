import type { EntityManager } from '@mikro-orm/postgresql';
import { Trainer, User } from '../../src/db/entities';

export interface SeededTrainer {
  trainerId: number;
  clientId: number;
}

/** One trainer and one client, as the app would create them. */
export async function seedTrainerAndClient(em: EntityManager, tag: string, timeZone = 'UTC'): Promise<SeededTrainer> {
  const user = em.create(User, { username: `trainer-${tag}`, fullName: `Trainer ${tag}`, role: 'TRAINER', timeZone });
  const trainer = em.create(Trainer, { user, pricePerHour: 80, specialty: 'Strength', timeZone, gymName: 'Bench Gym' });
  const client = em.create(User, { username: `client-${tag}`, fullName: `Client ${tag}`, role: 'CLIENT', timeZone });
  await em.flush();
  return { trainerId: trainer.id, clientId: client.id };
}

/**
 * `count` more clients, as the app would create them. Under the trainer policy a client may
 * not hold two overlapping sessions nor more than a few pending requests and upcoming
 * bookings, so a benchmark of many requests gives each request its own client.
 */
export async function seedClients(em: EntityManager, tag: string, count: number, timeZone = 'UTC'): Promise<number[]> {
  const clients = Array.from({ length: count }, (_, i) => em.create(User, { username: `client-${tag}-${i}`, fullName: `Client ${tag} ${i}`, role: 'CLIENT', timeZone }));
  await em.flush();
  return clients.map((client) => client.id);
}

/**
 * `count` back-to-back slots of `minutes` from `start`, written in one statement (the
 * calendars here have thousands of slots; the columns left out have database defaults).
 */
export async function seedSlots(em: EntityManager, trainerId: number, start: Date, count: number, minutes: number): Promise<void> {
  await em.getConnection().execute(
    `insert into time_slot (trainer_id, start_time, end_time, duration_minutes)
     select ?, s, s + make_interval(mins => ?), ?
     from generate_series(?::timestamptz, ?::timestamptz, make_interval(mins => ?)) as s`,
    [trainerId, minutes, minutes, start.toISOString(), new Date(start.getTime() + (count - 1) * minutes * 60_000).toISOString(), minutes],
  );
}
