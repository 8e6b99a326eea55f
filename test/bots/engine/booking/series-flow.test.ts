import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../../../bots/core/messages';
import { PolicyRefusalError, policyWording, DEFAULT_POLICY } from '../../../../src/domain/policy';
import { RequestValidationError } from '../../../../src/requests/new-request';
import { seriesRequestWording } from '../../../../src/domain/series/request-rules';
import { InvalidRecurrenceError } from '../../../../src/series/recurrence';
import { ChatPerson, texts } from '../../support/chat-person';
import { InMemoryChat } from '../support/in-memory-chat';

// A fixed Wednesday, 10:00 in Berlin: the dialogue reads every relative date against it.
const NOW = new Date('2026-12-02T09:00:00Z');
const BERLIN = 'Europe/Berlin';

function setUp() {
  const chat = new InMemoryChat(NOW);
  const trainer = chat.addTrainer({ name: 'Alex Morgan', gymName: 'Iron Works' });
  // Bookings up to a year ahead, so "until March" fits (the default horizon is 90 days).
  chat.policies.set(trainer.id, { ...DEFAULT_POLICY, horizonDays: 365 });
  // Thursday 3 Dec, 09:00–15:00 UTC (10:00–16:00 in Berlin), hourly.
  chat.addSlots(trainer.id, new Date('2026-12-03T09:00:00Z'), 6);
  const client = new ChatPerson(chat.engine(), 'discord', 'D-jamie', 'Jamie Lee', '');
  chat.addClient(client.address, { fullName: 'Jamie Lee', timeZone: BERLIN });
  return { chat, trainer, client };
}

const fieldValue = (message: OutgoingMessage, label: string): string | undefined => message.fields?.find((f) => f.label === label)?.value;

/** Writes `text`, skips the notes, and returns the summary shown before Confirm. */
async function summaryAfter(client: ChatPerson, text: string): Promise<OutgoingMessage> {
  await client.say(text);
  await client.press('Skip');
  return client.lastWithActions();
}

