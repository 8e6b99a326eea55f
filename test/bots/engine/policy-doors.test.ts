import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, PolicyRefusalError, policyWording, type PolicyRefusal } from '../../../src/domain/policy';
import { HOUR_MS, MINUTE_MS } from '../../../src/domain/time';
import { ChatPerson, texts } from '../support/chat-person';
import { InMemoryChat } from './support/in-memory-chat';

// The trainer's policy at the chat door, in memory (the in-memory context gives every
// trainer DEFAULT_POLICY: 60 min notice, 24 h cutoff). Each rule a client can meet in chat
// answers with the rule's one sentence from src/domain/policy/wording.ts, and nothing is sent
// on when the door itself refuses.
const NOW = new Date('2030-06-03T08:00:00Z');

function setUp(bookingStart: Date) {
  const chat = new InMemoryChat(NOW);
  const trainer = chat.addTrainer({ name: 'Alex Morgan' });
  chat.addSlots(trainer.id, new Date('2030-06-05T09:00:00Z'), 6);
  const client = new ChatPerson(chat.engine(), 'slack', 'U-robin', 'Robin Fox', 'T1');
  const me = chat.addClient(client.address);
  const booking = chat.addBooking(me, trainer, bookingStart);
  return { chat, trainer, client, me, booking };
}

describe('the trainer policy at the chat door (in memory)', () => {
  it('after the start a client can neither cancel nor move the session (policy_started); nothing reaches the workflow', async () => {
    const { chat, client, booking } = setUp(new Date(NOW.getTime() - 10 * MINUTE_MS));
    expect(await client.say(`cancel ${booking.bookingId}`)).toEqual([{ message: { text: policyWording.started() }, private: true }]);
    expect(await client.say(`reschedule ${booking.bookingId}`)).toEqual([{ message: { text: policyWording.started() }, private: true }]);
    expect(chat.client.calls).toEqual([]);
    expect(chat.stateOf(client.address).flow).toBeNull();
  });

  it('inside the cutoff a client is warned before cancelling, and may not move it (policy_cutoff_reschedule)', async () => {
    const { chat, client, booking } = setUp(new Date(NOW.getTime() + 5 * HOUR_MS));
    expect(await client.say(`reschedule ${booking.bookingId}`)).toEqual([{ message: { text: policyWording.cutoffReschedule(DEFAULT_POLICY) }, private: true }]);
    const [asked] = await client.say(`cancel ${booking.bookingId}`);
    expect(asked!.message.text.endsWith(policyWording.lateCancelWarning(DEFAULT_POLICY))).toBe(true);
    expect(chat.client.calls).toEqual([]);
  });

  it('a reschedule the reservation refuses by policy (the client is busy then) shows its sentence, not "just taken"', async () => {
    const { chat, client, booking } = setUp(new Date('2030-06-04T10:00:00Z'));
    chat.client.next.reschedule = {
      result: 'conflict',
      message: policyWording.clientOverlap(),
      code: 'policy_client_overlap',
      booking: { bookingId: booking.bookingId, startTime: booking.startTime.toISOString(), endTime: booking.endTime.toISOString(), durationMinutes: 60, slotIds: [], totalCost: 0, status: 'CONFIRMED' },
    };
    await client.say(`reschedule ${booking.bookingId}`);
    await client.press('Wed 5 Jun');
    expect(await client.press('11:00')).toEqual([{ message: { text: `${policyWording.clientOverlap()} Booking #${booking.bookingId} stays as it was.` }, private: true }]);
    expect(chat.client.callsOf('reschedule')).toHaveLength(1);
  });

  const refusals: [string, PolicyRefusal][] = [
    ['policy_min_notice', { code: 'policy_min_notice', sentence: policyWording.minNotice({ ...DEFAULT_POLICY, minNoticeMinutes: 72 * 60 }, 'Alex Morgan'), field: 'start_time' }],
    ['policy_horizon', { code: 'policy_horizon', sentence: policyWording.horizon({ ...DEFAULT_POLICY, horizonDays: 1 }, 'Alex Morgan'), field: 'start_time' }],
    ['policy_limit_pending', { code: 'policy_limit_pending', sentence: policyWording.limitPending(DEFAULT_POLICY) }],
    ['policy_limit_upcoming', { code: 'policy_limit_upcoming', sentence: policyWording.limitUpcoming(DEFAULT_POLICY) }],
    ['policy_buffer', { code: 'policy_buffer', sentence: policyWording.buffer({ ...DEFAULT_POLICY, bufferAfterMinutes: 15 }, 'Alex Morgan'), field: 'start_time' }],
  ];
  it.each(refusals)('a request refused at the door with %s shows its one sentence at Confirm and sends nothing else', async (_code, refusal) => {
    const { chat, client } = setUp(new Date('2030-06-04T10:00:00Z'));
    await client.say('book Alex, HIIT, 60 min, online');
    await client.press('Pick an exact time');
    await client.press('Wed 5 Jun');
    await client.press('10:00');
    await client.press('Skip');
    chat.client.next.startRequest = new PolicyRefusalError(refusal);
    expect(texts(await client.press('Confirm'))).toEqual(['Sending your request to Alex Morgan…', refusal.sentence]);
    expect(chat.client.callsOf('startRequest')).toHaveLength(1);
    expect(chat.stateOf(client.address).flow).toMatchObject({ kind: 'book', submitting: false });
  });
});
