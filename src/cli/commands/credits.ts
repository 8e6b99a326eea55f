import { Command } from 'commander';
import { createCreditLedger, type CreditLedger, type RecordedPayment, type RecordPaymentInput } from '../../credits/ledger';
import { listPayments } from '../../credits/payment-list';
import { Booking } from '../../db/entities';
import type { PaymentMethod } from '../../domain/credits/credits';
import { CreditInputError } from '../../domain/credits/errors';
import { formatMoney, normalizeCurrency, parseMoney } from '../../domain/credits/money';
import { creditWording, formatDay, packOffer } from '../../domain/credits/wording';
import { NotFoundError } from '../../domain/errors';
import { CliInputError, type CliContext } from '../context';
import { findTrainer, findUser, positiveInt } from '../lookup';

/** A whole number of at least `min` from an option, or one sentence naming the option. */
function wholeNumber(option: string, min: number) {
  return (value: string): number => {
    const n = Number(value.trim());
    if (!/^\d+$/.test(value.trim()) || n < min) throw new CliInputError(`${option} must be a whole number${min > 0 ? ` of at least ${min}` : ''}, not "${value}".`);
    return n;
  };
}

function currencyOf(value: string): string {
  const code = normalizeCurrency(value);
  if (code === null) throw new CliInputError(creditWording.unknownCurrency(value));
  return code;
}

/** An amount as people write it ("700", "700.50", "€700", "1.234,50 €") in integer minor units of the currency. */
function amountOf(option: string, text: string, currency: string): bigint {
  const parsed = parseMoney(text, currency);
  if (!parsed.ok) throw new CliInputError(`${option}: ${creditWording.moneyProblem(parsed.problem, currency, text)}`);
  if (parsed.minor > BigInt(Number.MAX_SAFE_INTEGER)) throw new CliInputError(`${option}: ${creditWording.moneyProblem({ kind: 'too_large' }, currency, text)}`);
  return parsed.minor;
}

const METHODS: Record<string, PaymentMethod> = { cash: 'CASH', bank: 'BANK_TRANSFER', 'bank-transfer': 'BANK_TRANSFER', transfer: 'BANK_TRANSFER', card: 'CARD_AT_GYM', 'card-at-gym': 'CARD_AT_GYM', other: 'OTHER' };

function methodOf(value: string): PaymentMethod {
  const method = METHODS[value.trim().toLowerCase().replace(/[_\s]+/g, '-')];
  if (!method) throw new CliInputError(`--method must be cash, bank-transfer, card-at-gym or other, not "${value}".`);
  return method;
}

/** The ledger's refusals and missing rows as one sentence for the operator. */
async function explained<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof CreditInputError) throw new CliInputError(error.message);
    if (error instanceof NotFoundError) throw new CliInputError(`There is no ${error.entity.toLowerCase()} ${error.id}.`);
    throw error;
  }
}

const day = (date: Date | null): string => (date ? formatDay(date) : '—');

/**
 * The ledger the commands read with, and how they record a payment: through the booking
 * client, which starts a pack's workflow (`credit-lot-<lotId>`: ready, reminder, expiry), so
 * recording needs Temporal; reading does not.
 */
async function creditsOf(ctx: CliContext): Promise<{ ledger: CreditLedger; recordPayment: (input: RecordPaymentInput) => Promise<RecordedPayment & { workflowId: string | null }> }> {
  const ledger = createCreditLedger(await ctx.orm());
  return { ledger, recordPayment: async (input) => (await ctx.bookings()).recordPayment(input) };
}

