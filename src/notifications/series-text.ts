/**
 * What people read about a weekly series (issue 12), in one place for every door that shows
 * one: the chat notifications and their Slack, Discord and terminal renderings
 * (bots/notifications), the chat's "my bookings" and cancel answers (bots/engine), and the
 * e-mails (email-message.ts). Times are always shown in the zone given (the reader's); the
 * series' own zone (`timeZone` of a rule or option) is what its sessions keep across DST.
 */
import { DateTime } from 'luxon';
import { WEEKDAY_CODES, type WeekdayCode } from '../domain/series/recurrence';
import type { SeriesConflictMode, SeriesRecurrence } from '../domain/series/series';
import { seriesWording } from '../domain/series/wording';
import type { SeriesOccurrenceOption, SeriesOptionDetail, SlotOption } from '../../workflows/contract';

const LOCALE = 'en-GB';
const PLURAL_DAYS = ['Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays', 'Sundays'] as const;
const SHORT_DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** How many dates a chat message lists before "and N more" (Slack and Discord cut long fields). */
export const MAX_LISTED_DATES = 6;
/** How many sessions a chat message lists before "and N more". */
export const MAX_LISTED_SESSIONS = 12;
/** A reason is one sentence; longer ones are cut so that a list of them stays readable. */
const MAX_REASON = 100;

const at = (iso: string, zone: string): DateTime => DateTime.fromISO(iso, { zone }).setLocale(LOCALE);

/** "Tue 15 Dec" for an instant in the zone. */
export const dayIn = (iso: string, zone: string): string => at(iso, zone).toFormat('ccc d LLL');
/** "Tue 15 Dec 18:00" for an instant in the zone. */
export const sessionIn = (iso: string, zone: string): string => at(iso, zone).toFormat('ccc d LLL HH:mm');

