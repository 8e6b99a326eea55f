import { describe, expect, it } from 'vitest';
import { ChatPerson, texts } from '../support/chat-person';
import { InMemoryChat } from './support/in-memory-chat';

const NOW = new Date('2030-06-03T08:00:00Z');

function setUp() {
  const chat = new InMemoryChat(NOW);
  const engine = chat.engine();
  const coach = new ChatPerson(engine, 'slack', 'U-coach', 'Alex Morgan', 'T1');
  const trainer = chat.addTrainer({ name: 'Alex Morgan', timeZone: 'Europe/Berlin' }, coach.address);
  const client = new ChatPerson(engine, 'slack', 'U-client', 'Jamie Lee', 'T1');
  return { chat, trainer, coach, client };
}

describe('publishing availability in chat (in memory)', () => {
  it('shows what it will publish, and Publish asks for exactly that', async () => {
    const { chat, trainer, coach } = setUp();
    const [preview] = await coach.say('publish Mon-Fri 9-17 for the next 2 weeks');
    expect(preview!.message.text).toMatch(/^Publish \d+ slots of 60 min\?$/);
    expect(preview!.message.fields).toEqual([
      { label: 'Days', value: expect.stringMatching(/^Mon–Fri from /) as string },
      { label: 'Hours', value: '09:00–17:00 (Europe/Berlin)' },
    ]);
    expect(chat.effects).toEqual([]);
    await coach.press('Publish');
    expect(chat.effects).toEqual([{ type: 'publish-availability', trainerId: trainer.id, zone: 'Europe/Berlin', availability: expect.objectContaining({ weekdays: [1, 2, 3, 4, 5], hours: [{ dayStart: '09:00', dayEnd: '17:00' }], slotMinutes: 60 }) as unknown }]);
    expect(chat.stateOf(coach.address).flow).toBeNull();
  });

  it('asks for what is missing, and Cancel publishes nothing', async () => {
    const { chat, coach } = setUp();
    const [ask] = await coach.say('publish Tue and Thu 7-9');
    expect(ask!.message.text).toBe('For which days? Add for example "for the next 2 weeks", "next week" or "until Dec 20".');
    const [preview] = await coach.say('next week');
    // Tue and Thu of 10–16 June, 07:00–09:00: four hourly slots.
    expect(preview!.message.text).toBe('Publish 4 slots of 60 min?');
    expect(texts(await coach.press('Cancel'))).toEqual(['OK, nothing was published.']);
    expect(chat.effects).toEqual([]);
  });

  it('a client cannot publish', async () => {
    const { chat, client } = setUp();
    expect(texts(await client.say('publish Mon-Fri 9-17 for the next 2 weeks'))).toEqual(['Only trainers can publish availability.']);
    expect(chat.effects).toEqual([]);
  });
});
