import { describe, expect, it } from 'vitest';
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
