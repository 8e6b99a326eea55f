import { DateTime } from 'luxon';
import { LOCATION_TYPES, type LocationType } from '../../../src/domain/statuses';
import type { NewBookingRequest } from '../../../src/requests/new-request';
import { reply } from '../../core/replies';
import { parseDayText } from '../../parsing/day';
import { parsePreferenceText } from '../../parsing/preferences';
import { MAX_SESSION_MINUTES, MIN_SESSION_MINUTES } from '../../parsing/durations';
import { minutesOfBlock, parseBareClock } from '../../parsing/clock';
import { ACTIONS, flowValue } from '../action-ids';
import type { DialogueContext, TrainerInfo } from '../dialogue-context';
import { MAX_INTERVAL, MAX_OCCURRENCES, WEEKDAY_CODES, type WeekdayCode } from '../../../src/domain/series/recurrence';
import { SERIES_CONFLICT_MODES, type SeriesConflictMode } from '../../../src/domain/series/series';
import { parseRecurrenceText } from '../../parsing/recurrence';
import { newNonce, type BookFlow, type BookingDraft, type BookStep, type DraftSeries } from '../state';
import { yesOrNo } from '../answers';
import type { DialogueEvent, FlowStep } from '../step-result';
import { absorbFreeText, emptyPreferences, locationIn, saysSomething, withSeries } from './absorb';
import { clearSeriesField, firstSeriesStart, seriesProblem, seriesRequestOf } from './series';
import { CHANGEABLE, nextStep } from './next-step';
import { bookingPrompt } from './prompts';
import { creditLine } from './credit-line';