export function packagesCommand(ctx: CliContext): Command {
  const packages = new Command('packages').description("A trainer's session packs: list, create, stop selling");

  packages
    .command('list')
    .description("A trainer's packs, the ones still sold first")
    .argument('<trainer>', 'trainer id or the username of the trainer')
    .option('--all', 'also the packs no longer sold')
    .action(async (idOrUsername: string, options: { all?: boolean }) => {
      const em = (await ctx.orm()).em.fork();
      const trainer = await findTrainer(em, idOrUsername);
      const { ledger } = await creditsOf(ctx);
      const packs = await ledger.packageTypes.list(trainer.id, { includeInactive: options.all === true });
      if (packs.length === 0) return ctx.print(`Trainer ${trainer.id} (${trainer.user.username}) sells no packs.`);
      ctx.print(`Packs of trainer ${trainer.id} (${trainer.user.username}):`);
      for (const pack of packs) ctx.print(`  pack ${pack.id}  ${pack.name}: ${packOffer(pack)}, valid ${pack.validityDays} days${pack.active ? '' : ' (no longer sold)'}`);
    });

  packages
    .command('create')
    .description('Add a pack a trainer sells')
    .argument('<trainer>', 'trainer id or the username of the trainer')
    .requiredOption('--name <text>', 'e.g. "10 × 60 min"; unique among the trainer\'s packs')
    .requiredOption('--sessions <n>', 'credits in the pack, one per session', wholeNumber('--sessions', 1))
    .requiredOption('--minutes <n>', 'the longest session one credit pays for', wholeNumber('--minutes', 1))
    .requiredOption('--price <amount>', 'e.g. 700 or 700.50, in --currency')
    .requiredOption('--currency <code>', 'ISO 4217, e.g. EUR', currencyOf)
    .requiredOption('--validity <days>', 'how long the credits last from the payment', wholeNumber('--validity', 1))
    .action(async (idOrUsername: string, options: { name: string; sessions: number; minutes: number; price: string; currency: string; validity: number }) => {
      const priceMinor = amountOf('--price', options.price, options.currency);
      const em = (await ctx.orm()).em.fork();
      const trainer = await findTrainer(em, idOrUsername);
      const { ledger } = await creditsOf(ctx);
      const pack = await explained(() =>
        ledger.packageTypes.create({ trainerId: trainer.id, name: options.name, sessions: options.sessions, sessionMinutes: options.minutes, priceMinor, currency: options.currency, validityDays: options.validity }),
      );
      ctx.print(`Created pack ${pack.id} "${pack.name}" for trainer ${trainer.id}: ${packOffer(pack)}, valid ${pack.validityDays} days.`);
    });

  packages
    .command('deactivate')
    .description('Stop selling a pack (credits already bought stay valid)')
    .argument('<trainer>', 'trainer id or the username of the trainer')
    .argument('<package-id>', 'the pack', positiveInt('<package-id>'))
    .action(async (idOrUsername: string, packageId: number) => {
      const em = (await ctx.orm()).em.fork();
      const trainer = await findTrainer(em, idOrUsername);
      const { ledger } = await creditsOf(ctx);
      const pack = await ledger.packageTypes.deactivate(trainer.id, packageId).catch((error: unknown) => {
        if (error instanceof NotFoundError) throw new CliInputError(`Trainer ${trainer.id} has no pack ${packageId}.`);
        throw error;
      });
      ctx.print(`Pack ${pack.id} "${pack.name}" is no longer sold; credits already bought stay valid.`);
    });

  return packages;
}

interface RecordOptions {
  trainer: string;
  client: string;
  package?: number;
  booking?: number;
  amount?: string;
  currency?: string;
  method: PaymentMethod;
  reference?: string;
  key?: string;
  priceOverride?: boolean;
  by?: string;
}

