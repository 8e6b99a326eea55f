import { Command } from 'commander';
import { Trainer } from '../../db/entities';
import { assertTimeZone } from '../../scoring/wc';
import { CliInputError, type CliContext } from '../context';
import { findUser } from '../lookup';

function price(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 100_000) throw new CliInputError(`--price-per-hour must be an amount like 80 or 72.50, not "${value}".`);
  return n;
}

export function trainersCommand(ctx: CliContext): Command {
  const trainers = new Command('trainers').description('Trainer profiles');

  trainers
    .command('create')
    .description("Give a user a trainer profile (the user's role becomes TRAINER)")
    .requiredOption('--user <id-or-username>', 'the person')
    .requiredOption('--price-per-hour <amount>', 'price of one hour', price)
    .option('--specialty <text>', 'e.g. Strength & conditioning', '')
    .option('--time-zone <zone>', "zone of the trainer's availability (default: the user's, else UTC)")
    .option('--gym-name <name>', 'where sessions take place')
    .option('--gym-address <address>', 'address of the gym')
    .option('--training-types <list>', 'comma-separated, e.g. "Strength Training,HIIT"', (value: string) => value.split(',').map((t) => t.trim()).filter(Boolean), [] as string[])
    .action(async (options: { user: string; pricePerHour: number; specialty: string; timeZone?: string; gymName?: string; gymAddress?: string; trainingTypes: string[] }) => {
      const em = (await ctx.orm()).em.fork();
      const user = await findUser(em, options.user);
      if (await em.count(Trainer, { user: user.id })) throw new CliInputError(`User ${user.username} already has a trainer profile.`);
      if (user.role === 'ADMIN') throw new CliInputError(`User ${user.username} is an admin; create a separate user for the trainer.`);
      const timeZone = options.timeZone ?? user.timeZone ?? 'UTC';
      try {
        assertTimeZone(timeZone);
      } catch {
        throw new CliInputError(`--time-zone ${timeZone} is not a known time zone.`);
      }
      user.role = 'TRAINER';
      const trainer = em.create(Trainer, {
        user,
        pricePerHour: options.pricePerHour,
        specialty: options.specialty,
        timeZone,
        gymName: options.gymName ?? null,
        gymAddress: options.gymAddress ?? null,
        trainingTypes: options.trainingTypes,
      });
      await em.flush();
      ctx.print(`Created trainer ${trainer.id} for user ${user.id} (${user.username}), ${options.pricePerHour} per hour, ${timeZone}.`);
    });

  trainers
    .command('list')
    .description('List trainers')
    .action(async () => {
      const em = (await ctx.orm()).em.fork();
      const rows = await em.find(Trainer, {}, { populate: ['user'], orderBy: { id: 'asc' } });
      if (rows.length === 0) ctx.print('No trainers.');
      for (const t of rows) ctx.print(`${String(t.id).padStart(5)}  ${t.user.username}  ${t.specialty || '-'}  ${t.pricePerHour}/h  ${t.timeZone}${t.gymName ? `  ${t.gymName}` : ''}`);
    });

  return trainers;
}
