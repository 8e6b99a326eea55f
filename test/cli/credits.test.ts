import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliInputError, type CliContext } from '../../src/cli/context';
import { buildCliProgram } from '../../src/cli/program';
import { createCreditLedger } from '../../src/credits/ledger';
import { PackageType } from '../../src/db/entities';
import { startBookingStack, type BookingStack } from '../support/booking-stack';
import { createClient, createTrainer } from '../support/fixtures';
import { atDate, dayAhead } from '../support/time';

let stack: BookingStack;
beforeAll(async () => {
  stack = await startBookingStack();
});
afterAll(async () => stack?.stop());

/** Runs one CLI command in-process against the test database and worker; returns its output lines. */
async function cli(...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const ctx: CliContext = { orm: () => Promise.resolve(stack.orm), bookings: () => Promise.resolve(stack.running.bookings), print: (line) => lines.push(line) };
  await buildCliProgram(ctx, () => undefined).parseAsync(args, { from: 'user' });
  return lines;
}

const idIn = (line: string | undefined, word: string): number => Number(new RegExp(`${word} (\\d+)`).exec(line ?? '')?.[1]);

async function paymentsOf(clientId: number): Promise<number> {
  const [row] = await stack.orm.em.fork().execute<{ n: number }[]>('select count(*)::int as n from payment where client_id = ?', [clientId]);
  return row!.n;
}

describe('packages CLI', () => {
  it('creates packs from amounts as people write them, lists them, and stops selling one', async () => {
    const trainer = await createTrainer(stack.orm.em.fork());
    const [created] = await cli('packages', 'create', trainer.user.username, '--name', 'Ten', '--sessions', '10', '--minutes', '60', '--price', '700', '--currency', 'eur', '--validity', '90');
    const packId = idIn(created, 'pack');
    expect(created).toBe(`Created pack ${packId} "Ten" for trainer ${trainer.id}: 10 × 60 min for €700.00, valid 90 days.`);
    const [long] = await cli('packages', 'create', String(trainer.id), '--name', 'Five long', '--sessions', '5', '--minutes', '90', '--price', '1.234,50 €', '--currency', 'EUR', '--validity', '60');
    expect(long).toMatch(/: 5 × 90 min for €1,234\.50, valid 60 days\.$/);
    expect((await stack.orm.em.fork().findOneOrFail(PackageType, packId)).priceMinor).toBe(70_000n);

    expect(await cli('packages', 'list', String(trainer.id))).toEqual([
      `Packs of trainer ${trainer.id} (${trainer.user.username}):`,
      `  pack ${packId}  Ten: 10 × 60 min for €700.00, valid 90 days`,
      `  pack ${idIn(long, 'pack')}  Five long: 5 × 90 min for €1,234.50, valid 60 days`,
    ]);
    expect(await cli('packages', 'deactivate', String(trainer.id), String(packId))).toEqual([`Pack ${packId} "Ten" is no longer sold; credits already bought stay valid.`]);
    expect(await cli('packages', 'list', String(trainer.id))).toHaveLength(2);
    expect((await cli('packages', 'list', String(trainer.id), '--all')).at(-1)).toBe(`  pack ${packId}  Ten: 10 × 60 min for €700.00, valid 90 days (no longer sold)`);
  });

  it('refuses bad input in one sentence and stores nothing', async () => {
    const trainer = await createTrainer(stack.orm.em.fork());
    const base = ['--name', 'Pack', '--sessions', '10', '--minutes', '60', '--price', '700', '--currency', 'EUR', '--validity', '90'];
    const withOption = (option: string, value: string): string[] => {
      const args = [...base];
      args[args.indexOf(option) + 1] = value;
      return args;
    };
    const cases: [string[], string][] = [
      [withOption('--price', '700.505'), '--price: EUR has 2 decimals at most: write it like €700.50.'],
      [withOption('--price', '£700'), '--price: That amount is in £, but this is paid in EUR: write the amount in EUR.'],
      [withOption('--price', 'seven hundred'), '--price: I couldn\'t read "seven hundred" as an amount: write it like 700 or 700.50.'],
      [withOption('--currency', 'EURO'), '"EURO" is not a currency code: write three letters such as EUR, GBP or USD.'],
      [withOption('--sessions', '0'), '--sessions must be a whole number of at least 1, not "0".'],
      [withOption('--minutes', '500'), 'session_minutes must be a whole number from 15 to 480.'],
    ];
    for (const [args, message] of cases) {
      const error = await cli('packages', 'create', String(trainer.id), ...args).catch((failure: unknown) => failure);
      expect(error, args.join(' ')).toBeInstanceOf(CliInputError);
      expect((error as CliInputError).message).toBe(message);
    }
    expect(await stack.orm.em.fork().count(PackageType, { trainer: trainer.id })).toBe(0);
    await cli('packages', 'create', String(trainer.id), ...base);
    await expect(cli('packages', 'create', String(trainer.id), ...base)).rejects.toThrow('You already have a pack named "Pack": choose another name.');
    await expect(cli('packages', 'create', 'nobody-by-this-name', ...base)).rejects.toThrow('There is no trainer nobody-by-this-name.');
    await expect(cli('packages', 'deactivate', String(trainer.id), '2147483000')).rejects.toThrow(`Trainer ${trainer.id} has no pack 2147483000.`);
  });
});