export function paymentsCommand(ctx: CliContext): Command {
  const payments = new Command('payments').description('Payments clients made to trainers: record (a pack or one session), list');

  payments
    .command('record')
    .description("Record a payment: a pack's (its credits are the client's at once) or one booked session's")
    .requiredOption('--trainer <trainer>', 'who was paid: trainer id or username')
    .requiredOption('--client <user>', 'who paid: user id or username')
    .option('--package <id>', "the pack bought (amount and currency default to the pack's price)", positiveInt('--package'))
    .option('--booking <id>', 'or: the booked session paid for (needs --amount and --currency)', positiveInt('--booking'))
    .option('--amount <amount>', 'what was paid, e.g. 700 or 700.50')
    .option('--currency <code>', 'ISO 4217, e.g. EUR', currencyOf)
    .requiredOption('--method <method>', 'cash, bank-transfer, card-at-gym or other', methodOf)
    .option('--reference <text>', 'a receipt number or the transfer text')
    .option('--key <text>', 'an idempotency key: recording again with the same key records nothing new')
    .option('--price-override', "the amount differs from the pack's price on purpose (a discount)")
    .option('--by <user>', 'who recorded it (default: the trainer)')
    .action(async (options: RecordOptions) => {
      if ((options.package === undefined) === (options.booking === undefined)) throw new CliInputError('A payment pays for a pack or one booked session: give --package or --booking, not both or neither.');
      const em = (await ctx.orm()).em.fork();
      const trainer = await findTrainer(em, options.trainer);
      const client = await findUser(em, options.client);
      const recorder = options.by ? await findUser(em, options.by) : trainer.user;
      const { ledger, recordPayment } = await creditsOf(ctx);
      let currency = options.currency;
      let amountMinor: bigint;
      if (options.package !== undefined) {
        const pack = await ledger.packageTypes.get(options.package);
        if (!pack || pack.trainerId !== trainer.id) throw new CliInputError(`Trainer ${trainer.id} has no pack ${options.package}.`);
        // The pack's price by default; the ledger refuses another currency, or another amount without --price-override.
        currency ??= pack.currency;
        amountMinor = options.amount === undefined ? pack.priceMinor : amountOf('--amount', options.amount, currency);
      } else {
        if (!(await em.count(Booking, { id: options.booking! }))) throw new CliInputError(`There is no booking ${options.booking}.`);
        if (currency === undefined || options.amount === undefined) throw new CliInputError("A session's payment needs --amount and --currency, e.g. --amount 80 --currency EUR.");
        amountMinor = amountOf('--amount', options.amount, currency);
      }
      const recorded = await explained(() =>
        recordPayment({
          trainerId: trainer.id,
          clientId: client.id,
          recordedBy: recorder.id,
          amountMinor,
          currency,
          method: options.method,
          reference: options.reference ?? null,
          ...(options.package !== undefined ? { packageTypeId: options.package } : { bookingId: options.booking! }),
          idempotencyKey: options.key ?? null,
          priceOverride: options.priceOverride === true,
        }),
      );
      ctx.print(recorded.alreadyRecorded ? `Payment ${recorded.paymentId} was already recorded with this key; nothing new was recorded.` : recorded.sentence);
      if (recorded.lot) {
        ctx.print(`Payment ${recorded.paymentId}; lot ${recorded.lot.lotId}: ${recorded.lot.sessions} × ${recorded.lot.sessionMinutes} min until ${day(recorded.lot.expiresAt)} (workflow ${recorded.workflowId}).`);
      }
      else ctx.print(`Payment ${recorded.paymentId} for booking ${recorded.bookingId}.`);
    });

  payments
    .command('list')
    .description('Recorded payments, newest first')
    .option('--client <user>', 'one client: user id or username')
    .option('--trainer <trainer>', 'one trainer: trainer id or username')
    .option('--limit <n>', 'at most this many (default 50)', positiveInt('--limit'))
    .action(async (options: { client?: string; trainer?: string; limit?: number }) => {
      const em = (await ctx.orm()).em.fork();
      const clientId = options.client ? (await findUser(em, options.client)).id : undefined;
      const trainerId = options.trainer ? (await findTrainer(em, options.trainer)).id : undefined;
      const rows = await listPayments(em, { ...(clientId !== undefined ? { clientId } : {}), ...(trainerId !== undefined ? { trainerId } : {}), ...(options.limit ? { limit: options.limit } : {}) });
      if (rows.length === 0) return ctx.print('No payments.');
      for (const row of rows) {
        const bought = row.packageName !== null ? `pack "${row.packageName}" (lot ${row.lotId})` : `booking ${row.bookingId}`;
        ctx.print(
          `payment ${row.id}  ${day(row.createdAt)}  ${formatMoney(row.amountMinor, row.currency)} ${creditWording.methodName(row.method)}  ${row.clientName} (user ${row.clientId}) → ${row.trainerName} (trainer ${row.trainerId})  ${bought}${row.reference ? `  ref ${row.reference}` : ''}`,
        );
      }
    });

  return payments;
}

