import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformAdapters } from '../../../bots/core/adapter';
import type { FormRequest, OutgoingMessage } from '../../../bots/core/messages';
import type { Reply } from '../../../bots/core/replies';
import { createChatEngine, type ChatEngine } from '../../../bots/engine/chat-engine';
import { linkChatIdentity } from '../../../bots/identity/link-identity';
import { ChatNotifier } from '../../../bots/notifications/chat-notifier';
import type { CreditNotice } from '../../../src/notifications/notification';
import { startBookingStack, type BookingStack } from '../../support/booking-stack';
import { createClient, createTrainerWithSlots } from '../../support/fixtures';
import { atDate, dayAhead } from '../../support/time';
import { formatDay as formatDayButton } from '../../../bots/core/format';
import { formatDay, formatShortDay } from '../../../src/domain/credits/wording';
import { DAY_MS } from '../../../src/domain/time';
import { ChatPerson, texts } from '../support/chat-person';
import { RecordingPlatform } from '../support/recording-platform';

const slack = new RecordingPlatform('slack');
let stack: BookingStack<ChatNotifier>;
let engine: ChatEngine;
beforeAll(async () => {
  const adapters = new PlatformAdapters();
  adapters.register(slack);
  // The services keep the real clock; the days below are counted from it (test/support/time.ts).
  stack = await startBookingStack({ notifier: (db) => new ChatNotifier(db.orm, adapters) });
  engine = createChatEngine({ orm: stack.orm, bookings: stack.bookings });
});
afterAll(async () => stack?.stop());

const fieldValue = (message: OutgoingMessage, label: string): string | undefined => message.fields?.find((f) => f.label === label)?.value;
const formOf = (replies: readonly Reply[]): FormRequest => {
  const form = replies.find((r) => r.message.form)?.message.form;
  if (!form) throw new Error(`no form in ${JSON.stringify(texts(replies))}`);
  return form;
};
const answers = (form: FormRequest, changes: Record<string, string>): Record<string, string> => Object.fromEntries(form.fields.map((f) => [f.id, changes[f.id] ?? f.initial ?? '']));

/** A chat-ready UTC trainer (slots 09:00–13:00 UTC on `day`) linked to a Slack account, and a client with a Slack account. */
async function people(day: string) {
  const em = stack.orm.em.fork();
  const { trainer, name } = await createTrainerWithSlots(em, day, 4);
  const sam = new ChatPerson(engine, 'slack', `U-trainer-${trainer.id}`, name, 'T1');
  await linkChatIdentity(stack.orm, sam.address, trainer.user.id);
  const client = await createClient(em);
  const jamie = new ChatPerson(engine, 'slack', `U-client-${client.id}`, client.fullName, 'T1');
  await linkChatIdentity(stack.orm, jamie.address, client.id);
  return { trainer, name, sam, client, jamie };
}

