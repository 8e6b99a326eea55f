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
import { ChatPerson, texts } from '../support/chat-person';
import { RecordingPlatform } from '../support/recording-platform';

// A fixed Monday morning: the engine and the ledger read every date against it, whatever the day the test runs.
const NOW = new Date('2030-03-04T08:00:00Z');

let stack: BookingStack;
let engine: ChatEngine;
beforeAll(async () => {
  stack = await startBookingStack();
  engine = createChatEngine({ orm: stack.orm, bookings: stack.bookings, now: () => NOW });
});
afterAll(async () => stack?.stop());

const fieldValue = (message: OutgoingMessage, label: string): string | undefined => message.fields?.find((f) => f.label === label)?.value;
const formOf = (replies: readonly Reply[]): FormRequest => {
  const form = replies.find((r) => r.message.form)?.message.form;
  if (!form) throw new Error(`no form in ${JSON.stringify(texts(replies))}`);
  return form;
};
const answers = (form: FormRequest, changes: Record<string, string>): Record<string, string> => Object.fromEntries(form.fields.map((f) => [f.id, changes[f.id] ?? f.initial ?? '']));

/** A chat-ready trainer (slots on Wed 6 Mar 2030, 09:00–13:00 UTC) linked to a Slack account, and a client with a Slack account. */
async function people() {
  const em = stack.orm.em.fork();
  const { trainer, name } = await createTrainerWithSlots(em, '2030-03-06', 4);
  const sam = new ChatPerson(engine, 'slack', `U-trainer-${trainer.id}`, name, 'T1');
  await linkChatIdentity(stack.orm, sam.address, trainer.user.id);
  const client = await createClient(em);
  const jamie = new ChatPerson(engine, 'slack', `U-client-${client.id}`, client.fullName, 'T1');
  await linkChatIdentity(stack.orm, jamie.address, client.id);
  return { trainer, name, sam, client, jamie };
}

describe('credits in chat over the real ledger', () => {
  it('a trainer creates a pack and records a client\'s payment from chat; the client\'s "my credits" and booking summary show it', async () => {
    const { trainer, name, sam, client, jamie } = await people();

    // The trainer's first pack, through the form.
    const packForm = formOf(await sam.press('New pack…', (await sam.say('packs'))[0]!.message));
    const [created] = await sam.submit(packForm.id, { name: 'Ten sessions', sessions: '10', minutes: '60', price: '€700', validity: '90' });
    expect(created!.message.text).toBe('Created "Ten sessions" (10 × 60 min): 10 × 60 min for €700.00, valid 90 days. Clients can buy it from you now.');

    // A client who never booked with this trainer is found by their exact username.
    const [choose] = await sam.say(`sell a pack to ${client.username}`);
    expect(choose!.message.text).toBe(`Which pack did ${client.fullName} pay for? Pick it; a form for the payment opens.`);
    const form = formOf(await sam.press('Ten sessions · €700.00'));
    expect(answers(form, {})).toEqual({ client: client.fullName, pack: 'Ten sessions', amount: '700.00', method: '', reference: '' });
    const submission = { type: 'form' as const, from: sam.address, formId: form.id, values: answers(form, { method: 'cash' }), submissionId: 'V-credits-1' };
    expect(texts(await engine.handle(submission))).toEqual([`Recorded: ${client.fullName} paid €700.00 (cash) for 10 × 60 min, 10 credits until 2 Jun 2030.`]);
    // Delivered again (a retried submission): recorded once.
    expect(texts(await engine.handle(submission))).toEqual([`Already recorded: ${client.fullName} paid €700.00 (cash) for 10 × 60 min, 10 credits until 2 Jun 2030.`]);
    const [payments] = await stack.orm.em.fork().execute<{ count: number }[]>('select count(*)::int as count from payment where client_id = ? and trainer_id = ?', [client.id, trainer.id]);
    expect(payments!.count).toBe(1);

    // The client sees the pack, its credits and expiry, and the purchase.
    const [mine] = await jamie.say('my credits');
    expect(mine!.message.text).toBe('Your session packs, per trainer:');
    expect(fieldValue(mine!.message, name)).toBe('10 credits left\n• "Ten sessions" (10 × 60 min): 10 of 10 left, until 2 Jun 2030');
    expect(fieldValue(mine!.message, `Last movements with ${name}`)).toBe('• Mon 4 Mar: 10 credits bought (10 × 60 min)');

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
    await jamie.press('Wed 6 Mar');
    await jamie.press('10:00');
    const [summary] = await jamie.press('Skip');
    expect(summary!.message.text).toBe('Please check your request and press Confirm to send it to the trainer.');
    expect(fieldValue(summary!.message, 'Credits')).toBe('uses 1 credit (9 left)');
  });

  it('ChatNotifier delivers a credit notice to each side once, however often it is retried', async () => {
    const { trainer, sam, client, jamie } = await people();
    const slack = new RecordingPlatform('slack');
    const adapters = new PlatformAdapters();
    adapters.register(slack);
    const notifier = new ChatNotifier(stack.orm, adapters);
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
      expiresAt: '2030-06-02T08:00:00.000Z',
    };
    await notifier.notifyCredits(notice);
    await notifier.notifyCredits(notice);
    expect(slack.to(jamie.externalUserId).map((p) => p.message.text)).toEqual(['the ledger sentence']);
    expect(slack.to(sam.externalUserId).map((p) => p.message.text)).toEqual(['the ledger sentence']);
    expect(slack.to(sam.externalUserId)[0]!.message.actions?.map((a) => a.kind === 'button' && a.label)).toEqual([`Sell ${client.fullName} a pack`, `Credits for ${client.fullName}`]);
  });
});
