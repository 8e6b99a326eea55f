import { MessageFlags, type APIMessage } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Booking, BookingRequest, ChatIdentity } from '../../../src/db/entities';
import { formatDay } from '../../../bots/core/format';
import { issueLinkCode } from '../../../src/identity/link-codes';
import { linkChatIdentity } from '../../../bots/identity/link-identity';
import { ChatPerson } from '../support/chat-person';
import { RecordingPlatform } from '../support/recording-platform';
import { clientOnDiscord, startDiscordHarness, trainerOnDiscord, type DiscordHarness } from './discord-harness';
import { dayAhead } from '../../support/time';
import type { DiscordPerson } from './discord-person';

let harness: DiscordHarness;

beforeAll(async () => {
  harness = await startDiscordHarness();
});
afterAll(async () => {
  await harness?.stop();
});
afterEach(() => {
  // Nothing the bot sent was refused by Discord or broke the protocol.
  expect(harness.fake.violations).toEqual([]);
});

const isEphemeral = (message: APIMessage): boolean => ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;

/** A free-text booking in the client's DM; returns the request id. */
async function bookByDirectMessage(client: DiscordPerson, trainerName: string, when = 'next 7 days, mornings 9-12, weekends fine, 60 min, at the gym'): Promise<number> {
  client.say('book');
  const trainers = await client.next(/^Which trainer would you like to book\?/);
  client.choose(trainers, new RegExp(`^${trainerName}`));
  await client.next(/^What kind of session/);
  client.say('Strength');
  await client.next(/^How long should the session be\?/);
  client.say(when);
  const special = await client.next(/^Anything the trainer should know/);
  client.press(special, 'Skip');
  const summary = await client.next(/^Please check your request/);
  client.press(summary, 'Confirm');
  const sent = await client.next(/^Sent! .* request #\d+/);
  return Number(/request #(\d+)/.exec(sent.content)![1]);
}

describe('the Discord bot, end to end', () => {
  it('a client books by DM, the trainer approves by button: booked, both told, the request message edited with the bot token', async () => {
    const { trainer, name, person: coach, slots } = await trainerOnDiscord(harness, dayAhead(3));
    const client = clientOnDiscord(harness, 'Jamie Lee');

    client.say('hi');
    const hello = await client.next(/^Hi Jamie Lee!/);
    expect(harness.fake.buttonsOf(hello).map((b) => 'label' in b && b.label)).toEqual(['Book a session', 'My bookings', 'My credits']);

    const bookingRequestId = await bookByDirectMessage(client, name);

    // The trainer's request: a DM the bot opened, posted with the bot token, ranked slots as buttons.
    const request = await coach.seen(new RegExp(`^New booking request #${bookingRequestId} from Jamie Lee`));
    const post = harness.fake.requests.find((r) => r.method === 'POST' && r.path.endsWith(`/channels/${request.channel_id}/messages`) && r.status === 200);
    expect(post?.authorization).toBe(`Bot ${harness.fake.token}`);
    expect(harness.fake.requests.some((r) => r.path === '/api/v10/users/@me/channels' && (r.body as { recipient_id?: string }).recipient_id === coach.id)).toBe(true);
    const buttons = harness.fake.buttonsOf(request).map((b) => ('label' in b ? b.label : ''));
    expect(buttons.at(-1)).toBe('Reject');
    expect(buttons.filter((l) => l?.startsWith('Approve')).length).toBeGreaterThan(0);
    expect(request.embeds[0]?.fields?.find((f) => f.name === 'Option 1')?.value).toMatch(/^\w{3} \d+ \w{3}, 09:00–10:00 \(UTC\) · score \d+/);

    const press = coach.press(request, /^Approve .* 09:00$/);
    const approved = await coach.next(/^Approved: Jamie Lee, .* 09:00–10:00 \(UTC\)\. Jamie Lee has been told\.$/);
    expect(press.responses.map((r) => r.type)).toEqual([6]); // deferUpdate: acknowledged without a new message
    expect(isEphemeral(approved)).toBe(false);

    const confirmation = await client.seen(/^Confirmed: Strength Training with /);
    expect(confirmation.content).toMatch(/09:00–10:00 \(UTC\), total 80\.00\.$/);
    expect(harness.fake.buttonsOf(confirmation).map((b) => 'label' in b && b.label)).toEqual(['Reschedule', 'Cancel booking']);

    // The request message now shows the outcome, without buttons; the notifier's edit used the bot token.
    const edited = await harness.fake.waitFor('the request message closed', () => {
      const now = coach.current(request);
      return now.components?.length === 0 && now.content.startsWith(`Request #${bookingRequestId} from Jamie Lee: approved for`) ? now : undefined;
    });
    expect(edited.embeds[0]?.fields?.map((f) => f.name)).toContain('Client');
    expect(harness.fake.message(request.id).edits.map((e) => e.via)).toContain('bot');
    const botEdit = harness.fake.requests.find((r) => r.method === 'PATCH' && r.path === `/api/v10/channels/${request.channel_id}/messages/${request.id}`);
    expect(botEdit?.authorization).toBe(`Bot ${harness.fake.token}`);

    const booking = await harness.db.orm.em.fork().findOneOrFail(Booking, { bookingRequest: bookingRequestId });
    expect(booking.trainer.id).toBe(trainer.id);
    expect(booking.startTime.toISOString()).toBe(slots[0]!.startTime.toISOString());
    expect((await harness.db.orm.em.fork().findOneOrFail(BookingRequest, bookingRequestId)).status).toBe('APPROVED');
  });
});

describe('who may decide, and how', () => {
  it("refuses another person's press privately and changes nothing; the trainer's own press in the same channel works", async () => {
    const team = harness.fake.addServerChannel();
    const { name, person: coach } = await trainerOnDiscord(harness, dayAhead(4), { channelId: team.channelId });
    const client = clientOnDiscord(harness, 'Sam Wrong');
    const intruder = clientOnDiscord(harness, 'Nosy Neighbour');
    const bookingRequestId = await bookByDirectMessage(client, name);
    // The trainer's requests go to a server channel their team reads: anyone there can press.
    const request = await harness.fake.waitFor('the request in the team channel', () => harness.fake.channelMessages(team.channelId).find((m) => m.content.startsWith(`New booking request #${bookingRequestId} `)));
    const historyBefore = (await harness.worker.bookings.state(bookingRequestId)).history.length;

    const approveTry = intruder.press(request, /^Approve/);
    const refusal = await intruder.next(/^Only the trainer this request is addressed to can approve or reject it\.$/);
    expect(isEphemeral(refusal)).toBe(true);
    expect(approveTry.responses.map((r) => r.type)).toEqual([6]);
    const rejectTry = intruder.press(request, 'Reject');
    await intruder.next(/^Only the trainer this request is addressed to can approve or reject it\.$/);
    expect(rejectTry.modal).toBeUndefined();

    expect(harness.fake.message(request.id).edits).toEqual([]);
    expect(harness.fake.buttonsOf(intruder.current(request)).length).toBeGreaterThan(1);
    expect(coach.messages().some((m) => m.content.startsWith('Only the trainer'))).toBe(false);
    const state = await harness.worker.bookings.state(bookingRequestId);
    expect(state.status).toBe('PENDING');
    expect(state.history).toHaveLength(historyBefore);
    expect(await harness.db.orm.em.fork().count(Booking, { bookingRequest: bookingRequestId })).toBe(0);

    // The trainer is the same person in a server as in a DM.
    coach.press(request, /^Approve/);
    const approved = await coach.next(/^Approved: Sam Wrong, /);
    expect(isEphemeral(approved)).toBe(true);
    expect(await harness.db.orm.em.fork().count(Booking, { bookingRequest: bookingRequestId })).toBe(1);
    await client.seen(/^Confirmed: /);
  });

  it('a client books with /book, buttons and selects in a server; the trainer (linked with /link) rejects with a reason in a modal', async () => {
    const { name, trainer, person: coach } = await trainerOnDiscord(harness, dayAhead(5), { linked: false });
    coach.command('link', { code: await issueLinkCode(harness.db.orm, trainer.user.id) });
    await coach.next(new RegExp(`^Linked: this chat account now acts as ${name}\\.$`));

    const server = harness.fake.addServerChannel();
    const client = clientOnDiscord(harness, 'Kim Reject');
    const start = client.command('book', {}, server);
    const trainers = await client.next(/^Which trainer would you like to book\?/);
    expect(start.responses.map((r) => r.type)).toEqual([5]); // deferReply: "thinking…", answered by editing it
    expect(isEphemeral(trainers)).toBe(true); // a booking in a server is nobody else's business
    client.choose(trainers, new RegExp(`^${name}`));
    client.choose(await client.next(/^What kind of session/), 'HIIT');
    client.choose(await client.next(/^How long should the session be\?/), '60 min');
    client.choose(await client.next(/^Where should it take place\?/), 'Online');
    client.choose(await client.next(/^Pick an exact time/), 'Pick an exact time');
    const days = await client.next(/^Which day\?/);
    // Discord has no calendar: the date picker is a select of the next 14 days.
    const datePicker = harness.fake.selectsOf(days).find((s) => s.placeholder === 'Pick a date');
    expect(datePicker?.options).toHaveLength(14);
    client.pick(days, formatDay(dayAhead(5)));
    const times = await client.next(/^Free start times on /);
    client.choose(times, '11:00');
    client.press(await client.next(/^Anything the trainer should know/), 'Skip');
    const summary = await client.next(/^Please check your request/);
    expect(summary.embeds[0]?.fields?.find((f) => f.name === 'Time')?.value).toMatch(/11:00–12:00 \(UTC\)$/);
    client.press(summary, 'Confirm');
    const bookingRequestId = Number(/request #(\d+)/.exec((await client.next(/^Sent! /)).content)![1]);

    const request = await coach.seen(new RegExp(`^New booking request #${bookingRequestId} from Kim Reject`));
    const firstTry = coach.press(request, 'Reject');
    const modal = await coach.modalFor(firstTry);
    expect(firstTry.responses.map((r) => r.type)).toEqual([9]); // the modal is the press's first answer
    expect(modal).toMatchObject({ custom_id: `reject.${bookingRequestId}`, title: 'Reject request', components: [{ label: 'Why? The client will read this.', component: { custom_id: 'reason', style: 2, max_length: 1000 } }] });

    coach.submit(firstTry, { reason: '   ' });
    const askAgain = await coach.next(/^Please give a reason; the client will see it\.$/);
    expect(isEphemeral(askAgain)).toBe(true);
    expect(harness.fake.message(request.id).edits).toEqual([]);
    expect((await harness.worker.bookings.state(bookingRequestId)).status).toBe('PENDING');

    const secondTry = coach.press(request, 'Reject');
    await coach.modalFor(secondTry);
    coach.submit(secondTry, { reason: 'Travelling that week' });
    await coach.next(/^Rejected; Kim Reject has been told why\.$/);
    // The client never wrote to the bot directly: the bot opened a DM to tell them.
    await client.seen(new RegExp(`^${name} declined your request #${bookingRequestId}: Travelling that week$`));
    await harness.fake.waitFor('the request message closed', () => coach.current(request).content === `Request #${bookingRequestId} from Kim Reject: rejected (Travelling that week).` && coach.current(request).components?.length === 0);
    expect(await harness.db.orm.em.fork().findOneOrFail(BookingRequest, bookingRequestId)).toMatchObject({ status: 'REJECTED', rejectionReason: 'Travelling that week' });
    const identity = await harness.db.orm.em.fork().findOneOrFail(ChatIdentity, { platform: 'discord', externalUserId: client.id });
    expect(identity).toMatchObject({ workspaceId: '', directChannelId: null });
  });

  it('a double click (two interactions for one button) books once and tells the client once', async () => {
    const { name, person: coach } = await trainerOnDiscord(harness, dayAhead(6));
    const client = clientOnDiscord(harness, 'Pat Twice');
    const bookingRequestId = await bookByDirectMessage(client, name);
    const request = await coach.seen(new RegExp(`^New booking request #${bookingRequestId} `));

    const first = coach.press(request, /^Approve/);
    const second = coach.press(request, /^Approve/);
    await harness.fake.waitFor('both presses answered', () => first.followUpIds.length > 0 && second.followUpIds.length > 0);
    const answers = [first, second].map((press) => harness.fake.message(press.followUpIds[0]!).message.content).sort();
    expect(answers[0]).toMatch(/^Already approved: Pat Twice, /);
    expect(answers[1]).toMatch(/^Approved: Pat Twice, /);

    expect(await harness.db.orm.em.fork().count(Booking, { bookingRequest: bookingRequestId })).toBe(1);
    expect(client.messages().filter((m) => m.content.startsWith('Confirmed:'))).toHaveLength(1);
    const history = (await harness.worker.bookings.state(bookingRequestId)).history;
    expect(history.filter((entry) => entry.event === 'status APPROVED')).toHaveLength(1);
    expect(coach.current(request).components).toEqual([]);
  });
});

describe('across platforms', () => {
  it('a Discord client books a trainer who answers on another platform: one booking, each told on their own platform', async () => {
    const elsewhere = new RecordingPlatform('slack');
    harness.adapters.register(elsewhere);
    try {
      const { name, trainer } = await trainerOnDiscord(harness, dayAhead(7), { linked: false });
      await linkChatIdentity(harness.db.orm, { platform: 'slack', workspaceId: 'T1', externalUserId: 'U-coach', channelId: 'D-coach' }, trainer.user.id);
      const coach = new ChatPerson(harness.engine, 'slack', 'U-coach', name, 'T1');
      const client = clientOnDiscord(harness, 'Cross Over');
      const bookingRequestId = await bookByDirectMessage(client, name);

      const request = await elsewhere.waitFor('U-coach', (m) => m.text.startsWith(`New booking request #${bookingRequestId} from Cross Over`));
      expect(request.to.channelId).toBe('D-coach');
      const [approved] = await coach.press(/^Approve/, request.message);
      expect(approved?.message.text).toMatch(/^Approved: Cross Over, /);
      await client.seen(/^Confirmed: Strength Training with /);
      expect(await harness.db.orm.em.fork().count(Booking, { bookingRequest: bookingRequestId })).toBe(1);
    } finally {
      harness.adapters.unregister(elsewhere);
    }
  });
});

describe('bad input', () => {
  it('gets one clear sentence, and the bot carries on', async () => {
    const client = clientOnDiscord(harness, 'Lou Unclear');
    client.say('blah blah');
    await client.next(/^I didn't catch that; write "book" to book a session/);
    client.command('timezone', { zone: 'Mars Base' });
    await client.next(/^"Mars_Base" is not a time zone I know; write one like "Europe\/Berlin"/);
    client.command('cancel', { booking: 999_999 });
    await client.next(/^That booking isn't one of yours, or it no longer exists\.$/);
    client.say('');
    await client.next(/^I can only read text; write "help" to see what I can do\.$/);
    client.command('timezone', { zone: 'Europe/Berlin' });
    await client.next(/^Your time zone is now Europe\/Berlin/);
  });
});
