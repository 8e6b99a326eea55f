import { describe, expect, it } from 'vitest';
import type { FormRequest, OutgoingMessage } from '../../../bots/core/messages';
import type { Reply } from '../../../bots/core/replies';
import { commandOf } from '../../../bots/engine/commands';
import { creditsCommand } from '../../../bots/discord/commands/credits-command';
import { ACTIONS } from '../../../bots/engine/action-ids';
import { NoCreditError } from '../../../src/domain/credits/errors';
import { DEFAULT_POLICY } from '../../../src/domain/policy';
import { ChatPerson, texts } from '../support/chat-person';
import { InMemoryChat } from './support/in-memory-chat';

// A fixed Tuesday morning (UTC): every date below is read against it.
const NOW = new Date('2026-12-01T09:00:00Z');
const DAY_MS = 86_400_000;
const daysFromNow = (days: number): Date => new Date(NOW.getTime() + days * DAY_MS);

function setUp() {
  const chat = new InMemoryChat(NOW);
  const engine = chat.engine();
  const samPerson = new ChatPerson(engine, 'slack', 'U-sam', 'Sam Rivera', 'T1');
  const trainer = chat.addTrainer({ name: 'Sam Rivera', gymName: 'Iron Works' }, samPerson.address);
  const jamie = new ChatPerson(engine, 'slack', 'U-jamie', 'Jamie Lee', 'T1');
  const jamieUser = chat.addClient(jamie.address, { fullName: 'Jamie Lee' });
  const ten = chat.credits.addPack(trainer.id, { name: 'Ten sessions', sessions: 10, sessionMinutes: 60, priceMinor: 70_000n });
  return { chat, engine, trainer, sam: samPerson, jamie, jamieUser, ten };
}

const fieldValue = (message: OutgoingMessage, label: string): string | undefined => message.fields?.find((f) => f.label === label)?.value;
const formOf = (replies: readonly Reply[]): FormRequest => {
  const form = replies.find((r) => r.message.form)?.message.form;
  if (!form) throw new Error(`no form in ${JSON.stringify(replies)}`);
  return form;
};
const labels = (message: OutgoingMessage): string[] =>
  (message.actions ?? []).flatMap((a) => (a.kind === 'button' ? [a.label] : a.kind === 'select' ? a.options.map((o) => `${a.placeholder}: ${o.label}`) : [a.placeholder]));

/** The payment form's answers: the prefilled ones as the form opened, with `changes` written over them. */
function answers(form: FormRequest, changes: Record<string, string>): Record<string, string> {
  return Object.fromEntries(form.fields.map((field) => [field.id, changes[field.id] ?? field.initial ?? '']));
}

describe('credit commands', () => {
  it('reads "my credits", "credits", "balance", "credits for Jamie", "sell a pack to Jamie", "record payment", "packs", "new pack", "low credits"', () => {
    expect(commandOf('my credits')).toEqual({ kind: 'credits', mine: true });
    expect(commandOf('Credits')).toEqual({ kind: 'credits', mine: false });
    expect(commandOf('balance')).toEqual({ kind: 'credits', mine: false });
    expect(commandOf('credits for Jamie Lee')).toEqual({ kind: 'client-credits', client: 'Jamie Lee' });
    expect(commandOf('balance of @jamie.')).toEqual({ kind: 'client-credits', client: '@jamie' });
    expect(commandOf('sell a pack to Jamie')).toEqual({ kind: 'sell', client: 'Jamie' });
    expect(commandOf('record payment')).toEqual({ kind: 'sell', client: '' });
    expect(commandOf('record a payment from Jamie Lee')).toEqual({ kind: 'sell', client: 'Jamie Lee' });
    expect(commandOf('packs')).toEqual({ kind: 'packs' });
    expect(commandOf('new pack')).toEqual({ kind: 'new-pack' });
    expect(commandOf('low credits')).toEqual({ kind: 'low-credits' });
  });

  it('help names them, with a button for a client\'s credits and a trainer\'s sale', async () => {
    const { sam, jamie } = setUp();
    const [clientHelp] = await jamie.say('help');
    expect(clientHelp!.message.text).toContain('"my credits" to see your session packs: credits left per trainer, when they expire, and what used them,');
    expect(labels(clientHelp!.message)).toEqual(['Book a session', 'My bookings', 'My credits']);
    expect(texts(await jamie.press('My credits'))).toEqual(['You have no session packs yet.']);

    const [trainerHelp] = await sam.say('help');
    expect(trainerHelp!.message.text).toContain('"sell a pack to Jamie" (or "record payment") to record what a client paid for a pack, "credits for Jamie"');
    expect(labels(trainerHelp!.message)).toEqual(['Book a session', 'My bookings', 'Publish availability', 'Booking rules', 'Sell a pack', 'Low credits']);
    expect(texts(await sam.press('Sell a pack'))).toEqual(['Which pack did the client pay for? Pick it; a form for the payment opens.']);
  });

  it('/credits on Discord is the same text, with or without a client', () => {
    const options = (client: string | null) => ({ getString: () => client }) as unknown as Parameters<typeof creditsCommand.toText>[0];
    expect(creditsCommand.toText(options(null))).toBe('credits');
    expect(creditsCommand.toText(options(' Jamie Lee '))).toBe('credits for Jamie Lee');
    expect(commandOf(creditsCommand.toText(options('Jamie Lee')))).toEqual({ kind: 'client-credits', client: 'Jamie Lee' });
    expect(creditsCommand.definition.description.length).toBeLessThanOrEqual(100);
  });
});