describe('payments and credits CLI', () => {
  it("records a pack's payment at its price, once per key; balance, ledger, payments and the low list show it", async () => {
    const em = stack.orm.em.fork();
    const trainer = await createTrainer(em);
    const client = await createClient(em);
    const packId = idIn((await cli('packages', 'create', String(trainer.id), '--name', 'Three', '--sessions', '3', '--minutes', '60', '--price', '240', '--currency', 'EUR', '--validity', '90'))[0], 'pack');

    const recorded = await cli('payments', 'record', '--trainer', trainer.user.username, '--client', client.username, '--package', String(packId), '--method', 'bank-transfer', '--reference', 'INV-7', '--key', `cli-${client.id}`);
    expect(recorded[0]).toBe(`Recorded €240.00 (bank transfer) from ${client.fullName} for Three: 3 × 60 min added.`);
    expect(recorded[1]).toMatch(/^Payment \d+; lot (\d+): 3 × 60 min until \d{1,2} \w{3} \d{4} \(workflow credit-lot-\1\)\.$/);
    const paymentId = idIn(recorded[1], 'Payment');
    const again = await cli('payments', 'record', '--trainer', String(trainer.id), '--client', String(client.id), '--package', String(packId), '--method', 'bank-transfer', '--key', `cli-${client.id}`);
    expect(again[0]).toBe(`Payment ${paymentId} was already recorded with this key; nothing new was recorded.`);
    expect(await paymentsOf(client.id)).toBe(1);

    const balance = await cli('credits', 'balance', '--client', client.username);
    expect(balance[0]).toMatch(new RegExp(`^${client.fullName} \\(user ${client.id}\\) with ${trainer.user.fullName} \\(trainer ${trainer.id}\\): 3 credits \\(3 × 60 min until .+\\)\\.$`));
    expect(balance[1]).toMatch(/^ {2}lot \d+ {2}Three: 3 of 3 left, 0 held, until \d{1,2} \w{3} \d{4}$/);
    const ledger = await cli('credits', 'ledger', '--client', String(client.id));
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatch(/^entry \d+ {2}lot \d+ {2}PURCHASE \+3 {2}\d{1,2} \w{3} \d{4}: \+3 bought \(3 × 60 min\)$/);
    const payments = await cli('payments', 'list', '--trainer', String(trainer.id));
    expect(payments).toEqual([expect.stringMatching(new RegExp(`^payment ${paymentId} .* €240\\.00 bank transfer {2}${client.fullName} \\(user ${client.id}\\) → .* pack "Three" \\(lot \\d+\\) {2}ref INV-7$`))]);
    expect(await cli('credits', 'low', String(trainer.id))).toEqual([`No client of trainer ${trainer.id} is low on credits or about to lose some.`]);
    expect(await cli('credits', 'low', String(trainer.id), '--at-most', '3')).toEqual([`user ${client.id}  ${client.fullName} has 3 credits left.`]);
  });

  it('refuses payments it cannot record exactly, in one sentence, and records nothing', async () => {
    const em = stack.orm.em.fork();
    const trainer = await createTrainer(em);
    const client = await createClient(em);
    const packId = idIn((await cli('packages', 'create', String(trainer.id), '--name', 'Ten', '--sessions', '10', '--minutes', '60', '--price', '700', '--currency', 'EUR', '--validity', '90'))[0], 'pack');
    const pay = (...extra: string[]) => cli('payments', 'record', '--trainer', String(trainer.id), '--client', String(client.id), '--method', 'cash', ...extra);
    const cases: [string[], string][] = [
      [['--package', String(packId), '--amount', '600'], 'The pack "Ten" costs €700.00, not €600.00: record the price, or confirm the different amount (a discount).'],
      [['--package', String(packId), '--currency', 'GBP'], 'The pack "Ten" is priced in EUR: record the payment in EUR.'],
      [['--package', String(packId), '--amount', '700.001'], '--amount: EUR has 2 decimals at most: write it like €700.50.'],
      [['--package', String(packId), '--booking', '1'], 'A payment pays for a pack or one booked session: give --package or --booking, not both or neither.'],
      [['--booking', '2147483000', '--amount', '80', '--currency', 'EUR'], 'There is no booking 2147483000.'],
      [['--package', '2147483000'], `Trainer ${trainer.id} has no pack 2147483000.`],
    ];
    for (const [args, message] of cases) await expect(pay(...args), args.join(' ')).rejects.toThrow(message);
    await expect(cli('payments', 'record', '--trainer', String(trainer.id), '--client', String(client.id), '--package', String(packId), '--method', 'crypto')).rejects.toThrow(
      '--method must be cash, bank-transfer, card-at-gym or other, not "crypto".',
    );
    expect(await paymentsOf(client.id)).toBe(0);
    // A discount the operator confirms is recorded.
    expect((await pay('--package', String(packId), '--amount', '600', '--price-override'))[0]).toBe(`Recorded €600.00 (cash) from ${client.fullName} for Ten: 10 × 60 min added.`);
    await expect(cli('credits', 'ledger')).rejects.toThrow('Name a --client, a --trainer or a --booking to list ledger entries.');
  });

  it('expires what is left in packs past their end, once', async () => {
    const em = stack.orm.em.fork();
    const trainer = await createTrainer(em);
    const client = await createClient(em);
    // A pack bought 100 days ago, valid 30 days: its end is long past whatever day the test runs.
    const bought = atDate(dayAhead(-100), 9);
    const past = createCreditLedger(stack.orm, () => bought);
    const pack = await past.packageTypes.create({ trainerId: trainer.id, name: 'Old', sessions: 4, sessionMinutes: 60, priceMinor: 30_000n, currency: 'EUR', validityDays: 30 });
    await past.recordPayment({ trainerId: trainer.id, clientId: client.id, recordedBy: trainer.user.id, amountMinor: 30_000n, currency: 'EUR', method: 'CASH', packageTypeId: pack.id });

    expect(await cli('credits', 'expire')).toEqual(['Expired 4 unused credits in 1 pack.']);
    expect(await cli('credits', 'expire')).toEqual(['No pack past its end had credits left.']);
    expect((await cli('credits', 'ledger', '--client', String(client.id)))[0]).toMatch(/EXPIRE -4 .*: −4 credits expired unused$/);
    expect(await cli('credits', 'balance', '--client', String(client.id))).toEqual(['No credits.']);
  });
});
