import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { Booking, BookingRequest } from '../../../src/db/entities';
import { clientOnDiscord, startDiscordHarness, trainerOnDiscord, type DiscordHarness } from './discord-harness';
import { dayAhead } from '../../support/time';

let harness: DiscordHarness;

// A short approval window, so the request expires while the test watches.
beforeAll(async () => {
  harness = await startDiscordHarness({ timings: { approvalWindowMs: 4_000 } });
});
afterAll(async () => {
  await harness?.stop();
});
afterEach(() => {
  expect(harness.fake.violations).toEqual([]);
});

it('a request nobody answers expires: both are told, and the request message is closed with the bot token after the interaction tokens expired', async () => {
  const { name, person: coach } = await trainerOnDiscord(harness, dayAhead(3));
  const client = clientOnDiscord(harness, 'Rio Late');

  client.command('book', { details: 'next 7 days, mornings 9-12, 60 min, gym' });
  client.choose(await client.next(/^Which trainer would you like to book\?/), new RegExp(`^${name}`));
  await client.next(/^What kind of session/);
  client.say('Strength');
  client.press(await client.next(/^Anything the trainer should know/), 'Skip');
  client.press(await client.next(/^Please check your request/), 'Confirm');
  const bookingRequestId = Number(/request #(\d+)/.exec((await client.next(/^Sent! /)).content)![1]);
  const request = await coach.seen(new RegExp(`^New booking request #${bookingRequestId} `));
  expect(harness.fake.buttonsOf(request).length).toBeGreaterThan(1);

  // As if the trainer had let it sit for a day: every interaction token is long dead.
  harness.fake.expireInteractionTokens();

  await client.seen(new RegExp(`^Your request #${bookingRequestId} expired: ${name} did not answer within 24 hours\\.$`));
  await coach.seen(new RegExp(`^Request #${bookingRequestId} from Rio Late expired without an answer\\.$`));
  const closed = await harness.fake.waitFor('the request message closed', () => {
    const now = coach.current(request);
    return now.components?.length === 0 ? now : undefined;
  });
  expect(closed.content).toBe(`Request #${bookingRequestId} from Rio Late: expired without an answer.`);
  expect(harness.fake.message(request.id).edits.map((edit) => edit.via)).toEqual(['bot']);

  const em = harness.db.orm.em.fork();
  expect((await em.findOneOrFail(BookingRequest, bookingRequestId)).status).toBe('EXPIRED');
  expect(await em.count(Booking, { bookingRequest: bookingRequestId })).toBe(0);
});
