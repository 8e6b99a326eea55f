import { DateTime } from 'luxon';
import { LOCATION_TYPES, type LocationType } from '../../../src/domain/statuses';
import type { NewBookingRequest } from '../../../src/requests/new-request';
import { reply } from '../../core/replies';
import { parseDayText } from '../../parsing/day';
import { parsePreferenceText } from '../../parsing/preferences';
import { MAX_SESSION_MINUTES, MIN_SESSION_MINUTES } from '../../parsing/durations';
import { minutesOfBlock, parseBareClock } from '../../parsing/clock';
import { ACTIONS, flowValue } from '../action-ids';
import type { DialogueContext } from '../dialogue-context';
import { newNonce, type BookFlow, type BookingDraft } from '../state';
import { yesOrNo } from '../answers';
import type { DialogueEvent, FlowStep } from '../step-result';
import { absorbFreeText, emptyPreferences, locationIn } from './absorb';
import { CHANGEABLE, nextStep } from './next-step';
import { bookingPrompt } from './prompts';

const CONFIRM_WORDS = { yes: ['confirm', 'send', 'send it', 'go', 'correct', 'looks good', 'book it'], no: ['change', 'wrong'] };
const SKIP = /^(?:skip|no|none|nothing|n\/a|-)[.!]*$/i;
const MAX_NOTES = 1000;
const MAX_SESSION_TYPE = 100;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const WHEN_PRESETS: Record<string, string> = { this: 'this week', next: 'next week', two: 'next 2 weeks' };
const TIME_OF_DAY: Record<string, { times: string[]; evenings?: boolean }> = {
  morning: { times: ['06:00-12:00'] },
  afternoon: { times: ['12:00-17:00'] },
  evening: { times: ['17:00-21:00'], evenings: true },
  any: { times: [] },
};

/** Asks the next question (with `lead` instead when there is something to say first). */
async function ask(flow: BookFlow, context: DialogueContext, lead?: string): Promise<FlowStep> {
  const prompt = await bookingPrompt(flow, context, lead);
  return { flow, replies: [reply(prompt.message)], effects: [] };
}

const withDraft = (flow: BookFlow, draft: BookingDraft): BookFlow => ({ ...flow, draft });

/** A new booking dialogue; text that came with "book …" is read at once. */
export async function startBooking(context: DialogueContext, text?: string): Promise<FlowStep> {
  const flow: BookFlow = { kind: 'book', nonce: newNonce(), draft: {} };
  if (!text?.trim()) return ask(flow, context);
  const absorbed = await absorbFreeText(flow.draft, text, context);
  return ask(withDraft(flow, absorbed.draft), context, absorbed.problem);
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
  };
  return {
    flow: { ...flow, submitting: true },
    replies: [reply(`Sending your request to ${trainerName}…`)],
    effects: [{ type: 'start-request', nonce: flow.nonce, request, trainerName }],
  };
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
  const next: BookingDraft = { ...draft, mode: 'exact', day };
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
    if (answer === 'yes') return submit(flow, context, trainer?.name ?? 'your trainer', trainer?.gymName ?? null, zone);
    if (answer === 'no') return ask(flow, context, 'What would you like to change? Choose it under "Change…" or just write it, e.g. "60 min".');
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
      break;
    }
    case ACTIONS.confirm:
      if (nextStep(draft) !== 'confirm') return ask(flow, context);
      return submit(flow, context, trainer?.name ?? 'your trainer', trainer?.gymName ?? null, zone);
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
