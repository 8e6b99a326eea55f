import { describe, expect, it } from 'vitest';
import type { IncomingEvent } from '../../../bots/core/events';
import { reply, type Reply } from '../../../bots/core/replies';
import type { ChatEngine } from '../../../bots/engine/chat-engine';
import { ChatRuntime } from '../../../bots/runtime/chat-runtime';
import { RecentDeliveries } from '../../../bots/runtime/recent-deliveries';
import { APOLOGY } from '../../../bots/runtime/texts';

const event: IncomingEvent = { type: 'text', from: { platform: 'terminal', workspaceId: 'local', externalUserId: 'client', channelId: 'client' }, text: 'help' };
const engineAnswering = (answer: () => Promise<Reply[]>): ChatEngine => ({ handle: () => answer() });

describe('the chat runtime', () => {
  it('handles a delivery once: a redelivery with the same id is dropped', async () => {
    const runtime = new ChatRuntime({ engine: engineAnswering(() => Promise.resolve([])), platform: 'slack' });
    const handled: string[] = [];
    const delivery = (id: string) => ({ kind: 'direct message', id, apologise: () => Promise.resolve() });
    const record = (what: string) => () => Promise.resolve(void handled.push(what));
    await runtime.process(delivery('event:1'), record('first'));
    await runtime.process(delivery('event:1'), record('again'));
    await runtime.process(delivery('event:2'), record('second'));
    await runtime.process({ kind: 'form submission', apologise: () => Promise.resolve() }, record('no id'));
    await runtime.process({ kind: 'form submission', apologise: () => Promise.resolve() }, record('no id'));
    expect(handled).toEqual(['first', 'second', 'no id', 'no id']);
  });

  it('logs a failure and apologises in one sentence; a failing apology does not escape', async () => {
    const runtime = new ChatRuntime({ engine: engineAnswering(() => Promise.resolve([])), platform: 'discord' });
    const told: string[] = [];
    await runtime.process({ kind: 'button press', apologise: (text) => Promise.resolve(void told.push(text)) }, () => Promise.reject(new Error('database is down')));
    expect(told).toEqual([APOLOGY]);
    await expect(runtime.process({ kind: 'button press', apologise: () => Promise.reject(new Error('token expired')) }, () => Promise.reject(new Error('down')))).resolves.toBeUndefined();
  });

  it('waits for work in hand before it counts as drained', async () => {
    const runtime = new ChatRuntime({ engine: engineAnswering(() => Promise.resolve([])), platform: 'slack' });
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let finished = false;
    void runtime.process({ kind: 'slash command', apologise: () => Promise.resolve() }, async () => {
      await released;
      finished = true;
    });
    const drained = runtime.drained().then(() => finished);
    release();
    expect(await drained).toBe(true);
  });

  it('gives the engine the ack budget: an answer in time is early, a slow one follows', async () => {
    const quick = new ChatRuntime({ engine: engineAnswering(() => Promise.resolve([reply('at once')])), platform: 'discord', ackBudgetMs: 50 });
    const early = await quick.ask(event);
    expect(early.early?.map((r) => r.message.text)).toEqual(['at once']);

    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const slow = new ChatRuntime({ engine: engineAnswering(() => released.then(() => [reply('later')])), platform: 'discord', ackBudgetMs: 20 });
    const late = await slow.ask(event);
    expect(late.early).toBeUndefined();
    release();
    expect((await late.replies).map((r) => r.message.text)).toEqual(['later']);
  });
});

describe('recent deliveries', () => {
  it('forgets a key after its window, and keeps at most maxKeys', () => {
    const recent = new RecentDeliveries(1_000, 2);
    expect(recent.firstTime('a', 0)).toBe(true);
    expect(recent.firstTime('a', 500)).toBe(false);
    expect(recent.firstTime('a', 1_500)).toBe(true);
    expect(recent.firstTime('b', 1_600)).toBe(true);
    expect(recent.firstTime('c', 1_700)).toBe(true);
    // Three keys within the window, room for two: the oldest ('a') went.
    expect(recent.firstTime('a', 1_800)).toBe(true);
    expect(recent.firstTime('c', 1_900)).toBe(false);
  });
});
