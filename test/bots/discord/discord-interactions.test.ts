import { ComponentType, MessageFlags, type APIMessage } from 'discord.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PlatformAdapters } from '../../../bots/core/adapter';
import type { IncomingEvent } from '../../../bots/core/events';
import { privateReply, reply, type Reply } from '../../../bots/core/replies';
import { startDiscordBot, type DiscordBot } from '../../../bots/discord/discord-bot';
import { createDiscordRestAdapter } from '../../../bots/discord/discord-rest-adapter';
import { registerDiscordCommands } from '../../../bots/discord/commands/register-commands';
import type { ChatEngine } from '../../../bots/engine/chat-engine';
import { DiscordPerson } from './discord-person';
import { FakeDiscord } from './fake-discord';

/**
 * The bot's handling of Discord itself, with a scripted engine in place of the real one:
 * what is acknowledged how, when a modal opens, and what a person sees when something is off.
 */
let fake: FakeDiscord;
let bot: DiscordBot;
const events: IncomingEvent[] = [];
let answer: (event: IncomingEvent) => Promise<Reply[]>;
const engine: ChatEngine = {
  handle(event) {
    events.push(event);
    return answer(event);
  },
};

const ACK_BUDGET_MS = 200;

beforeAll(async () => {
  fake = await FakeDiscord.start();
  const config = { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl, restRetries: 0 };
  await registerDiscordCommands(config);
  bot = await startDiscordBot({ engine, adapters: new PlatformAdapters(), config, ackBudgetMs: ACK_BUDGET_MS });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});
beforeEach(() => {
  events.length = 0;
  answer = () => Promise.resolve([]);
});
afterEach(() => {
  expect(fake.violations).toEqual([]);
});

const reasonForm = { id: 'reject.7', title: 'Reject request', submitLabel: 'Reject', fields: [{ id: 'reason', label: 'Why? The client will read this.', multiline: true, maxLength: 1000 }] };

/** A message the bot posts to the person (as a notification would), with a Reject button. */
async function requestMessageTo(person: DiscordPerson) {
  const ref = await bot.adapter.send({ workspaceId: '', externalUserId: person.id, channelId: null }, { text: 'Request #7', actions: [{ kind: 'button', id: 'reject', value: '7', label: 'Reject', style: 'danger' }] });
  return fake.message(ref.messageId).message;
}