describe('"my credits" (in memory)', () => {
  it('per trainer: the balance, each pack with credits left and expiry, and the last movements in words', async () => {
    const { chat, trainer, jamie, jamieUser, ten } = setUp();
    const lot = chat.credits.buy(jamieUser.userId, ten, new Date('2026-11-03T10:00:00Z'));
    chat.credits.hold(lot, 41, new Date('2026-11-24T18:00:00Z'), new Date('2026-11-20T12:00:00Z'));
    chat.credits.settle(lot, 41, 'consume', new Date('2026-11-24T19:00:00Z'));
    chat.credits.hold(lot, 42, new Date('2026-12-08T18:00:00Z'), new Date('2026-11-30T12:00:00Z'));
    const five = chat.credits.addPack(trainer.id, { name: 'Five long ones', sessions: 5, sessionMinutes: 90, priceMinor: 50_000n, validityDays: 30 });
    chat.credits.buy(jamieUser.userId, five, new Date('2026-10-01T10:00:00Z'));

    for (const said of ['my credits', 'credits', 'balance']) {
      const [answer] = await jamie.say(said);
      expect(answer!.message.text).toBe('Your session packs, per trainer:');
      expect(fieldValue(answer!.message, 'Sam Rivera')).toBe(
        [
          '8 credits left; 1 more held for booked sessions',
          '• "Ten sessions" (10 × 60 min): 8 of 10 left, until 1 Feb 2027 (1 held for a booked session)',
          '• "Five long ones" (5 × 90 min): expired on 31 Oct 2026',
        ].join('\n'),
      );
      expect(fieldValue(answer!.message, 'Last movements with Sam Rivera')).toBe(
        [
          '• Mon 30 Nov: 1 credit held (60 min session on Tue 8 Dec)',
          '• Tue 24 Nov: 1 credit used (60 min session)',
          '• Fri 20 Nov: 1 credit held (60 min session on Tue 24 Nov)',
          '• Tue 3 Nov: 10 credits bought (10 × 60 min)',
          '• Thu 1 Oct: 5 credits bought (5 × 90 min)',
        ].join('\n'),
      );
      expect(labels(answer!.message)).toEqual(['Book a session']);
    }
  });

  it('without any pack: one sentence and a way to book', async () => {
    const { jamie } = setUp();
    const [answer] = await jamie.say('my credits');
    expect(answer!.message.text).toBe('You have no session packs yet.');
    expect(labels(answer!.message)).toEqual(['Book a session']);
  });
});

