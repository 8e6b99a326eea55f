import { Command, Option } from 'commander';
import { User } from '../../db/entities';
import { USER_ROLES, type UserRole } from '../../domain/statuses';
import { issueLinkCode } from '../../identity/link-codes';
import { assertTimeZone } from '../../scoring/wc';
import { CliInputError, type CliContext } from '../context';
import { findUser } from '../lookup';

export function usersCommand(ctx: CliContext): Command {
  const users = new Command('users').description('People who use the system: clients, trainers, admins');

  users
    .command('create')
    .description('Create a user')
    .requiredOption('--username <username>', 'unique login name')
    .requiredOption('--full-name <name>', 'name shown to people')
    .addOption(new Option('--role <role>', 'CLIENT, TRAINER or ADMIN').choices(USER_ROLES).default('CLIENT'))
    .option('--email <email>', 'e-mail address')
    .option('--time-zone <zone>', 'IANA time zone, e.g. Europe/Berlin')
    .action(async (options: { username: string; fullName: string; role: UserRole; email?: string; timeZone?: string }) => {
      if (options.timeZone) {
        try {
          assertTimeZone(options.timeZone);
        } catch {
          throw new CliInputError(`--time-zone ${options.timeZone} is not a known time zone.`);
        }
      }
      const em = (await ctx.orm()).em.fork();
      if (await em.count(User, { username: options.username })) throw new CliInputError(`The username ${options.username} is taken.`);
      if (options.email && (await em.count(User, { email: options.email }))) throw new CliInputError(`The e-mail ${options.email} is taken.`);
      const user = em.create(User, { username: options.username, fullName: options.fullName, role: options.role, email: options.email ?? null, timeZone: options.timeZone ?? null });
      await em.flush();
      ctx.print(`Created user ${user.id} (${user.username}, ${user.role}).`);
    });

  users
    .command('list')
    .description('List users')
    .addOption(new Option('--role <role>', 'only this role').choices(USER_ROLES))
    .action(async (options: { role?: UserRole }) => {
      const em = (await ctx.orm()).em.fork();
      const rows = await em.find(User, options.role ? { role: options.role } : {}, { orderBy: { id: 'asc' } });
      if (rows.length === 0) ctx.print('No users.');
      for (const user of rows) ctx.print(`${String(user.id).padStart(5)}  ${user.role.padEnd(7)}  ${user.username}  (${user.fullName})${user.timeZone ? `  ${user.timeZone}` : ''}`);
    });

  users
    .command('link-code')
    .description('A one-time code that attaches a chat account (Slack, Discord) to this user: they write "link CODE" to the bot')
    .requiredOption('--user <id-or-username>', 'the person, e.g. a trainer')
    .action(async (options: { user: string }) => {
      const orm = await ctx.orm();
      const user = await findUser(orm.em.fork(), options.user);
      const code = await issueLinkCode(orm, user.id);
      ctx.print(`Link code for ${user.username}: ${code} (valid for 24 hours, once). In Slack or Discord they write: link ${code}`);
    });

  return users;
}
