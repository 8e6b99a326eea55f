import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkChatIdentity } from '../../../bots/identity/link-identity';
import { Booking, User } from '../../../src/db/entities';
import { createSlots, createTrainer } from '../../support/fixtures';
import { ChatPerson, texts } from '../support/chat-person';
import { RecordingPlatform } from '../support/recording-platform';
import { bookFlexibly, SlackHarness } from './slack-harness';
import { atDate, dayAhead } from '../../support/time';
import { bodyOf, hasControls } from './slack-person';

let harness: SlackHarness;
// Discord at its boundary: what the bot posts there is recorded; people press through the engine.
const discord = new RecordingPlatform('discord');

beforeAll(async () => {
  harness = await SlackHarness.start({ mode: 'http' });
  harness.adapters.register(discord);
});
afterAll(async () => {
  await harness?.stop();
});

describe('Slack and another platform: identities per platform, one booking', () => {
  it('a client on Discord books, the trainer approves on Slack', async () => {
    const { name, person: coach } = await harness.trainer(dayAhead(3));
    const client = new ChatPerson(harness.engine, 'discord', 'D-client-1', 'Dee Discord', 'G1');
    await client.say('book');
    await client.press(new RegExp(`^${name}`));
    await client.say('Strength');
    await client.say('next 7 days, mornings 9-12, weekends fine, 60 min, at the gym');
    await client.press('Skip');
    const sent = texts(await client.press('Confirm'));
    const bookingRequestId = Number(/request #(\d+)/.exec(sent.join(' '))![1]);

    const request = await harness.requestMessageFor(coach, 'Dee Discord');
    await coach.press(request, /^Approve/);
    await discord.waitFor(client.externalUserId, (m) => m.text.startsWith(`Confirmed: Strength Training with ${name}`));
    await harness.fake.waitFor(() => !hasControls(request) && /approved/i.test(bodyOf(request)), 'the Slack request message to show the approval');
    expect(await harness.db.orm.em.fork().count(Booking, { bookingRequest: bookingRequestId })).toBe(1);
  });

  it('a client on Slack books, the trainer approves on Discord', async () => {
    const em = harness.db.orm.em.fork();
    const trainer = await createTrainer(em, { pricePerHour: 50 });
    trainer.trainingTypes = ['Strength Training'];
    await em.flush();
    await createSlots(em, trainer, atDate(dayAhead(4), 9), 4);
    const trainerName = (await em.findOneOrFail(User, trainer.user.id)).fullName;
    const coach = new ChatPerson(harness.engine, 'discord', 'D-trainer-1', trainerName, 'G1');
    await linkChatIdentity(harness.db.orm, coach.address, trainer.user.id);

    const client = harness.person('Sol Slack');
    const bookingRequestId = await bookFlexibly(client, trainerName);
    const request = await discord.waitFor(coach.externalUserId, (m) => m.text.includes('from Sol Slack') && (m.actions ?? []).length > 0);
    const mark = harness.fake.mark();
    expect(texts(await coach.press(/^Approve/, request.message))[0]).toMatch(/^Approved: Sol Slack, /);
    await client.nextMessage(mark, (m) => m.text.startsWith(`Confirmed: Strength Training with ${trainerName}`));
    expect(await harness.db.orm.em.fork().count(Booking, { bookingRequest: bookingRequestId })).toBe(1);
  });
});
