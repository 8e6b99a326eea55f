import { describe, expect, it } from 'vitest';
import type { ChatAddress, IncomingEvent } from '../../../bots/core/events';
import { reply } from '../../../bots/core/replies';
import { ChatRuntime } from '../../../bots/runtime/chat-runtime';
import { RATE_LIMITED } from '../../../bots/runtime/texts';

const person = (externalUserId: string): ChatAddress => ({ platform: 'slack', workspaceId: 'T1', externalUserId, channelId: `D-${externalUserId}` });
const text = (from: ChatAddress): IncomingEvent => ({ type: 'text', from, text: 'help' });

describe('the chat rate limit', () => {
  it('answers one sentence past the rate per person without asking the engine, and lets them in again a minute later', async () => {
    let asked = 0;
    let now = 1_000_000;
    const runtime = new ChatRuntime({ engine: { handle: () => Promise.resolve([reply(`answer ${++asked}`)]) }, platform: 'slack', ratePerMinute: 3, clock: () => now });
    const flooder = person('U-flood');
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) answers.push(...(await runtime.engine.handle(text(flooder))).map((r) => r.message.text));
    expect(answers).toEqual(['answer 1', 'answer 2', 'answer 3', RATE_LIMITED, RATE_LIMITED]);
    expect(asked).toBe(3);
    const refused = await runtime.engine.handle(text(flooder));
    expect(refused).toEqual([{ message: { text: RATE_LIMITED }, private: true }]);

    // Someone else is not slowed down by the flood.
    expect((await runtime.engine.handle(text(person('U-other'))))[0]!.message.text).toBe('answer 4');

    now += 60_000;
    expect((await runtime.engine.handle(text(flooder)))[0]!.message.text).toBe('answer 5');
  });

  it('lets 20 messages a minute through by default', async () => {
    const runtime = new ChatRuntime({ engine: { handle: () => Promise.resolve([reply('ok')]) }, platform: 'discord', clock: () => 0 });
    const from = person('U-busy');
    const answers: string[] = [];
    for (let i = 0; i < 21; i++) answers.push((await runtime.engine.handle(text(from)))[0]!.message.text);
    expect(answers.filter((a) => a === 'ok')).toHaveLength(20);
    expect(answers.at(-1)).toBe(RATE_LIMITED);
  });
});