describe('"credits for Jamie" (in memory)', () => {
  it('a trainer sees one client\'s balance, packs and movements with them, and can sell them a pack', async () => {
    const { chat, sam, jamieUser, ten } = setUp();
    const lot = chat.credits.buy(jamieUser.userId, ten, new Date('2026-11-03T10:00:00Z'));
    chat.credits.hold(lot, 41, new Date('2026-12-08T18:00:00Z'), new Date('2026-11-30T12:00:00Z'));
    const [view] = await sam.say('credits for jamie');
    expect(view!.message.text).toBe("Jamie Lee's packs with you:");
    expect(fieldValue(view!.message, 'Jamie Lee')).toBe('9 credits left; 1 more held for booked sessions\n• "Ten sessions" (10 × 60 min): 9 of 10 left, until 1 Feb 2027 (1 held for a booked session)');
    expect(fieldValue(view!.message, 'Last movements')).toBe('• Mon 30 Nov: 1 credit held (60 min session on Tue 8 Dec)\n• Tue 3 Nov: 10 credits bought (10 × 60 min)');
    expect(labels(view!.message)).toEqual(['Sell Jamie Lee a pack']);
  });

  it('a name that fits several clients is asked about; a name that fits none is one sentence; a client may not ask', async () => {
    const { chat, trainer, sam, jamie } = setUp();
    const fox = new ChatPerson(chat.engine(), 'slack', 'U-fox', 'Jamie Fox', 'T1');
    chat.addRequest(chat.addClient(fox.address, { fullName: 'Jamie Fox' }), trainer);
    chat.addRequest(chat.userAt(jamie.address), trainer);

    const [which] = await sam.say('credits for Jamie');
    expect(which!.message.text).toBe('More than one of your clients matches "Jamie": which one do you mean?');
    expect(labels(which!.message)).toEqual(['Jamie Fox (@jamie.fox)', 'Jamie Lee (@jamie.lee)']);
    const [view] = await sam.press('Jamie Fox (@jamie.fox)');
    expect(view!.message.text).toBe('Jamie Fox has no packs with you yet.');
    expect(labels(view!.message)).toEqual(['Sell Jamie Fox a pack']);

    // By username, with or without "@".
    expect((await sam.say('credits for @jamie.lee'))[0]!.message.text).toBe('Jamie Lee has no packs with you yet.');

    const [unknown] = await sam.say('credits for Robin');
    expect(unknown).toMatchObject({ private: true, message: { text: 'I don\'t know a client "Robin" who has booked with or paid you: write their full name or their username.' } });

    const [refused] = await jamie.say('credits for Jamie Fox');
    expect(refused).toMatchObject({ private: true, message: { text: "Only trainers sell packs, record payments and see their clients' credits." } });
  });
});

