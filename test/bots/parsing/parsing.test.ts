import { describe, expect, it } from 'vitest';
import { parseBareClock } from '../../../bots/parsing/clock';
import { parseAvailabilityText } from '../../../bots/parsing/availability';
import { parseDayText } from '../../../bots/parsing/day';
import { isMessageTooLong, MAX_CHAT_MESSAGE_CHARS, messageTooLong } from '../../../bots/parsing/message-length';
import { parsePreferenceText, type PreferenceText } from '../../../bots/parsing/preferences';

// Wednesday 25 November 2026, 10:00 in Berlin.
const now = new Date('2026-11-25T09:00:00Z');
const berlin = { now, timeZone: 'Europe/Berlin' };

type Expected = Partial<Omit<PreferenceText, 'problems' | 'understood'>>;

// Each row: what a person writes, and exactly what the engine must take from it. Keys not
// listed must be absent (weekends/evenings/duration) or empty (time blocks).
const understood: [string, Expected][] = [
  [
    'next week, mornings 10-12, not before 9:30, weekends fine, 90 min',
    { dateRange: { start: '2026-11-30', end: '2026-12-06' }, preferredTimes: ['10:00-12:00'], avoidTimes: ['00:00-09:30'], allowWeekends: true, durationMinutes: 90 },
  ],
  ['tomorrow', { dateRange: { start: '2026-11-26', end: '2026-11-26' } }],
  ['today after 5pm', { dateRange: { start: '2026-11-25', end: '2026-11-25' }, preferredTimes: ['17:00-24:00'], allowEvenings: true }],
  ['Jan 15-20, 10am-12pm or 2pm-4pm, avoid 9-9:30', { dateRange: { start: '2027-01-15', end: '2027-01-20' }, preferredTimes: ['10:00-12:00', '14:00-16:00'], avoidTimes: ['09:00-09:30'] }],
  ['from Dec 1 to Dec 5 between 2 and 4pm', { dateRange: { start: '2026-12-01', end: '2026-12-05' }, preferredTimes: ['14:00-16:00'] }],
  ['Dec 1 - Dec 5, 14:00-16:00', { dateRange: { start: '2026-12-01', end: '2026-12-05' }, preferredTimes: ['14:00-16:00'] }],
  ['next 2 weeks, afternoons 2-4, no weekends', { dateRange: { start: '2026-11-25', end: '2026-12-08' }, preferredTimes: ['14:00-16:00'], allowWeekends: false }],
  ['in the next two weeks, evenings', { dateRange: { start: '2026-11-25', end: '2026-12-08' }, preferredTimes: ['17:00-21:00'], allowEvenings: true }],
  ['within 10 days, 7-9, incl. weekends', { dateRange: { start: '2026-11-25', end: '2026-12-04' }, preferredTimes: ['07:00-09:00'], allowWeekends: true }],
  ['this week', { dateRange: { start: '2026-11-25', end: '2026-11-29' } }],
  ['this weekend, around 10', { dateRange: { start: '2026-11-28', end: '2026-11-29' }, preferredTimes: ['09:00-11:00'] }],
  ['next month, evenings fine', { dateRange: { start: '2026-12-01', end: '2026-12-31' }, allowEvenings: true }],
  ['Monday to Wednesday next week', { dateRange: { start: '2026-11-30', end: '2026-12-02' } }],
  ['Friday, between 10 and 12', { dateRange: { start: '2026-11-27', end: '2026-11-27' }, preferredTimes: ['10:00-12:00'] }],
  ['Mon or Tue', { dateRange: { start: '2026-11-30', end: '2026-12-01' } }],
  ['2026-12-03', { dateRange: { start: '2026-12-03', end: '2026-12-03' } }],
  ['tomorrow at 3pm', { dateRange: { start: '2026-11-26', end: '2026-11-26' }, preferredTimes: ['15:00-16:00'] }],
  ['lunchtime on Thursday', { dateRange: { start: '2026-11-26', end: '2026-11-26' }, preferredTimes: ['12:00-14:00'] }],
  ['weekdays only, not after 6pm', { avoidTimes: ['18:00-24:00'], allowWeekends: false }],
  ['no mornings, no evenings', { avoidTimes: ['00:00-12:00', '17:00-24:00'], allowEvenings: false }],
  ['evenings 6-8, weekends are fine too', { preferredTimes: ['18:00-20:00'], allowWeekends: true, allowEvenings: true }],
  ['11-1', { preferredTimes: ['11:00-13:00'] }],
  ['10h-12h', { preferredTimes: ['10:00-12:00'] }],
  ['9:30 to 11', { preferredTimes: ['09:30-11:00'] }],
  ['not before 9:30 and no later than 19:00', { avoidTimes: ['00:00-09:30', '19:00-24:00'] }],
  ['90 min', { durationMinutes: 90 }],
  ['1.5h', { durationMinutes: 90 }],
  ['2 hours', { durationMinutes: 120 }],
  ['an hour and a half', { durationMinutes: 90 }],
  ['1h30', { durationMinutes: 90 }],
  ['half an hour', { durationMinutes: 30 }],
  ['one hour please', { durationMinutes: 60 }],
  ['45 minutes next Friday', { dateRange: { start: '2026-12-04', end: '2026-12-04' }, durationMinutes: 45 }],
  // A negation before a time span, with or without little words between, avoids it.
  ['not 12-14', { avoidTimes: ['12:00-14:00'] }],
  ['avoid during the 12-14, 16-18', { preferredTimes: ['16:00-18:00'], avoidTimes: ['12:00-14:00'], allowEvenings: true }],
  ['except on the 9-10 and in the 14-15', { preferredTimes: ['14:00-15:00'], avoidTimes: ['09:00-10:00'] }],
  ['cannot 10-12', { preferredTimes: ['10:00-12:00'] }],
  ['mornings 10-12, 2-4 in the afternoon', { preferredTimes: ['10:00-12:00', '14:00-16:00'] }],
];

