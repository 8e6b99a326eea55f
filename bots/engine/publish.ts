import { expandWeeklyPattern, type SlotTimes } from '../../src/availability/weekly-slots';
import { formatDay } from '../core/format';
import { privateReply, reply, type Reply } from '../core/replies';
import { parseAvailabilityText, type AvailabilityText } from '../parsing/availability';
import { ACTIONS } from './action-ids';
import type { DialogueContext } from './dialogue-context';
import { newNonce, type PublishFlow } from './state';
import { yesOrNo } from './answers';
import type { DialogueEvent, FlowStep } from './step-result';

const WEEKDAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const EXAMPLE = '"Mon-Fri 9-17 for the next 2 weeks"';
const PUBLISH_WORDS = { yes: ['publish', 'confirm', 'go'] };

/** Every future slot the availability describes, in the trainer's zone. */
export function slotsOf(availability: AvailabilityText, zone: string, now: Date): SlotTimes[] {
  return availability.hours
    .flatMap((hours) =>
      expandWeeklyPattern({ fromDate: availability.fromDate, toDate: availability.toDate, weekdays: availability.weekdays, dayStart: hours.dayStart, dayEnd: hours.dayEnd, slotMinutes: availability.slotMinutes, timeZone: zone }),
    )
    .filter((slot) => slot.startTime > now);
}

function weekdaysText(weekdays: number[]): string {
  const sorted = [...weekdays].sort((a, b) => a - b);
  const consecutive = sorted.every((d, i) => i === 0 || d === sorted[i - 1]! + 1);
  return consecutive && sorted.length > 2 ? `${WEEKDAY_NAMES[sorted[0]!]}–${WEEKDAY_NAMES[sorted.at(-1)!]}` : sorted.map((d) => WEEKDAY_NAMES[d]).join(', ');
}

function preview(flow: PublishFlow & { availability: AvailabilityText }, zone: string, now: Date): Reply {
  const a = flow.availability;
  const count = slotsOf(a, zone, now).length;
  return reply({
    text: `Publish ${count} slots of ${a.slotMinutes} min?`,
    fields: [
      { label: 'Days', value: a.fromDate === a.toDate ? formatDay(a.fromDate) : `${weekdaysText(a.weekdays)} from ${formatDay(a.fromDate)} to ${formatDay(a.toDate)}` },
      { label: 'Hours', value: `${a.hours.map((h) => `${h.dayStart}–${h.dayEnd}`).join(' and ')} (${zone})` },
    ],
    actions: [
      { kind: 'button', id: ACTIONS.publishConfirm, value: flow.nonce, label: 'Publish', style: 'primary' },
      { kind: 'button', id: ACTIONS.publishAbandon, value: flow.nonce, label: 'Cancel', style: 'danger' },
    ],
  });
}

const MAX_SAID = 500;

function read(flow: PublishFlow, text: string, context: DialogueContext, zone: string): FlowStep {
  // "Tue and Thu 7-9" → "For which days?" → "next week": the answer completes what was said.
  const said = flow.said ? `${flow.said}, ${text}`.slice(0, MAX_SAID) : text;
  const parsed = parseAvailabilityText(said, { now: context.now, timeZone: zone });
  if (!parsed.availability) {
    const problem = parsed.problems[0];
    const { said: _dropped, ...rest } = flow;
    return { flow: problem?.missing ? { ...rest, said } : rest, replies: [reply(problem?.message ?? `Please describe your availability like ${EXAMPLE}.`)], effects: [] };
  }
  const next = { kind: 'publish' as const, nonce: flow.nonce, availability: parsed.availability };
  if (slotsOf(parsed.availability, zone, context.now).length === 0) return { flow, replies: [reply('Those hours have all passed already; please give times from now on.')], effects: [] };
  return { flow: next, replies: [preview(next, zone, context.now)], effects: [] };
}

/** "publish Mon-Fri 9-17 for the next 2 weeks" (trainers only): shows what it will add, then adds it. */
export function startPublish(text: string, context: DialogueContext): FlowStep {
  if (context.me.trainerId === null) return { replies: [privateReply('Only trainers can publish availability.')], effects: [] };
  const zone = context.me.trainerTimeZone ?? 'UTC';
  const flow: PublishFlow = { kind: 'publish', nonce: newNonce() };
  if (!text.trim()) return { flow, replies: [reply(`When are you available? For example ${EXAMPLE}.`)], effects: [] };
  return read(flow, text, context, zone);
}

export function publishStep(flow: PublishFlow, event: DialogueEvent, context: DialogueContext): FlowStep {
  const zone = context.me.trainerTimeZone ?? 'UTC';
  if (context.me.trainerId === null) return { flow: null, replies: [privateReply('Only trainers can publish availability.')], effects: [] };
  const abandon = event.type === 'action' && event.actionId === ACTIONS.publishAbandon;
  if (abandon) return { flow: null, replies: [reply('OK, nothing was published.')], effects: [] };
  const confirm = (event.type === 'action' && event.actionId === ACTIONS.publishConfirm) || (event.type === 'text' && yesOrNo(event.text, PUBLISH_WORDS) === 'yes');
  if (confirm) {
    if (!flow.availability) return { flow, replies: [reply(`Tell me your availability first, e.g. ${EXAMPLE}.`)], effects: [] };
    return { flow: null, replies: [], effects: [{ type: 'publish-availability', trainerId: context.me.trainerId, availability: flow.availability, zone }] };
  }
  if (event.type === 'text') return read(flow, event.text, context, zone);
  return { flow, replies: [], effects: [] };
}

