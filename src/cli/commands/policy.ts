import { Command } from 'commander';
import type { Trainer } from '../../db/entities';
import { PolicyRefusalError } from '../../domain/policy/errors';
import { POLICY_BOUNDS, type PolicyField } from '../../domain/policy/policy';
import { describeCreditPolicyForClient, describeCreditPolicyForTrainer } from '../../domain/credits/wording';
import { describePolicyForClient, describePolicyForTrainer } from '../../domain/policy/wording';
import { loadStoredPolicy, savePolicy } from '../../policy';
import { CliInputError, type CliContext } from '../context';
import { findTrainer } from '../lookup';

const UNIT_MINUTES: Record<string, number> = { m: 1, min: 1, h: 60, d: 1440 };

/**
 * "90", "90m", "12h", "1h30m", "2d" → minutes ("default" → null: back to the default). A bare
 * number is in `bareUnit` (minutes, or days for the horizon).
 */
export function parseDurationMinutes(option: string, value: string, bareUnit: 'm' | 'd' = 'm'): number | null {
  const text = value.trim().toLowerCase();
  if (text === 'default') return null;
  if (/^\d+$/.test(text)) return Number(text) * UNIT_MINUTES[bareUnit]!;
  const parts = [...text.matchAll(/(\d+)\s*(min|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text.replace(/\s+/g, '')) {
    throw new CliInputError(`${option} must be a duration like 90m, 12h, 1h30m or 2d (or "default"), not "${value}".`);
  }
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_MINUTES[unit!]!, 0);
}

/** What an option carries for "default": back to the default. */
const RESET = 'default';

function count(option: string) {
  return (value: string): number | typeof RESET => {
    if (value.trim().toLowerCase() === 'default') return RESET;
    if (!/^\d+$/.test(value.trim())) throw new CliInputError(`${option} must be a whole number (or "default"), not "${value}".`);
    return Number(value);
  };
}

function yesNo(option: string) {
  return (value: string): boolean | typeof RESET => {
    const text = value.trim().toLowerCase();
    if (text === 'default') return RESET;
    if (['yes', 'true', 'on'].includes(text)) return true;
    if (['no', 'false', 'off'].includes(text)) return false;
    throw new CliInputError(`${option} must be yes or no (or "default"), not "${value}".`);
  };
}

function approval(value: string): 'MANUAL' | 'AUTO_DIRECT' | typeof RESET {
  const text = value.trim().toLowerCase();
  if (text === 'default') return RESET;
  if (text === 'manual') return 'MANUAL';
  if (text === 'auto' || text === 'auto_direct' || text === 'auto-direct') return 'AUTO_DIRECT';
  throw new CliInputError(`--approval must be manual or auto (or "default"), not "${value}".`);
}

type Setting<T> = T | typeof RESET;
interface SetOptions {
  minNotice?: Setting<number>;
  horizon?: Setting<number>;
  bufferBefore?: Setting<number>;
  bufferAfter?: Setting<number>;
  cutoff?: Setting<number>;
  maxPending?: Setting<number>;
  maxPendingPair?: Setting<number>;
  maxUpcoming?: Setting<number>;
  approval?: Setting<'MANUAL' | 'AUTO_DIRECT'>;
  creditToRequest?: Setting<boolean>;
  creditToApprove?: Setting<boolean>;
  lateCancelConsumes?: Setting<boolean>;
}

const OPTION_FIELDS: [keyof SetOptions, PolicyField][] = [
  ['minNotice', 'minNoticeMinutes'],
  ['horizon', 'horizonDays'],
  ['bufferBefore', 'bufferBeforeMinutes'],
  ['bufferAfter', 'bufferAfterMinutes'],
  ['cutoff', 'cancelCutoffMinutes'],
  ['maxPending', 'maxPendingPerClient'],
  ['maxPendingPair', 'maxPendingPerPair'],
  ['maxUpcoming', 'maxUpcomingBookings'],
  ['approval', 'approvalMode'],
  ['creditToRequest', 'creditToRequest'],
  ['creditToApprove', 'creditToApprove'],
  ['lateCancelConsumes', 'lateCancelConsumes'],
];

export function policyCommand(ctx: CliContext): Command {
  const policy = new Command('policy').description("A trainer's booking policy: notice, horizon, buffers, cancellation cutoff, client limits, approval");

  const print = (trainer: Trainer, stored: Awaited<ReturnType<typeof loadStoredPolicy>>): void => {
    ctx.print(`Policy of trainer ${trainer.id} (${trainer.user.username})${stored.customized.length === 0 ? ': all defaults' : ''}`);
    for (const line of [...describePolicyForTrainer(stored.policy), ...describeCreditPolicyForTrainer(stored.policy)]) ctx.print(`  ${line}`);
    const credits = describeCreditPolicyForClient(stored.policy, trainer.user.fullName);
    ctx.print(`Clients read: ${describePolicyForClient(stored.policy, trainer.user.fullName)}${credits ? ` ${credits}` : ''}`);
  };

  policy
    .command('show')
    .description("Show a trainer's policy (defaults where the trainer set nothing)")
    .argument('<trainer>', 'trainer id or the username of the trainer')
    .action(async (idOrUsername: string) => {
      const em = (await ctx.orm()).em.fork();
      const trainer = await findTrainer(em, idOrUsername);
      print(trainer, await loadStoredPolicy(em, trainer.id));
    });

  // Commander turns a parser's null into '', so "default" travels as RESET and becomes null below.
  const minutes = (option: string) => (value: string) => parseDurationMinutes(option, value) ?? RESET;
  policy
    .command('set')
    .description('Change fields of a trainer\'s policy; any value may be "default" to return it to the default')
    .argument('<trainer>', 'trainer id or the username of the trainer')
    .option('--min-notice <duration>', `no start sooner than this, e.g. 12h (0 to ${POLICY_BOUNDS.minNoticeMinutes.max / 1440} days)`, minutes('--min-notice'))
    .option('--horizon <duration>', 'nothing further ahead, e.g. 60d (a bare number is days)', (value: string) => {
      const total = parseDurationMinutes('--horizon', value, 'd');
      if (total === null) return RESET;
      if (total % 1440 !== 0) throw new CliInputError(`--horizon must be whole days, e.g. 60d, not "${value}".`);
      return total / 1440;
    })
    .option('--buffer-before <duration>', 'kept free before each session, e.g. 15m', minutes('--buffer-before'))
    .option('--buffer-after <duration>', 'kept free after each session, e.g. 15m', minutes('--buffer-after'))
    .option('--cutoff <duration>', "a client's cancel inside this is late, a client's reschedule refused, e.g. 24h", minutes('--cutoff'))
    .option('--max-pending <n>', 'pending requests per client, all trainers', count('--max-pending'))
    .option('--max-pending-pair <n>', 'pending requests per client with this trainer', count('--max-pending-pair'))
    .option('--max-upcoming <n>', 'upcoming bookings per client, all trainers', count('--max-upcoming'))
    .option('--approval <mode>', 'manual, or auto: direct requests that follow the policy are confirmed at once', approval)
    .option('--credit-to-request <yes|no>', "a client needs a credit (one of the trainer's packs) to request a session", yesNo('--credit-to-request'))
    .option('--credit-to-approve <yes|no>', "approving a session needs one of the client's credits", yesNo('--credit-to-approve'))
    .option('--late-cancel-consumes <yes|no>', "a client's late cancellation uses the session's credit (default yes)", yesNo('--late-cancel-consumes'))
    .action(async (idOrUsername: string, options: SetOptions) => {
      const patch: Record<string, unknown> = {};
      for (const [option, field] of OPTION_FIELDS) if (options[option] !== undefined) patch[field] = options[option] === RESET ? null : options[option];
      if (Object.keys(patch).length === 0) throw new CliInputError('Give at least one field to change, e.g. --min-notice 12h; see policy set --help.');
      const em = (await ctx.orm()).em.fork();
      const trainer = await findTrainer(em, idOrUsername);
      try {
        print(trainer, await savePolicy(em, trainer.id, patch));
      } catch (error) {
        if (error instanceof PolicyRefusalError) throw new CliInputError(`${error.message} Nothing was changed.`);
        throw error;
      }
    });

  return policy;
}
