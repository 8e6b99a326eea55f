import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PlatformAdapters } from '../../../bots/core/adapter';
import type { OutgoingMessage } from '../../../bots/core/messages';
import { createChatEngine, type ChatEngine } from '../../../bots/engine/chat-engine';
import { ChatNotifier } from '../../../bots/notifications/chat-notifier';
import { MAX_CHAT_MESSAGE_CHARS, messageTooLong } from '../../../bots/parsing/message-length';
import { Booking, BookingRequest, ChatIdentity, TimeSlot, User } from '../../../src/db/entities';
import { describePolicyForClient, policyWording } from '../../../src/domain/policy';
import { issueLinkCode } from '../../../src/identity/link-codes';
import { loadPolicy, savePolicy } from '../../../src/policy';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createSlots, createTrainer } from '../../support/fixtures';
import { startBookingWorker, type RunningBookingWorker } from '../../support/temporal';
import { atDate, dayAhead } from '../../support/time';
import { ChatPerson, texts } from '../support/chat-person';
import { RecordingPlatform } from '../support/recording-platform';

let db: TestDatabase;
let running: RunningBookingWorker;
let engine: ChatEngine;
const slack = new RecordingPlatform('slack');

beforeAll(async () => {
  db = await createTestDatabase();
  const adapters = new PlatformAdapters();
  adapters.register(slack);
  running = await startBookingWorker({ db, notifier: new ChatNotifier(db.orm, adapters) });
  engine = createChatEngine({ orm: db.orm, bookings: running.bookings });
});
afterAll(async () => {
  await running?.stop();
  await db?.drop();
});

let people = 0;
const HOUR_MS = 3_600_000;

/** A UTC trainer (Strength Training, HIIT) with `count` hourly slots from `start`, linked to a Slack account. */
async function linkedTrainer(start: Date, count = 6) {
  const em = db.orm.em.fork();
  const trainer = await createTrainer(em, { pricePerHour: 80 });
  trainer.trainingTypes = ['Strength Training', 'HIIT'];
  await em.flush();
  const slots = await createSlots(em, trainer, start, count);
  const name = (await em.findOneOrFail(User, trainer.user.id)).fullName;
  const person = new ChatPerson(engine, 'slack', `U-trainer-${++people}`, name, 'T1');
  await person.say(`link ${await issueLinkCode(db.orm, trainer.user.id)}`);
  return { trainer, slots, name, person };
}

const client = (name = `Client ${++people}`): ChatPerson => new ChatPerson(engine, 'slack', `U-client-${++people}`, name, 'T1');
const fieldValue = (message: OutgoingMessage, label: string): string | undefined => message.fields?.find((f) => f.label === label)?.value;

/** Flexible request up to the summary (not confirmed). */
async function flexibleSummary(person: ChatPerson, trainerName: string): Promise<OutgoingMessage> {
  await person.say('book');
  await person.press(new RegExp(`^${trainerName}`));
  await person.say('Strength');
  await person.say('next 14 days, any time, weekends fine, 60 min, at the gym');
  await person.press('Skip');
  return person.lastWithActions();
}

/** An exact request for the slot starting at `start` (UTC), up to the summary. */
async function exactSummary(person: ChatPerson, trainerName: string, start: Date): Promise<OutgoingMessage> {
  await person.say('book');
  await person.press(new RegExp(`^${trainerName}`));
  await person.press('HIIT');
  await person.press('60 min');
  await person.press('Online');
  await person.press('Pick an exact time');
  await person.pickDate(DateTime.fromJSDate(start, { zone: 'UTC' }).toISODate()!);
  await person.press(DateTime.fromJSDate(start, { zone: 'UTC' }).toFormat('HH:mm'));
  await person.press('Skip');
  return person.lastWithActions();
}

const requestIdIn = (replies: readonly { message: OutgoingMessage }[]): number => {
  const match = /request #(\d+)/.exec(texts(replies).join(' '));
  expect(match, texts(replies).join(' | ')).not.toBeNull();
  return Number(match![1]);
};

async function waitForStatus(bookingRequestId: number, status: string) {
  await expect.poll(async () => (await running.bookings.state(bookingRequestId)).status, { timeout: 20_000 }).toBe(status);
}