describe('a weekly series from free text (in memory)', () => {
  it('help names a weekly series with examples', async () => {
    const { client } = setUp();
    const [help] = await client.say('help');
    expect(help!.message.text).toContain('or a weekly series ("book every Tuesday 18:00 for 10 weeks", "every other Monday at 7 until March", "weekly Tue and Thu 7:00, 8 sessions"');
  });

  it('"every Tuesday 18:00 for 10 weeks": the summary lists the sessions in the client\'s zone, Confirm starts one request with the recurrence', async () => {
    const { chat, trainer, client } = setUp();
    expect(texts(await client.say('book Alex, strength, 60 min, online, every Tuesday 18:00 for 10 weeks'))).toEqual(['Anything the trainer should know (goals, injuries)? Write it, or press Skip.']);
    const [summary] = await client.press('Skip');
    expect(summary!.message.text).toBe('Please check your series and press Confirm to send it to the trainer.');
    expect(fieldValue(summary!.message, 'First session')).toBe('Tue 8 Dec, 18:00–19:00 (Europe/Berlin)');
    expect(fieldValue(summary!.message, 'Repeats')).toBe(
      '10 sessions, Tuesdays at 18:00 (Europe/Berlin): Tue 8 Dec, Tue 15 Dec, Tue 22 Dec, Tue 29 Dec, Tue 5 Jan, Tue 12 Jan, Tue 19 Jan, Tue 26 Jan, Tue 2 Feb, Tue 9 Feb',
    );
    expect(fieldValue(summary!.message, 'If a date is taken')).toBe('book none of them (all or nothing)');
    expect(chat.client.calls).toEqual([]);

    expect(texts(await client.press('Confirm'))).toEqual([
      'Sending your request to Alex Morgan…',
      'Sent! Alex Morgan has your request #501 and 24 hours to answer; I\'ll tell you here.',
      'Changed your mind? You can withdraw request #501 until Alex Morgan answers.',
    ]);
    const [request] = chat.client.onlyCall('startRequest');
    expect(request).toEqual({
      clientId: chat.userAt(client.address).userId,
      trainerId: trainer.id,
      sessionType: 'Strength Training',
      durationMinutes: 60,
      locationType: 'ONLINE',
      location: 'Online',
      specialRequests: null,
      timeZone: BERLIN,
      // 18:00 in Berlin in winter.
      startTime: '2026-12-08T17:00:00.000Z',
      recurrence: { frequency: 'WEEKLY', interval: 1, weekdays: ['TU'], count: 10, conflictMode: 'ALL_OR_NOTHING' },
    });
    expect(chat.stateOf(client.address).flow).toBeNull();
  });

  it('"every other Monday at 7 until March": 07:00 local on both sides of the spring clock change, until the last day of March', async () => {
    const { chat, client } = setUp();
    const summary = await summaryAfter(client, 'book Alex, HIIT, 45 min, at the gym, every other Monday at 7 until March');
    expect(fieldValue(summary, 'Repeats')).toBe(
      '9 sessions, every other Monday at 07:00 (Europe/Berlin): Mon 7 Dec, Mon 21 Dec, Mon 4 Jan, Mon 18 Jan, Mon 1 Feb, Mon 15 Feb, Mon 1 Mar, Mon 15 Mar, Mon 29 Mar',
    );
    await client.press('Confirm');
    const [request] = chat.client.onlyCall('startRequest');
    expect(request).toMatchObject({ startTime: '2026-12-07T06:00:00.000Z', timeZone: BERLIN, recurrence: { frequency: 'WEEKLY', interval: 2, weekdays: ['MO'], until: '2027-03-31', conflictMode: 'ALL_OR_NOTHING' } });
    expect(request.recurrence).not.toHaveProperty('count');
  });

  it('"weekly Tue and Thu 7:00, 8 sessions": two days a week from the first one the notice allows', async () => {
    const { chat, client } = setUp();
    const summary = await summaryAfter(client, 'book Alex, strength, 60 min, online, weekly Tue and Thu 7:00, 8 sessions');
    expect(fieldValue(summary, 'Repeats')).toBe('8 sessions, Tuesdays and Thursdays at 07:00 (Europe/Berlin): Thu 3 Dec, Tue 8 Dec, Thu 10 Dec, Tue 15 Dec, Thu 17 Dec, Tue 22 Dec, Thu 24 Dec, Tue 29 Dec');
    await client.press('Confirm');
    expect(chat.client.onlyCall('startRequest')[0]).toMatchObject({ startTime: '2026-12-03T06:00:00.000Z', recurrence: { interval: 1, weekdays: ['TU', 'TH'], count: 8 } });
  });

  it('the first session respects the trainer\'s notice: a Wednesday series starting today moves to next week', async () => {
    const { chat, client } = setUp();
    // 10:30 in Berlin today is 30 minutes away, inside the default 60-minute notice.
    const summary = await summaryAfter(client, 'book Alex, strength, 60 min, online, every Wednesday 10:30, x3');
    expect(DEFAULT_POLICY.minNoticeMinutes).toBe(60);
    expect(fieldValue(summary, 'Repeats')).toBe('3 sessions, Wednesdays at 10:30 (Europe/Berlin): Wed 9 Dec, Wed 16 Dec, Wed 23 Dec');
    await client.press('Confirm');
    expect(chat.client.onlyCall('startRequest')[0]).toMatchObject({ startTime: '2026-12-09T09:30:00.000Z' });
  });

  it('a long series lists its first dates and its last', async () => {
    const { client } = setUp();
    const summary = await summaryAfter(client, 'book Alex, strength, 60 min, online, every Friday at 6pm for 20 weeks');
    expect(fieldValue(summary, 'Repeats')).toBe(
      '20 sessions, Fridays at 18:00 (Europe/Berlin): Fri 4 Dec, Fri 11 Dec, Fri 18 Dec, Fri 25 Dec, Fri 1 Jan, Fri 8 Jan, Fri 15 Jan, Fri 22 Jan, Fri 29 Jan, Fri 5 Feb, … (9 more) …, Fri 16 Apr',
    );
  });

  it('without a time it is a flexible series: preferences start at the first named day, the trainer offers the time', async () => {
    const { chat, client } = setUp();
    expect(texts(await client.say('book Alex, strength, 60 min, online, every Tuesday, mornings, 10 sessions'))).toEqual(['Anything else about when? Add it, or press Continue.']);
    await client.press('Continue');
    const [summary] = await client.press('Skip');
    expect(fieldValue(summary!.message, 'First session')).toBe('Tue 8 Dec – Mon 14 Dec; prefers 06:00–12:00; no weekends; no evenings (Europe/Berlin)');
    expect(fieldValue(summary!.message, 'Repeats')).toBe('10 sessions, Tuesdays, at a time the trainer offers (Europe/Berlin); the first between Tue 8 Dec and Mon 14 Dec');
    await client.press('Confirm');
    const [request] = chat.client.onlyCall('startRequest');
    expect(request).toMatchObject({
      preferences: { preferredStartDate: '2026-12-08', preferredEndDate: '2026-12-14', preferredTimes: ['06:00-12:00'] },
      recurrence: { frequency: 'WEEKLY', interval: 1, weekdays: ['TU'], count: 10, conflictMode: 'ALL_OR_NOTHING' },
    });
    expect(request).not.toHaveProperty('startTime');
  });

  it('a series written with no dialogue under way starts the booking; the missing end is asked for', async () => {
    const { chat, client } = setUp();
    expect(texts(await client.say('every Tuesday 18:00, available dates only'))).toEqual(['Which trainer would you like to book? Pick one or type a name.']);
    expect(chat.stateOf(client.address).flow).toMatchObject({ kind: 'book', draft: { mode: 'exact', series: { interval: 1, weekdays: ['TU'], time: '18:00', conflictMode: 'AVAILABLE_ONLY' } } });
    await client.say('Alex, strength, 60 min, online');
    const [end] = client.heard.slice(-1);
    expect(end!.message.text).toBe('How many sessions, or until when? Pick one, or write it, e.g. "10 sessions", "until March" or "for 3 months".');
    expect(fieldValue(end!.message, 'Repeats')).toBe('Tuesdays');
    await client.say('for 3 months');
    const [summary] = await client.press('Skip');
    // From Tue 8 Dec, 3 months is through Sun 7 Mar.
    expect(fieldValue(summary!.message, 'Repeats')).toMatch(/^13 sessions, Tuesdays at 18:00 \(Europe\/Berlin\): Tue 8 Dec, .* Tue 2 Mar$/);
    expect(fieldValue(summary!.message, 'If a date is taken')).toBe('book the free dates and skip the taken ones');
    await client.press('Confirm');
    expect(chat.client.onlyCall('startRequest')[0].recurrence).toEqual({ frequency: 'WEEKLY', interval: 1, weekdays: ['TU'], until: '2027-03-07', conflictMode: 'AVAILABLE_ONLY' });
  });
});