describe('selling a pack from chat (in memory)', () => {
  it('"sell a pack to Jamie": the pack, then the form with the price prefilled; the confirmation names the credits and their expiry', async () => {
    const { chat, engine, trainer, sam, jamie, jamieUser } = setUp();
    chat.addRequest(jamieUser, trainer);
    const [choose] = await sam.say('sell a pack to Jamie');
    expect(choose!.message.text).toBe('Which pack did Jamie Lee pay for? Pick it; a form for the payment opens.');
    expect(labels(choose!.message)).toEqual(['Ten sessions · €700.00']);

    const opened = await sam.press('Ten sessions · €700.00');
    const form = formOf(opened);
    expect(opened[0]!.message.text).toBe('Record the payment for "Ten sessions" (10 × 60 min) in the form: who paid, how much (the price is €700.00), how and a reference if there is one.');
    expect(form.title).toBe('Record a payment');
    expect(form.fields.map((f) => [f.id, f.initial ?? null, f.optional ?? false])).toEqual([
      ['client', 'Jamie Lee', false],
      ['pack', 'Ten sessions', false],
      ['amount', '700.00', false],
      ['method', null, false],
      ['reference', null, true],
    ]);

    const event = { type: 'form' as const, from: sam.address, formId: form.id, values: answers(form, { method: 'Cash', reference: 'receipt 17' }), submissionId: 'view-1' };
    const [recorded] = await engine.handle(event);
    expect(recorded!.message.text).toBe('Recorded: Jamie Lee paid €700.00 (cash) for 10 × 60 min, 10 credits until 1 Mar 2027.');
    expect(labels(recorded!.message)).toEqual(['Credits for Jamie Lee']);
    expect(chat.credits.payments.map((p) => p.input)).toEqual([
      expect.objectContaining({ trainerId: trainer.id, clientId: jamieUser.userId, amountMinor: 70_000n, currency: 'EUR', method: 'CASH', reference: 'receipt 17', packageTypeId: chat.credits.packs[0]!.id }),
    ]);
    expect(chat.credits.payments[0]!.input).not.toHaveProperty('priceOverride');

    // The same submission delivered again records nothing new.
    expect(texts(await engine.handle(event))).toEqual(['Already recorded: Jamie Lee paid €700.00 (cash) for 10 × 60 min, 10 credits until 1 Mar 2027.']);
    expect(chat.credits.lots).toHaveLength(1);

    // The client sees it at once.
    const [mine] = await jamie.say('my credits');
    expect(fieldValue(mine!.message, 'Sam Rivera')).toBe('10 credits left\n• "Ten sessions" (10 × 60 min): 10 of 10 left, until 1 Mar 2027');
    expect(fieldValue(mine!.message, 'Last movements with Sam Rivera')).toBe('• Tue 1 Dec: 10 credits bought (10 × 60 min)');
  });

  it('money is read by the domain, never as a float: each problem is one private sentence and nothing is recorded', async () => {
    const { chat, sam, jamieUser, trainer } = setUp();
    chat.addRequest(jamieUser, trainer);
    await sam.say('record payment');
    const form = formOf(await sam.press('Ten sessions · €700.00'));
    const problems: [Record<string, string>, string][] = [
      [{ amount: 'seven hundred' }, 'I couldn\'t read "seven hundred" as an amount: write it like 700 or 700.50.'],
      [{ amount: '-700' }, 'An amount is more than zero.'],
      [{ amount: '0' }, 'A payment is more than zero.'],
      [{ amount: '700.505' }, 'EUR has 2 decimals at most: write it like €700.50.'],
      [{ amount: '$700' }, 'That amount is in $, but this is paid in EUR: write the amount in EUR.'],
      [{ method: 'paypal' }, 'Choose how it was paid: cash, bank transfer, card at the gym or other.'],
      [{ client: '' }, "Write who paid: the client's full name or username."],
      [{ client: 'Robin' }, 'I don\'t know a client "Robin" who has booked with or paid you: write their full name or their username.'],
      [{ pack: 'Twenty' }, 'You have no pack called "Twenty" for sale: write one of "Ten sessions".'],
    ];
    for (const [changes, sentence] of problems) {
      const replies = await sam.submit(form.id, answers(form, { client: 'Jamie Lee', method: 'cash', ...changes }));
      expect(replies).toEqual([{ private: true, message: { text: sentence } }]);
    }
    expect(chat.credits.payments).toEqual([]);
  });

  it('"700,5" is €700.50, not the price: recorded only once the trainer confirms the different amount', async () => {
    const { chat, sam, jamieUser, trainer } = setUp();
    chat.addRequest(jamieUser, trainer);
    await sam.say('sell a pack');
    const form = formOf(await sam.press('Ten sessions · €700.00'));
    expect(form.fields[0]!.initial).toBe('');
    const [question] = await sam.submit(form.id, answers(form, { client: 'jamie', amount: '700,5', method: 'bank transfer' }));
    expect(question!.message.text).toBe('The pack "Ten sessions" costs €700.00, not €700.50: record the price, or confirm the different amount (a discount).');
    expect(labels(question!.message)).toEqual(['Record €700.50 (a discount)', 'Cancel']);
    expect(chat.credits.payments).toEqual([]);
    const [recorded] = await sam.press('Record €700.50 (a discount)');
    expect(recorded!.message.text).toBe('Recorded: Jamie Lee paid €700.50 (bank transfer) for 10 × 60 min, 10 credits until 1 Mar 2027.');
    expect(chat.credits.payments[0]!.input).toMatchObject({ amountMinor: 70_050n, method: 'BANK_TRANSFER', priceOverride: true });
    expect(chat.stateOf(sam.address).flow).toBeNull();
  });

  it('a discount can also be dropped, and a client name that fits several is asked about before recording', async () => {
    const { chat, sam, jamie, jamieUser, trainer } = setUp();
    const fox = new ChatPerson(chat.engine(), 'slack', 'U-fox', 'Jamie Fox', 'T1');
    const foxUser = chat.addClient(fox.address, { fullName: 'Jamie Fox' });
    chat.addRequest(jamieUser, trainer);
    chat.addRequest(foxUser, trainer);
    await sam.say('sell a pack');
    const form = formOf(await sam.press('Ten sessions · €700.00'));

    await sam.submit(form.id, answers(form, { client: 'Jamie Lee', amount: '650', method: 'cash' }));
    expect(texts(await sam.press('Cancel'))).toEqual(['OK, nothing was recorded.']);

    const [which] = await sam.submit(form.id, answers(form, { client: 'Jamie', method: 'card' }));
    expect(which!.message.text).toBe('More than one of your clients matches "Jamie": which one do you mean?');
    expect(labels(which!.message)).toEqual(['Jamie Fox (@jamie.fox)', 'Jamie Lee (@jamie.lee)', 'Cancel']);
    const [recorded] = await sam.press('Jamie Fox (@jamie.fox)');
    expect(recorded!.message.text).toBe('Recorded: Jamie Fox paid €700.00 (card at the gym) for 10 × 60 min, 10 credits until 1 Mar 2027.');
    expect(chat.credits.payments.map((p) => p.input.clientId)).toEqual([foxUser.userId]);
    expect(texts(await jamie.say('my credits'))).toEqual(['You have no session packs yet.']);
  });

  it('a trainer without packs is told to create one; a client cannot sell', async () => {
    const { chat, sam, jamie } = setUp();
    chat.credits.packs.splice(0);
    const [none] = await sam.say('sell a pack');
    expect(none!.message.text).toBe('You have no packs for sale yet: create one first (press "New pack…" or write "new pack").');
    expect(labels(none!.message)).toEqual(['New pack…']);
    expect((await jamie.say('sell a pack'))[0]).toMatchObject({ private: true });
    expect((await jamie.pressValue(ACTIONS.payPack, '1.0'))[0]).toMatchObject({ private: true, message: { text: "Only trainers sell packs, record payments and see their clients' credits." } });
  });
});

