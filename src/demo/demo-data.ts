import type { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import { TimeSlot, Trainer, User } from '../db/entities';
import { expandWeeklyPattern } from '../availability/weekly-slots';
import { logger } from '../logger';

export interface DemoData {
  trainers: Trainer[];
  client: User;
}

const DEMO_TRAINERS = [
  { username: 'alex.strength', fullName: 'Alex Morgan', specialty: 'Strength & conditioning', pricePerHour: 80, timeZone: 'Europe/Berlin', gymName: 'Iron Works', gymAddress: 'Torstraße 1, Berlin', trainingTypes: ['Strength Training', 'HIIT'] },
  { username: 'sam.yoga', fullName: 'Sam Rivera', specialty: 'Yoga & mobility', pricePerHour: 65, timeZone: 'America/New_York', gymName: 'Flow Studio', gymAddress: '12 Bleecker St, New York', trainingTypes: ['Yoga', 'Mobility'] },
] as const;

/**
 * Demo trainers with two weeks of hourly availability (07:00–20:00 local, Monday to
 * Saturday) and one demo client. Safe to run on every start: people are found by username
 * and slots that already exist are left as they are.
 */
export async function loadDemoData(em: EntityManager, now: Date = new Date()): Promise<DemoData> {
  const trainers: Trainer[] = [];
  for (const spec of DEMO_TRAINERS) {
    let trainer = await em.findOne(Trainer, { user: { username: spec.username } }, { populate: ['user'] });
    if (!trainer) {
      const user = em.create(User, { username: spec.username, fullName: spec.fullName, role: 'TRAINER', timeZone: spec.timeZone });
      trainer = em.create(Trainer, { user, specialty: spec.specialty, pricePerHour: spec.pricePerHour, timeZone: spec.timeZone, gymName: spec.gymName, gymAddress: spec.gymAddress, trainingTypes: [...spec.trainingTypes], rating: 4.9 });
      await em.flush();
    }
    trainers.push(trainer);
    const today = DateTime.fromJSDate(now, { zone: spec.timeZone });
    const slots = expandWeeklyPattern({
      fromDate: today.toISODate()!,
      toDate: today.plus({ days: 13 }).toISODate()!,
      weekdays: [1, 2, 3, 4, 5, 6],
      dayStart: '07:00',
      dayEnd: '20:00',
      slotMinutes: 60,
      timeZone: spec.timeZone,
    }).filter((slot) => slot.startTime > now);
    // ON CONFLICT DO NOTHING also covers the no-overlap exclusion constraint, so a second
    // start adds only the days that are new.
    const inserted = await em
      .createQueryBuilder(TimeSlot)
      .insert(slots.map((slot) => ({ trainer: trainer.id, ...slot })))
      .onConflict()
      .ignore()
      .execute<{ affectedRows: number }>('run');
    logger.info({ trainer: spec.username, published: slots.length, added: inserted.affectedRows }, 'demo availability loaded');
  }
  let client = await em.findOne(User, { username: 'jamie.client' });
  if (!client) {
    client = em.create(User, { username: 'jamie.client', fullName: 'Jamie Lee', role: 'CLIENT', timeZone: 'Europe/Berlin', email: 'jamie@example.com' });
    await em.flush();
  }
  return { trainers, client };
}