describe('a weekly series with the Repeat buttons (in memory)', () => {
  it('one exact slot, then Repeat weekly… → Every 2 weeks → days → 8 sessions → free dates only → Confirm', async () => {
    const { chat, client } = setUp();
    await client.say('book Alex, HIIT, 60 min, online');
    await client.press('Pick an exact time');
    await client.press('Thu 3 Dec');
    await client.press('11:00');
    const [single] = await client.press('Skip');
    expect(fieldValue(single!.message, 'Time')).toBe('Thu 3 Dec, 11:00–12:00 (Europe/Berlin)');
    expect(fieldValue(single!.message, 'Repeats')).toBeUndefined();

    expect(texts(await client.press('Repeat weekly…'))).toEqual(['How often should it repeat? Pick one, or write it, e.g. "every Tuesday, 10 sessions".']);
    const [days] = await client.press('Every 2 weeks');
    expect(days!.message.text).toBe('On which days? Thursdays like the first session, or add days; or write them, e.g. "Tue and Thu".');
    expect(fieldValue(days!.message, 'Days so far')).toBe('Thu');
    const [added] = await client.press('Monday');
    expect(fieldValue(added!.message, 'Days so far')).toBe('Thu, Mon');
    const [removed] = await client.press('Monday ✓');
    expect(fieldValue(removed!.message, 'Days so far')).toBe('Thu');
    const [end] = await client.press('Only Thursdays');
    expect(fieldValue(end!.message, 'Repeats')).toBe('every other Thursday');
    const [summary] = await client.press('8 sessions');
    expect(fieldValue(summary!.message, 'First session')).toBe('Thu 3 Dec, 11:00–12:00 (Europe/Berlin)');
    expect(fieldValue(summary!.message, 'Repeats')).toBe(
      '8 sessions, every other Thursday at 11:00 (Europe/Berlin): Thu 3 Dec, Thu 17 Dec, Thu 31 Dec, Thu 14 Jan, Thu 28 Jan, Thu 11 Feb, Thu 25 Feb, Thu 11 Mar',
    );
    expect(fieldValue(summary!.message, 'If a date is taken')).toBe('book none of them (all or nothing)');

    const [chosen] = await client.press('Book free dates only');
    expect(fieldValue(chosen!.message, 'If a date is taken')).toBe('book the free dates and skip the taken ones');
    await client.press('Confirm');
    expect(chat.client.onlyCall('startRequest')[0]).toMatchObject({
      startTime: '2026-12-03T10:00:00.000Z',
      recurrence: { frequency: 'WEEKLY', interval: 2, weekdays: ['TH'], count: 8, conflictMode: 'AVAILABLE_ONLY' },
    });
  });

  it('the Repeat questions answered in words: "every 2 weeks", "Tue and Thu", "until March"', async () => {
    const { chat, client } = setUp();
    await client.say('book Alex, HIIT, 60 min, online');
    await client.press('Pick an exact time');
    await client.press('Thu 3 Dec');
    await client.press('11:00');
    await client.press('Skip');
    await client.press('Repeat weekly…');
    expect(texts(await client.say('every 2 weeks'))[0]).toMatch(/^On which days\?/);
    const [end] = await client.say('Tue and Thu');
    expect(fieldValue(end!.message, 'Repeats')).toBe('every other week on Tuesdays and Thursdays');
    const [summary] = await client.say('until March');
    expect(fieldValue(summary!.message, 'Repeats')).toBe(
      '17 sessions, every other week on Tuesdays and Thursdays at 11:00 (Europe/Berlin): Thu 3 Dec, Tue 15 Dec, Thu 17 Dec, Tue 29 Dec, Thu 31 Dec, Tue 12 Jan, Thu 14 Jan, Tue 26 Jan, Thu 28 Jan, Tue 9 Feb, … (6 more) …, Thu 25 Mar',
    );
    await client.press('Confirm');
    expect(chat.client.onlyCall('startRequest')[0]).toMatchObject({ startTime: '2026-12-03T10:00:00.000Z', recurrence: { interval: 2, weekdays: ['TU', 'TH'], until: '2027-03-31' } });
  });

  it('an end date from the picker, and Once turns it back into one session', async () => {
    const { chat, client } = setUp();
    await client.say('book Alex, HIIT, 60 min, online, next week');
    await client.press('Skip');
    await client.press('Repeat weekly…');
    await client.press('Weekly');
    const [end] = await client.press('Any day');
    expect(end!.message.text).toMatch(/^How many sessions, or until when\?/);
    expect(fieldValue(end!.message, 'Repeats')).toBe('weekly');
    const [summary] = await client.pickDate('2027-01-31');
    expect(fieldValue(summary!.message, 'Repeats')).toBe('Weekly until Sun 31 Jan, at a time the trainer offers (Europe/Berlin); the first between Mon 7 Dec and Sun 13 Dec');

    await client.press('Repeat');
    await client.press('Once');
    const [single] = client.heard.slice(-1);
    expect(fieldValue(single!.message, 'Repeats')).toBeUndefined();
    await client.press('Confirm');
    expect(chat.client.onlyCall('startRequest')[0]).not.toHaveProperty('recurrence');
  });

  it('the conflict mode can be said in words, and pressed back to all or nothing', async () => {
    const { chat, client } = setUp();
    await summaryAfter(client, 'book Alex, strength, 60 min, online, every Tuesday 18:00 x4');
    const [said] = await client.say('available dates only');
    expect(fieldValue(said!.message, 'If a date is taken')).toBe('book the free dates and skip the taken ones');
    const [pressed] = await client.press('All or nothing');
    expect(fieldValue(pressed!.message, 'If a date is taken')).toBe('book none of them (all or nothing)');
    await client.press('Confirm');
    expect(chat.client.onlyCall('startRequest')[0].recurrence).toMatchObject({ count: 4, conflictMode: 'ALL_OR_NOTHING' });
  });
});

