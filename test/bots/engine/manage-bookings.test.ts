import { describe, expect, it } from 'vitest';
import { commandOf } from '../../../bots/engine/commands';
import { ChatPerson, texts } from '../support/chat-person';
import { InMemoryChat } from './support/in-memory-chat';

const NOW = new Date('2030-06-03T08:00:00Z');

function setUp() {
  const chat = new InMemoryChat(NOW);
  const trainer = chat.addTrainer({ name: 'Alex Morgan' });
  chat.addSlots(trainer.id, new Date('2030-06-06T09:00:00Z'), 4);
  const client = new ChatPerson(chat.engine(), 'slack', 'U-robin', 'Robin Fox', 'T1');
  const me = chat.addClient(client.address);
  const booking = chat.addBooking(me, trainer, new Date('2030-06-05T10:00:00Z'));
  return { chat, trainer, client, me, booking };
}

describe('managing bookings in chat (in memory)', () => {
  it('reads any booking number a PostgreSQL integer holds ("cancel 2147483647", "reschedule #1537411679")', () => {
    expect(commandOf('cancel 2147483647')).toEqual({ kind: 'cancel-booking', bookingId: 2_147_483_647 });
    expect(commandOf('reschedule #1537411679')).toEqual({ kind: 'reschedule', bookingId: 1_537_411_679 });
  });

  it('"my bookings" lists my bookings and open requests, with Reschedule and Cancel buttons, and Withdraw for a request', async () => {
    const { chat, trainer, client, me, booking } = setUp();
    const request = chat.addRequest(me, trainer);
    // Someone else's booking is not listed.
    chat.addBooking(chat.addClient({ ...client.address, externalUserId: 'U-other' }), trainer, new Date('2030-06-05T12:00:00Z'));
    const [list] = await client.say('my bookings');
    expect(list!.message.text).toBe('Here is what you have coming up:');
    expect(list!.message.fields).toEqual([
      { label: `Booking #${booking.bookingId}`, value: 'Strength Training with Alex Morgan, Wed 5 Jun, 10:00–11:00 (UTC)' },
      { label: `Request #${request.bookingRequestId} (waiting)`, value: expect.stringMatching(/^Strength Training with Alex Morgan, answer due / ) as string },
    ]);
    expect(list!.message.actions!.map((a) => a.kind === 'button' && a.label)).toEqual([`Reschedule #${booking.bookingId}`, `Cancel #${booking.bookingId}`, `Withdraw #${request.bookingRequestId}`]);
  });

  it('with nothing booked it offers to book', async () => {
    const chat = new InMemoryChat(NOW);
    const client = new ChatPerson(chat.engine(), 'slack', 'U-new', 'New Person', 'T1');
    expect(texts(await client.say('my bookings'))).toEqual(['You have no upcoming bookings or open requests. Write "book" to make one.']);
  });

  it('Cancel asks first; "keep" keeps it, "Yes, cancel it" cancels it as the client', async () => {
    const { chat, client, me, booking } = setUp();
    expect(texts(await client.press(`Cancel #${booking.bookingId}`, (await client.say('my bookings'))[0]!.message))).toEqual([expect.stringMatching(/^Cancel Strength Training on Wed 5 Jun, 10:00–11:00 \(UTC\)\?$/) as string]);
    expect(texts(await client.say('keep'))).toEqual(['OK, the booking stays as it is.']);
    expect(chat.client.calls).toEqual([]);

    await client.say(`cancel ${booking.bookingId}`);
    expect(texts(await client.press('Yes, cancel it'))).toEqual([`Booking #${booking.bookingId} is cancelled; both of you get a note.`]);
    const [bookingRequestId, command] = chat.client.onlyCall('cancel');
    expect(bookingRequestId).toBe(booking.bookingRequestId);
    expect(command).toEqual({ actor: { role: 'CLIENT', userId: me.userId }, reason: 'Cancelled in chat by the client' });
    expect(texts(await client.say('my bookings'))[0]).toMatch(/^You have no upcoming bookings/);
  });

  it('a booking that is not mine cannot be cancelled or moved', async () => {
    const { chat, trainer, client } = setUp();
    const other = chat.addBooking(chat.addClient({ ...client.address, externalUserId: 'U-other' }), trainer, new Date('2030-06-05T12:00:00Z'));
    const notYours = "That booking isn't one of yours, or it no longer exists.";
    expect(texts(await client.say(`cancel ${other.bookingId}`))).toEqual([notYours]);
    expect(texts(await client.say(`reschedule ${other.bookingId}`))).toEqual([notYours]);
    expect(chat.stateOf(client.address).flow).toBeNull();
  });

  it('Reschedule offers days with free times, then their starts, and moves the booking', async () => {
    const { chat, client, me, booking } = setUp();
    const [days] = await client.say(`reschedule ${booking.bookingId}`);
    expect(days!.message.text).toBe(`To which day should booking #${booking.bookingId} move? Pick one, or write a day and time like "Friday at 10".`);
    expect(days!.message.actions!.filter((a) => a.kind === 'button').map((a) => a.kind === 'button' && a.label)).toEqual(['Thu 6 Jun', 'Keep it as it is']);
    const [starts] = await client.press('Thu 6 Jun');
    expect(starts!.message.text).toBe('Free start times on Thu 6 Jun (UTC):');
    expect(texts(await client.press('11:00'))).toEqual([`Moved: booking #${booking.bookingId} is now Thu 6 Jun, 11:00–12:00 (UTC).`]);
    const [, command] = chat.client.onlyCall('reschedule');
    expect(command).toEqual({ actor: { role: 'CLIENT', userId: me.userId }, newStartTime: '2030-06-06T11:00:00.000Z' });
  });

  it('Reschedule by text: "Thursday at 10" moves it in one message', async () => {
    const { chat, client, booking } = setUp();
    await client.say(`move ${booking.bookingId}`);
    expect(texts(await client.say('Thursday at 10'))).toEqual([`Moved: booking #${booking.bookingId} is now Thu 6 Jun, 10:00–11:00 (UTC).`]);
    expect(chat.client.callsOf('reschedule')).toHaveLength(1);
  });
});