describe('a trainer\'s packs (in memory)', () => {
  it('"packs" lists them; "New pack…" opens the form; a created pack is listed; "Stop selling…" asks, then stops it', async () => {
    const { chat, trainer, sam } = setUp();
    const [list] = await sam.say('packs');
    expect(list!.message.text).toBe('Your packs for sale:');
    expect(list!.message.fields).toEqual([{ label: 'Ten sessions', value: '10 × 60 min for €700.00, valid 90 days' }]);
    expect(labels(list!.message)).toEqual(['Sell a pack', 'New pack…', 'Stop selling…: Ten sessions · €700.00']);

    const form = formOf(await sam.press('New pack…'));
    expect(form.fields.map((f) => f.id)).toEqual(['name', 'sessions', 'minutes', 'price', 'validity']);
    expect(form.fields.find((f) => f.id === 'price')!.placeholder).toBe('e.g. 700 EUR');
    const problems: [Record<string, string>, string][] = [
      [{ sessions: 'ten' }, 'I couldn\'t read "ten" as the number of sessions: write a whole number.'],
      [{ sessions: '0' }, 'The number of sessions must be from 1 to 200.'],
      [{ minutes: '600' }, 'The minutes per session must be from 15 to 480.'],
      [{ price: 'seven hundred' }, 'I couldn\'t read "seven hundred" as a price: write it like "700 EUR" or "€700".'],
      [{ price: '-5' }, 'An amount is more than zero.'],
      [{ price: '$90' }, 'Which currency is "$"? Write the price with its code, like "700 EUR" or "700 USD".'],
      [{ name: '' }, 'A pack needs a name of at most 80 characters.'],
      [{ name: 'Ten sessions' }, 'You already have a pack named "Ten sessions": choose another name.'],
    ];
    const good = { name: 'Five long ones', sessions: '5', minutes: '90', price: '450 usd', validity: '60' };
    for (const [changes, sentence] of problems) {
      expect(await sam.submit(form.id, { ...good, ...changes })).toEqual([{ private: true, message: { text: sentence } }]);
    }
    const [created] = await sam.submit(form.id, good);
    expect(created!.message.text).toBe('Created "Five long ones" (5 × 90 min): 5 × 90 min for $450.00, valid 60 days. Clients can buy it from you now.');
    expect(created!.message.fields).toEqual([
      { label: 'Ten sessions', value: '10 × 60 min for €700.00, valid 90 days' },
      { label: 'Five long ones', value: '5 × 90 min for $450.00, valid 60 days' },
    ]);

    const [ask] = await sam.press('Ten sessions · €700.00');
    expect(ask!.message.text).toBe('Stop selling "Ten sessions" (10 × 60 min) for €700.00? Clients who bought it keep their credits until they expire.');
    expect(texts(await sam.press('Keep selling it (€700.00)'))).toEqual(['OK, the pack stays on sale.']);
    await sam.press('Ten sessions · €700.00', list!.message);
    expect(texts(await sam.press('Yes, stop selling it'))).toEqual(['"Ten sessions" (10 × 60 min) is no longer sold; clients who bought it keep their credits until they expire.']);
    expect((await chat.credits.packageTypes(trainer.id)).map((p) => p.name)).toEqual(['Five long ones']);
  });
});

