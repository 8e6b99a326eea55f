import { Command } from 'commander';
import { issueToken, revokeToken } from '../../api/auth/api-tokens';
import { ApiToken } from '../../db/entities';
import { CliInputError, type CliContext } from '../context';
import { findUser, positiveInt } from '../lookup';

export function tokensCommand(ctx: CliContext): Command {
  const tokens = new Command('tokens').description('API bearer tokens (stored hashed: a token is shown once, when created)');

  tokens
    .command('create')
    .description("Issue an API token for a user; it acts with that user's role")
    .requiredOption('--user <id-or-username>', 'whose token it is')
    .option('--name <name>', 'what it is for', 'cli')
    .action(async (options: { user: string; name: string }) => {
      const em = (await ctx.orm()).em.fork();
      const user = await findUser(em, options.user);
      const issued = await issueToken(em, user.id, options.name);
      ctx.print(`Created token ${issued.id} "${issued.name}" for user ${user.id} (${user.username}, ${user.role}). It is shown only now:`);
      ctx.print(issued.token);
    });

  tokens
    .command('list')
    .description("List a user's tokens (never the tokens themselves)")
    .requiredOption('--user <id-or-username>', 'whose tokens')
    .action(async (options: { user: string }) => {
      const em = (await ctx.orm()).em.fork();
      const user = await findUser(em, options.user);
      const rows = await em.find(ApiToken, { user: user.id }, { orderBy: { id: 'asc' } });
      if (rows.length === 0) ctx.print(`User ${user.username} has no tokens.`);
      for (const row of rows) {
        const state = row.revokedAt ? `revoked ${row.revokedAt.toISOString()}` : 'live';
        ctx.print(`${String(row.id).padStart(5)}  ${row.name}  created ${row.createdAt.toISOString()}  last used ${row.lastUsedAt?.toISOString() ?? 'never'}  ${state}`);
      }
    });

  tokens
    .command('revoke')
    .description('Revoke a token by its id; calls with it are refused from now on')
    .argument('<token-id>', 'the id shown by tokens list', positiveInt('<token-id>'))
    .action(async (tokenId: number) => {
      const em = (await ctx.orm()).em.fork();
      if (!(await em.count(ApiToken, tokenId))) throw new CliInputError(`There is no token ${tokenId}.`);
      ctx.print((await revokeToken(em, tokenId)) ? `Revoked token ${tokenId}.` : `Token ${tokenId} was already revoked.`);
    });

  return tokens;
}