const and = (items: readonly string[]): string => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`);
const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;
const clipReason = (reason: string): string => {
  const trimmed = reason.trim().replace(/\.$/, '');
  return trimmed.length <= MAX_REASON ? trimmed : `${trimmed.slice(0, MAX_REASON - 1)}…`;
};

/** A rule as stored on a series and its bookings (RFC 5545 text from toRRule), read back. */
export interface SeriesRule {
  timeZone: string;
  /** YYYY-MM-DD of DTSTART in `timeZone`. */
  firstDate: string;
  /** HH:MM of every session in `timeZone`. */
  localTime: string;
  interval: number;
  weekdays: WeekdayCode[];
  count?: number;
}

/** `DTSTART;TZID=Europe/Berlin:20261208T180000` + `RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;…`; null for anything else. */
export function readRule(rrule: string | null | undefined): SeriesRule | null {
  if (!rrule) return null;
  const start = /DTSTART;TZID=([^:\s]+):(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})\d{2}/.exec(rrule);
  const rule = /RRULE:([^\s]+)/.exec(rrule);
  if (!start || !rule) return null;
  const parts = new Map(rule[1]!.split(';').map((part) => part.split('=') as [string, string]));
  if (parts.get('FREQ') !== 'WEEKLY') return null;
  const weekdays = (parts.get('BYDAY') ?? '').split(',').filter((code): code is WeekdayCode => (WEEKDAY_CODES as readonly string[]).includes(code));
  const count = parts.has('COUNT') ? Number(parts.get('COUNT')) : undefined;
  return {
    timeZone: start[1]!,
    firstDate: `${start[2]}-${start[3]}-${start[4]}`,
    localTime: `${start[5]}:${start[6]}`,
    interval: Number(parts.get('INTERVAL') ?? '1') || 1,
    weekdays,
    ...(count !== undefined && Number.isInteger(count) ? { count } : {}),
  };
}

/** 1 → "weekly", 2 → "every 2 weeks". */
export const repeatWords = (interval: number): string => (interval <= 1 ? 'weekly' : `every ${interval} weeks`);

/** "10 weekly sessions", "1 weekly session", "8 sessions every 2 weeks". */
export const sessionsNoun = (count: number, interval: number): string =>
  interval <= 1 ? plural(count, 'weekly session', 'weekly sessions') : `${plural(count, 'session', 'sessions')} every ${interval} weeks`;

/** Monday-first weekday indexes (0 = Monday) as "Tuesdays and Thursdays". */
const pluralDays = (indexes: readonly number[]): string => and([...new Set(indexes)].sort((a, b) => a - b).map((i) => PLURAL_DAYS[i]!));
const shortDays = (indexes: readonly number[]): string => [...new Set(indexes)].sort((a, b) => a - b).map((i) => SHORT_DAYS[i]!).join('/');

/**
 * The weekdays and clock time of sessions as they fall in `zone`: "Tuesdays at 18:00". A
 * series keeps its time in its own zone, so in another zone with other DST dates the time
 * can differ across the year: "Tuesdays at 12:00 or 13:00".
 */
function daysAndTimeIn(starts: readonly string[], zone: string): { days: number[]; times: string[] } {
  const days: number[] = [];
  const times: string[] = [];
  for (const start of starts) {
    const local = at(start, zone);
    days.push(local.weekday - 1);
    const time = local.toFormat('HH:mm');
    if (!times.includes(time)) times.push(time);
  }
  return { days, times };
}

/**
 * A series option's weekly time for the trainer: "Tuesdays at 18:00, weekly, from Tue 8 Dec
 * (Europe/Berlin)"; in a zone other than the series' own it also says the time the sessions
 * keep there: "… (America/New_York; 18:00 in Europe/Berlin)".
 */
export function weeklyTime(detail: SeriesOptionDetail, zone: string): string {
  const starts = detail.occurrences.filter((o) => o.state !== 'nonexistent').map((o) => o.start);
  const first = starts[0] ?? detail.occurrences[0]?.start;
  const { days, times } = daysAndTimeIn(starts, zone);
  const dayWords = zone === detail.timeZone && detail.weekdays.length > 0 ? pluralDays(detail.weekdays.map((code) => WEEKDAY_CODES.indexOf(code))) : pluralDays(days);
  const timeWords = zone === detail.timeZone ? detail.localTime : times.join(' or ');
  const where = zone === detail.timeZone ? zone : `${zone}; ${detail.localTime} in ${detail.timeZone}`;
  return `${dayWords} at ${timeWords}, ${repeatWords(detail.interval)}${first ? `, from ${dayIn(first, zone)}` : ''} (${where})`;
}

/** "8 of 10 sessions free". */
export const freeCount = (detail: Pick<SeriesOptionDetail, 'free' | 'total'>): string => `${detail.free} of ${plural(detail.total, 'session', 'sessions')} free`;

/** "all or nothing" / "available dates only". */
export const conflictModeName = (mode: SeriesConflictMode): string => (mode === 'AVAILABLE_ONLY' ? 'available dates only' : 'all or nothing');

/** What approving does in that mode, one sentence. */
export function conflictModeSentence(mode: SeriesConflictMode): string {
  return mode === 'AVAILABLE_ONLY' ? 'Available dates only: the free sessions are booked and the others skipped.' : 'All or nothing: every session is booked, or none is.';
}

/**
 * Dates with why, grouped by reason and capped: "Tue 15 Dec, Tue 22 Dec: the trainer is not
 * free then; Tue 29 Dec: you already have a session at that time; and 3 more". `max`
 * undefined lists them all (e-mail).
 */
export function datesWithReasons(entries: readonly { start: string; reason: string }[], zone: string, max?: number): string {
  const shown = max === undefined ? entries : entries.slice(0, max);
  const groups = new Map<string, string[]>();
  for (const entry of shown) {
    const reason = clipReason(entry.reason);
    groups.set(reason, [...(groups.get(reason) ?? []), dayIn(entry.start, zone)]);
  }
  const parts = [...groups].map(([reason, days]) => `${days.join(', ')}: ${reason}`);
  const more = entries.length - shown.length;
  return `${parts.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}

/** The sessions of an option that cannot be booked now, with why (a nonexistent local time by its own date). */
export function notFree(occurrences: readonly SeriesOccurrenceOption[], zone: string, max?: number): string {
  const taken = occurrences.filter((o) => o.state !== 'free');
  return datesWithReasons(
    taken.map((o) => ({ start: o.state === 'nonexistent' ? `${o.localDate}T12:00:00Z` : o.start, reason: o.reason ?? (o.state === 'nonexistent' ? 'the time does not exist that day (clocks change)' : 'not free') })),
    zone,
    max,
  );
}

/**
 * One series option for the trainer, as lines: the weekly time, how many sessions are free
 * and the score; the dates that are not free, with why; what approving does.
 */