describe('credits in chat over the real ledger and workflows', () => {
  it('a trainer creates a pack and records a client\'s payment from chat; the pack\'s workflow tells the client; "my credits" and the booking summary show it', async () => {
    const day = dayAhead(3);
    const { trainer, name, sam, client, jamie } = await people(day);

    // The trainer's first pack, through the form.
    const packForm = formOf(await sam.press('New pack…', (await sam.say('packs'))[0]!.message));
    const [created] = await sam.submit(packForm.id, { name: 'Ten sessions', sessions: '10', minutes: '60', price: '€700', validity: '90' });
    expect(created!.message.text).toBe('Created "Ten sessions" (10 × 60 min): 10 × 60 min for €700.00, valid 90 days. Clients can buy it from you now.');

    // A client who never booked with this trainer is found by their exact username.
    const [choose] = await sam.say(`sell a pack to ${client.username}`);
    expect(choose!.message.text).toBe(`Which pack did ${client.fullName} pay for? Pick it; a form for the payment opens.`);
    const form = formOf(await sam.press('Ten sessions · €700.00'));
    expect(answers(form, {})).toEqual({ client: client.fullName, pack: 'Ten sessions', amount: '700.00', method: '', reference: '' });
    const submission = { type: 'form' as const, from: sam.address, formId: form.id, values: answers(form, { method: 'cash' }), submissionId: `V-credits-${client.id}` };
    const recorded = texts(await engine.handle(submission));
    const [lot] = await stack.orm.em.fork().execute<{ id: number; purchased_at: Date; expires_at: Date; available: number }[]>(
      'select id, purchased_at, expires_at, available from credit_lot where client_id = ? and trainer_id = ?',
      [client.id, trainer.id],
    );
    const until = formatDay(new Date(lot!.expires_at));
    expect(recorded).toEqual([`Recorded: ${client.fullName} paid €700.00 (cash) for 10 × 60 min, 10 credits until ${until}.`]);
    expect(new Date(lot!.expires_at).getTime() - new Date(lot!.purchased_at).getTime()).toBe(90 * DAY_MS);
    // Delivered again (a retried submission): recorded once, its workflow started once.
    expect(texts(await engine.handle(submission))).toEqual([`Already recorded: ${client.fullName} paid €700.00 (cash) for 10 × 60 min, 10 credits until ${until}.`]);
    const [payments] = await stack.orm.em.fork().execute<{ count: number }[]>('select count(*)::int as count from payment where client_id = ? and trainer_id = ?', [client.id, trainer.id]);
    expect(payments!.count).toBe(1);

    // The pack's workflow tells the client in chat, with the pack and a way to book.
    const ready = await slack.waitFor(jamie.externalUserId, (message) => message.fields?.some((f) => f.label === 'Pack') ?? false);
    expect(ready.message.text).toBe(`Your pack "Ten sessions" with ${name} is ready: 10 × 60 min until ${until}.`);
    expect(fieldValue(ready.message, 'Valid until')).toBe(until);
    expect(ready.message.actions?.map((a) => a.kind === 'button' && a.label)).toEqual(['Book a session', 'My credits']);

    // The client sees the pack, its credits and expiry, and the purchase.
    const [mine] = await jamie.say('my credits');
    expect(mine!.message.text).toBe('Your session packs, per trainer:');
    expect(fieldValue(mine!.message, name)).toBe(`10 credits left\n• "Ten sessions" (10 × 60 min): 10 of 10 left, until ${until}`);
    expect(fieldValue(mine!.message, `Last movements with ${name}`)).toBe(`• ${formatShortDay(new Date(lot!.purchased_at))}: 10 credits bought (10 × 60 min)`);

    // The client is now one of the trainer's: by name.
    const [view] = await sam.say(`credits for ${client.fullName}`);
    expect(view!.message.text).toBe(`${client.fullName}'s packs with you:`);

    // Booking with that trainer: the summary says what it uses.
    await jamie.say('book');
    await jamie.press(new RegExp(`^${name}`));
    await jamie.press('Strength Training');
    await jamie.press('60 min');
    await jamie.press('Online');
    await jamie.press('Pick an exact time');
    await jamie.press(formatDayButton(day));
    await jamie.press('10:00');
    const [summary] = await jamie.press('Skip');
    expect(summary!.message.text).toBe('Please check your request and press Confirm to send it to the trainer.');
    expect(fieldValue(summary!.message, 'Credits')).toBe('uses 1 credit (9 left)');
  });

  it('ChatNotifier delivers a credit notice to each side once, however often it is retried', async () => {
    const { trainer, sam, client, jamie } = await people(dayAhead(4));
    const notifier = stack.notifier;
    const notice: CreditNotice = {
      key: `credits.low:lot-1:${client.id}`,
      kind: 'credits.low',
      audience: ['client', 'trainer'],
      clientId: client.id,
      trainerId: trainer.id,
      text: 'the ledger sentence',
      lotId: 1,
      packName: 'Ten sessions',
      available: 1,
      totalLeft: 1,
      expiresAt: atDate(dayAhead(60), 8).toISOString(),
    };
    await notifier.notifyCredits(notice);
    await notifier.notifyCredits(notice);
    expect(slack.to(jamie.externalUserId).map((p) => p.message.text)).toEqual(['the ledger sentence']);
    expect(slack.to(sam.externalUserId).map((p) => p.message.text)).toEqual(['the ledger sentence']);
    expect(slack.to(sam.externalUserId)[0]!.message.actions?.map((a) => a.kind === 'button' && a.label)).toEqual([`Sell ${client.fullName} a pack`, `Credits for ${client.fullName}`]);
  });
});