const CONFIRM_WORDS = { yes: ['confirm', 'send', 'send it', 'go', 'correct', 'looks good', 'book it'], no: ['change', 'wrong'] };
const SKIP = /^(?:skip|no|none|nothing|n\/a|-)[.!]*$/i;
const MAX_NOTES = 1000;
const MAX_SESSION_TYPE = 100;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ONCE = /^(?:once|just once|one|one session|single|no|none|no repeat|don'?t repeat|only once)[.!]*$/i;
const ANY_DAY = /^(?:any|any day|anyday|whatever|doesn'?t matter|no preference|continue|done|ok|okay)[.!]*$/i;

/** The Repeat question opened (again): how often is asked, days and end follow. */
function askRepeat(draft: BookingDraft): DraftSeries {
  return { weekdays: [], daysDone: false, conflictMode: draft.series?.conflictMode ?? 'ALL_OR_NOTHING' };
}

const WHEN_PRESETS: Record<string, string> = { this: 'this week', next: 'next week', two: 'next 2 weeks' };
const TIME_OF_DAY: Record<string, { times: string[]; evenings?: boolean }> = {
  morning: { times: ['06:00-12:00'] },
  afternoon: { times: ['12:00-17:00'] },
  evening: { times: ['17:00-21:00'], evenings: true },
  any: { times: [] },
};

const withDraft = (flow: BookFlow, draft: BookingDraft): BookFlow => ({ ...flow, draft });

/**
 * A series' parts that need the trainer, worked out before each question: a direct series
 * given as days and a time ("every Tuesday 18:00") gets its first session — the first of
 * those days whose time the trainer's notice allows, in the client's zone — and a complete
 * series is checked as the service will (no session before the end date, more than 52, the
 * last session past the trainer's horizon), so one it would refuse is asked about again with
 * the domain's sentence instead of being sent.
 */
async function settleSeries(flow: BookFlow, context: DialogueContext): Promise<{ flow: BookFlow; lead?: string }> {
  const draft = flow.draft;
  const series = draft.series;
  if (!series || flow.submitting || draft.trainerId === undefined) return { flow };
  const trainer = await context.trainer(draft.trainerId);
  if (!trainer) return { flow };
  const zone = context.zoneFor(trainer);
  let next = draft;
  if (draft.mode === 'exact' && series.time !== undefined && series.weekdays.length > 0 && draft.startTime === undefined) {
    const first = firstSeriesStart({ weekdays: series.weekdays, time: series.time, zone, now: context.now, ...(series.from ? { from: series.from } : {}), policy: await context.policy(trainer.id), trainerName: trainer.name });
    if ('refusal' in first) {
      const { time: _time, from: _from, ...rest } = series;
      return { flow: withDraft(flow, { ...draft, series: rest }), lead: first.refusal };
    }
    next = { ...draft, day: first.day, startTime: first.startTime };
  }
  const check = seriesProblem(next, zone, await context.policy(trainer.id), context.now, trainer.name);
  if (check) return { flow: withDraft(flow, { ...next, series: clearSeriesField(next.series!, check.field) }), lead: check.problem };
  return { flow: next === draft ? flow : withDraft(flow, next) };
}

/** Asks the next question (with `lead` instead when there is something to say first). */
async function ask(flow: BookFlow, context: DialogueContext, lead?: string): Promise<FlowStep> {
  const settled = await settleSeries(flow, context);
  const prompt = await bookingPrompt(settled.flow, context, lead ?? settled.lead);
  return { flow: settled.flow, replies: [reply(prompt.message)], effects: [] };
}

/** A new booking dialogue; text that came with "book …" is read at once. */
export async function startBooking(context: DialogueContext, text?: string): Promise<FlowStep> {
  const flow: BookFlow = { kind: 'book', nonce: newNonce(), draft: {} };
  if (!text?.trim()) return ask(flow, context);
  const absorbed = await absorbFreeText(flow.draft, text, context);
  return ask(withDraft(flow, absorbed.draft), context, absorbed.problem);
}

/**
 * Confirm: sends the draft, unless the trainer needs a credit to request and the client's
 * credits do not pay for it (the summary then says how to get one, and is shown again).
 */
async function confirm(flow: BookFlow, context: DialogueContext, trainer: TrainerInfo | undefined, zone: string): Promise<FlowStep> {
  if (trainer && (await creditLine(flow.draft, trainer, context, zone)).blocked) return ask(flow, context);
  return submit(flow, context, trainer?.name ?? 'your trainer', trainer?.gymName ?? null, zone);
}

/** Sends the draft; called at the `confirm` step, which nextStep reaches only with every field set. */
function submit(flow: BookFlow, context: DialogueContext, trainerName: string, gymName: string | null, zone: string): FlowStep {
  const d = flow.draft;
  const request: NewBookingRequest = {
    clientId: context.me.userId,
    trainerId: d.trainerId!,
    sessionType: d.sessionType!,
    durationMinutes: d.durationMinutes!,
    locationType: d.locationType,
    location: d.locationType === 'GYM' ? gymName : d.locationType === 'ONLINE' ? 'Online' : 'Client\'s home',
    specialRequests: d.specialRequests ?? null,
    timeZone: zone,
    ...(d.mode === 'exact'
      ? { startTime: d.startTime }
      : {
          preferences: {
            preferredStartDate: d.preferences!.startDate!,
            preferredEndDate: d.preferences!.endDate!,
            preferredTimes: d.preferences!.preferredTimes,
            avoidTimes: d.preferences!.avoidTimes,
            allowWeekends: d.preferences!.allowWeekends,
            allowEvenings: d.preferences!.allowEvenings,
          },
        }),
    ...(d.series ? { recurrence: seriesRequestOf(d, zone) } : {}),
  };
  return {
    flow: { ...flow, submitting: true },
    replies: [reply(`Sending your request to ${trainerName}…`)],
    effects: [{ type: 'start-request', nonce: flow.nonce, request, trainerName }],
  };
}

/** A day or start the person picks replaces the one a series worked out from its days and time. */
function withoutSeriesTime(draft: BookingDraft): Pick<BookingDraft, 'series'> {
  if (draft.series?.time === undefined) return {};
  const { time: _time, from: _from, ...series } = draft.series;
  return { series };
}

/** "Once": one session; a start worked out from a series' days and time is picked again from the free ones. */
function singleOf(draft: BookingDraft): BookingDraft {
  const { series, ...single } = draft;
  if (series?.time !== undefined) {
    delete single.day;
    delete single.startTime;
  }
  return single;
}

/** The answer to a series question (how often, which days, how long), read as series text; undefined when it says nothing about the series. */
function seriesAnswer(flow: BookFlow, step: BookStep, text: string, context: DialogueContext, zone: string): FlowStep | Promise<FlowStep> | undefined {
  const draft = flow.draft;
  if (step === 'repeat' && ONCE.test(text)) return ask(withDraft(flow, singleOf(draft)), context);
  const reading = parseRecurrenceText(text, { now: context.now, timeZone: zone }, { series: true });
  if (reading.problems.length > 0) return ask(flow, context, reading.problems[0]!.message);
  let read = reading.recurrence;
  // A bare number answers "how many sessions?".
  if (step === 'repeatEnd' && read && !saysSomething(read) && /^\d{1,3}$/.test(text)) read = { ...read, count: Number(text) };
  if (step === 'repeatDays' && read && !saysSomething(read) && ANY_DAY.test(text)) {
    if (draft.mode === 'exact' && !draft.startTime) return ask(flow, context, 'Please pick at least one day of the week.');
    return ask(withDraft(flow, { ...draft, series: { ...draft.series!, daysDone: true } }), context);
  }
  if (!read || (!saysSomething(read) && !reading.conflictMode)) return undefined;
  // Days named at the "how often" question mean weekly, unless it says otherwise.
  if (step === 'repeat' && read.interval === undefined) read = { ...read, interval: 1 };
  return ask(withDraft(flow, withSeries(draft, read, { now: context.now, zone }, reading.conflictMode)), context);
}

/** A free start on the draft's day at that local minute, if there is one. */
async function startAt(draft: BookingDraft, day: string, minute: number, context: DialogueContext, zone: string): Promise<string | undefined> {
  const starts = await context.freeStarts(draft.trainerId!, day, draft.durationMinutes!, zone);
  return starts.find((iso) => {
    const local = DateTime.fromISO(iso, { zone });
    return local.hour * 60 + local.minute === minute;
  });
}

/** Exact mode, days and times in text: "Friday", "Dec 3 at 10", or "10:00" for the day shown. */
async function exactTimeText(flow: BookFlow, text: string, context: DialogueContext, zone: string): Promise<FlowStep | undefined> {
  const draft = flow.draft;
  const parsedDay = parseDayText(text, { now: context.now, timeZone: zone });
  let day = parsedDay.day;
  let minute = parsedDay.startMinute;
  if (!day && draft.day) {
    // Only a time ("10:00", "6pm", "at 10"): on the day being shown.
    const bare = parseBareClock(text);
    const times = bare === undefined ? parsePreferenceText(text, { now: context.now, timeZone: zone }) : undefined;
    if (bare !== undefined) {
      day = draft.day;
      minute = bare;
    } else if (times && times.preferredTimes.length === 1 && !times.dateRange) {
      day = draft.day;
      minute = minutesOfBlock(times.preferredTimes[0]!)[0];
    }
  }
  if (!day) return parsedDay.problems[0] ? ask(flow, context, parsedDay.problems[0].message) : undefined;
  const next: BookingDraft = { ...draft, mode: 'exact', day, ...withoutSeriesTime(draft) };
  delete next.startTime;
  if (minute !== undefined) {
    const start = await startAt(next, day, minute, context, zone);
    if (!start) return ask(withDraft(flow, next), context, `There is no free start at ${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')} on that day; please pick one of the free times.`);
    next.startTime = start;
  }
  return ask(withDraft(flow, next), context);
}

async function onText(flow: BookFlow, text: string, context: DialogueContext): Promise<FlowStep> {
  if (flow.submitting) return { flow, replies: [reply('Your request is on its way; one moment please.')], effects: [] };
  const step = nextStep(flow.draft);
  const trimmed = text.trim();
  const trainer = flow.draft.trainerId === undefined ? undefined : await context.trainer(flow.draft.trainerId);
  const zone = context.zoneFor(trainer);

  if (step === 'special') {
    if (SKIP.test(trimmed)) return ask(withDraft(flow, { ...flow.draft, specialRequests: null }), context);
    if (trimmed.length > MAX_NOTES) return ask(flow, context, `That note is ${trimmed.length} characters long; please keep it under ${MAX_NOTES}.`);
    return ask(withDraft(flow, { ...flow.draft, specialRequests: trimmed }), context);
  }
  if (step === 'confirm') {
    const answer = yesOrNo(trimmed, CONFIRM_WORDS);
    if (answer === 'yes') return confirm(flow, context, trainer, zone);
    if (answer === 'no') return ask(flow, context, 'What would you like to change? Choose it under "Change…" or just write it, e.g. "60 min".');
  }
  if (step === 'repeat' || step === 'repeatDays' || step === 'repeatEnd') {
    const answered = seriesAnswer(flow, step, trimmed, context, zone);
    if (answered) return answered;
  }
  if ((step === 'day' || step === 'slot' || (step === 'confirm' && flow.draft.mode === 'exact')) && flow.draft.mode === 'exact') {
    const absorbed = await absorbFreeText(flow.draft, trimmed, context);
    if (absorbed.took.length > 0) return ask(withDraft(flow, absorbed.draft), context, absorbed.problem);
    const exact = await exactTimeText(flow, trimmed, context, zone);
    if (exact) return exact;
    return ask(flow, context, 'Please pick a day and time below, or write one like "Friday at 10".');
  }

  const absorbed = await absorbFreeText(flow.draft, trimmed, context);
  if (absorbed.problem) return ask(withDraft(flow, absorbed.draft), context, absorbed.problem);
  let draft = absorbed.draft;
  if (step === 'sessionType' && draft.sessionType === undefined) {
    // What is left of the first phrase is the session type ("Boxing, 60 min" → "Boxing").
    const first = trimmed.split(/[,;\n]/)[0]!.trim();
    const aboutSomethingElse = parsePreferenceText(first, { now: context.now, timeZone: zone }).understood || locationIn(first) !== undefined;
    if (first && !aboutSomethingElse) {
      if (first.length > MAX_SESSION_TYPE) return ask(flow, context, `Please describe the session in fewer than ${MAX_SESSION_TYPE} characters, e.g. "Strength Training".`);
      draft = { ...draft, sessionType: first };
    }
  }
  if (step === 'mode' && draft.mode === undefined) {
    if (/\b(?:exact|specific|pick|slot|time)\b/i.test(trimmed)) draft = { ...draft, mode: 'exact' };
    else if (/\b(?:flexible|preferences?|prefs|choose|trainer)\b/i.test(trimmed)) draft = { ...draft, mode: 'flexible', preferences: draft.preferences ?? emptyPreferences() };
  }
  const next = withDraft(flow, draft);
  if (nextStep(draft) !== step || absorbed.took.length > 0 || draft !== absorbed.draft) {
    if (step === 'preferences' && nextStep(draft) === 'preferences' && !draft.preferences?.startDate) {
      return ask(next, context, 'Which days suit you? For example "next week", "next 2 weeks" or "Dec 3-7".');
    }
    return ask(next, context);
  }
  const unclear: Record<string, string> = {
    trainer: `I don't know a trainer called "${trimmed.slice(0, 40)}"; pick one below or type their name.`,
    sessionType: 'Please tell me the kind of session, e.g. "Strength Training".',
    duration: 'Please give the length like "60 min" or "1.5 hours".',
    location: 'Please choose gym, home or online.',
    mode: 'Please choose "Pick an exact time" or "Give my preferences", or just tell me when, e.g. "next week mornings".',
    preferences: 'I couldn\'t find days or times in that; write for example "next week, mornings 10-12", or use the menus.',
    confirm: 'Press Confirm to send it, or tell me what to change, e.g. "60 min".',
    repeat: 'Please choose Once, Weekly or Every 2 weeks, or write it, e.g. "every Tuesday".',
    repeatDays: 'Please pick the days below, or write them, e.g. "Tue and Thu".',
    repeatEnd: 'Please write how many sessions, e.g. "10 sessions", or until when, e.g. "until March".',
  };
  return ask(flow, context, unclear[step] ?? 'Please answer the question above.');
}

async function onAction(flow: BookFlow, actionId: string, rest: string, context: DialogueContext): Promise<FlowStep> {
  if (flow.submitting) return { flow, replies: [reply('Your request is on its way; one moment please.')], effects: [] };
  const draft: BookingDraft = { ...flow.draft };
  const trainer = draft.trainerId === undefined ? undefined : await context.trainer(draft.trainerId);
  const zone = context.zoneFor(trainer);
  const invalid = (): Promise<FlowStep> => ask(flow, context, 'That choice is no longer valid; please choose again.');
  switch (actionId) {
    case ACTIONS.trainer: {
      const chosen = await context.trainer(Number(rest));
      if (!chosen) return invalid();
      if (chosen.id !== draft.trainerId) {
        delete draft.sessionType;
        delete draft.startTime;
        delete draft.day;
      }
      draft.trainerId = chosen.id;
      break;
    }
    case ACTIONS.sessionType: {
      const type = trainer?.trainingTypes[Number(rest)];
      if (!type) return invalid();
      draft.sessionType = type;
      break;
    }
    case ACTIONS.duration: {
      const minutes = Number(rest);
      if (!Number.isInteger(minutes) || minutes < MIN_SESSION_MINUTES || minutes > MAX_SESSION_MINUTES) return invalid();
      draft.durationMinutes = minutes;
      delete draft.startTime;
      break;
    }
    case ACTIONS.location:
      if (!(LOCATION_TYPES as readonly string[]).includes(rest)) return invalid();
      draft.locationType = rest as LocationType;
      break;
    case ACTIONS.mode:
      Object.assign(draft, withoutSeriesTime(draft));
      if (rest === 'exact') {
        draft.mode = 'exact';
        delete draft.preferences;
      } else if (rest === 'flexible') {
        draft.mode = 'flexible';
        draft.preferences ??= emptyPreferences();
        delete draft.day;
        delete draft.startTime;
      } else return invalid();
      break;
    case ACTIONS.day: {
      const today = DateTime.fromJSDate(context.now, { zone }).toISODate()!;
      if (!DAY.test(rest) || !DateTime.fromISO(rest).isValid) return invalid();
      if (rest < today) return ask(flow, context, 'That day has passed; please pick today or later.');
      Object.assign(draft, withoutSeriesTime(draft));
      draft.mode = 'exact';
      draft.day = rest;
      delete draft.startTime;
      delete draft.preferences;
      break;
    }
    case ACTIONS.slot: {
      if (!draft.day || draft.trainerId === undefined || !draft.durationMinutes) return invalid();
      const starts = await context.freeStarts(draft.trainerId, draft.day, draft.durationMinutes, zone);
      if (!starts.includes(rest)) return ask(flow, context, 'That time is no longer free; please pick another.');
      Object.assign(draft, withoutSeriesTime(draft));
      draft.startTime = rest;
      break;
    }
    case ACTIONS.when: {
      const phrase = WHEN_PRESETS[rest];
      const range = phrase ? parsePreferenceText(phrase, { now: context.now, timeZone: zone }).dateRange : undefined;
      if (!range) return invalid();
      draft.mode = 'flexible';
      draft.preferences = { ...(draft.preferences ?? emptyPreferences()), startDate: range.start, endDate: range.end };
      break;
    }
    case ACTIONS.timeOfDay: {
      const choice = TIME_OF_DAY[rest];
      if (!choice) return invalid();
      const prefs = { ...(draft.preferences ?? emptyPreferences()), preferredTimes: choice.times };
      if (choice.evenings) prefs.allowEvenings = true;
      draft.mode = 'flexible';
      draft.preferences = prefs;
      break;
    }
    case ACTIONS.weekends:
      if (rest !== 'yes' && rest !== 'no') return invalid();
      draft.mode = 'flexible';
      draft.preferences = { ...(draft.preferences ?? emptyPreferences()), allowWeekends: rest === 'yes' };
      break;
    case ACTIONS.preferencesDone:
      if (!draft.preferences?.startDate) return ask(flow, context, 'Which days suit you? Choose them under "Which days" or write e.g. "next week".');
      draft.preferences = { ...draft.preferences, done: true };
      break;
    case ACTIONS.skip:
      draft.specialRequests = null;
      break;
    case ACTIONS.change: {
      const change = CHANGEABLE[rest];
      if (!change) return invalid();
      for (const field of change.clear) delete draft[field];
      if (rest === 'time') Object.assign(draft, withoutSeriesTime(draft));
      if (rest === 'repeat') draft.series = askRepeat(draft);
      break;
    }
    case ACTIONS.repeat:
      draft.series = askRepeat(draft);
      break;
    case ACTIONS.repeatEvery: {
      if (!draft.series) return invalid();
      if (rest === 'once') return ask(withDraft(flow, singleOf(draft)), context);
      const interval = Number(rest);
      if (!Number.isInteger(interval) || interval < 1 || interval > MAX_INTERVAL) return invalid();
      draft.series = { ...draft.series, interval };
      break;
    }
    case ACTIONS.repeatDay: {
      const series = draft.series;
      if (!series) return invalid();
      if (rest === 'done') {
        if (draft.mode === 'exact' && !draft.startTime && series.weekdays.length === 0) return ask(flow, context, 'Please pick at least one day of the week.');
        draft.series = { ...series, daysDone: true };
        break;
      }
      if (!(WEEKDAY_CODES as readonly string[]).includes(rest)) return invalid();
      const day = rest as WeekdayCode;
      const weekdays = series.weekdays.includes(day) ? series.weekdays.filter((d) => d !== day) : WEEKDAY_CODES.filter((d) => d === day || series.weekdays.includes(d));
      draft.series = { ...series, weekdays };
      // A direct series worked out from its days starts again from the new ones.
      if (series.time !== undefined) {
        delete draft.day;
        delete draft.startTime;
      }
      break;
    }
    case ACTIONS.repeatEnd: {
      const count = Number(rest);
      if (!draft.series || !Number.isInteger(count) || count < 1 || count > MAX_OCCURRENCES) return invalid();
      const { count: _c, until: _u, forMonths: _m, ...series } = draft.series;
      draft.series = { ...series, count };
      break;
    }
    case ACTIONS.repeatUntil: {
      const today = DateTime.fromJSDate(context.now, { zone }).toISODate()!;
      if (!draft.series || !DAY.test(rest) || !DateTime.fromISO(rest).isValid) return invalid();
      if (rest < today) return ask(flow, context, 'That day has passed; please pick a later end date.');
      const { count: _c, until: _u, forMonths: _m, ...series } = draft.series;
      draft.series = { ...series, until: rest };
      break;
    }
    case ACTIONS.conflictMode:
      if (!draft.series || !(SERIES_CONFLICT_MODES as readonly string[]).includes(rest)) return invalid();
      draft.series = { ...draft.series, conflictMode: rest as SeriesConflictMode };
      break;
    case ACTIONS.confirm:
      if (nextStep(draft) !== 'confirm') return ask(flow, context);
      return confirm(flow, context, trainer, zone);
    case ACTIONS.abandon:
      return { flow: null, replies: [reply('OK, I dropped that booking. Write "book" to start again.')], effects: [] };
    default:
      return invalid();
  }
  return ask(withDraft(flow, draft), context);
}

/** Which step a refused request goes back to, by the field the validation named. */
function clearForField(draft: BookingDraft, field: string): BookingDraft {
  const next = { ...draft };
  if (field.startsWith('startTime')) delete next.startTime;
  else if (field.startsWith('preferences')) next.preferences = { ...(next.preferences ?? emptyPreferences()), done: false };
  else if (field === 'durationMinutes') delete next.durationMinutes;
  else if (field === 'sessionType') delete next.sessionType;
  else if (field === 'trainerId') delete next.trainerId;
  else if (field === 'specialRequests') delete next.specialRequests;
  else if (field.startsWith('recurrence') && next.series) next.series = clearSeriesField(next.series, field);
  // A refused first session of a series worked out from its days: the person picks the day and time.
  if (field.startsWith('startTime')) Object.assign(next, withoutSeriesTime(next));
  return next;
}

/** One event in a booking dialogue. */
export async function bookingStep(flow: BookFlow, event: DialogueEvent, context: DialogueContext): Promise<FlowStep> {
  switch (event.type) {
    case 'text':
      return onText(flow, event.text, context);
    case 'action': {
      const { rest } = flowValue(event.value);
      return onAction(flow, event.actionId, rest, context);
    }
    case 'form':
      return ask(flow, context);
    case 'request-started':
      return { flow: null, replies: [], effects: [] };
    case 'request-refused':
      return ask({ ...flow, submitting: false, draft: clearForField(flow.draft, event.field) }, context, event.message);
  }
}
