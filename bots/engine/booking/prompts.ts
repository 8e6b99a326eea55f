import { DateTime } from 'luxon';
import { describePolicyForClient } from '../../../src/domain/policy';
import { formatClock, formatDay } from '../../core/format';
import type { Action, Button, OutgoingMessage, SelectOption } from '../../core/messages';
import { ACTIONS } from '../action-ids';
import type { DialogueContext } from '../dialogue-context';
import type { BookFlow, BookStep } from '../state';
import { CHANGEABLE, nextStep } from './next-step';
import { WEEKDAY_CODES } from '../../../src/domain/series/recurrence';
import { describeRepeat, describePreferences, draftFields, shortDays } from './summary';
import { weekdayCodeOf } from './series';
import { creditLine } from './credit-line';

/** More choices than this become a select rather than a row of buttons. */
const MAX_BUTTONS = 5;
const DURATIONS = [30, 45, 60, 90, 120];
/** The lengths of a series offered as buttons; any other count or an end date can be written or picked. */
const SERIES_COUNTS = [4, 8, 12];
const DAY_NAMES: Record<string, string> = { MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday' };

/** Buttons for a few choices, one select for many: both platforms cap a row of buttons. */
function choices(id: string, nonce: string, options: SelectOption[], placeholder: string): Action[] {
  if (options.length <= MAX_BUTTONS) return options.map((o): Button => ({ kind: 'button', id, value: `${nonce}.${o.value}`, label: o.label }));
  return [{ kind: 'select', id, placeholder, options: options.slice(0, 25).map((o) => ({ label: o.label, value: `${nonce}.${o.value}` })) }];
}

const abandon = (nonce: string): Button => ({ kind: 'button', id: ACTIONS.abandon, value: nonce, label: 'Cancel', style: 'danger' });

export interface Prompt {
  step: BookStep;
  message: OutgoingMessage;
}

/**
 * The question for the draft's next step, with its buttons. `lead` replaces the question
 * when there is something to say first (a problem with the last answer), so a person
 * always gets one sentence and the ways to answer it.
 */
export async function bookingPrompt(flow: BookFlow, context: DialogueContext, lead?: string): Promise<Prompt> {
  const { draft, nonce } = flow;
  const step = nextStep(draft);
  const trainer = draft.trainerId === undefined ? undefined : await context.trainer(draft.trainerId);
  const zone = context.zoneFor(trainer);
  const ask = (question: string, actions: Action[], extra: Partial<OutgoingMessage> = {}): Prompt => ({
    step,
    message: { text: lead ?? question, actions: [...actions, ...(step === 'confirm' ? [] : [abandon(nonce)])], ...extra },
  });

  switch (step) {
    case 'trainer': {
      const trainers = await context.trainers();
      if (trainers.length === 0) return { step, message: { text: lead ?? 'There are no trainers to book yet; please try again later.' } };
      const options = trainers.map((t) => ({ label: t.specialty ? `${t.name} — ${t.specialty}` : t.name, value: String(t.id) }));
      return ask('Which trainer would you like to book? Pick one or type a name.', choices(ACTIONS.trainer, nonce, options, 'Choose a trainer'));
    }
    case 'sessionType': {
      const types = trainer?.trainingTypes ?? [];
      const options = types.map((type, index) => ({ label: type, value: String(index) }));
      return ask(`What kind of session with ${trainer?.name ?? 'your trainer'}? ${types.length > 0 ? 'Pick one or type your own.' : 'Type it, e.g. "Strength Training".'}`, choices(ACTIONS.sessionType, nonce, options, 'Session type'));
    }
    case 'duration':
      return ask('How long should the session be? Pick one or type it, e.g. "75 min".', choices(ACTIONS.duration, nonce, DURATIONS.map((m) => ({ label: `${m} min`, value: String(m) })), 'Duration'));
    case 'location':
      return ask(
        'Where should it take place?',
        choices(ACTIONS.location, nonce, [
          { label: trainer?.gymName ? `Gym (${trainer.gymName})` : 'Gym', value: 'GYM' },
          { label: 'Home', value: 'HOME' },
          { label: 'Online', value: 'ONLINE' },
        ], 'Location'),
      );
    case 'mode':
      return ask(
        'Pick an exact time, or tell me when suits you and let the trainer choose (you can write it freely, e.g. "next week, mornings 10-12, weekends fine").',
        choices(ACTIONS.mode, nonce, [
          { label: 'Pick an exact time', value: 'exact' },
          { label: 'Give my preferences', value: 'flexible' },
        ], 'How to book'),
      );
    case 'day': {
      const days = await context.daysWithFreeStarts(draft.trainerId!, draft.durationMinutes!, zone, MAX_BUTTONS);
      const dayButtons = days.map((day): Button => ({ kind: 'button', id: ACTIONS.day, value: `${nonce}.${day}`, label: formatDay(day) }));
      const question = days.length > 0 ? 'Which day? These have free times; or type a date, or pick one.' : `${trainer?.name ?? 'The trainer'} has no free times in the next two weeks; type a later date, or choose "Give my preferences" instead.`;
      return ask(question, [...dayButtons, { kind: 'date', id: ACTIONS.day, placeholder: 'Pick a date', valuePrefix: `${nonce}.` }, ...choices(ACTIONS.mode, nonce, [{ label: 'Give my preferences', value: 'flexible' }], '')]);
    }
    case 'slot': {
      const starts = await context.freeStarts(draft.trainerId!, draft.day!, draft.durationMinutes!, zone);
      if (starts.length === 0) {
        const days = await context.daysWithFreeStarts(draft.trainerId!, draft.durationMinutes!, zone, MAX_BUTTONS);
        return {
          step,
          message: {
            text: lead ?? `There are no free ${draft.durationMinutes}-minute times on ${formatDay(draft.day!)}; please pick another day.`,
            actions: [...days.map((day): Button => ({ kind: 'button', id: ACTIONS.day, value: `${nonce}.${day}`, label: formatDay(day) })), { kind: 'date', id: ACTIONS.day, placeholder: 'Pick a date', valuePrefix: `${nonce}.` }, abandon(nonce)],
          },
        };
      }
      const options = starts.map((iso) => ({ label: formatClock(iso, zone), value: iso }));
      return ask(`Free start times on ${formatDay(draft.day!)} (${zone}); pick one or type it, e.g. "10:00".`, [
        ...choices(ACTIONS.slot, nonce, options, 'Start time'),
        { kind: 'date', id: ACTIONS.day, placeholder: 'Another day', valuePrefix: `${nonce}.` },
      ]);
    }
    case 'preferences': {
      const prefs = draft.preferences;
      const understood = prefs && (prefs.startDate || prefs.preferredTimes.length > 0 || prefs.avoidTimes.length > 0) ? [{ label: 'So far', value: describePreferences(prefs) }] : [];
      const actions: Action[] = [
        { kind: 'select', id: ACTIONS.when, placeholder: 'Which days', options: [
          { label: 'This week', value: `${nonce}.this` },
          { label: 'Next week', value: `${nonce}.next` },
          { label: 'Next 2 weeks', value: `${nonce}.two` },
        ] },
        { kind: 'select', id: ACTIONS.timeOfDay, placeholder: 'Time of day', options: [
          { label: 'Mornings', value: `${nonce}.morning` },
          { label: 'Afternoons', value: `${nonce}.afternoon` },
          { label: 'Evenings', value: `${nonce}.evening` },
          { label: 'Any time', value: `${nonce}.any` },
        ] },
        { kind: 'button', id: ACTIONS.weekends, value: `${nonce}.${prefs?.allowWeekends ? 'no' : 'yes'}`, label: prefs?.allowWeekends ? 'No weekends' : 'Weekends are fine' },
        ...(prefs?.startDate ? [{ kind: 'button' as const, id: ACTIONS.preferencesDone, value: nonce, label: 'Continue', style: 'primary' as const }] : []),
      ];
      const question = prefs?.startDate
        ? 'Anything else about when? Add it, or press Continue.'
        : 'When suits you? Write it freely, e.g. "next week, mornings 10-12, not before 9:30, weekends fine", or use the menus.';
      return ask(question, actions, understood.length > 0 ? { fields: understood } : {});
    }
    case 'repeat':
      return ask(
        'How often should it repeat? Pick one, or write it, e.g. "every Tuesday, 10 sessions".',
        choices(ACTIONS.repeatEvery, nonce, [
          { label: 'Once', value: 'once' },
          { label: 'Weekly', value: '1' },
          { label: 'Every 2 weeks', value: '2' },
        ], 'Repeat'),
      );
    case 'repeatDays': {
      const series = draft.series!;
      const startDay = draft.mode === 'exact' && draft.startTime ? weekdayCodeOf(DateTime.fromISO(draft.startTime, { zone }).toISODate()!) : undefined;
      const chosen = startDay && !series.weekdays.includes(startDay) ? [startDay, ...series.weekdays] : series.weekdays;
      const daySelect: Action = {
        kind: 'select',
        id: ACTIONS.repeatDay,
        placeholder: chosen.length > 0 ? 'Add or remove a day' : 'Choose a day',
        options: WEEKDAY_CODES.filter((code) => code !== startDay).map((code) => ({ label: series.weekdays.includes(code) ? `${DAY_NAMES[code]} ✓` : DAY_NAMES[code]!, value: `${nonce}.${code}` })),
      };
      const done = (label: string): Button => ({ kind: 'button', id: ACTIONS.repeatDay, value: `${nonce}.done`, label, style: 'primary' });
      const so = chosen.length > 0 ? { fields: [{ label: 'Days so far', value: shortDays(chosen) }] } : {};
      if (draft.mode === 'exact' && !draft.startTime) {
        return ask('On which day of the week? Pick it, or write the days, e.g. "Tue and Thu".', [daySelect, ...(chosen.length > 0 ? [done('Continue')] : [])], so);
      }
      if (startDay) {
        return ask(`On which days? ${describeRepeat(1, [startDay])} like the first session, or add days; or write them, e.g. "Tue and Thu".`, [done(chosen.length > 1 ? 'Continue' : `Only ${describeRepeat(1, [startDay])}`), daySelect], so);
      }
      return ask('On which days? Any day the trainer offers, or pick days; or write them, e.g. "Tue and Thu".', [done(chosen.length > 0 ? 'Continue' : 'Any day'), daySelect], so);
    }
    case 'repeatEnd': {
      const series = draft.series!;
      const days = draft.mode === 'exact' && draft.startTime ? [...new Set([...series.weekdays, weekdayCodeOf(DateTime.fromISO(draft.startTime, { zone }).toISODate()!)])] : series.weekdays;
      return ask(
        'How many sessions, or until when? Pick one, or write it, e.g. "10 sessions", "until March" or "for 3 months".',
        [
          ...choices(ACTIONS.repeatEnd, nonce, SERIES_COUNTS.map((n) => ({ label: `${n} sessions`, value: String(n) })), 'Sessions'),
          { kind: 'date', id: ACTIONS.repeatUntil, placeholder: 'Until…', valuePrefix: `${nonce}.` },
        ],
        { fields: [{ label: 'Repeats', value: describeRepeat(series.interval ?? 1, WEEKDAY_CODES.filter((code) => days.includes(code))) }] },
      );
    }
    case 'special':
      return ask('Anything the trainer should know (goals, injuries)? Write it, or press Skip.', [{ kind: 'button', id: ACTIONS.skip, value: nonce, label: 'Skip' }]);
    case 'confirm': {
      // The trainer's rules that matter before committing: notice and the late-cancellation cutoff.
      const rules = trainer ? [{ label: 'Rules', value: describePolicyForClient(await context.policy(trainer.id), trainer.name) }] : [];
      const series = draft.series;
      // One session: a way to make it weekly. A series: what to do when some of its dates are taken.
      const repeatOrConflict: Button = series
        ? series.conflictMode === 'ALL_OR_NOTHING'
          ? { kind: 'button', id: ACTIONS.conflictMode, value: `${nonce}.AVAILABLE_ONLY`, label: 'Book free dates only' }
          : { kind: 'button', id: ACTIONS.conflictMode, value: `${nonce}.ALL_OR_NOTHING`, label: 'All or nothing' }
        : { kind: 'button', id: ACTIONS.repeat, value: nonce, label: 'Repeat weekly…' };
      const changeable = Object.entries(CHANGEABLE).filter(([key]) => key !== 'repeat' || series);
      const change: Action = { kind: 'select', id: ACTIONS.change, placeholder: 'Change…', options: changeable.map(([key, { label }]) => ({ label, value: `${nonce}.${key}` })) };
      // What it costs in credits; without the credit the trainer needs to request, how to get one instead of Confirm.
      const credit = trainer ? await creditLine(draft, trainer, context, zone) : {};
      const fields = [...draftFields(draft, trainer, zone), ...rules, ...(credit.field ? [credit.field] : [])];
      if (credit.blocked) {
        return { step, message: { text: lead ?? credit.blocked, actions: [...(series ? [repeatOrConflict] : []), change, { kind: 'button', id: ACTIONS.menu, value: 'credits', label: 'My credits' }, abandon(nonce)], fields } };
      }
      return ask(
        series ? 'Please check your series and press Confirm to send it to the trainer.' : 'Please check your request and press Confirm to send it to the trainer.',
        [{ kind: 'button', id: ACTIONS.confirm, value: nonce, label: 'Confirm', style: 'primary' }, repeatOrConflict, change, abandon(nonce)],
        { fields },
      );
    }
  }
}

