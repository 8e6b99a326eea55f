import { describe, expect, it } from 'vitest';
import { REFUSALS } from '../../../src/domain/wording';
import { ChatPerson, texts } from '../support/chat-person';
import { InMemoryChat } from './support/in-memory-chat';

const NOW = new Date('2030-06-03T08:00:00Z');

function setUp() {
  const chat = new InMemoryChat(NOW);
  const engine = chat.engine();
  const coach = new ChatPerson(engine, 'slack', 'U-coach', 'Alex Morgan', 'T1');
  const trainer = chat.addTrainer({ name: 'Alex Morgan' }, coach.address);
  const rival = new ChatPerson(engine, 'slack', 'U-rival', 'Sam Stone', 'T1');
  chat.addTrainer({ name: 'Sam Stone' }, rival.address);
  const clientPerson = new ChatPerson(engine, 'discord', 'D-jamie', 'Jamie Lee', '');
  const client = chat.addClient(clientPerson.address);
  const request = chat.addRequest(client, trainer);
  return { chat, trainer, coach, rival, clientPerson, request };
}

describe('a trainer deciding in chat (in memory)', () => {
  it('Approve decides with the chosen slot, once per press', async () => {
    const { chat, trainer, coach, request } = setUp();
    const replies = texts(await coach.pressValue('approve', `${request.bookingRequestId}.77`, 'press-1'));
    expect(replies).toEqual([expect.stringMatching(/^Approved: Jamie Lee, .*\. Jamie Lee has been told\.$/) as string]);
    expect(chat.client.callsOf('decide')).toEqual([[request.bookingRequestId, { kind: 'approve', trainerId: trainer.id, slotId: 77 }, 'slack:T1:press-1']]);
  });

  it('an approval paid from a pack says what it uses; one refused for want of a credit is the workflow\'s sentence alone', async () => {
    const { chat, coach, request } = setUp();
    const booking = { bookingId: 900, startTime: '2030-06-05T10:00:00.000Z', endTime: '2030-06-05T11:00:00.000Z', durationMinutes: 60, slotIds: [77], totalCost: 80, status: 'CONFIRMED' };
    chat.client.next.decide = { result: 'approved', duplicate: false, booking: { ...booking, credit: { lotId: 4, packName: 'Ten sessions', left: 4, expiresAt: '2030-09-01T00:00:00.000Z' } } };
    expect(texts(await coach.pressValue('approve', `${request.bookingRequestId}.77`))).toEqual(['Approved: Jamie Lee, Wed 5 Jun, 10:00–11:00 (UTC) (uses 1 credit, 4 left). Jamie Lee has been told.']);
    chat.client.next.decide = { result: 'conflict', code: 'credit_none', message: 'Jamie Lee has no credit left for a 60-min session with Alex Morgan: buy a pack — 10 × 60 min for €700.00.', options: [] };
    expect(texts(await coach.pressValue('approve', `${request.bookingRequestId}.77`))).toEqual(['Jamie Lee has no credit left for a 60-min session with Alex Morgan: buy a pack — 10 × 60 min for €700.00.']);
  });

  it('Reject asks for the reason; the next message is the reason', async () => {
    const { chat, trainer, coach, request } = setUp();
    const [ask] = await coach.pressValue('reject', String(request.bookingRequestId));
    expect(ask!.message.text).toBe(`Why are you rejecting Jamie Lee's request #${request.bookingRequestId}? Write the reason; Jamie Lee will read it.`);
    expect(ask!.message.form?.id).toBe(`reject.${request.bookingRequestId}`);
    expect(texts(await coach.say('  '))).toEqual(['Please give a reason; the client will see it.']);
    expect(texts(await coach.say('Fully booked that week'))).toEqual(['Rejected; Jamie Lee has been told why.']);
    const [id, decision] = chat.client.onlyCall('decide');
    expect([id, decision]).toEqual([request.bookingRequestId, { kind: 'reject', trainerId: trainer.id, reason: 'Fully booked that week' }]);
    expect(chat.stateOf(coach.address).flow).toBeNull();
  });

  it('the reason form rejects too', async () => {
    const { chat, coach, request } = setUp();
    await coach.pressValue('reject', String(request.bookingRequestId));
    expect(texts(await coach.submit(`reject.${request.bookingRequestId}`, { reason: 'Injured this week' }))).toEqual(['Rejected; Jamie Lee has been told why.']);
    expect(chat.client.callsOf('decide')[0]![1]).toMatchObject({ kind: 'reject', reason: 'Injured this week' });
  });

  it('another trainer, or the client, is refused privately and nothing is decided', async () => {
    const { chat, rival, clientPerson, request } = setUp();
    for (const person of [rival, clientPerson]) {
      const approve = await person.pressValue('approve', `${request.bookingRequestId}.77`);
      const reject = await person.pressValue('reject', String(request.bookingRequestId));
      const form = await person.submit(`reject.${request.bookingRequestId}`, { reason: 'no' });
      for (const replies of [approve, reject, form]) {
        expect(texts(replies)).toEqual([REFUSALS.notAddressedTrainer]);
        expect(replies[0]!.private).toBe(true);
      }
    }
    expect(chat.client.calls).toEqual([]);
  });

  it('Approve on a weekly time of a series says how many sessions from when, and how many dates were skipped', async () => {
    const { chat, trainer, coach, request } = setUp();
    const session = (day: string, id: number) => ({ bookingId: id, startTime: `${day}T16:00:00.000Z`, endTime: `${day}T17:00:00.000Z`, durationMinutes: 60, slotIds: [id], totalCost: 80, status: 'CONFIRMED' });
    const booked = ['2030-06-04', '2030-06-11', '2030-06-25'].map((day, i) => session(day, 900 + i));
    chat.client.next.decide = {
      result: 'approved',
      booking: booked[0]!,
      duplicate: false,
      series: {
        seriesId: 4,
        status: 'PARTIAL',
        conflictMode: 'AVAILABLE_ONLY',
        rrule: 'DTSTART;TZID=UTC:20300604T160000\nRRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;WKST=MO;COUNT=4',
        timeZone: 'UTC',
        booked,
        skipped: [{ start: '2030-06-18T16:00:00.000Z', code: 'SlotConflict', reason: 'the trainer is not free then' }],
      },
    };
    expect(texts(await coach.pressValue('approve', `${request.bookingRequestId}.77`, 'press-9'))).toEqual(['Approved: Jamie Lee, 3 weekly sessions from Tue 4 Jun 16:00 (UTC), 1 date skipped. Jamie Lee has been told.']);
    expect(chat.client.onlyCall('decide')).toEqual([request.bookingRequestId, { kind: 'approve', trainerId: trainer.id, slotId: 77 }, 'slack:T1:press-9']);
  });
});
