import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BookingRequest } from '../../../src/db/entities';
import { dayAhead } from '../../support/time';
import { clientOnDiscord, startDiscordHarness, trainerOnDiscord, type DiscordHarness } from './discord-harness';

let harness: DiscordHarness;

beforeAll(async () => {
  harness = await startDiscordHarness();
});
afterAll(async () => {
  await harness?.stop();
});
afterEach(() => {
  expect(harness.fake.violations).toEqual([]);
});

describe('Discord: a client withdraws a pending request (real discord.js against the fake)', () => {
  it('offers Withdraw after sending; pressing it closes the request as WITHDRAWN and says the trainer was told', async () => {
    const { name } = await trainerOnDiscord(harness, dayAhead(5));
    const client = clientOnDiscord(harness, 'Wren Withdraw');
    client.say('book');
    const trainers = await client.next(/^Which trainer would you like to book\?/);
    client.choose(trainers, new RegExp(`^${name}`));
    await client.next(/^What kind of session/);
    client.say('Strength');
    await client.next(/^How long should the session be\?/);
    client.say('next 7 days, mornings 9-12, weekends fine, 60 min, at the gym');
    const special = await client.next(/^Anything the trainer should know/);
    client.press(special, 'Skip');
    const summary = await client.next(/^Please check your request/);
    expect(summary.embeds[0]?.fields?.find((f) => f.name === 'Rules')?.value).toBe(`${name} needs 1 h notice; cancelling within 24 h counts as a late cancellation.`);
    client.press(summary, 'Confirm');
    const sent = await client.seen(/^Sent! .* request #\d+/);
    const bookingRequestId = Number(/request #(\d+)/.exec(sent.content)![1]);

    const offer = await client.seen(new RegExp(`^Changed your mind\\? You can withdraw request #${bookingRequestId}`));
    expect(harness.fake.buttonsOf(offer).map((b) => ('label' in b ? b.label : ''))).toEqual([`Withdraw #${bookingRequestId}`]);
    client.press(offer, `Withdraw #${bookingRequestId}`);
    await client.seen(new RegExp(`^Request #${bookingRequestId} withdrawn; ${name} was told\\.$`));
    await expect.poll(async () => (await harness.db.orm.em.fork().findOneOrFail(BookingRequest, bookingRequestId)).status, { timeout: 20_000 }).toBe('WITHDRAWN');
  });
});
