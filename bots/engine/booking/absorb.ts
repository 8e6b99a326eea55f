import type { LocationType } from '../../../src/domain/statuses';
import { parsePreferenceText } from '../../parsing/preferences';
import type { DialogueContext, TrainerInfo } from '../dialogue-context';
import type { BookingDraft, DraftPreferences } from '../state';

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

  const parsed = parsePreferenceText(text, { now: context.now, timeZone: context.zoneFor(trainer) });
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
  const problem = parsed.problems[0]?.message;
  // Half-understood timing is not done: the dialogue stays on it until the question is answered.
  if (problem && next.preferences) next.preferences = { ...next.preferences, done: false };
  return { draft: next, took, ...(problem ? { problem } : {}) };
}

export { emptyPreferences };