export function creditsCommand(ctx: CliContext): Command {
  const credits = new Command('credits').description('Credit balances, the ledger, clients running low, and expiring packs');

  credits
    .command('balance')
    .description('Credits per client and trainer, each pack with what is left and when it ends')
    .option('--client <user>', 'one client: user id or username')
    .option('--trainer <trainer>', 'one trainer: trainer id or username')
    .action(async (options: { client?: string; trainer?: string }) => {
      const em = (await ctx.orm()).em.fork();
      const clientId = options.client ? (await findUser(em, options.client)).id : undefined;
      const trainerId = options.trainer ? (await findTrainer(em, options.trainer)).id : undefined;
      const { ledger } = await creditsOf(ctx);
      const balances = await ledger.balances({ ...(clientId !== undefined ? { clientId } : {}), ...(trainerId !== undefined ? { trainerId } : {}) });
      if (balances.length === 0) return ctx.print('No credits.');
      for (const balance of balances) {
        ctx.print(`${balance.clientName} (user ${balance.clientId}) with ${creditWording.balance({ trainerName: `${balance.trainerName} (trainer ${balance.trainerId})`, lots: balance.lots.filter((lot) => !lot.expired), reserved: balance.reserved })}`);
        for (const lot of balance.lots) {
          ctx.print(`  lot ${lot.lotId}  ${lot.packageName}: ${lot.available} of ${lot.sessions} left, ${lot.reserved} held, ${lot.expired ? 'ended' : 'until'} ${day(lot.expiresAt)}`);
        }
      }
    });

  credits
    .command('ledger')
    .description('Ledger entries, newest first, of a client, a trainer or a booking')
    .option('--client <user>', 'user id or username')
    .option('--trainer <trainer>', 'trainer id or username')
    .option('--booking <id>', 'one booking', positiveInt('--booking'))
    .option('--limit <n>', 'at most this many (default 50)', positiveInt('--limit'))
    .action(async (options: { client?: string; trainer?: string; booking?: number; limit?: number }) => {
      if (!options.client && !options.trainer && options.booking === undefined) throw new CliInputError('Name a --client, a --trainer or a --booking to list ledger entries.');
      const em = (await ctx.orm()).em.fork();
      const clientId = options.client ? (await findUser(em, options.client)).id : undefined;
      const trainerId = options.trainer ? (await findTrainer(em, options.trainer)).id : undefined;
      const { ledger } = await creditsOf(ctx);
      const entries = await ledger.entries({
        ...(clientId !== undefined ? { clientId } : {}),
        ...(trainerId !== undefined ? { trainerId } : {}),
        ...(options.booking !== undefined ? { bookingId: options.booking } : {}),
        ...(options.limit ? { limit: options.limit } : {}),
      });
      if (entries.length === 0) return ctx.print('No ledger entries.');
      for (const entry of entries) {
        ctx.print(`entry ${entry.id}  lot ${entry.lotId}  ${entry.kind} ${entry.delta >= 0 ? '+' : ''}${entry.delta}${entry.bookingId !== null ? `  booking ${entry.bookingId}` : ''}  ${creditWording.entry(entry)}`);
      }
    });

  credits
    .command('low')
    .description("A trainer's clients with few credits left, or credits ending soon")
    .argument('<trainer>', 'trainer id or the username of the trainer')
    .option('--at-most <n>', 'low: at most this many credits left (default 1)', wholeNumber('--at-most', 0))
    .option('--within-days <n>', 'expiring: credits ending within this many days (default 14)', wholeNumber('--within-days', 0))
    .action(async (idOrUsername: string, options: { atMost?: number; withinDays?: number }) => {
      const em = (await ctx.orm()).em.fork();
      const trainer = await findTrainer(em, idOrUsername);
      const { ledger } = await creditsOf(ctx);
      const rows = await ledger.lowOrExpiring(trainer.id, { ...(options.atMost !== undefined ? { atMost: options.atMost } : {}), ...(options.withinDays !== undefined ? { withinDays: options.withinDays } : {}) });
      if (rows.length === 0) return ctx.print(`No client of trainer ${trainer.id} is low on credits or about to lose some.`);
      for (const row of rows) ctx.print(`user ${row.clientId}  ${creditWording.lowOrExpiring(row)}`);
    });

  credits
    .command('expire')
    .description("Write off the credits left in every pack past its end, now (packs' own workflows do this on their own)")
    .action(async () => {
      const { ledger } = await creditsOf(ctx);
      const expired = await ledger.expireLots();
      ctx.print(expired.lots === 0 ? 'No pack past its end had credits left.' : `Expired ${expired.credits} unused credit${expired.credits === 1 ? '' : 's'} in ${expired.lots} pack${expired.lots === 1 ? '' : 's'}.`);
    });

  return credits;
}
