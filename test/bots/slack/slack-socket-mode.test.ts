import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Booking, BookingRequest } from '../../../src/db/entities';
import { bookFlexibly, SLACK_TOKENS, SlackHarness } from './slack-harness';
import { dayAhead } from '../../support/time';
import { bodyOf, hasControls } from './slack-person';

let harness: SlackHarness;

beforeAll(async () => {
  harness = await SlackHarness.start({ mode: 'socket' });
});
afterAll(async () => {
  await harness?.stop();
});

describe('Slack bot over Socket Mode (no public URL)', () => {
  it('connects with the app token and runs a booking: /book, direct messages, an Approve button', async () => {
    const { fake } = harness;
    expect(fake.socketConnected).toBe(true);
    expect(harness.bot.url).toBeUndefined();
    expect(fake.callsOf('apps.connections.open').map((c) => c.token)).toEqual([SLACK_TOKENS.app]);

    const { name, person: coach, slots } = await harness.trainer(dayAhead(4));
    const client = harness.person('Sky Socket');
    const acksBefore = fake.socketAcks.length;
    const bookingRequestId = await bookFlexibly(client, name, { startWith: 'command' });
    // Six envelopes, each acknowledged: /book, the trainer button, two messages, Skip, Confirm.
    expect(fake.socketAcks.slice(acksBefore).map((ack) => typeof ack.envelope_id)).toEqual(Array(6).fill('string'));

    const request = await harness.requestMessageFor(coach, 'Sky Socket');
    const mark = fake.mark();
    await coach.press(request, /^Approve/);
    await expect.poll(() => harness.db.orm.em.fork().count(Booking, { bookingRequest: bookingRequestId }), { timeout: 30_000 }).toBe(1);
    const booking = await harness.db.orm.em.fork().findOneOrFail(Booking, { bookingRequest: bookingRequestId });
    expect(booking.startTime.toISOString()).toBe(slots[0]!.startTime.toISOString());
    await fake.waitFor(() => !hasControls(request) && /approved/i.test(bodyOf(request)), 'the request message to show the approval');
    await client.nextMessage(mark, (m) => m.text.startsWith(`Confirmed: Strength Training with ${name}`));
  });

  it('keeps a modal open with the problem over the socket, then rejects; a redelivered envelope changes nothing', async () => {
    const { fake } = harness;
    const { name, person: coach } = await harness.trainer(dayAhead(5));
    const client = harness.person('Rae Socket');
    const bookingRequestId = await bookFlexibly(client, name);
    const request = await harness.requestMessageFor(coach, 'Rae Socket');

    let mark = fake.mark();
    await coach.press(request, 'Reject');
    const modal = await coach.nextView(mark);
    const blank = await coach.submit(modal, { reason: ' ' });
    expect(blank.json).toEqual({ response_action: 'errors', errors: { reason: 'Please give a reason; the client will see it.' } });
    expect(modal.open).toBe(true);

    mark = fake.mark();
    await coach.submit(modal, { reason: 'Fully booked, sorry' });
    expect(modal.open).toBe(false);
    await client.nextMessage(mark, (m) => m.text === `${name} declined your request #${bookingRequestId}: Fully booked, sorry`);
    expect(await harness.db.orm.em.fork().findOneOrFail(BookingRequest, bookingRequestId)).toMatchObject({ status: 'REJECTED', rejectionReason: 'Fully booked, sorry' });

    // Socket Mode redelivers an envelope with retry_attempt when the ack was lost.
    mark = fake.mark();
    const said = await client.say('my bookings');
    const listed = await client.nextMessage(mark);
    await harness.bot.idle();
    const after = fake.mark();
    await fake.deliver({ kind: 'event', body: said.body }, { retry: { num: 1, reason: 'timeout' } });
    await harness.bot.idle();
    expect(fake.calls.filter((c) => c.seq > after)).toEqual([]);
    expect(bodyOf(listed)).toBe('You have no upcoming bookings or open requests. Write "book" to make one.');
  });
});
