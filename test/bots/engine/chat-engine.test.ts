import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../../bots/core/replies';
import { resolveFeedToken } from '../../../src/calendar/feed-tokens';
import { PlatformAdapters } from '../../../bots/core/adapter';
import type { OutgoingMessage } from '../../../bots/core/messages';
import { createChatEngine, type ChatEngine } from '../../../bots/engine/chat-engine';
import { issueLinkCode } from '../../../src/identity/link-codes';
import { ChatNotifier } from '../../../bots/notifications/chat-notifier';
import { OptimisticLockError } from '@mikro-orm/postgresql';
import { loadConversation, saveConversation } from '../../../bots/engine/conversation-store';
import { openOrm } from '../../../src/db/orm';
import { Booking, BookingRequest, ChatIdentity, Conversation, TimeSlot, Trainer } from '../../../src/db/entities';
import { startBookingStack, type BookingStack } from '../../support/booking-stack';
import type { TestDatabase } from '../../support/database';
import { createTrainerWithSlots } from '../../support/fixtures';
import type { RunningBookingWorker } from '../../support/temporal';
import { ChatPerson, texts } from '../support/chat-person';
import { dayAhead, workdayAhead } from '../../support/time';
import { DateTime } from 'luxon';
import { RecordingPlatform } from '../support/recording-platform';

let stack: BookingStack<ChatNotifier>;
let db: TestDatabase;
let running: RunningBookingWorker;
let engine: ChatEngine;
const slack = new RecordingPlatform('slack');
const discord = new RecordingPlatform('discord');

beforeAll(async () => {
  const adapters = new PlatformAdapters();
  adapters.register(slack);
  adapters.register(discord);
  stack = await startBookingStack({ notifier: (created) => new ChatNotifier(created.orm, adapters) });
  ({ db, running } = stack);
  engine = createChatEngine({ orm: db.orm, bookings: running.bookings });
});
afterAll(async () => stack?.stop());

let people = 0;

/** A trainer (UTC, Strength Training and HIIT) with six hourly slots from 09:00 UTC on `day` (YYYY-MM-DD), linked by a link code. */
async function linkedTrainer(day: string, platform: 'slack' | 'discord' = 'slack') {
  const { trainer, slots, name } = await createTrainerWithSlots(db.orm.em.fork(), day);
  const person = new ChatPerson(engine, platform, `U-trainer-${++people}`, name, platform === 'slack' ? 'T1' : 'G1');
  const code = await issueLinkCode(db.orm, trainer.user.id);
  expect(texts(await person.say(`link ${code}`))).toEqual([`Linked: this chat account now acts as ${name}.`]);
  return { trainer, slots, name, person };
}

const clientOnDiscord = (name = `Client ${++people}`): ChatPerson => new ChatPerson(engine, 'discord', `D-client-${++people}`, name, 'G1');

/** Waits for the trainer's request message (the one with Approve buttons) for the client. */
async function requestMessageFor(trainer: ChatPerson, clientName: string) {
  return (trainer.address.platform === 'slack' ? slack : discord).waitFor(trainer.externalUserId, (m) => m.text.includes(`from ${clientName}`) && (m.actions ?? []).some((a) => a.kind === 'button' && a.label.startsWith('Approve')));
}

/** The quickest free-text booking: trainer, type, and the rest in one sentence. */
async function bookFlexibly(client: ChatPerson, trainerName: string, when = 'next 7 days, mornings 9-12, weekends fine, 60 min, at the gym'): Promise<number> {
  await client.say('book');
  await client.press(new RegExp(`^${trainerName}`));
  await client.say('Strength');
  await client.say(when);
  await client.press('Skip');
  const sent = await client.press('Confirm');
  const match = /request #(\d+)/.exec(texts(sent).join(' '));
  expect(match, texts(sent).join(' | ')).not.toBeNull();
  return Number(match![1]);
}

