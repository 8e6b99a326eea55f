import { DateTime } from 'luxon';
import { addDays } from '../../../src/domain/series/recurrence';
import type { SeriesConflictMode } from '../../../src/domain/series/series';
import type { LocationType } from '../../../src/domain/statuses';
import { parsePreferenceText } from '../../parsing/preferences';
import { parseRecurrenceText, type RecurrenceText } from '../../parsing/recurrence';
import type { DialogueContext, TrainerInfo } from '../dialogue-context';
import type { BookingDraft, DraftPreferences, DraftSeries } from '../state';
import { weekdayCodeOf } from './series';

export interface Absorbed {
  draft: BookingDraft;
  /** Names of what the text set, e.g. ['duration', 'preferences']. */
  took: string[];
  /** One sentence to show instead of guessing, if any. */
  problem?: string;
}

const LOCATION_WORDS: [RegExp, LocationType][] = [
  [/\b(?:online|video|zoom|remote(?:ly)?|virtual)\b/, 'ONLINE'],
  [/\b(?:at\s+(?:my\s+)?home|at\s+my\s+place|home)\b/, 'HOME'],
  [/\b(?:gym|studio)\b/, 'GYM'],
];

export function locationIn(text: string): LocationType | undefined {
  const lower = text.toLowerCase();
  return LOCATION_WORDS.find(([pattern]) => pattern.test(lower))?.[1];
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const wordIn = (word: string, text: string): boolean => word.length >= 3 && new RegExp(`(?:^|\\W)${escape(word)}(?:$|\\W)`, 'i').test(text);

/** Trainers the text names: full name, first or last name, or username. */
export function trainersNamedIn(text: string, trainers: readonly TrainerInfo[]): TrainerInfo[] {
  const exact = trainers.filter((t) => wordIn(t.name, text) || wordIn(t.username, text));
  if (exact.length > 0) return exact;
  // A first or last name counts only if no other trainer shares it ("Alex", not "Trainer").
  const parts = trainers.flatMap((t) => t.name.toLowerCase().split(/\s+/));
  const unique = (part: string): boolean => parts.filter((p) => p === part.toLowerCase()).length === 1;
  return trainers.filter((t) => t.name.split(/\s+/).some((part) => unique(part) && wordIn(part, text)));
}

/** A training type of the trainer's that the text names ("strength" → "Strength Training"). */
export function sessionTypeIn(text: string, trainer: TrainerInfo | undefined): string | undefined {
  if (!trainer) return undefined;
  const lower = text.toLowerCase();
  return (
    trainer.trainingTypes.find((type) => lower.includes(type.toLowerCase())) ??
    trainer.trainingTypes.find((type) => type.toLowerCase().split(/\W+/).some((word) => wordIn(word, lower) && !['training', 'session'].includes(word)))
  );
}

function emptyPreferences(): DraftPreferences {
  return { preferredTimes: [], avoidTimes: [], allowWeekends: false, allowEvenings: false, done: false };
}

/** Whether a reading of series text says anything at all (an answer to a series question). */
export function saysSomething(read: RecurrenceText): boolean {
  return read.interval !== undefined || read.weekdays.length > 0 || read.startTime !== undefined || read.count !== undefined || read.until !== undefined || read.forMonths !== undefined;
}

/**
 * The draft with what series text said merged in: the parts it names replace the draft's,
 * the rest stays. A start time makes it a direct series (the first session is worked out
 * once the trainer is known, see settleSeries); without one, an exact start already chosen
 * stays, else it is a flexible series whose preferred days begin at the first named weekday
 * from today on (or today) and run a week, unless the person gave days.
 */
export function withSeries(draft: BookingDraft, read: RecurrenceText, context: { now: Date; zone: string; from?: string }, conflictMode?: SeriesConflictMode): BookingDraft {
  const next: BookingDraft = { ...draft };
  const base: DraftSeries = draft.series ?? { weekdays: [], daysDone: true, conflictMode: 'ALL_OR_NOTHING' };
  const series: DraftSeries = { ...base, weekdays: [...base.weekdays] };
  if (read.interval !== undefined) series.interval = read.interval;
  else if (!draft.series) series.interval = 1;
  const daysChanged = read.weekdays.length > 0 && read.weekdays.join() !== series.weekdays.join();
  if (read.weekdays.length > 0) {
    series.weekdays = read.weekdays;
    series.daysDone = true;
  }
  if (read.count !== undefined || read.until !== undefined || read.forMonths !== undefined) {
    delete series.count;
    delete series.until;
    delete series.forMonths;
    if (read.count !== undefined) series.count = read.count;
    if (read.until !== undefined) series.until = read.until;
    if (read.forMonths !== undefined) series.forMonths = read.forMonths;
  }
  if (conflictMode) series.conflictMode = conflictMode;
  if (read.startTime !== undefined) {
    series.time = read.startTime;
    if (context.from) series.from = context.from;
    next.mode = 'exact';
    delete next.day;
    delete next.startTime;
    delete next.preferences;
  } else if (next.mode === 'exact') {
    // Other days for a series whose first session was worked out from them: work it out again.
    if (series.time !== undefined && daysChanged) {
      delete next.day;
      delete next.startTime;
    }
  } else {
    next.mode = 'flexible';
    const prefs = next.preferences ?? emptyPreferences();
    if (!prefs.startDate) {
      const today = DateTime.fromJSDate(context.now, { zone: context.zone }).toISODate()!;
      let first = context.from && context.from > today ? context.from : today;
      for (let n = 0; n < 7 && series.weekdays.length > 0 && !series.weekdays.includes(weekdayCodeOf(first)); n++) first = addDays(first, 1);
      prefs.startDate = first;
      prefs.endDate = addDays(first, 6);
    }
    next.preferences = prefs;
  }
  next.series = series;
  return next;
}

/**
 * Takes whatever the text says about the booking, at any step: "Alex, 90 min, next week
 * mornings, online" fills trainer, duration, preferences and location at once. What a step
 * asks for specifically (a session type, notes) is read by the step itself.
 */
export async function absorbFreeText(draft: BookingDraft, text: string, context: DialogueContext): Promise<Absorbed> {
  const next: BookingDraft = { ...draft, ...(draft.preferences ? { preferences: { ...draft.preferences } } : {}) };
  const took: string[] = [];
  const trainers = await context.trainers();
  const named = trainersNamedIn(text, trainers);
  if (named.length === 1 && named[0]!.id !== next.trainerId) {
    next.trainerId = named[0]!.id;
    delete next.sessionType;
    took.push('trainer');
  } else if (named.length > 1 && next.trainerId === undefined) {
    return { draft, took: [], problem: `Several trainers match (${named.map((t) => t.name).join(', ')}); please pick one below.` };
  }
  const trainer = next.trainerId === undefined ? undefined : trainers.find((t) => t.id === next.trainerId);
  const type = next.sessionType === undefined ? sessionTypeIn(text, trainer) : undefined;
  if (type) {
    next.sessionType = type;
    took.push('sessionType');
  }
  const location = locationIn(text);
  if (location) {
    next.locationType = location;
    took.push('location');
  }

  const zone = context.zoneFor(trainer);
  // A series ("every Tuesday 18:00 for 10 weeks") first: its words are not preferences ("for 10 weeks" is not a date range).
  const repeat = parseRecurrenceText(text, { now: context.now, timeZone: zone });
  const parsed = parsePreferenceText(repeat.found ? repeat.rest : text, { now: context.now, timeZone: zone });
  if (parsed.durationMinutes !== undefined) {
    next.durationMinutes = parsed.durationMinutes;
    delete next.startTime;
    took.push('duration');
  }
  const aboutWhen = parsed.dateRange !== undefined || parsed.preferredTimes.length + parsed.avoidTimes.length > 0 || parsed.allowWeekends !== undefined || parsed.allowEvenings !== undefined;
  if (aboutWhen && next.mode !== 'exact') {
    const prefs = next.preferences ?? emptyPreferences();
    if (parsed.dateRange) {
      prefs.startDate = parsed.dateRange.start;
      prefs.endDate = parsed.dateRange.end;
      prefs.done = true;
    }
    if (parsed.preferredTimes.length > 0) prefs.preferredTimes = parsed.preferredTimes;
    if (parsed.avoidTimes.length > 0) prefs.avoidTimes = parsed.avoidTimes;
    if (parsed.allowWeekends !== undefined) prefs.allowWeekends = parsed.allowWeekends;
    if (parsed.allowEvenings !== undefined) prefs.allowEvenings = parsed.allowEvenings;
    next.mode = 'flexible';
    next.preferences = prefs;
    took.push('preferences');
  }
  let series = next;
  if (repeat.recurrence) {
    series = withSeries(next, repeat.recurrence, { now: context.now, zone, ...(parsed.dateRange ? { from: parsed.dateRange.start } : {}) }, repeat.conflictMode);
    took.push('series');
  } else if (repeat.conflictMode && next.series) {
    series = { ...next, series: { ...next.series, conflictMode: repeat.conflictMode } };
    took.push('conflictMode');
  }
  const problem = repeat.problems[0]?.message ?? parsed.problems[0]?.message;
  // Half-understood timing is not done: the dialogue stays on it until the question is answered.
  if (problem && series.preferences) series.preferences = { ...series.preferences, done: false };
  return { draft: series, took, ...(problem ? { problem } : {}) };
}

export { emptyPreferences };