describe('the trainer policy in chat', () => {
  it('answers a message over the cap with one sentence and does not parse it', async () => {
    const person = client('Lou Long');
    const long = `book next week mornings ${'very '.repeat(MAX_CHAT_MESSAGE_CHARS / 5)}`;
    expect(await person.say(long)).toEqual([{ message: { text: messageTooLong(long) }, private: true }]);
    // Not read at all: no account made, no dialogue started.
    expect(await db.orm.em.fork().count(ChatIdentity, { platform: 'slack', externalUserId: person.externalUserId })).toBe(0);
    expect(texts(await person.say('hi'))[0]).toMatch(/^Hi Lou Long!/);
  });

  it('lets a trainer see and change the policy with buttons and a form; invalid values get one sentence; clients are refused politely', async () => {
    const { trainer, person: coach } = await linkedTrainer(atDate(dayAhead(10), 9));
    const [shown] = await coach.say('policy');
    expect(shown!.message.text).toBe(policyWording.settingsIntro());
    expect(fieldValue(shown!.message, 'Minimum notice')).toBe('1 h');
    expect(fieldValue(shown!.message, 'Approval')).toBe('the trainer approves every request');

    const [asked] = await coach.press('Change times…', shown!.message);
    expect(asked!.message.form).toMatchObject({ id: 'policy.times', title: 'Booking times', submitLabel: 'Save' });
    expect(asked!.message.form!.fields.map((f) => f.id)).toEqual(['minNoticeMinutes', 'horizonDays', 'bufferBeforeMinutes', 'bufferAfterMinutes', 'cancelCutoffMinutes']);
    expect(asked!.message.form!.fields.every((f) => f.optional)).toBe(true);

    const [saved] = await coach.submit('policy.times', { minNoticeMinutes: '12', horizonDays: '', bufferBeforeMinutes: '15 min', bufferAfterMinutes: '', cancelCutoffMinutes: '2 days' });
    expect(saved!.message.text).toBe(policyWording.settingsSaved());
    expect(fieldValue(saved!.message, 'Minimum notice')).toBe('12 h');
    expect(await loadPolicy(db.orm.em.fork(), trainer.id)).toMatchObject({ minNoticeMinutes: 720, horizonDays: 90, bufferBeforeMinutes: 15, bufferAfterMinutes: 0, cancelCutoffMinutes: 2880 });

    // Out of bounds: checkPolicyValid's sentence, nothing written.
    expect(await coach.submit('policy.times', { horizonDays: '1000' })).toEqual([{ message: { text: 'horizon_days must be a whole number from 1 to 730.' }, private: true }]);
    expect(await coach.submit('policy.limits', { maxPendingPerClient: '2', maxPendingPerPair: '5' })).toEqual([{ message: { text: policyWording.pairAbovePerClient() }, private: true }]);
    expect(await coach.submit('policy.times', { bufferAfterMinutes: 'lots' })).toEqual([{ message: { text: policyWording.unreadableValue('buffer after each session', 'lots') }, private: true }]);
    expect(await loadPolicy(db.orm.em.fork(), trainer.id)).toMatchObject({ horizonDays: 90, maxPendingPerClient: 3, maxPendingPerPair: 1, bufferAfterMinutes: 0 });

    const [auto] = await coach.press('Auto-approve direct requests');
    expect(fieldValue(auto!.message, 'Approval')).toBe('direct requests that follow the policy are confirmed at once');
    expect((await loadPolicy(db.orm.em.fork(), trainer.id)).approvalMode).toBe('AUTO_DIRECT');

    const someone = client();
    expect(await someone.say('settings')).toEqual([{ message: { text: policyWording.onlyTrainers() }, private: true }]);
    expect(await someone.pressValue('pol.mode', 'AUTO_DIRECT')).toEqual([{ message: { text: policyWording.onlyTrainers() }, private: true }]);
    expect(await someone.submit('policy.times', { minNoticeMinutes: '0' })).toEqual([{ message: { text: policyWording.onlyTrainers() }, private: true }]);
  });

  it('shows the rules in the summary; a request over the pair limit is refused at Confirm in one sentence; Withdraw closes a request and frees the limit', async () => {
    const { trainer, name } = await linkedTrainer(atDate(dayAhead(3), 9));
    await savePolicy(db.orm.em.fork(), trainer.id, { minNoticeMinutes: 720 });
    const policy = await loadPolicy(db.orm.em.fork(), trainer.id);
    const kim = client('Kim Withdraw');

    const summary = await flexibleSummary(kim, name);
    expect(fieldValue(summary, 'Rules')).toBe(describePolicyForClient(policy, name));
    expect(fieldValue(summary, 'Rules')).toBe(`${name} needs 12 h notice; cancelling within 24 h counts as a late cancellation.`);
    const sent = await kim.press('Confirm');
    const first = requestIdIn(sent);
    expect(texts(sent).slice(-2)).toEqual([
      `Sent! ${name} has your request #${first} and 24 hours to answer; I'll tell you here.`,
      `Changed your mind? You can withdraw request #${first} until ${name} answers.`,
    ]);
    const sentMessage = sent.at(-1)!.message;
    expect(sentMessage.actions).toEqual([{ kind: 'button', id: 'rq.withdraw', value: String(first), label: `Withdraw #${first}`, style: 'danger' }]);

    // My bookings: the pending request has its own Withdraw button.
    const [listed] = await kim.say('my bookings');
    expect(ChatPerson.find(listed!.message, `Withdraw #${first}`)).toEqual({ actionId: 'rq.withdraw', value: String(first) });

    // One pending request per client and trainer by default: the second is refused at Confirm.
    await flexibleSummary(kim, name);
    const refused = await kim.press('Confirm');
    // The door's sentence, shown as it is, back at the summary.
    expect(texts(refused).at(-1)).toBe(policyWording.limitPair(policy, name));
    expect(ChatPerson.find(kim.last().message, 'Confirm')).toBeDefined();

    // Nobody else may withdraw it.
    expect(await client().pressValue('rq.withdraw', String(first))).toEqual([{ message: { text: "That request isn't one of yours, or it no longer exists." }, private: true }]);

    expect(texts(await kim.press(`Withdraw #${first}`, sentMessage))).toEqual([`Request #${first} withdrawn; ${name} was told.`]);
    await waitForStatus(first, 'WITHDRAWN');
    expect((await db.orm.em.fork().findOneOrFail(BookingRequest, first)).status).toBe('WITHDRAWN');
    expect(texts(await kim.press(`Withdraw #${first}`, sentMessage))).toEqual([`Request #${first} is already withdrawn; ${name} was told.`]);

    // The limit is free again: the waiting summary's Confirm now sends it.
    const second = requestIdIn(await kim.press('Confirm'));
    expect(second).not.toBe(first);
  });

  it('warns a client before a cancel inside the cutoff, and records it as a late cancellation', async () => {
    // Two hours from the next full hour: inside the 24 h cutoff, outside the 1 h notice, on any day at any hour.
    const start = new Date(Math.ceil(Date.now() / HOUR_MS) * HOUR_MS + 2 * HOUR_MS);
    const { name, person: coach } = await linkedTrainer(start, 1);
    const sam = client('Sam Late');
    await exactSummary(sam, name, start);
    const requestId = requestIdIn(await sam.press('Confirm'));
    const request = await slack.waitFor(coach.externalUserId, (m) => m.text.includes('from Sam Late') && (m.actions ?? []).some((a) => a.kind === 'button' && a.label.startsWith('Approve')));
    await coach.press(/^Approve/, request.message);
    await waitForStatus(requestId, 'APPROVED');
    const booking = await db.orm.em.fork().findOneOrFail(Booking, { bookingRequest: requestId });

    // Moving it is refused up front inside the cutoff, with the rule's sentence.
    const policy = await loadPolicy(db.orm.em.fork(), booking.trainer.id);
    expect(await sam.say(`reschedule ${booking.id}`)).toEqual([{ message: { text: policyWording.cutoffReschedule(policy) }, private: true }]);

    const [question] = await sam.say(`cancel ${booking.id}`);
    expect(question!.message.text).toMatch(/^Cancel HIIT on .*\? Cancelling now counts as a late cancellation: the session starts in less than 24 h\.$/);
    expect(texts(await sam.press('Yes, cancel it'))).toEqual([`Booking #${booking.id}: ${policyWording.lateCancelled()} Both of you get a note.`]);
    await waitForStatus(requestId, 'LATE_CANCELLED');
    expect((await db.orm.em.fork().findOneOrFail(Booking, booking.id)).status).toBe('LATE_CANCELLED');
  });

  it('blocks time off by text after a Yes: free slots go, a slot held by a pending request stays and is listed', async () => {
    const day = dayAhead(6);
    const { trainer, name, person: coach } = await linkedTrainer(atDate(day, 9), 6);
    const alex = client('Alex Held');
    const held = new Date(atDate(day, 11));
    await exactSummary(alex, name, held);
    const requestId = requestIdIn(await alex.press('Confirm'));
    // The workflow holds the requested slot for the trainer's answer.
    await expect.poll(() => db.orm.em.fork().count(TimeSlot, { trainer: trainer.id, startTime: held, lockOwner: `booking-request-${requestId}` }), { timeout: 20_000 }).toBe(1);

    const words = DateTime.fromISO(day, { zone: 'UTC' }).toFormat('LLL d');
    const [question] = await coach.say(`block ${words} 9-15`);
    const dayShown = DateTime.fromISO(day, { zone: 'UTC' }).toFormat('ccc d LLL');
    expect(question!.message.text).toBe(`Block ${dayShown}, 09:00–15:00 (UTC)? Free slots in that time are removed; booked sessions and slots held by a pending request stay, and I'll list them.`);
    // Nothing is removed before the Yes.
    expect(await db.orm.em.fork().count(TimeSlot, { trainer: trainer.id })).toBe(6);

    const [done] = await coach.press('Yes, block it');
    expect(done!.message.text).toMatch(new RegExp(`^Blocked ${dayShown}, 09:00–15:00 \\(UTC\\): 5 free slots removed\\. These stay`));
    expect(done!.message.fields).toHaveLength(1);
    expect(done!.message.fields![0]!.value).toMatch(/11:00–12:00 \(UTC\)$/);
    const left = await db.orm.em.fork().find(TimeSlot, { trainer: trainer.id });
    expect(left.map((slot) => slot.startTime.toISOString())).toEqual([held.toISOString()]);

    // "No" leaves everything; a client may not block anything.
    await coach.say('time off tomorrow');
    expect(texts(await coach.press('No, keep my slots'))).toEqual(['OK, your slots stay as they are.']);
    expect(await alex.say('block tomorrow 9-12')).toEqual([{ message: { text: 'Only trainers can block time off.' }, private: true }]);
  });
});