// A weekly series (issue 12): Tuesdays 18:00 in Berlin (16:00 UTC in June), four sessions from Tue 4 Jun 2030.
const RULE = 'DTSTART;TZID=Europe/Berlin:20300604T180000\nRRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;WKST=MO;COUNT=4';
const TUESDAYS = ['2030-06-04', '2030-06-11', '2030-06-18', '2030-06-25'].map((day) => new Date(`${day}T16:00:00Z`));

function seriesSetUp(now = NOW) {
  const chat = new InMemoryChat(now);
  const engine = chat.engine();
  const coach = new ChatPerson(engine, 'slack', 'U-coach', 'Alex Morgan', 'T1');
  const trainer = chat.addTrainer({ name: 'Alex Morgan', timeZone: 'Europe/Berlin' }, coach.address);
  const client = new ChatPerson(engine, 'slack', 'U-robin', 'Robin Fox', 'T1');
  const me = chat.addClient(client.address);
  const sessions = chat.addSeries(me, trainer, TUESDAYS, RULE);
  const single = chat.addBooking(me, trainer, new Date('2030-06-06T09:00:00Z'));
  return { chat, trainer, coach, client, me, sessions, single };
}

describe('managing a weekly series in chat (in memory)', () => {
  it('"my bookings" shows which bookings are part of a weekly series', async () => {
    const { client, sessions, single } = seriesSetUp();
    const [list] = await client.say('my bookings');
    expect(list!.message.fields!.slice(0, 3)).toEqual([
      { label: `Booking #${sessions[0]!.bookingId}`, value: 'Strength Training with Alex Morgan, Tue 4 Jun, 18:00–19:00 (Europe/Berlin) · part of a weekly series (Tuesdays at 18:00)' },
      { label: `Booking #${single.bookingId}`, value: 'Strength Training with Alex Morgan, Thu 6 Jun, 11:00–12:00 (Europe/Berlin)' },
      { label: `Booking #${sessions[1]!.bookingId}`, value: 'Strength Training with Alex Morgan, Tue 11 Jun, 18:00–19:00 (Europe/Berlin) · part of a weekly series (Tuesdays at 18:00)' },
    ]);
  });

  it('Cancel on a session of a series offers this session or this and all following; "This session" cancels it through its own workflow', async () => {
    const { chat, client, me, sessions } = seriesSetUp();
    const second = sessions[1]!;
    const [ask] = await client.say(`cancel ${second.bookingId}`);
    expect(ask!.message.text).toBe(
      'Cancel Strength Training on Tue 11 Jun, 18:00–19:00 (Europe/Berlin)? It is part of a weekly series (Tuesdays at 18:00) and 2 more sessions follow: cancel only this session, or this and all following.',
    );
    expect(ask!.message.actions!.map((a) => a.kind === 'button' && a.label)).toEqual(['This session', 'This and all following (3)', 'Keep it']);
    expect(texts(await client.press('This session'))).toEqual([`Booking #${second.bookingId} is cancelled; both of you get a note.`]);
    const [target, command, key] = chat.client.onlyCall('cancel');
    expect(target).toEqual({ bookingRequestId: second.bookingRequestId, bookingId: second.bookingId, seriesId: second.seriesId });
    expect(command).toEqual({ actor: { role: 'CLIENT', userId: me.userId }, reason: 'Cancelled in chat by the client' });
    expect(key).toMatch(/^slack:cancel:/);
    expect(chat.client.callsOf('cancelSeries')).toEqual([]);
    expect(sessions.map((s) => chat.bookings.find((b) => b.bookingId === s.bookingId)!.status)).toEqual(['CONFIRMED', 'CANCELLED', 'CONFIRMED', 'CONFIRMED']);
  });

  it('"This and all following" cancels the session and every later one in one step, and says how many from when', async () => {
    const { chat, coach, trainer, sessions } = seriesSetUp();
    const second = sessions[1]!;
    await coach.say(`cancel ${second.bookingId}`);
    expect(texts(await coach.press('This and all following (3)'))).toEqual(['3 sessions cancelled from Tue 11 Jun; both of you get a note.']);
    const [bookingRequestId, command, key] = chat.client.onlyCall('cancelSeries');
    expect(bookingRequestId).toBe(second.bookingRequestId);
    expect(command).toEqual({ actor: { role: 'TRAINER', trainerId: trainer.id }, fromBookingId: second.bookingId, reason: 'Cancelled in chat by the trainer' });
    expect(key).toMatch(/^slack:cancel-series:/);
    expect(chat.client.callsOf('cancel')).toEqual([]);
    const [list] = await coach.say('my bookings');
    expect(list!.message.fields!.map((f) => f.label)).toEqual([`Booking #${sessions[0]!.bookingId}`, expect.stringMatching(/^Booking #/) as string]);
  });

  it('by text: "all following" or "this session", "keep" keeps it, anything else asks again', async () => {
    const { chat, client, sessions } = seriesSetUp();
    await client.say(`cancel ${sessions[2]!.bookingId}`);
    expect(texts(await client.say('yes'))).toEqual(['Please answer "this session", "all following", or "keep" to keep the booking.']);
    expect(texts(await client.say('keep'))).toEqual(['OK, the booking stays as it is.']);
    await client.say(`cancel ${sessions[2]!.bookingId}`);
    expect(texts(await client.say('All following!'))).toEqual(['2 sessions cancelled from Tue 18 Jun; both of you get a note.']);
    await client.say(`cancel ${sessions[0]!.bookingId}`);
    expect(texts(await client.say('only this one'))).toEqual([`Booking #${sessions[0]!.bookingId} is cancelled; both of you get a note.`]);
    expect(chat.client.callsOf('cancelSeries').map(([, command]) => command.fromBookingId)).toEqual([sessions[2]!.bookingId]);
    expect(chat.client.callsOf('cancel').map(([target]) => target)).toEqual([{ bookingRequestId: sessions[0]!.bookingRequestId, bookingId: sessions[0]!.bookingId, seriesId: sessions[0]!.seriesId }]);
  });

  it('a client inside the cutoff is warned first, and told which sessions count as late cancellations', async () => {
    // Eight hours before the first session: inside the default 24 h cutoff.
    const { chat, client, sessions } = seriesSetUp(new Date('2030-06-04T08:00:00Z'));
    const first = sessions[0]!;
    const [ask] = await client.say(`cancel ${first.bookingId}`);
    expect(ask!.message.text).toMatch(/cancel only this session, or this and all following\. Cancelling now counts as a late cancellation: the session starts in less than 24 h\.$/);
    const summary = (b: (typeof sessions)[number], status: string) => ({ bookingId: b.bookingId, startTime: b.startTime.toISOString(), endTime: b.endTime.toISOString(), durationMinutes: 60, slotIds: [], totalCost: 0, status });
    chat.client.next.cancelSeries = {
      result: 'done',
      series: { seriesId: first.seriesId!, status: 'CANCELLED', conflictMode: 'ALL_OR_NOTHING', rrule: RULE, timeZone: 'Europe/Berlin', booked: [], skipped: [] },
      cancelled: [summary(first, 'LATE_CANCELLED'), ...sessions.slice(1).map((b) => summary(b, 'CANCELLED'))],
      duplicate: false,
    };
    expect(texts(await client.press('This and all following (4)'))).toEqual(['4 sessions cancelled from Tue 4 Jun; 1 of them counts as a late cancellation. Both of you get a note.']);
  });

  it('a refusal or a conflict from the workflow is its one sentence', async () => {
    const { chat, client, sessions } = seriesSetUp();
    await client.say(`cancel ${sessions[1]!.bookingId}`);
    chat.client.next.cancelSeries = { result: 'conflict', message: 'This series is already cancelled from Tue 11 Jun.' };
    expect(texts(await client.press('This and all following (3)'))).toEqual(['This series is already cancelled from Tue 11 Jun.']);
  });

  it('a booking outside a series keeps its single Cancel', async () => {
    const { chat, client, single } = seriesSetUp();
    const [ask] = await client.say(`cancel ${single.bookingId}`);
    expect(ask!.message.actions!.map((a) => a.kind === 'button' && a.label)).toEqual(['Yes, cancel it', 'Keep it']);
    expect(texts(await client.press('Yes, cancel it'))).toEqual([`Booking #${single.bookingId} is cancelled; both of you get a note.`]);
    expect(chat.client.onlyCall('cancel')[0]).toBe(single.bookingRequestId);
  });

  it('Reschedule moves one session of a series through its own workflow', async () => {
    const { chat, trainer, client, sessions } = seriesSetUp();
    chat.addSlots(trainer.id, new Date('2030-06-06T16:00:00Z'), 2);
    await client.say(`reschedule ${sessions[1]!.bookingId}`);
    expect(texts(await client.say('Thursday at 18'))).toEqual([`Moved: booking #${sessions[1]!.bookingId} is now Thu 6 Jun, 18:00–19:00 (Europe/Berlin).`]);
    const [target, command] = chat.client.onlyCall('reschedule');
    expect(target).toEqual({ bookingRequestId: sessions[1]!.bookingRequestId, bookingId: sessions[1]!.bookingId, seriesId: sessions[1]!.seriesId });
    expect(command.newStartTime).toBe('2030-06-06T16:00:00.000Z');
  });

  it("the trainer records how one session of a series went through that session's workflow", async () => {
    const { chat, trainer, coach, sessions } = seriesSetUp();
    const first = sessions[0]!;
    await coach.pressValue('outcome', `${first.bookingRequestId}.C.${first.bookingId}`);
    expect(chat.client.onlyCall('recordOutcome')).toEqual([{ bookingRequestId: first.bookingRequestId, bookingId: first.bookingId, seriesId: first.seriesId }, { trainerId: trainer.id, outcome: 'COMPLETED' }]);
    // A booking of another request cannot be named in the button.
    const other = chat.addBooking(chat.userAt(coach.address), trainer, new Date('2030-06-07T09:00:00Z'));
    expect(texts(await coach.pressValue('outcome', `${first.bookingRequestId}.N.${other.bookingId}`))).toEqual(['Only the trainer of this booking can record how it went.']);
    expect(chat.client.callsOf('recordOutcome')).toHaveLength(1);
  });
});