describe('interactions', () => {
  it('turns a DM into a text event from that person, and posts the replies in the DM', async () => {
    const person = new DiscordPerson(fake, fake.addUser('Dee Em'));
    answer = () => Promise.resolve([reply('one'), privateReply('two')]);
    const written = person.say('hello there');
    await person.next(/^two$/);
    expect(person.messages().map((m) => m.content)).toEqual(['one', 'two']);
    expect(events).toEqual([{ type: 'text', from: { platform: 'discord', workspaceId: '', externalUserId: person.id, channelId: written.channel_id, isDirect: true, displayName: 'Dee Em' }, text: 'hello there' }]);
  });

  it('opens the form as a modal when the engine asks for one in time, and hands in the submission', async () => {
    const person = new DiscordPerson(fake, fake.addUser('Mo Dal'));
    const message = await requestMessageTo(person);
    answer = (event) => Promise.resolve(event.type === 'action' ? [reply({ text: 'Why?', form: reasonForm })] : [reply('Rejected.')]);
    const press = person.press(message, 'Reject');
    const modal = await person.modalFor(press);
    expect(modal.components[0]).toMatchObject({ type: ComponentType.Label, component: { type: ComponentType.TextInput, custom_id: 'reason' } });
    expect(events[0]).toMatchObject({ type: 'action', actionId: 'reject', value: '7', pressId: press.id, source: { platform: 'discord', channelId: message.channel_id, messageId: message.id } });

    const submitted = person.submit(press, { reason: 'Away that week' });
    await person.next(/^Rejected\.$/);
    expect(events[1]).toMatchObject({ type: 'form', from: { externalUserId: person.id, isDirect: true }, formId: 'reject.7', values: { reason: 'Away that week' }, submissionId: submitted.id });
    expect(submitted.responses.map((r) => r.type)).toEqual([6]);
    expect(person.current(message).components).toEqual([]); // acted on: its buttons are used up
  });

  it('acknowledges a press in time when the engine is slow, and asks a late form as text', async () => {
    const person = new DiscordPerson(fake, fake.addUser('Slow Poke'));
    const message = await requestMessageTo(person);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    answer = async () => {
      await released;
      return [reply({ text: 'Why are you rejecting it? Write the reason.', form: reasonForm })];
    };
    const press = person.press(message, 'Reject');
    // The engine has not answered, yet Discord got its first answer.
    await fake.waitFor('the press acknowledged', () => press.responses.length > 0);
    expect(press.responses.map((r) => r.type)).toEqual([6]);
    release();
    const asked = await person.next(/^Why are you rejecting it\? Write the reason\.$/);
    expect(press.modal).toBeUndefined();
    expect(asked.components).toEqual([]);
  });

  it('refusals are private and leave the message as it was', async () => {
    const person = new DiscordPerson(fake, fake.addUser('Not Allowed'));
    const message = await requestMessageTo(person);
    answer = () => Promise.resolve([privateReply('Only the trainer this request is addressed to can approve or reject it.')]);
    person.press(message, 'Reject');
    const refusal = await person.next(/^Only the trainer/);
    expect((refusal.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(fake.message(message.id).edits).toEqual([]);
  });

  it('a failure on our side is one private sentence, and the bot carries on', async () => {
    const person = new DiscordPerson(fake, fake.addUser('Unlucky One'));
    answer = () => Promise.reject(new Error('database is down'));
    person.command('help');
    const sorry = await person.next(/^Something went wrong on my side; please try again in a moment\.$/);
    expect((sorry.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    answer = () => Promise.resolve([reply('Hi!')]);
    person.command('help');
    await person.next(/^Hi!$/);
  });

  it('a button it did not make gets one sentence', async () => {
    const person = new DiscordPerson(fake, fake.addUser('Old Button'));
    const channelId = fake.dmChannelOf(person.id);
    // A message from an older version of the bot, whose custom id is not an action.
    const old = (await bot.client.rest.post(`/channels/${channelId}/messages`, {
      body: { content: 'Old menu', components: [{ type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: 1, custom_id: 'legacy-menu', label: 'Old' }] }] },
    })) as APIMessage;
    person.press(old, 'Old');
    await person.next(/^That control is no longer in use; write "help" to see what I can do\.$/);
    expect(events).toEqual([]);
  });
});

describe('the adapter', () => {
  it('opens a DM for a person it has no channel for, and edits with the bot token', async () => {
    const person = new DiscordPerson(fake, fake.addUser('New Person'));
    const ref = await bot.adapter.send({ workspaceId: '', externalUserId: person.id, channelId: null }, { text: 'Booked', fields: [{ label: 'When', value: 'Tue 1 Dec' }], actions: [{ kind: 'button', id: 'bk.cancel', value: '3', label: 'Cancel booking', style: 'danger' }] });
    expect(ref).toMatchObject({ platform: 'discord', workspaceId: '', channelId: fake.dmChannelOf(person.id) });
    expect(fake.requests.some((r) => r.path === '/api/v10/users/@me/channels' && r.authorization === `Bot ${fake.token}`)).toBe(true);
    await bot.adapter.update(ref, { text: 'Cancelled' });
    const now = fake.message(ref.messageId);
    expect(now.message).toMatchObject({ content: 'Cancelled', embeds: [], components: [] });
    expect(now.edits.map((e) => e.via)).toEqual(['bot']);
  });

  it('works without the gateway, for a worker that runs apart from the bot', async () => {
    const person = new DiscordPerson(fake, fake.addUser('Far Away'));
    const adapter = createDiscordRestAdapter({ token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl, restRetries: 0 });
    const ref = await adapter.send({ workspaceId: '', externalUserId: person.id, channelId: null }, { text: 'New booking request #9', actions: [{ kind: 'button', id: 'approve', value: '9.1', label: 'Approve Tue 1 Dec, 10:00', style: 'primary' }] });
    await adapter.update(ref, { text: 'Request #9: approved.' });
    expect(fake.message(ref.messageId).message).toMatchObject({ content: 'Request #9: approved.', components: [] });
    expect(fake.requests.filter((r) => r.path.includes(ref.messageId)).map((r) => r.authorization)).toEqual([`Bot ${fake.token}`]);
  });

  it('opens the DM afresh when a remembered channel is gone', async () => {
    const person = new DiscordPerson(fake, fake.addUser('Moved On'));
    const ref = await bot.adapter.send({ workspaceId: '', externalUserId: person.id, channelId: '999999999999999999' }, { text: 'Reminder' });
    expect(ref.channelId).toBe(fake.dmChannelOf(person.id));
    expect(fake.violations.splice(0)).toEqual([{ method: 'POST', path: '/api/v10/channels/999999999999999999/messages', status: 404, problems: ['Unknown Channel'] }]);
  });
});

describe('stopping', () => {
  it('lets an answer in progress finish before disconnecting', async () => {
    const own = await FakeDiscord.start();
    try {
      const config = { token: own.token, applicationId: own.applicationId, apiUrl: own.apiUrl, restRetries: 0 };
      await registerDiscordCommands(config);
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const slow: ChatEngine = { handle: () => released.then(() => [reply('Done in time.')]) };
      const stopping = await startDiscordBot({ engine: slow, adapters: new PlatformAdapters(), config });
      const person = new DiscordPerson(own, own.addUser('Last Word'));
      const asked = person.command('help');
      await own.waitFor('the command acknowledged', () => asked.responses.length > 0);

      let stopped = false;
      const stop = stopping.stop().then(() => (stopped = true));
      expect(stopped).toBe(false);
      release();
      await person.next(/^Done in time\.$/);
      await stop;
      expect(stopped).toBe(true);
      expect(own.gateway.sessions).toHaveLength(0);
      expect(own.violations).toEqual([]);
    } finally {
      await own.close();
    }
  });
});