export function seriesOptionLines(option: SlotOption & { series: SeriesOptionDetail }, zone: string, max?: number): string[] {
  const detail = option.series;
  const lines = [`${weeklyTime(detail, zone)} · ${freeCount(detail)} · score ${option.totalScore}`];
  if (detail.free < detail.total) lines.push(`Not free: ${notFree(detail.occurrences, zone, max)}`);
  lines.push(conflictModeSentence(detail.conflictMode));
  return lines;
}

/** "Approve Tue 18:00 weekly, from 8 Dec" (fits a button: under 75 characters). */
export function approveSeriesLabel(option: SlotOption & { series: SeriesOptionDetail }, zone: string): string {
  const detail = option.series;
  const first = detail.occurrences.find((o) => o.state !== 'nonexistent')?.start ?? option.slotStart;
  const { days, times } = daysAndTimeIn([first], zone);
  const dayWords = zone === detail.timeZone && detail.weekdays.length > 0 ? shortDays(detail.weekdays.map((code) => WEEKDAY_CODES.indexOf(code))) : shortDays(days);
  return `Approve ${dayWords} ${times[0] ?? detail.localTime} ${repeatWords(detail.interval)}, from ${at(first, zone).toFormat('d LLL')}`;
}

/** "Tue 8 Dec 18:00, Tue 15 Dec 18:00 and 8 more" (all of them without `max`). */
export function sessionList(sessions: readonly { startTime: string }[], zone: string, max?: number): string {
  const shown = (max === undefined ? sessions : sessions.slice(0, max)).map((s) => sessionIn(s.startTime, zone));
  const more = sessions.length - shown.length;
  return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/** "Weekly series, Tuesdays at 18:00" for a booking of a series, in the reader's zone. */
export function partOfSeries(rrule: string | null | undefined, startTime: Date | string, zone: string): string {
  const rule = readRule(rrule);
  const start = typeof startTime === 'string' ? startTime : startTime.toISOString();
  const { days, times } = daysAndTimeIn([start], zone);
  if (!rule) return `part of a weekly series (${pluralDays(days)} at ${times[0]!})`;
  const dayWords = zone === rule.timeZone && rule.weekdays.length > 0 ? pluralDays(rule.weekdays.map((code) => WEEKDAY_CODES.indexOf(code))) : pluralDays(days);
  const noun = rule.interval <= 1 ? 'a weekly series' : `a series every ${rule.interval} weeks`;
  return `part of ${noun} (${dayWords} at ${zone === rule.timeZone ? rule.localTime : times[0]!})`;
}

/** The earliest of some sessions (for "from …"). */
export function earliest<T extends { startTime: string }>(sessions: readonly T[]): T | undefined {
  return [...sessions].sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime))[0];
}

/**
 * What "this and all following" did, as a clause: "6 sessions cancelled from Tue 15 Dec",
 * and when a client cancelled inside the cutoff "…; 1 of them counts as a late cancellation"
 * (the series' wording, as the workflow's own notification says it).
 */
export function cancelledSummary(cancelled: readonly { startTime: string; status: string }[], zone: string): string {
  const first = earliest(cancelled);
  const base = first ? `${plural(cancelled.length, 'session', 'sessions')} cancelled from ${dayIn(first.startTime, zone)}` : 'no sessions cancelled';
  const late = cancelled.filter((c) => c.status === 'LATE_CANCELLED').length;
  return late > 0 ? `${base}; ${seriesWording.lateCancellations(cancelled.length, late)}` : base;
}

/** What a series request asks for: "weekly on Tuesdays, 10 sessions, all or nothing", "every 2 weeks, until Sun 28 Feb, available dates only". */
export function repeatsWanted(recurrence: SeriesRecurrence): string {
  const days = recurrence.weekdays.length > 0 ? ` on ${pluralDays(recurrence.weekdays.map((code) => WEEKDAY_CODES.indexOf(code)))}` : '';
  const length = recurrence.count !== undefined ? plural(recurrence.count, 'session', 'sessions') : recurrence.until ? `until ${DateTime.fromISO(recurrence.until, { zone: 'UTC' }).setLocale(LOCALE).toFormat('ccc d LLL yyyy')}` : '';
  return [`${repeatWords(recurrence.interval)}${days}`, length, conflictModeName(recurrence.conflictMode)].filter(Boolean).join(', ');
}

/** The first letter in upper case, for a clause that starts a sentence. */
export const sentence = (clause: string): string => `${clause.charAt(0).toUpperCase()}${clause.slice(1)}`;