async function waitForStatus(bookingRequestId: number, status: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const state = await running.bookings.state(bookingRequestId);
    if (state.status === status) return state;
    if (Date.now() > deadline) throw new Error(`request ${bookingRequestId} is ${state.status}, not ${status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const fieldValue = (message: OutgoingMessage, label: string): string | undefined => message.fields?.find((f) => f.label === label)?.value;

describe('chat engine with the real workflow', () => {
  it('a Discord client books by free text, the Slack trainer approves by button, both are told and the buttons go', async () => {
    // A working day in the next 7 days: the client allows weekends, and "bonus 0" is expected below.
    const { trainer, name, person: coach, slots } = await linkedTrainer(workdayAhead(3));
    const client = clientOnDiscord('Jamie Lee');

    expect(texts(await client.say('hi'))[0]).toMatch(/^Hi Jamie Lee!/);
    expect(texts(await client.say('book'))).toEqual(['Which trainer would you like to book? Pick one or type a name.']);
    expect(texts(await client.press(new RegExp(`^${name}`)))[0]).toMatch(/What kind of session/);
    expect(texts(await client.say('Strength'))[0]).toMatch(/How long/);
    // The issue's sentence, at the duration step: it fills the duration and every preference.
    expect(texts(await client.say('next 7 days, mornings 9-12, not before 9:30, weekends fine, 2 hours'))[0]).toBe('Where should it take place?');
    expect(texts(await client.say('gym'))[0]).toMatch(/Anything the trainer should know/);
    const [summary] = await client.say('Focus on compound movements');
    expect(summary!.message.text).toMatch(/Please check your request/);
    expect(fieldValue(summary!.message, 'Duration')).toBe('2 h');
    expect(fieldValue(summary!.message, 'Session')).toBe('Strength Training');
    expect(fieldValue(summary!.message, 'When')).toMatch(/prefers 09:00–12:00; avoids before 09:30; weekends fine; no evenings \(UTC\)/);
    expect(fieldValue(summary!.message, 'Notes')).toBe('Focus on compound movements');

    const sent = texts(await client.press('Confirm'));
    expect(sent[0]).toBe(`Sending your request to ${name}…`);
    const bookingRequestId = Number(/request #(\d+)/.exec(sent[1]!)![1]);
    // The workflow stores the request in its first activity.
    await expect.poll(() => db.orm.em.fork().count(BookingRequest, bookingRequestId)).toBe(1);
    const stored = await db.orm.em.fork().findOneOrFail(BookingRequest, bookingRequestId);
    expect(stored).toMatchObject({ durationMinutes: 120, sessionType: 'Strength Training', preferredTimes: ['09:00-12:00'], avoidTimes: ['00:00-09:30'], allowWeekends: true, specialRequests: 'Focus on compound movements' });

    // The trainer's message: ranked slots with scores, breakdowns, Approve buttons and Reject.
    const request = await requestMessageFor(coach, 'Jamie Lee');
    expect(fieldValue(request.message, 'Option 1')).toMatch(/^\w{3} \d+ \w{3}, 10:00–12:00 \(UTC\) · score \d+(\.\d+)? \(date [\d.]+, time 40, avoid 0, bonus 0\)$/);
    expect(request.message.actions!.map((a) => a.kind === 'button' && a.label).at(-1)).toBe('Reject');

    const approved = texts(await coach.press(/^Approve/, request.message));
    expect(approved[0]).toMatch(/^Approved: Jamie Lee, .* 10:00–12:00 \(UTC\)\. Jamie Lee has been told\.$/);

    const confirmation = await discord.waitFor(client.externalUserId, (m) => m.text.startsWith('Confirmed:'));
    expect(confirmation.message.text).toMatch(new RegExp(`^Confirmed: Strength Training with ${name}, .* 10:00–12:00 \\(UTC\\), total 160\\.00\\.$`));
    expect(confirmation.message.actions!.map((a) => a.kind === 'button' && a.label)).toEqual(['Reschedule', 'Cancel booking']);
    await expect.poll(() => request.message.actions ?? []).toEqual([]);
    expect(request.message.text).toMatch(new RegExp(`^Request #${bookingRequestId} from Jamie Lee: approved for`));

    const booking = await db.orm.em.fork().findOneOrFail(Booking, { bookingRequest: bookingRequestId });
    expect(booking.trainer.id).toBe(trainer.id);
    expect(booking.startTime.toISOString()).toBe(slots[1]!.startTime.toISOString());
  });

  it('a Slack client books an exact slot with buttons only, and the Discord trainer approves it', async () => {
    const day = dayAhead(4);
    const { name, person: coach } = await linkedTrainer(day, 'discord');
    const client = new ChatPerson(engine, 'slack', `U-client-${++people}`, 'Robin Exact', 'T1');
    await client.say('book');
    await client.press(new RegExp(`^${name}`));
    await client.press('HIIT');
    await client.press('60 min');
    await client.press('Online');
    const days = await client.press('Pick an exact time');
    expect(days[0]!.message.text).toMatch(/^Which day\?/);
    const slotsOffered = await client.pickDate(day);
    expect(slotsOffered[0]!.message.text).toBe(`Free start times on ${DateTime.fromISO(day, { zone: 'UTC', locale: 'en-GB' }).toFormat('ccc d LLL')} (UTC); pick one or type it, e.g. "10:00".`);
    await client.press('11:00');
    await client.press('Skip');
    const summary = client.lastWithActions();
    expect(fieldValue(summary, 'Time')).toMatch(/11:00–12:00 \(UTC\)$/);
    expect(fieldValue(summary, 'Location')).toBe('Online');
    await client.press('Confirm');

    const request = await requestMessageFor(coach, 'Robin Exact');
    expect(fieldValue(request.message, 'Wants')).toMatch(/^exactly .* 11:00–12:00 \(UTC\)$/);
    expect(request.message.actions).toHaveLength(2);
    await coach.press(/^Approve/, request.message);
    await slack.waitFor(client.externalUserId, (m) => /^Confirmed: HIIT with .* 11:00–12:00 \(UTC\), total 80\.00\.$/.test(m.text));
    expect(discord.to(client.externalUserId)).toEqual([]);
  });

  it("refuses another person's approval privately and changes nothing", async () => {
    const { name, person: coach } = await linkedTrainer(dayAhead(5));
    const { person: otherCoach } = await linkedTrainer(dayAhead(6));
    const client = clientOnDiscord('Sam Wrong');
    const bookingRequestId = await bookFlexibly(client, name);
    const request = await requestMessageFor(coach, 'Sam Wrong');
    const historyBefore = (await waitForStatus(bookingRequestId, 'PENDING')).history.length;

    for (const intruder of [otherCoach, client]) {
      const answer = await intruder.press(/^Approve/, request.message);
      expect(answer).toEqual([{ message: { text: 'Only the trainer this request is addressed to can approve or reject it.' }, private: true }]);
      const rejected = await intruder.press('Reject', request.message);
      expect(rejected[0]).toMatchObject({ private: true });
    }

    const state = await running.bookings.state(bookingRequestId);
    expect(state.status).toBe('PENDING');
    expect(state.history).toHaveLength(historyBefore);
    expect(await db.orm.em.fork().count(Booking, { bookingRequest: bookingRequestId })).toBe(0);
    expect(request.edits).toEqual([]);
  });

  it('rejects with a reason given in the form: the client is told why and the buttons go', async () => {
    const { name, person: coach } = await linkedTrainer(dayAhead(7));
    const client = clientOnDiscord('Kim Reject');
    const bookingRequestId = await bookFlexibly(client, name);
    const request = await requestMessageFor(coach, 'Kim Reject');

    const [asked] = await coach.press('Reject', request.message);
    expect(asked!.message.form).toMatchObject({ id: `reject.${bookingRequestId}`, fields: [{ id: 'reason', label: 'Why? The client will read this.' }] });
    expect(await coach.submit(`reject.${bookingRequestId}`, { reason: '   ' })).toEqual([{ message: { text: 'Please give a reason; the client will see it.' }, private: true }]);
    expect((await running.bookings.state(bookingRequestId)).status).toBe('PENDING');

    expect(texts(await coach.submit(`reject.${bookingRequestId}`, { reason: 'Travelling that week' }))).toEqual(['Rejected; Kim Reject has been told why.']);
    await discord.waitFor(client.externalUserId, (m) => m.text === `${name} declined your request #${bookingRequestId}: Travelling that week`);
    await expect.poll(() => request.message.text).toBe(`Request #${bookingRequestId} from Kim Reject: rejected (Travelling that week).`);
    expect(request.message.actions ?? []).toEqual([]);
    expect(await db.orm.em.fork().findOneOrFail(BookingRequest, bookingRequestId)).toMatchObject({ status: 'REJECTED', rejectionReason: 'Travelling that week' });
  });

  it('keeps the dialogue across an engine restart (a new process with its own connection pool)', async () => {
    const { name } = await linkedTrainer(dayAhead(8));
    const client = clientOnDiscord('Alex Restart');
    await client.say('book');
    await client.press(new RegExp(`^${name}`));
    await client.say('HIIT');
    const durationPrompt = client.lastWithActions();

    const orm = await openOrm(db.url);
    try {
      client.engine = createChatEngine({ orm, bookings: running.bookings });
      // A button from before the restart still works: its flow lives in PostgreSQL.
      expect(texts(await client.press('45 min', durationPrompt))).toEqual(['Where should it take place?']);
      await client.say('at home');
      await client.say('next week, evenings');
      const [summary] = await client.say('none');
      expect(fieldValue(summary!.message, 'Trainer')).toBe(name);
      expect(fieldValue(summary!.message, 'Session')).toBe('HIIT');
      expect(fieldValue(summary!.message, 'Duration')).toBe('45 min');
      expect(fieldValue(summary!.message, 'Location')).toBe('Home');
      expect(fieldValue(summary!.message, 'When')).toMatch(/prefers 17:00–21:00; no weekends; evenings fine/);
    } finally {
      client.engine = engine;
      await orm.close();
    }
  });

  it('lets only one of two bot instances advance a dialogue: a double Confirm sends one request', async () => {
    const { name } = await linkedTrainer(dayAhead(9));
    const client = clientOnDiscord('Pat Twice');
    await client.say('book');
    await client.press(new RegExp(`^${name}`));
    await client.say('Strength');
    await client.say('next 7 days, mornings 9-12, 60 min, gym');
    await client.press('Skip');
    const summary = client.lastWithActions();

    const otherInstance = createChatEngine({ orm: db.orm, bookings: running.bookings });
    const confirm = ChatPerson.find(summary, 'Confirm');
    const [first, second] = await Promise.all([
      engine.handle({ type: 'action', from: client.address, ...confirm, pressId: 'press-a' }),
      otherInstance.handle({ type: 'action', from: client.address, ...confirm, pressId: 'press-b' }),
    ]);
    const all = texts([...first, ...second]);
    expect(all.filter((t) => t.startsWith('Sent!'))).toHaveLength(1);
    expect(all).toContain('Your request is on its way; one moment please.');
    const user = await db.orm.em.fork().findOneOrFail(ChatIdentity, { platform: 'discord', externalUserId: client.externalUserId });
    await expect.poll(() => db.orm.em.fork().count(BookingRequest, { client: user.user.id })).toBe(1);
    // Give a second request time to appear, if one had been started.
    await new Promise((r) => setTimeout(r, 500));
    expect(await db.orm.em.fork().count(BookingRequest, { client: user.user.id })).toBe(1);
  });

  it('answers unclear input with one sentence and carries on', async () => {
    const { name } = await linkedTrainer(dayAhead(10));
    const client = clientOnDiscord('Lou Unclear');
    const [puzzled] = await client.say('blah blah');
    expect(puzzled!.message.text).toBe('I didn\'t catch that; write "book" to book a session, "my bookings" to see yours, or "help".');
    expect(puzzled!.message.actions?.length).toBeGreaterThan(0);

    await client.say('book');
    expect(texts(await client.say('Nobody Atall'))).toEqual(['I don\'t know a trainer called "Nobody Atall"; pick one below or type their name.']);
    await client.press(new RegExp(`^${name}`));
    await client.say('Strength');
    expect(texts(await client.say('forever'))).toEqual(['Please give the length like "60 min" or "1.5 hours".']);
    expect(texts(await client.say('5 min'))).toEqual(['A session can be 15 minutes to 8 hours long, so 5 minutes won\'t work; try something like "60 min" or "1.5 hours".']);
    await client.say('60 min');
    await client.say('gym');
    await client.press('Give my preferences');
    const [ambiguous] = await client.say('next week 2-4');
    expect(ambiguous!.message.text).toBe('I can\'t tell whether "2-4" is in the morning or the afternoon; please write it like "2pm-4pm" or in 24-hour time.');
    expect(ambiguous!.message.actions?.length).toBeGreaterThan(0);
    expect(texts(await client.say('next week 2pm-4pm'))[0]).toMatch(/Anything the trainer should know/);
    await client.press('Skip');
    expect(fieldValue(client.lastWithActions(), 'When')).toMatch(/prefers 14:00–16:00/);
  });

  it('lets a client list, reschedule and cancel only their own bookings, and a trainer publish availability', async () => {
    const { name, person: coach, trainer } = await linkedTrainer(dayAhead(11));
    const client = clientOnDiscord('Mo Manage');
    const stranger = clientOnDiscord('Nosy Neighbour');
    const bookingRequestId = await bookFlexibly(client, name, `${dayAhead(11)}, 9-12, 60 min, gym`);
    const request = await requestMessageFor(coach, 'Mo Manage');
    await coach.press(/^Approve/, request.message);
    const booking = await db.orm.em.fork().findOneOrFail(Booking, { bookingRequest: bookingRequestId });

    const [list] = await client.say('my bookings');
    expect(list!.message.fields![0]!.label).toBe(`Booking #${booking.id}`);
    expect(list!.message.fields![0]!.value).toMatch(new RegExp(`^Strength Training with ${name}, `));
    expect(texts(await stranger.say('my bookings'))).toEqual(['You have no upcoming bookings or open requests. Write "book" to make one.']);
    expect(await stranger.say(`cancel ${booking.id}`)).toEqual([{ message: { text: "That booking isn't one of yours, or it no longer exists." }, private: true }]);

    // Reschedule by words: a day and a time.
    await client.press(`Reschedule #${booking.id}`, list!.message);
    const moved = texts(await client.say(`${dayAhead(11)} at 13:00`));
    expect(moved[0]).toMatch(new RegExp(`^Moved: booking #${booking.id} is now .* 13:00–14:00 \\(UTC\\)\\.$`));
    await discord.waitFor(client.externalUserId, (m) => m.text.startsWith('Moved:'));

    await client.say(`cancel ${booking.id}`);
    expect(texts(await client.press('Yes, cancel it'))).toEqual([`Booking #${booking.id} is cancelled; both of you get a note.`]);
    await slack.waitFor(coach.externalUserId, (m) => m.text.startsWith('Cancelled:'));
    expect((await db.orm.em.fork().findOneOrFail(Booking, booking.id)).status).toBe('CANCELLED');

    // Publishing: clients may not; the trainer sees what will be added, then adds it.
    expect(await client.say('publish Mon-Fri 9-17 for the next 2 weeks')).toEqual([{ message: { text: 'Only trainers can publish availability.' }, private: true }]);
    // Something missing is asked for, and the answer completes what was said.
    expect(texts(await coach.say('publish every day 18-20'))).toEqual(['For which days? Add for example "for the next 2 weeks", "next week" or "until Dec 20".']);
    const [preview] = await coach.say(`until ${dayAhead(20)}`);
    expect(preview!.message.text).toMatch(/^Publish \d+ slots of 60 min\?$/);
    expect(fieldValue(preview!.message, 'Hours')).toBe('18:00–20:00 (UTC)');
    const before = await db.orm.em.fork().count(TimeSlot, { trainer: trainer.id });
    expect(texts(await coach.press('Publish'))[0]).toMatch(/^Published \d+ slots between/);
    expect(await db.orm.em.fork().count(TimeSlot, { trainer: trainer.id })).toBeGreaterThan(before);
    const [again] = await coach.say(`publish every day 18-20 until ${dayAhead(20)}`);
    expect(again!.message.text).toMatch(/^Publish/);
    expect(texts(await coach.press('Publish'))[0]).toMatch(/overlap slots you already published .* so nothing was published/);
  });

  it('gives each new chat person a client account, and keeps one account per platform identity', async () => {
    const client = clientOnDiscord('First Contact');
    await Promise.all([client.say('hi'), client.say('help')]);
    const em = db.orm.em.fork();
    const identities = await em.find(ChatIdentity, { platform: 'discord', externalUserId: client.externalUserId }, { populate: ['user'] });
    expect(identities).toHaveLength(1);
    expect(identities[0]!.user).toMatchObject({ role: 'CLIENT', fullName: 'First Contact' });
    expect(identities[0]!.directChannelId).toBe(client.address.channelId);
    expect(await em.count(Conversation, { platform: 'discord', externalUserId: client.externalUserId })).toBe(1);
    expect(await em.count(Trainer, { user: identities[0]!.user.id })).toBe(0);
  });

  it('refuses to store a dialogue state read before another instance changed it', async () => {
    const client = clientOnDiscord('Version Check');
    await client.say('hi');
    const [emA, emB] = [db.orm.em.fork(), db.orm.em.fork()];
    const [seenByA, seenByB] = [await loadConversation(emA, client.address), await loadConversation(emB, client.address)];
    await saveConversation(emA, seenByA, { flow: { kind: 'publish', nonce: 'aaaaaa' } });
    await expect(saveConversation(emB, seenByB, { flow: { kind: 'publish', nonce: 'bbbbbb' } })).rejects.toBeInstanceOf(OptimisticLockError);
    const stored = await loadConversation(db.orm.em.fork(), client.address);
    expect(stored.state).toEqual({ flow: { kind: 'publish', nonce: 'aaaaaa' } });
  });
});

