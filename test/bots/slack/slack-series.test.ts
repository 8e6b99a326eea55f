import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkChatIdentity } from '../../../bots/identity/link-identity';
import { Booking, User } from '../../../src/db/entities';
import { createClient, createSlots, createTrainer } from '../../support/fixtures';
import { atDate, nextWeekday, plusDays } from '../../support/time';
import { SlackHarness } from './slack-harness';
import { bodyOf, buttonsOf, fieldsOf, hasControls } from './slack-person';

// A weekly series (issue 12) through the real Bolt app against the fake Slack, the real
// workflow (a child per session) and PostgreSQL: the trainer approves it from the options
// message, the client sees the sessions and cancels "this and all following".

let harness: SlackHarness;
beforeAll(async () => {
  harness = await SlackHarness.start({ mode: 'http' });
});
afterAll(async () => {
  await harness?.stop();
});

/** How the bots show a session, "Tue 8 Dec 18:00", and its day, "Tue 8 Dec" (UTC here). */
const shown = (start: Date, format: string): string => DateTime.fromJSDate(start, { zone: 'UTC' }).setLocale('en-GB').toFormat(format);
const session = (start: Date): string => shown(start, 'ccc d LLL HH:mm');
const day = (start: Date): string => shown(start, 'ccc d LLL');

describe('a weekly series in Slack', () => {
  it('the trainer approves a series from the options message; the client is told every session and cancels this and all following', async () => {
    const { fake, db } = harness;
    const em = db.orm.em.fork();
    // Three Tuesdays at 18:00 UTC, the first 4 to 10 days ahead (outside the 24 h cutoff).
    const first = nextWeekday('tuesday', { after: 3 });
    const starts = [0, 1, 2].map((week) => atDate(plusDays(first, 7 * week), 18));
    const trainer = await createTrainer(em, { pricePerHour: 60 });
    trainer.trainingTypes = ['Strength Training'];
    await em.flush();
    for (const start of starts) await createSlots(em, trainer, start, 1);
    const trainerName = (await em.findOneOrFail(User, trainer.user.id)).fullName;
    const coach = harness.person(trainerName);
    await linkChatIdentity(db.orm, { platform: 'slack', workspaceId: fake.teamId, externalUserId: coach.id }, trainer.user.id);
    const clientUser = await createClient(em);
    const client = harness.person(clientUser.fullName);
    await linkChatIdentity(db.orm, { platform: 'slack', workspaceId: fake.teamId, externalUserId: client.id }, clientUser.id);

    let mark = fake.mark();
    const { bookingRequestId } = await harness.worker.bookings.startRequest({
      clientId: clientUser.id,
      trainerId: trainer.id,
      sessionType: 'Strength Training',
      durationMinutes: 60,
      timeZone: 'UTC',
      startTime: starts[0]!.toISOString(),
      recurrence: { interval: 1, weekdays: ['TU'], count: 3, conflictMode: 'ALL_OR_NOTHING' },
    });

    // The trainer's options message: the weekly time, how many sessions are free, what approving does.
    const request = await harness.requestMessageFor(coach, clientUser.fullName, mark);
    expect(bodyOf(request)).toBe(`New weekly series request #${bookingRequestId} from ${clientUser.fullName}: approve one of the weekly times, or reject.`);
    expect(fieldsOf(request).Repeats).toBe('weekly on Tuesdays, 3 sessions, all or nothing');
    expect(fieldsOf(request)['Option 1']).toMatch(
      new RegExp(`^Tuesdays at 18:00, weekly, from ${day(starts[0]!)} \\(UTC\\) · 3 of 3 sessions free · score -?[\\d.]+\nAll or nothing: every session is booked, or none is\\.$`),
    );
    const approve = `Approve Tue 18:00 weekly, from ${shown(starts[0]!, 'd LLL')}`;
    expect(buttonsOf(request)).toEqual([approve, 'Reject']);

    mark = fake.mark();
    await coach.press(request, approve);
    const confirmed = await client.nextMessage(mark, (m) => m.text.startsWith('Confirmed:'), 'the confirmation');
    expect(confirmed.text).toBe(`Confirmed: 3 weekly sessions of Strength Training with ${trainerName} (UTC): ${starts.map(session).join(', ')}, total 180.00.`);
    expect(buttonsOf(confirmed)).toEqual(['My bookings']);
    await coach.nextMessage(mark, (m) => m.text.startsWith(`Booked: 3 weekly sessions of Strength Training with ${clientUser.fullName}`), 'the trainer’s note');
    await fake.waitFor(() => !hasControls(request) && /approved/i.test(bodyOf(request)) && /3 weekly sessions/.test(bodyOf(request)), 'the request message to show the approval');
    const booked = await db.orm.em.fork().find(Booking, { bookingRequest: bookingRequestId }, { orderBy: { startTime: 'asc' } });
    expect(booked.map((b) => [b.startTime.toISOString(), b.status, b.series !== null && b.series !== undefined])).toEqual(starts.map((s) => [s.toISOString(), 'CONFIRMED', true]));

    // The client cancels the second session and all following: two choices, one answer.
    mark = fake.mark();
    await client.say(`cancel ${booked[1]!.id}`);
    const question = await client.nextMessage(mark, (m) => m.text.startsWith('Cancel Strength Training on'), 'the cancel question');
    expect(bodyOf(question)).toMatch(/It is part of a weekly series \(Tuesdays at 18:00\) and 1 more session follows: cancel only this session, or this and all following\.$/);
    expect(buttonsOf(question)).toEqual(['This session', 'This and all following (2)', 'Keep it']);
    mark = fake.mark();
    await client.press(question, 'This and all following (2)');
    const done = `2 sessions cancelled from ${day(starts[1]!)}; both of you get a note.`;
    await fake.waitFor(() => bodyOf(question) === done, 'the question to show how it went');
    await coach.nextMessage(mark, (m) => m.text === `Strength Training with ${clientUser.fullName}: 2 sessions cancelled from ${day(starts[1]!)} (Cancelled in chat by the client).`, 'the trainer’s note of the cancel');
    const after = await db.orm.em.fork().find(Booking, { bookingRequest: bookingRequestId }, { orderBy: { startTime: 'asc' } });
    expect(after.map((b) => b.status)).toEqual(['CONFIRMED', 'CANCELLED', 'CANCELLED']);
  });
});