describe('a series that cannot be booked: one sentence, nothing started', () => {
  const bad: [string, string, string][] = [
    ['zero sessions', 'every Tuesday 18:00, 0 sessions', 'A series needs at least one session.'],
    ['more than 52', 'every Tuesday 18:00, 60 sessions', 'A series can have at most 52 sessions.'],
    ['an until-date giving more than 52', 'every Tuesday and Thursday 18:00 until 2027-12-31', 'That end date gives more than 52 sessions: choose an earlier end date.'],
    ['an end in the past', 'every Tuesday 18:00 until 2026-11-01', 'The end date is before the first date: choose an end date on or after it.'],
    ['an end before the first session', 'every Tuesday 18:00 until Dec 5', 'The end date is before the first date: choose an end date on or after it.'],
    ['every 6 weeks', 'every 6 weeks on Tuesday at 18:00, 5 sessions', 'The interval must be a whole number of weeks from 1 to 4.'],
    ['monthly', 'monthly on Tuesday at 18:00', 'I can book sessions that repeat weekly or every 2, 3 or 4 weeks, not "monthly"; write it like "every Tuesday" or "every other Monday".'],
  ];
  it.each(bad)('%s', async (_name, pattern, sentence) => {
    const { chat, client } = setUp();
    const replies = await client.say(`book Alex, strength, 60 min, online, ${pattern}`);
    expect(texts(replies)).toEqual([sentence]);
    await client.say('skip');
    expect(chat.client.calls).toEqual([]);
    expect(chat.effects).toEqual([]);
  });

  it('a series past the trainer\'s horizon is refused before Confirm with the request\'s own sentence', async () => {
    const { chat, trainer, client } = setUp();
    chat.policies.set(trainer.id, DEFAULT_POLICY);
    expect(texts(await client.say('book Alex, strength, 60 min, online, every Tuesday 18:00 for 20 weeks'))).toEqual([
      seriesRequestWording.lastBeyondHorizon(DEFAULT_POLICY, '2027-04-20', 20, 'Alex Morgan'),
    ]);
    expect(texts(await client.say('until June'))).toEqual([seriesRequestWording.untilBeyondHorizon(DEFAULT_POLICY, '2027-03-02', 'Alex Morgan')]);
    expect(texts(await client.say('12 sessions'))).toEqual(['Anything the trainer should know (goals, injuries)? Write it, or press Skip.']);
    expect(chat.client.calls).toEqual([]);
  });

  it('after a refused end the dialogue asks for the end again, and a good one goes on', async () => {
    const { chat, client } = setUp();
    expect(texts(await client.say('book Alex, strength, 60 min, online, every Tuesday 18:00 until Dec 5'))).toEqual(['The end date is before the first date: choose an end date on or after it.']);
    expect(client.lastWithActions().actions!.some((a) => a.kind === 'button' && a.label === '8 sessions')).toBe(true);
    expect(texts(await client.say('6'))).toEqual(['Anything the trainer should know (goals, injuries)? Write it, or press Skip.']);
    await client.press('Skip');
    await client.press('Confirm');
    expect(chat.client.onlyCall('startRequest')[0].recurrence).toMatchObject({ count: 6 });
  });

  // Each refusal goes back to the part it names: the end, the days, or the first session's day and time.
  const refusals: [string, Error, string, string][] = [
    ['a 422 naming recurrence.until', new RequestValidationError('recurrence.until', 'The series ends after the trainer\'s booking horizon.'), 'The series ends after the trainer\'s booking horizon.', '8 sessions'],
    ['InvalidRecurrenceError', new InvalidRecurrenceError([{ field: 'weekdays', sentence: 'Choose at least one weekday (MO, TU, WE, TH, FR, SA or SU).' }]), 'Choose at least one weekday (MO, TU, WE, TH, FR, SA or SU).', 'Only Tuesdays'],
    ['a policy refusal', new PolicyRefusalError({ code: 'policy_horizon', sentence: policyWording.horizon(DEFAULT_POLICY, 'Alex Morgan'), field: 'start_time' }), policyWording.horizon(DEFAULT_POLICY, 'Alex Morgan'), 'Thu 3 Dec'],
  ];
  it.each(refusals)('a refusal of the request (%s) is its one sentence, and the dialogue asks that part again', async (_name, error, sentence, button) => {
    const { chat, client } = setUp();
    await summaryAfter(client, 'book Alex, strength, 60 min, online, every Tuesday 18:00 for 10 weeks');
    chat.client.next.startRequest = error;
    const replies = await client.press('Confirm');
    expect(texts(replies)).toEqual(['Sending your request to Alex Morgan…', sentence]);
    expect(chat.stateOf(client.address).flow).toMatchObject({ kind: 'book', submitting: false, draft: { series: { interval: 1 } } });
    expect(() => ChatPerson.find(replies[1]!.message, button)).not.toThrow();
    expect(chat.client.callsOf('startRequest')).toHaveLength(1);
  });
});