describe('a calendar feed from chat (issue 14)', () => {
  it('issues a secret feed URL only the asker sees, replaces it when asked again, and revokes it', async () => {
    const name = `Client ${++people}`;
    const client = clientOnDiscord(name);
    const em = db.orm.em.fork();
    const tokenIn = (replies: Reply[]): string => {
      expect(replies).toHaveLength(1);
      expect(replies[0]!.private).toBe(true);
      const match = /^Your calendar feed: http:\/\/127\.0\.0\.1:8080\/calendar\/(\S+)\.ics\n/.exec(texts(replies)[0]!);
      expect(match, texts(replies)[0]).not.toBeNull();
      return match![1]!;
    };

    const first = tokenIn(await client.say('calendar'));
    expect((await resolveFeedToken(em, first))?.fullName).toBe(name);
    const second = tokenIn(await client.say('my calendar feed'));
    expect(second).not.toBe(first);
    // A new URL replaces the old one.
    expect(await resolveFeedToken(em, first)).toBeNull();
    expect((await resolveFeedToken(em, second))?.fullName).toBe(name);

    expect(texts(await client.say('revoke calendar'))).toEqual(['Your calendar feed URL no longer works.']);
    expect(await resolveFeedToken(em, second)).toBeNull();
    expect(texts(await client.say('revoke calendar'))).toEqual(['You had no calendar feed URL.']);
  });
});
