import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Booking, BookingRequest } from '../../../src/db/entities';
import type { FakeMessage } from './fake-slack';
import { bookFlexibly, SlackHarness } from './slack-harness';
import { dayAhead } from '../../support/time';
import { bodyOf, hasControls } from './slack-person';

let harness: SlackHarness;

// The trainer has two seconds instead of 24 hours to answer.
beforeAll(async () => {
  harness = await SlackHarness.start({ mode: 'http', timings: { approvalWindowMs: 2_000 } });
});
afterAll(async () => {
  await harness?.stop();
});

/** The message as it was first posted, whatever edits came since. */
const asPosted = (message: FakeMessage): FakeMessage => {
  const first = message.edits[0];
  return first ? { ...message, text: first.text, blocks: first.blocks, edits: [] } : { ...message, edits: [] };
};

describe('Slack bot: a request nobody answers', () => {
  it('expires: both sides are told, the buttons go, and a late press changes nothing', async () => {
    const { fake } = harness;
    const { name, person: coach } = await harness.trainer(dayAhead(3));
    const client = harness.person('Eve Expiry');
    const bookingRequestId = await bookFlexibly(client, name);
    const request = await coach.nextMessage(0, (m) => asPosted(m).text.startsWith(`New booking request #${bookingRequestId}`), 'the request message');
    const stale = asPosted(request);

    await harness.waitForStatus(bookingRequestId, 'EXPIRED');
    await client.nextMessage(0, (m) => m.text === `Your request #${bookingRequestId} expired: ${name} did not answer within 24 hours.`);
    await coach.nextMessage(0, (m) => m.text === `Request #${bookingRequestId} from Eve Expiry expired without an answer.`);
    await fake.waitFor(() => !hasControls(request) && bodyOf(request) === `Request #${bookingRequestId} from Eve Expiry: expired without an answer.`, 'the request message to show the expiry');
    expect(await harness.db.orm.em.fork().findOneOrFail(BookingRequest, bookingRequestId)).toMatchObject({ status: 'EXPIRED' });

    // The trainer's Slack had not refreshed: Approve pressed on the message as it was.
    const editsBefore = request.edits.length;
    const mark = fake.mark();
    await coach.press(stale, /^Approve/);
    expect((await coach.nextEphemeral(mark)).text).toBe('This request is already expired.');
    await harness.bot.idle();
    expect(request.edits).toHaveLength(editsBefore);
    expect(await harness.db.orm.em.fork().count(Booking, { bookingRequest: bookingRequestId })).toBe(0);
  });
});