describe('free text → preferences', () => {
  it.each(understood)('%s', (input, expected) => {
    const parsed = parsePreferenceText(input, berlin);
    expect(parsed.problems).toEqual([]);
    expect(parsed.understood).toBe(true);
    expect(parsed).toEqual({ preferredTimes: [], avoidTimes: [], problems: [], understood: true, ...expected });
  });

  it('reads relative days in the person\'s own zone', () => {
    // 23:30 UTC: already Thursday in Berlin, still Wednesday in New York.
    const late = new Date('2026-11-25T23:30:00Z');
    expect(parsePreferenceText('tomorrow', { now: late, timeZone: 'Europe/Berlin' }).dateRange).toEqual({ start: '2026-11-27', end: '2026-11-27' });
    expect(parsePreferenceText('tomorrow', { now: late, timeZone: 'America/New_York' }).dateRange).toEqual({ start: '2026-11-26', end: '2026-11-26' });
  });
});

// Unclear inputs: the engine must ask (one sentence naming what to write), never guess.
const unclear: [string, RegExp][] = [
  ['2-4', /can't tell whether "2-4" is in the morning or the afternoon; please write it like "2pm-4pm"/],
  ['not after 6', /can't tell whether "6" is in the morning or the afternoon/],
  ['soon', /"soon" doesn't tell me which days/],
  ['whenever', /"whenever" doesn't tell me which days/],
  ['Feb 31', /couldn't read the date "Feb 31"/],
  ['the 15th', /couldn't read the date "15th"/],
  ['3/12', /"3\/12" could be two different dates; please write the month as a word/],
  ['yesterday', /Tue 24 Nov has already passed; please pick days from today on/],
  ['25:00-26:00', /"25:00-26:00" is not a time span I can use/],
  ['5 min', /A session can be 15 minutes to 8 hours long/],
  ['60 min or 90 min', /more than one session length \(60 min and 90 min\)/],
  ['Jan 1 2027 - Jun 30 2027', /more than three months/],
];

describe('unclear free text → a question', () => {
  it.each(unclear)('%s', (input, question) => {
    const parsed = parsePreferenceText(input, berlin);
    expect(parsed.problems[0]?.message).toMatch(question);
    // One sentence: a single full stop, at the end.
    expect(parsed.problems[0]!.message.trim().match(/[.?!](\s|$)/g)).toHaveLength(1);
  });

  it('finds nothing in words that are not about time, and says so by understanding nothing', () => {
    expect(parsePreferenceText('asdfgh', berlin)).toEqual({ preferredTimes: [], avoidTimes: [], problems: [], understood: false });
  });
});

describe('one day for an exact slot', () => {
  it.each([
    ['tomorrow', { day: '2026-11-26' }],
    ['Friday at 3pm', { day: '2026-11-27', startMinute: 900 }],
    ['Dec 3', { day: '2026-12-03' }],
  ])('%s', (input, expected) => {
    expect(parseDayText(input, berlin)).toEqual({ ...expected, problems: [] });
  });

  it('asks for one day when given several, and for a day when given none', () => {
    expect(parseDayText('next week', berlin).problems[0]?.message).toMatch(/pick one day/);
    expect(parseDayText('whatever', berlin).problems[0]?.message).toMatch(/Which day would you like\?/);
  });
});

describe("a trainer's availability", () => {
  it.each([
    ['Mon-Fri 9-17 for the next 2 weeks', { fromDate: '2026-11-25', toDate: '2026-12-08', weekdays: [1, 2, 3, 4, 5], hours: [{ dayStart: '09:00', dayEnd: '17:00' }], slotMinutes: 60 }],
    ['weekdays 7am-12pm next week', { fromDate: '2026-11-30', toDate: '2026-12-06', weekdays: [1, 2, 3, 4, 5], hours: [{ dayStart: '07:00', dayEnd: '12:00' }], slotMinutes: 60 }],
    ['tomorrow 9-12', { fromDate: '2026-11-26', toDate: '2026-11-26', weekdays: [4], hours: [{ dayStart: '09:00', dayEnd: '12:00' }], slotMinutes: 60 }],
    [
      'Tue and Thu 9-12, 14-18 until Dec 20, 30 min slots',
      { fromDate: '2026-11-25', toDate: '2026-12-20', weekdays: [2, 4], hours: [{ dayStart: '09:00', dayEnd: '12:00' }, { dayStart: '14:00', dayEnd: '18:00' }], slotMinutes: 30 },
    ],
  ])('%s', (input, expected) => {
    expect(parseAvailabilityText(input, berlin)).toEqual({ availability: expected, problems: [] });
  });

  it.each([
    ['Mon-Fri 9-17', /For which days\?/],
    ['9-17 next week', /On which days of the week\?/],
    ['Mon-Fri next week', /Which hours are you available\?/],
    ['Sat 2-6 next week', /can't tell whether "2-6"/],
    ['Mon 9-9:30 next week', /shorter than one 60-minute slot/],
  ])('asks about %s', (input, question) => {
    expect(parseAvailabilityText(input, berlin).problems[0]?.message).toMatch(question);
  });
});

describe('messages over the cap', () => {
  it('says in one sentence that a message over 2,000 characters is too long, and nothing about one at the cap', () => {
    expect(MAX_CHAT_MESSAGE_CHARS).toBe(2000);
    expect(messageTooLong('x'.repeat(2000))).toBeUndefined();
    expect(isMessageTooLong('x'.repeat(2000))).toBe(false);
    expect(messageTooLong('x'.repeat(2001))).toBe('That message is too long for me — please keep it under 2,000 characters.');
    expect(isMessageTooLong('x'.repeat(40_000))).toBe(true);
  });

  it('counts characters as a person sees them: an emoji is one', () => {
    expect(messageTooLong('🏋'.repeat(2000))).toBeUndefined();
    expect(messageTooLong('🏋'.repeat(2001))).toMatch(/too long/);
  });

  it('still reads the start of a huge message; a date past the first 2,000 characters is asked about, not read', () => {
    expect(parsePreferenceText(`tomorrow ${'x '.repeat(20_000)}`, berlin).dateRange).toEqual({ start: '2026-11-26', end: '2026-11-26' });
    expect(parsePreferenceText(`${'x '.repeat(1500)}Dec 3`, berlin).problems[0]?.message).toMatch(/couldn't read the date "Dec 3"/);
  });
});

describe('a bare clock time', () => {
  it.each([
    ['10:00', 600],
    ['9.30', 570],
    ['10', 600],
    ['6pm', 1080],
    ['12am', 0],
    ['12 pm', 720],
    ['at 18:15', 1095],
    ['07h45', 465],
  ])('%s is %i minutes after midnight', (text, minutes) => {
    expect(parseBareClock(text)).toBe(minutes);
  });

  it.each(['25', '10:60', '13pm', 'ten', '10-12', 'tomorrow 10:00', ''])('%s is not one', (text) => {
    expect(parseBareClock(text)).toBeUndefined();
  });
});