describe('"low credits" (in memory)', () => {
  it('clients with at most one credit left or credits expiring within 14 days, with a way to each', async () => {
    const { chat, sam, jamieUser, ten } = setUp();
    const robin = chat.addClient({ platform: 'slack', workspaceId: 'T1', externalUserId: 'U-robin', channelId: 'dm-robin', displayName: 'Robin Park' }, { fullName: 'Robin Park' });
    const kim = chat.addClient({ platform: 'slack', workspaceId: 'T1', externalUserId: 'U-kim', channelId: 'dm-kim', displayName: 'Kim Ode' }, { fullName: 'Kim Ode' });
    // Jamie: 1 of 10 left. Robin: 10 left, expiring in 10 days. Kim: 10 left, 80 days to go.
    const jamieLot = chat.credits.buy(jamieUser.userId, ten, daysFromNow(-30));
    for (let booking = 1; booking <= 9; booking++) {
      chat.credits.hold(jamieLot, booking, daysFromNow(-20 + booking), daysFromNow(-25));
      chat.credits.settle(jamieLot, booking, 'consume', daysFromNow(-20 + booking));
    }
    chat.credits.buy(robin.userId, ten, daysFromNow(-80));
    chat.credits.buy(kim.userId, ten, daysFromNow(-10));

    const [low] = await sam.say('low credits');
    expect(low!.message.text).toBe('Clients with 1 credit or fewer left, or credits expiring in the next 14 days:');
    expect(low!.message.fields).toEqual([
      { label: 'Jamie Lee', value: 'Jamie Lee has 1 credit left.' },
      { label: 'Robin Park', value: 'Robin Park has 10 credits left; 10 credits expire on 11 Dec 2026.' },
    ]);
    expect(labels(low!.message)).toEqual(['Credits for Jamie Lee', 'Credits for Robin Park', 'Sell a pack']);
    // "credits" alone is the same overview for a trainer.
    expect(texts(await sam.say('credits'))).toEqual([low!.message.text]);
  });

  it('nobody low: one sentence', async () => {
    const { sam } = setUp();
    expect(texts(await sam.say('low credits'))).toEqual(['No client of yours has 1 credit or fewer left, or credits expiring in the next 14 days.']);
  });
});

