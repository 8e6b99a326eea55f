import { DateTime } from 'luxon';
import { formatBlock, formatDay } from '../core/format';
import { privateReply, reply, type Reply } from '../core/replies';
import { minutesOfBlock } from '../parsing/clock';
import { parsePreferenceText } from '../parsing/preferences';
import { ACTIONS } from './action-ids';
import { yesOrNo } from './answers';
import type { DialogueContext } from './dialogue-context';
import { newNonce, type TimeOffFlow, type TimeOffRange } from './state';
import type { DialogueEvent, FlowStep } from './step-result';

const EXAMPLE = '"block Fri 14-18", "time off 24-26 Dec" or "remove slots tomorrow 9-12"';
const ONLY_TRAINERS = 'Only trainers can block time off.';
const OFF_WORDS = { yes: ['block', 'block it', 'remove', 'remove them', 'confirm', 'go'], no: ['keep', 'keep them'] };

/**
 * The instants a text names, in the trainer's zone: each listed hour block on each day of the
 * range ("Mon-Wed 9-12" → three mornings), or the whole days when no hours are named.
 */
export function timeOffRanges(text: string, zone: string, now: Date): { ranges: TimeOffRange[]; summary: string } | { problem: string } {
  const parsed = parsePreferenceText(text, { now, timeZone: zone });
  const problem = parsed.problems[0]?.message;
  if (problem) return { problem };
  const days = parsed.dateRange;
  if (!days) return { problem: `Which days? Write it like ${EXAMPLE}.` };
  const blocks = parsed.preferredTimes;
  const ranges: TimeOffRange[] = [];
  const first = DateTime.fromISO(days.start, { zone });
  const last = DateTime.fromISO(days.end, { zone });
  if (blocks.length === 0) {
    ranges.push({ from: first.startOf('day').toUTC().toISO()!, to: last.plus({ days: 1 }).startOf('day').toUTC().toISO()! });
  } else {
    for (let day = first; day <= last; day = day.plus({ days: 1 })) {
      for (const block of blocks) {
        const [start, end] = minutesOfBlock(block);
        ranges.push({ from: day.startOf('day').plus({ minutes: start }).toUTC().toISO()!, to: day.startOf('day').plus({ minutes: end }).toUTC().toISO()! });
      }
    }
  }
  const dayText = days.start === days.end ? formatDay(days.start) : `${formatDay(days.start)} to ${formatDay(days.end)}`;
  const hoursText = blocks.length === 0 ? 'all day' : blocks.map(formatBlock).join(' and ');
  return { ranges, summary: `${dayText}, ${hoursText} (${zone})` };
}

function confirmation(flow: TimeOffFlow & { summary: string }): Reply {
  return reply({
    text: `Block ${flow.summary}? Free slots in that time are removed; booked sessions and slots held by a pending request stay, and I'll list them.`,
    actions: [
      { kind: 'button', id: ACTIONS.timeOffConfirm, value: flow.nonce, label: 'Yes, block it', style: 'danger' },
      { kind: 'button', id: ACTIONS.timeOffAbandon, value: flow.nonce, label: 'No, keep my slots' },
    ],
  });
}

function read(flow: TimeOffFlow, text: string, context: DialogueContext, zone: string): FlowStep {
  const read = timeOffRanges(text, zone, context.now);
  if ('problem' in read) return { flow: { kind: 'time-off', nonce: flow.nonce }, replies: [reply(read.problem)], effects: [] };
  const next = { kind: 'time-off' as const, nonce: flow.nonce, ranges: read.ranges, summary: read.summary };
  return { flow: next, replies: [confirmation(next)], effects: [] };
}

/** "block Fri 14-18" (trainers only): says what it will remove, then removes it on Yes. */
export function startTimeOff(text: string, context: DialogueContext): FlowStep {
  if (context.me.trainerId === null) return { replies: [privateReply(ONLY_TRAINERS)], effects: [] };
  const zone = context.me.trainerTimeZone ?? 'UTC';
  const flow: TimeOffFlow = { kind: 'time-off', nonce: newNonce() };
  if (!text.trim()) return { flow, replies: [reply(`Which time should I block? For example ${EXAMPLE}.`)], effects: [] };
  return read(flow, text, context, zone);
}

export function timeOffStep(flow: TimeOffFlow, event: DialogueEvent, context: DialogueContext): FlowStep {
  const trainerId = context.me.trainerId;
  if (trainerId === null) return { flow: null, replies: [privateReply(ONLY_TRAINERS)], effects: [] };
  const zone = context.me.trainerTimeZone ?? 'UTC';
  const answer = event.type === 'text' ? yesOrNo(event.text, OFF_WORDS) : undefined;
  if ((event.type === 'action' && event.actionId === ACTIONS.timeOffAbandon) || answer === 'no') return { flow: null, replies: [reply('OK, your slots stay as they are.')], effects: [] };
  if ((event.type === 'action' && event.actionId === ACTIONS.timeOffConfirm) || answer === 'yes') {
    if (!flow.ranges || !flow.summary) return { flow, replies: [reply(`Tell me which time first, e.g. ${EXAMPLE}.`)], effects: [] };
    return { flow: null, replies: [], effects: [{ type: 'time-off', trainerId, ranges: flow.ranges, summary: flow.summary, zone }] };
  }
  if (event.type === 'text') return read(flow, event.text, context, zone);
  return { flow, replies: [], effects: [] };
}
