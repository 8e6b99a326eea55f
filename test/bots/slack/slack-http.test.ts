import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLinkCode } from '../../../src/identity/link-codes';
import { Booking, BookingRequest, ChatIdentity } from '../../../src/db/entities';
import { bookFlexibly, SlackHarness } from './slack-harness';
import { dayAhead, utcOffsetHours, workdayAhead } from '../../support/time';
import { bodyOf, buttonsOf, contextOf, fieldsOf, hasControls } from './slack-person';

let harness: SlackHarness;

beforeAll(async () => {
  harness = await SlackHarness.start({ mode: 'http' });
});
afterAll(async () => {
  await harness?.stop();
});

describe('Slack bot over HTTP (signed requests to the real Bolt receiver)', () => {
  it('a client books by chat, the trainer approves by button: one booking, the message closed, both told', async () => {
    const { fake } = harness;
    // A working day (the client allows weekends, so a Saturday would add a bonus) in the next 7 days.
    const day = workdayAhead(3);
    const { trainer, name, slots } = await harness.trainer(day, { link: false });
    // The client books in London time: their best session is 10:00-12:00 there, which is
    // 10:00 UTC in winter and 09:00 UTC in summer (then 09:00 UTC is no longer "before 9:30").
    const bestUtcHour = 10 - utcOffsetHours(day, 10, 'Europe/London');
    const clock = (hour: number) => `${String(hour).padStart(2, '0')}:00`;
    // The trainer links their Slack account with a code from an operator.
    const coach = harness.person(name);
    const code = await issueLinkCode(harness.db.orm, trainer.user.id);
    let mark = fake.mark();
    expect((await coach.say(`link ${code}`)).answer.status).toBe(200);
    expect(bodyOf(await coach.nextMessage(mark))).toBe(`Linked: this chat account now acts as ${name}.`);

    const client = harness.person('Jamie Lee', 'Europe/London');
    mark = fake.mark();
    expect((await client.say('book')).answer.status).toBe(200);
    const trainers = await client.nextMessage(mark);
    expect(bodyOf(trainers)).toBe('Which trainer would you like to book? Pick one or type a name.');
    // A first contact gets an account named after the Slack profile, in its time zone.
    const identity = await harness.db.orm.em.fork().findOneOrFail(ChatIdentity, { platform: 'slack', externalUserId: client.id }, { populate: ['user'] });
    expect(identity.user).toMatchObject({ fullName: 'Jamie Lee', role: 'CLIENT', timeZone: 'Europe/London' });
    expect(identity.directChannelId).toBe(client.dm);

    mark = fake.mark();
    await client.press(trainers, new RegExp(`^${name}`));
    expect(bodyOf(await client.nextMessage(mark))).toMatch(/^What kind of session/);
    // The pressed message keeps its text, loses its buttons and says what was chosen.
    expect(hasControls(trainers)).toBe(false);
    expect(contextOf(trainers)).toMatch(new RegExp(`✓ ${name}`));

    mark = fake.mark();
    await client.say('Strength');
    expect(bodyOf(await client.nextMessage(mark))).toMatch(/^How long/);
    mark = fake.mark();
    await client.say('next 7 days, mornings 9-12, not before 9:30, weekends fine, 2 hours');
    expect(bodyOf(await client.nextMessage(mark))).toBe('Where should it take place?');
    mark = fake.mark();
    await client.say('gym');
    expect(bodyOf(await client.nextMessage(mark))).toMatch(/^Anything the trainer should know/);
    mark = fake.mark();
    await client.say('Focus on compound movements & <deadlifts>');
    const summary = await client.nextMessage(mark);
    expect(bodyOf(summary)).toMatch(/^Please check your request/);
    expect(fieldsOf(summary)).toMatchObject({ Duration: '2 h', Session: 'Strength Training', Notes: 'Focus on compound movements & <deadlifts>' });

    await client.press(summary, 'Confirm');
    const sent = await fake.waitFor(() => /request #(\d+)/.exec(bodyOf(summary)), 'the request number on the summary');
    const bookingRequestId = Number(sent[1]);
    expect(hasControls(summary)).toBe(false);
    await client.nextMessage(0, (m) => m.text.startsWith(`Your request #${bookingRequestId} is with ${name}`));

    // The trainer's message: ranked slots with score and breakdown, Approve buttons, Reject.
    const request = await harness.requestMessageFor(coach, 'Jamie Lee');
    expect(fieldsOf(request)['Option 1']).toMatch(new RegExp(`^\\w{3} \\d+ \\w{3}, ${clock(bestUtcHour)}–${clock(bestUtcHour + 2)} \\(UTC\\) · score \\d+(\\.\\d+)? \\(date [\\d.]+, time 40, avoid 0, bonus 0\\)$`));
    expect(buttonsOf(request).at(-1)).toBe('Reject');
    const approveLabels = buttonsOf(request).filter((b) => b.startsWith('Approve'));
    expect(approveLabels.length).toBeGreaterThan(0);

    mark = fake.mark();
    const pressed = await coach.press(request, approveLabels[0]!);
    // Acknowledged at once, before the workflow Update runs.
    expect(pressed.answer).toMatchObject({ status: 200, body: '' });
    await expect.poll(() => harness.db.orm.em.fork().count(Booking, { bookingRequest: bookingRequestId }), { timeout: 30_000 }).toBe(1);
    const booking = await harness.db.orm.em.fork().findOneOrFail(Booking, { bookingRequest: bookingRequestId });
    expect(booking.trainer.id).toBe(trainer.id);
    expect(booking.startTime.toISOString()).toBe(slots[bestUtcHour - 9]!.startTime.toISOString());
    expect(await harness.db.orm.em.fork().findOneOrFail(BookingRequest, bookingRequestId)).toMatchObject({ status: 'APPROVED' });

    // The request message is edited: buttons gone, the outcome shown, the request kept.
    await fake.waitFor(() => !hasControls(request) && /approved/i.test(bodyOf(request)), 'the request message to show the approval');
    expect(fieldsOf(request).Client).toBe('Jamie Lee');
    expect(fake.callsOf('chat.update', mark).length).toBeGreaterThan(0);

    // Both sides are told.
    const confirmation = await client.nextMessage(mark, (m) => m.text.startsWith('Confirmed:'));
    expect(confirmation.text).toMatch(new RegExp(`^Confirmed: Strength Training with ${name}, .* 10:00–12:00 \\(Europe/London\\), total 160\\.00\\.$`));
    expect(buttonsOf(confirmation)).toEqual(['Reschedule', 'Cancel booking']);
    await coach.nextMessage(mark, (m) => m.text.startsWith('Booked: Strength Training with Jamie Lee'));

    // Every Web API call carried the bot token in the header, form-encoded.
    expect(fake.refused).toEqual([]);
    expect(new Set(fake.calls.map((c) => c.contentType?.split(';')[0]))).toEqual(new Set(['application/x-www-form-urlencoded']));
  });

  it("refuses another person's approval or rejection privately, and nothing changes", async () => {
    const { fake } = harness;
    const { name, person: coach } = await harness.trainer(dayAhead(5));
    const { person: otherCoach } = await harness.trainer(dayAhead(6));
    const client = harness.person('Sam Wrong');
    const bookingRequestId = await bookFlexibly(client, name);
    const request = await harness.requestMessageFor(coach, 'Sam Wrong');
    // The operator linked only the user id: the notification opened the DM itself.
    expect(fake.callsOf('conversations.open').map((c) => c.args.users)).toContain(coach.id);
    await harness.waitForStatus(bookingRequestId, 'PENDING');
    const historyBefore = (await harness.worker.bookings.state(bookingRequestId)).history.length;
    const blocksBefore = JSON.stringify(request.blocks);

    for (const intruder of [otherCoach, client]) {
      let mark = fake.mark();
      expect((await intruder.press(request, /^Approve/)).answer.status).toBe(200);
      const refusal = await intruder.nextEphemeral(mark);
      expect(refusal).toMatchObject({ text: 'Only the trainer this request is addressed to can approve or reject it.', via: 'response_url', channel: coach.dm });
      mark = fake.mark();
      await intruder.press(request, 'Reject');
      expect((await intruder.nextEphemeral(mark)).text).toBe('Only the trainer this request is addressed to can approve or reject it.');
      await harness.bot.idle();
      // No modal, no edit, nothing posted for anyone.
      expect(fake.views.filter((v) => v.seq > mark)).toEqual([]);
      expect(fake.callsOf('chat.update', mark)).toEqual([]);
      expect(fake.callsOf('chat.postMessage', mark)).toEqual([]);
    }

    const state = await harness.worker.bookings.state(bookingRequestId);
    expect(state.status).toBe('PENDING');
    expect(state.history).toHaveLength(historyBefore);
    expect(await harness.db.orm.em.fork().count(Booking, { bookingRequest: bookingRequestId })).toBe(0);
    expect(request.edits).toEqual([]);
    expect(JSON.stringify(request.blocks)).toBe(blocksBefore);
  });

  it('rejects with a reason written in a modal: a blank reason keeps the modal open, then the client is told why', async () => {
    const { fake } = harness;
    const { name, person: coach } = await harness.trainer(dayAhead(7));
    const client = harness.person('Kim Reject');
    const bookingRequestId = await bookFlexibly(client, name);
    const request = await harness.requestMessageFor(coach, 'Kim Reject');

    let mark = fake.mark();
    await coach.press(request, 'Reject');
    const modal = await coach.nextView(mark);
    expect(modal.view).toMatchObject({ type: 'modal', title: { text: 'Reject request' }, submit: { text: 'Reject' } });
    expect(modal.view.blocks).toMatchObject([{ type: 'input', block_id: 'reason', label: { text: 'Why? The client will read this.' }, element: { type: 'plain_text_input', multiline: true, max_length: 1000 } }]);
    // Opening the modal is not a decision: the request message keeps its buttons.
    expect(hasControls(request)).toBe(true);

    // Slack lets whitespace through; the engine does not, and the modal says so at the field.
    const blank = await coach.submit(modal, { reason: '   ' });
    expect(blank).toMatchObject({ status: 200, json: { response_action: 'errors', errors: { reason: 'Please give a reason; the client will see it.' } } });
    expect(modal.open).toBe(true);
    expect((await harness.worker.bookings.state(bookingRequestId)).status).toBe('PENDING');

    mark = fake.mark();
    const submitted = await coach.submit(modal, { reason: 'Travelling that week' });
    expect(submitted.status).toBe(200);
    expect(modal.open).toBe(false);
    expect(bodyOf(await coach.nextMessage(mark))).toBe('Rejected; Kim Reject has been told why.');
    await client.nextMessage(mark, (m) => m.text === `${name} declined your request #${bookingRequestId}: Travelling that week`);
    await fake.waitFor(() => !hasControls(request) && request.text === `Request #${bookingRequestId} from Kim Reject: rejected (Travelling that week).`, 'the request message to show the rejection');
    expect(await harness.db.orm.em.fork().findOneOrFail(BookingRequest, bookingRequestId)).toMatchObject({ status: 'REJECTED', rejectionReason: 'Travelling that week' });
  });

  it('answers 401 to a bad signature and to a stale timestamp, and changes nothing', async () => {
    const { fake } = harness;
    const { name, person: coach } = await harness.trainer(dayAhead(9));
    const client = harness.person('Pat Signed');
    const bookingRequestId = await bookFlexibly(client, name);
    const request = await harness.requestMessageFor(coach, 'Pat Signed');
    await harness.waitForStatus(bookingRequestId, 'PENDING');
    const stranger = harness.person('Never Seen');
    const mark = fake.mark();

    const forged = await stranger.command('', stranger.dm, { signature: `v0=${'0'.repeat(64)}` });
    expect(forged.status).toBe(401);
    // Signed correctly, but six minutes old: a replayed request.
    const sixMinutesAgo = String(Math.floor(Date.now() / 1000) - 6 * 60);
    expect((await stranger.say('book', { timestamp: sixMinutesAgo })).answer.status).toBe(401);
    const approve = coach.buttonPayload(request, /^Approve/);
    expect((await fake.deliver({ kind: 'interaction', payload: approve }, { signature: 'v0=deadbeef' })).status).toBe(401);
    expect((await fake.deliver({ kind: 'interaction', payload: approve }, { timestamp: sixMinutesAgo })).status).toBe(401);

    // Slack's one-time check of the request URL is signed too, and answered with its challenge.
    const verification = await fake.deliver({ kind: 'event', body: { token: 'unused', challenge: 'c-3po', type: 'url_verification' } });
    expect(verification).toMatchObject({ status: 200, json: { challenge: 'c-3po' } });
    expect((await fake.deliver({ kind: 'event', body: { token: 'unused', challenge: 'c-3po', type: 'url_verification' } }, { signature: 'v0=00' })).status).toBe(401);

    await harness.bot.idle();
    expect(fake.calls.filter((c) => c.seq > mark)).toEqual([]);
    expect(fake.ephemerals.filter((e) => e.seq > mark)).toEqual([]);
    expect(await harness.db.orm.em.fork().count(ChatIdentity, { platform: 'slack', externalUserId: stranger.id })).toBe(0);
    expect((await harness.worker.bookings.state(bookingRequestId)).status).toBe('PENDING');
    expect(hasControls(request)).toBe(true);
  });

  it('a redelivered event and a double click change nothing twice', async () => {
    const { fake } = harness;
    const { name, person: coach } = await harness.trainer(dayAhead(11));
    const client = harness.person('Lee Twice');

    // Slack redelivers a message event when it missed the acknowledgement.
    let mark = fake.mark();
    const first = await client.say('book');
    await client.nextMessage(mark, (m) => m.text.startsWith('Which trainer'));
    await harness.bot.idle();
    mark = fake.mark();
    const again = await fake.deliver({ kind: 'event', body: first.body }, { retry: { num: 1, reason: 'http_timeout' } });
    expect(again.status).toBe(200);
    await harness.bot.idle();
    expect(fake.calls.filter((c) => c.seq > mark)).toEqual([]);

    const bookingRequestId = await bookFlexibly(client, name);
    const request = await harness.requestMessageFor(coach, 'Lee Twice');
    // Two presses of one button before the message changed: two action_ts, one decision.
    const press = coach.buttonPayload(request, /^Approve/);
    const secondPress = coach.buttonPayload(request, /^Approve/);
    mark = fake.mark();
    const answers = await Promise.all([fake.deliver({ kind: 'interaction', payload: press }), fake.deliver({ kind: 'interaction', payload: secondPress })]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    await harness.waitForStatus(bookingRequestId, 'APPROVED');
    await client.nextMessage(mark, (m) => m.text.startsWith('Confirmed:'));
    await coach.nextMessage(mark, (m) => m.text.startsWith('Booked:'));
    await harness.bot.idle();
    expect(await harness.db.orm.em.fork().count(Booking, { bookingRequest: bookingRequestId })).toBe(1);
    // One approval; the second press was told it is already approved, on the message.
    const state = await harness.worker.bookings.state(bookingRequestId);
    expect(state.history.filter((h) => h.event === 'status APPROVED')).toHaveLength(1);
    expect(fake.botMessagesIn(client.dm, mark).filter((m) => m.text.startsWith('Confirmed:'))).toHaveLength(1);
    expect(hasControls(request)).toBe(false);
    expect(request.edits.length).toBeGreaterThanOrEqual(2);

    // The same press delivered again (same action_ts): dropped.
    mark = fake.mark();
    expect((await fake.deliver({ kind: 'interaction', payload: press })).status).toBe(200);
    await harness.bot.idle();
    expect(fake.calls.filter((c) => c.seq > mark)).toEqual([]);
    expect(fake.ephemerals.filter((e) => e.seq > mark)).toEqual([]);
    expect(await harness.db.orm.em.fork().count(Booking, { bookingRequest: bookingRequestId })).toBe(1);
  });

  it('answers /book typed in a channel in the direct conversation, and bad input with one sentence', async () => {
    const { fake } = harness;
    await harness.trainer(dayAhead(13));
    const client = harness.person('Ari Channel');

    // Gibberish as a first message: the engine's one sentence and its menu.
    let mark = fake.mark();
    await client.say('blah blah');
    const puzzled = await client.nextMessage(mark);
    expect(bodyOf(puzzled)).toBe('I didn\'t catch that; write "book" to book a session, "my bookings" to see yours, or "help".');
    expect(buttonsOf(puzzled)).toContain('Book a session');

    // A control the bot never rendered: one sentence, privately, and nothing else.
    const forged = client.actionPayload(puzzled, { type: 'button', action_id: 'drop-tables', block_id: 'actions-0', text: { type: 'plain_text', text: 'Evil' }, value: 'x' });
    mark = fake.mark();
    await fake.deliver({ kind: 'interaction', payload: forged });
    expect((await client.nextEphemeral(mark)).text).toBe('That control is no longer in use; write "help" to see what I can do.');
    expect(hasControls(puzzled)).toBe(true);

    // /book in a channel: acknowledged with an empty 200, answered in the DM, pointed to privately.
    mark = fake.mark();
    expect(await client.command('', 'CGENERAL')).toMatchObject({ status: 200, body: '' });
    expect(bodyOf(await client.nextMessage(mark))).toBe('Which trainer would you like to book? Pick one or type a name.');
    await client.nextEphemeral(mark);
    expect(fake.ephemeralsFor(client.id, mark)).toEqual([expect.objectContaining({ channel: 'CGENERAL', text: 'I have answered you in our direct messages (under Apps in the sidebar).' })]);

    // "/book help" is help.
    mark = fake.mark();
    await client.command('help');
    expect(bodyOf(await client.nextMessage(mark))).toMatch(/^Hi Ari Channel! Write "book"/);
  });
});