describe('the booking summary and credits (in memory)', () => {
  /** An exact 60-min session on Thursday 3 Dec at 10:00 UTC, up to the summary. */
  async function summary(chat: InMemoryChat, jamie: ChatPerson, trainerId: number): Promise<OutgoingMessage> {
    chat.addSlots(trainerId, new Date('2026-12-03T09:00:00Z'), 4);
    await jamie.say('book Sam, strength, 60 min, at the gym');
    await jamie.press('Pick an exact time');
    await jamie.press('Thu 3 Dec');
    await jamie.press('10:00');
    await jamie.press('Skip');
    return jamie.lastWithActions();
  }

  it('with a fitting credit: "uses 1 credit (4 left)"; without one and no requirement: no credit line', async () => {
    const { chat, trainer, jamie, jamieUser } = setUp();
    const five = chat.credits.addPack(trainer.id, { name: 'Five', sessions: 5, sessionMinutes: 60, priceMinor: 37_500n });
    chat.credits.buy(jamieUser.userId, five, daysFromNow(-1));
    const withCredit = await summary(chat, jamie, trainer.id);
    expect(withCredit.text).toBe('Please check your request and press Confirm to send it to the trainer.');
    expect(fieldValue(withCredit, 'Credits')).toBe('uses 1 credit (4 left)');
    expect(labels(withCredit)).toContain('Confirm');

    const { chat: other, trainer: otherTrainer, jamie: newcomer } = setUp();
    const without = await summary(other, newcomer, otherTrainer.id);
    expect(fieldValue(without, 'Credits')).toBeUndefined();
    expect(labels(without)).toContain('Confirm');
  });

  it('the trainer needs a credit to request and there is none: the packs and prices instead of Confirm, and "confirm" sends nothing', async () => {
    const { chat, trainer, jamie } = setUp();
    chat.policies.set(trainer.id, { ...DEFAULT_POLICY, creditToRequest: true });
    const blocked = await summary(chat, jamie, trainer.id);
    expect(blocked.text).toBe('You have no credit left for a 60-min session with Sam Rivera: buy a pack — 10 × 60 min for €700.00.');
    expect(labels(blocked)).not.toContain('Confirm');
    expect(labels(blocked)).toContain('My credits');
    expect(texts(await jamie.say('confirm'))).toEqual([blocked.text]);
    expect(chat.client.calls).toEqual([]);
  });

  it('the trainer needs a credit to approve: the client is told before sending, and may still send', async () => {
    const { chat, trainer, jamie } = setUp();
    chat.policies.set(trainer.id, { ...DEFAULT_POLICY, creditToApprove: true });
    const warned = await summary(chat, jamie, trainer.id);
    expect(fieldValue(warned, 'Credits')).toBe('Sam Rivera approves sessions only against a pack credit, and you have none for a 60-min session: buy a pack — 10 × 60 min for €700.00 — before Sam Rivera answers.');
    expect(labels(warned)).toContain('Confirm');
  });

  it('a request refused for want of a credit comes back to the summary with the domain\'s sentence', async () => {
    const { chat, trainer, jamie, jamieUser, ten } = setUp();
    chat.credits.buy(jamieUser.userId, ten, daysFromNow(-1));
    await summary(chat, jamie, trainer.id);
    chat.client.next.startRequest = new NoCreditError('You have no credit left for a 60-min session with Sam Rivera: buy a pack — 10 × 60 min for €700.00.', 'Jamie Lee has no credit left …', {
      clientId: jamieUser.userId,
      trainerId: trainer.id,
      durationMinutes: 60,
      starts: [],
    });
    const replies = texts(await jamie.press('Confirm'));
    expect(replies.at(-1)).toBe('You have no credit left for a 60-min session with Sam Rivera: buy a pack — 10 × 60 min for €700.00.');
    expect(chat.stateOf(jamie.address).flow).toMatchObject({ kind: 'book', submitting: false });
  });

  it('a weekly series says how many credits it uses, and with the requirement on and too few credits, how to get more', async () => {
    const { chat, trainer, jamie, jamieUser } = setUp();
    const five = chat.credits.addPack(trainer.id, { name: 'Five', sessions: 5, sessionMinutes: 60, priceMinor: 37_500n });
    chat.credits.buy(jamieUser.userId, five, daysFromNow(-1));
    await jamie.say('book Sam, strength, 60 min, online, every Tuesday 18:00 for 3 weeks');
    const [series] = await jamie.press('Skip');
    expect(series!.message.text).toBe('Please check your series and press Confirm to send it to the trainer.');
    expect(fieldValue(series!.message, 'Credits')).toBe('uses 3 credits (2 left)');

    chat.policies.set(trainer.id, { ...DEFAULT_POLICY, creditToRequest: true });
    await jamie.say('book Sam, strength, 60 min, online, every Tuesday 18:00 for 8 weeks');
    const [short] = await jamie.press('Skip');
    expect(short!.message.text).toBe(
      'These 8 sessions need 8 credits for 60-min sessions with Sam Rivera, and you have 5: buy a pack — 5 × 60 min for €375.00 or 10 × 60 min for €700.00 — or book fewer sessions.',
    );
    expect(labels(short!.message)).not.toContain('Confirm');
    // Free dates only: the 5 sessions the credits pay for can go.
    const [partly] = await jamie.press('Book free dates only');
    expect(fieldValue(partly!.message, 'Credits')).toBe('your credits cover 5 of these 8 sessions');
    expect(labels(partly!.message)).toContain('Confirm');
  });
});
