import { Command } from 'commander';
import { calendarFeedUrl, issueFeedToken, publicBaseUrlOf, revokeFeedTokens } from '../../calendar';
import type { CliContext } from '../context';
import { findUser } from '../lookup';

export function calendarCommand(ctx: CliContext): Command {
  const calendar = new Command('calendar').description("Users' secret calendar feed URLs (stored hashed: a URL is shown once, when issued)");

  calendar
    .command('issue')
    .description("Issue a user's calendar feed URL (their previous one stops working) and print it once")
    .argument('<user>', 'the user, by id or username')
    .action(async (who: string) => {
      const em = (await ctx.orm()).em.fork();
      const user = await findUser(em, who);
      const issued = await issueFeedToken(em, user.id);
      ctx.print(`Calendar feed for user ${user.id} (${user.username}); any previous one no longer works. It is shown only now:`);
      ctx.print(calendarFeedUrl(ctx.publicBaseUrl ?? publicBaseUrlOf({}), issued.token));
    });

  calendar
    .command('revoke')
    .description("Revoke a user's calendar feed URL; it answers 404 from now on")
    .argument('<user>', 'the user, by id or username')
    .action(async (who: string) => {
      const em = (await ctx.orm()).em.fork();
      const user = await findUser(em, who);
      const count = await revokeFeedTokens(em, user.id);
      ctx.print(count > 0 ? `Revoked the calendar feed of user ${user.id} (${user.username}).` : `User ${user.id} (${user.username}) had no calendar feed.`);
    });

  return calendar;
}
