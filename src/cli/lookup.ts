import type { EntityManager } from '@mikro-orm/postgresql';
import { Trainer, User } from '../db/entities';
import { CliInputError } from './context';

/** A user named by id ("12") or by username ("alex.strength"). */
export async function findUser(em: EntityManager, idOrUsername: string): Promise<User> {
  const user = /^\d+$/.test(idOrUsername) ? await em.findOne(User, Number(idOrUsername)) : await em.findOne(User, { username: idOrUsername });
  if (!user) throw new CliInputError(`There is no user ${idOrUsername}.`);
  return user;
}

/** A trainer named by trainer id ("7") or by their user's username. */
export async function findTrainer(em: EntityManager, idOrUsername: string): Promise<Trainer> {
  const trainer = /^\d+$/.test(idOrUsername)
    ? await em.findOne(Trainer, Number(idOrUsername), { populate: ['user'] })
    : await em.findOne(Trainer, { user: { username: idOrUsername } }, { populate: ['user'] });
  if (!trainer) throw new CliInputError(`There is no trainer ${idOrUsername}.`);
  return trainer;
}

/** A positive whole number from an option, or one clear sentence naming the option. */
export function positiveInt(option: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new CliInputError(`${option} must be a positive whole number, not "${value}".`);
    return n;
  };
}
