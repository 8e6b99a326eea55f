import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../../../bots/core/messages';
import { RequestValidationError } from '../../../../src/requests/new-request';
import { ChatPerson, texts } from '../../support/chat-person';
import { InMemoryChat } from '../support/in-memory-chat';

// A fixed Monday morning: the dialogue reads every relative date against it.
const NOW = new Date('2030-06-03T08:00:00Z');

function setUp() {
  const chat = new InMemoryChat(NOW);
  const trainer = chat.addTrainer({ name: 'Alex Morgan', gymName: 'Iron Works' });
  // Wednesday 09:00–15:00 UTC, hourly.
  chat.addSlots(trainer.id, new Date('2030-06-05T09:00:00Z'), 6);
  const engine = chat.engine();
  const client = new ChatPerson(engine, 'discord', 'D-jamie', 'Jamie Lee', '');
  return { chat, trainer, client };
}

const fieldValue = (message: OutgoingMessage, label: string): string | undefined => message.fields?.find((f) => f.label === label)?.value;

describe('booking dialogue (in memory)', () => {
  it('free text fills the draft at once, the summary shows it, and Confirm starts one typed request', async () => {
    const { chat, trainer, client } = setUp();
    expect(texts(await client.say('hi'))[0]).toMatch(/^Hi Jamie Lee!/);
    expect(texts(await client.say('book Alex, strength, 90 min next week mornings 9-12, weekends fine, at the gym'))).toEqual(['Anything the trainer should know (goals, injuries)? Write it, or press Skip.']);

    const [summary] = await client.say('Focus on form');
    expect(summary!.message.text).toBe('Please check your request and press Confirm to send it to the trainer.');
    expect(fieldValue(summary!.message, 'Trainer')).toBe('Alex Morgan');
    expect(fieldValue(summary!.message, 'Session')).toBe('Strength Training');
    expect(fieldValue(summary!.message, 'Duration')).toBe('1 h 30 min');
    expect(fieldValue(summary!.message, 'Location')).toBe('Gym (Iron Works)');
    expect(fieldValue(summary!.message, 'When')).toMatch(/prefers 09:00–12:00; weekends fine; no evenings \(UTC\)$/);
    expect(fieldValue(summary!.message, 'Notes')).toBe('Focus on form');
    expect(chat.effects).toEqual([]);

    const sent = texts(await client.press('Confirm'));
    expect(sent).toEqual([
      'Sending your request to Alex Morgan…',
      'Sent! Alex Morgan has your request #501 and 24 hours to answer; I\'ll tell you here.',
      'Changed your mind? You can withdraw request #501 until Alex Morgan answers.',
    ]);
    expect(chat.effects.map((e) => e.type)).toEqual(['start-request']);
    const [request] = chat.client.onlyCall('startRequest');
    expect(request).toEqual({
      clientId: chat.userAt(client.address).userId,
      trainerId: trainer.id,
      sessionType: 'Strength Training',
      durationMinutes: 90,
      locationType: 'GYM',
      location: 'Iron Works',
      specialRequests: 'Focus on form',
      timeZone: 'UTC',
      preferences: { preferredStartDate: '2030-06-10', preferredEndDate: '2030-06-16', preferredTimes: ['09:00-12:00'], avoidTimes: [], allowWeekends: true, allowEvenings: false },
    });
    // The started request ends the dialogue.
    expect(chat.stateOf(client.address).flow).toBeNull();
  });

  it('buttons only: an exact slot on a day with free times, sent as a direct start', async () => {
    const { chat, client } = setUp();
    expect(texts(await client.say('book'))).toEqual(['Which trainer would you like to book? Pick one or type a name.']);
    expect(texts(await client.press(/^Alex Morgan/))[0]).toBe('What kind of session with Alex Morgan? Pick one or type your own.');
    await client.press('HIIT');
    await client.press('60 min');
    await client.press('Online');
    const [days] = await client.press('Pick an exact time');
    expect(days!.message.text).toBe('Which day? These have free times; or type a date, or pick one.');
    expect(days!.message.actions!.filter((a) => a.kind === 'button').map((a) => a.kind === 'button' && a.label)).toEqual(['Wed 5 Jun', 'Give my preferences', 'Cancel']);
    const [slots] = await client.press('Wed 5 Jun');
    expect(slots!.message.text).toBe('Free start times on Wed 5 Jun (UTC); pick one or type it, e.g. "10:00".');
    await client.press('11:00');
    await client.press('Skip');
    expect(fieldValue(client.lastWithActions(), 'Time')).toMatch(/11:00–12:00 \(UTC\)$/);
    await client.press('Confirm');
    const [request] = chat.client.onlyCall('startRequest');
    expect(request).toMatchObject({ sessionType: 'HIIT', durationMinutes: 60, locationType: 'ONLINE', location: 'Online', specialRequests: null, startTime: '2030-06-05T11:00:00.000Z' });
    expect(request).not.toHaveProperty('preferences');
  });

  it('a bare clock time, as the prompt suggests ("10:00", "11am"), picks that start on the day shown', async () => {
    for (const typed of ['11:00', '11am', 'at 11']) {
      const { chat, client } = setUp();
      await client.say('book Alex, HIIT, 60 min, online');
      await client.press('Pick an exact time');
      await client.press('Wed 5 Jun');
      await client.say(typed);
      await client.press('Skip');
      expect(fieldValue(client.lastWithActions(), 'Time')).toMatch(/11:00–12:00 \(UTC\)$/);
      await client.press('Confirm');
      expect(chat.client.onlyCall('startRequest')[0]).toMatchObject({ startTime: '2030-06-05T11:00:00.000Z' });
    }
  });

  it('a time with no free start is refused at once, without a request', async () => {
    const { chat, client } = setUp();
    await client.say('book Alex, HIIT, 60 min, online');
    await client.press('Pick an exact time');
    await client.press('Wed 5 Jun');
    expect(texts(await client.say('17:00'))).toEqual(['There is no free start at 17:00 on that day; please pick one of the free times.']);
    expect(chat.client.calls).toEqual([]);
  });

  it('a request the service refuses goes back to the step the refusal names', async () => {
    const { chat, client } = setUp();
    await client.say('book Alex, HIIT, 60 min, online');
    await client.press('Pick an exact time');
    await client.press('Wed 5 Jun');
    await client.press('10:00');
    await client.press('Skip');
    chat.client.next.startRequest = new RequestValidationError('startTime', 'The chosen time has already passed.');
    const replies = texts(await client.press('Confirm'));
    expect(replies).toEqual(['Sending your request to Alex Morgan…', 'The chosen time has already passed.']);
    const flow = chat.stateOf(client.address).flow;
    expect(flow).toMatchObject({ kind: 'book', submitting: false, draft: { day: '2030-06-05' } });
    expect(flow?.kind === 'book' && flow.draft.startTime).toBeUndefined();
  });

  it('Confirm pressed again on the old summary sends nothing twice', async () => {
    const { chat, client } = setUp();
    await client.say('book Alex, HIIT, 60 min, online, next week');
    await client.press('Skip');
    const summary = client.lastWithActions();
    await client.press('Confirm', summary);
    expect(texts(await client.press('Confirm', summary))).toEqual(['That button belongs to an earlier step; please use the latest message, or write "help".']);
    expect(chat.client.callsOf('startRequest')).toHaveLength(1);
  });

  it('text about when, with no dialogue yet, starts a booking; "cancel" drops it', async () => {
    const { chat, client } = setUp();
    expect(texts(await client.say('next week mornings'))).toEqual(['Which trainer would you like to book? Pick one or type a name.']);
    expect(chat.stateOf(client.address).flow).toMatchObject({ kind: 'book', draft: { mode: 'flexible' } });
    expect(texts(await client.say('cancel'))).toEqual(['OK, I stopped that. Write "help" to see what I can do.']);
    expect(chat.stateOf(client.address).flow).toBeNull();
  });
});
