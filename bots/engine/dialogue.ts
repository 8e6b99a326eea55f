import { IANAZone } from 'luxon';
import { privateReply, reply } from '../core/replies';
import { parsePreferenceText } from '../parsing/preferences';
import { parseRecurrenceText } from '../parsing/recurrence';
import { ACTIONS, FORMS, flowValue } from './action-ids';
import { bookingStep, startBooking } from './booking/booking-flow';
import { bookingPrompt } from './booking/prompts';
import { commandOf, type Command } from './commands';
import { onApprove, onOutcome, onReasonText, onReject, onRejectForm } from './decisions';
import type { DialogueContext } from './dialogue-context';
import { helpReply } from './help';
import { cancelStep, listBookings, rescheduleStep, startCancel, startReschedule } from './manage-bookings';
import { publishStep, startPublish } from './publish';
import { onWithdraw } from './withdraw';
import { onPolicyAction, onPolicyForm, showPolicy } from './policy-settings';
import { startTimeOff, timeOffStep } from './time-off';
import { onNewPackForm, onPackFormButton, onPackStop, startNewPack } from './credits/packs';
import { onPayPack, onPaymentForm, onSellButton, paymentStep, startSell } from './credits/sell';
import { onClientCredits, showClientCredits, showCredits, showLowCredits, showPacks } from './credits/views';
import { creditChatWording } from '../../src/domain/credits/wording';
import type { ConversationState, Flow } from './state';
import type { DialogueEvent, FlowStep, StepResult } from './step-result';

const finish = (state: ConversationState, result: FlowStep): StepResult => ({
  state: result.flow === undefined ? state : { ...state, flow: result.flow },
  replies: result.replies,
  effects: result.effects,
});

// Actions that carry their own ids and work whatever the dialogue is doing.
const GLOBAL_ACTIONS = new Set<string>([
  ACTIONS.approve,
  ACTIONS.reject,
  ACTIONS.outcome,
  ACTIONS.menu,
  ACTIONS.cancelBooking,
  ACTIONS.rescheduleBooking,
  ACTIONS.withdraw,
  ACTIONS.policyApproval,
  ACTIONS.policyForm,
  ACTIONS.clientCredits,
  ACTIONS.sellPack,
  ACTIONS.payPack,
  ACTIONS.packForm,
  ACTIONS.packStop,
  ACTIONS.packStopConfirm,
  ACTIONS.packKeep,
]);

/** What the help and notification buttons (`menu`) stand for. */
const MENU: Record<string, Command> = {
  book: { kind: 'book', rest: '' },
  list: { kind: 'list' },
  publish: { kind: 'publish', rest: '' },
  policy: { kind: 'policy' },
  credits: { kind: 'credits', mine: true },
  packs: { kind: 'packs' },
  low: { kind: 'low-credits' },
};

async function runCommand(command: Command, state: ConversationState, context: DialogueContext): Promise<FlowStep> {
  switch (command.kind) {
    case 'help':
      return { replies: [helpReply(context)], effects: [] };
    case 'book':
      return startBooking(context, command.rest);
    case 'list':
      return listBookings(context);
    case 'stop':
      if (state.flow) return { flow: null, replies: [reply('OK, I stopped that. Write "help" to see what I can do.')], effects: [] };
      return listBookings(context);
    case 'cancel-booking':
      return startCancel(command.bookingId, context);
    case 'reschedule':
      return command.bookingId === undefined ? listBookings(context) : startReschedule(command.bookingId, context);
    case 'publish':
      return startPublish(command.rest, context);
    case 'time-zone':
      if (!IANAZone.isValidZone(command.zone)) return { replies: [reply(`"${command.zone}" is not a time zone I know; write one like "Europe/Berlin" or "America/New_York".`)], effects: [] };
      return { replies: [], effects: [{ type: 'set-time-zone', userId: context.me.userId, timeZone: IANAZone.create(command.zone).name }] };
    case 'link':
      return { replies: [], effects: [{ type: 'link-account', identityId: context.me.identityId, code: command.code }] };
    case 'calendar':
      return { replies: [], effects: [{ type: 'calendar-feed', userId: context.me.userId, revoke: command.revoke }] };
    case 'policy':
      return showPolicy(context);
    case 'time-off':
      return startTimeOff(command.rest, context);
    case 'credits':
      return showCredits(context, command.mine);
    case 'client-credits':
      return showClientCredits(command.client, context);
    case 'sell':
      return startSell(command.client, context);
    case 'packs':
      return showPacks(context);
    case 'new-pack':
      return startNewPack(context);
    case 'low-credits':
      return showLowCredits(context);
  }
}

async function flowStep(flow: Flow, event: DialogueEvent, context: DialogueContext): Promise<FlowStep> {
  switch (flow.kind) {
    case 'book':
      return bookingStep(flow, event, context);
    case 'cancel':
      return cancelStep(flow, event, context);
    case 'reschedule':
      return rescheduleStep(flow, event, context);
    case 'publish':
      return publishStep(flow, event, context);
    case 'time-off':
      return timeOffStep(flow, event, context);
    case 'payment':
      return paymentStep(flow, event, context);
    case 'reject':
      if (event.type === 'text') return onReasonText(flow, event, context);
      return { replies: [reply('Please write the reason for rejecting the request, or "cancel" to leave it.')], effects: [] };
  }
}

/** Where the dialogue stands, for a button pressed on an old message. */
async function whereWeAre(state: ConversationState, context: DialogueContext): Promise<FlowStep> {
  const lead = 'That button belongs to an earlier step;';
  if (state.flow?.kind === 'book' && !state.flow.submitting) {
    const prompt = await bookingPrompt(state.flow, context);
    return { replies: [privateReply({ ...prompt.message, text: `${lead} here is where we are: ${prompt.message.text}` })], effects: [] };
  }
  return { replies: [privateReply(`${lead} please use the latest message, or write "help".`)], effects: [] };
}

/**
 * The dialogue: one event in, the next state, the replies and the writes to make out.
 * It reads through `context` and never writes, so the engine can store the new state
 * first (under optimistic locking) and only then run the effects.
 */
export async function dialogueStep(state: ConversationState, event: DialogueEvent, context: DialogueContext): Promise<StepResult> {
  const flow = state.flow;
  switch (event.type) {
    case 'request-started':
    case 'request-refused':
      // An effect's answer belongs to the flow that asked for it; a newer flow ignores it.
      if (flow?.kind === 'book' && flow.nonce === event.nonce) return finish(state, await bookingStep(flow, event, context));
      return finish(state, { replies: [], effects: [] });

    case 'form':
      if (event.formId.startsWith(FORMS.rejectPrefix)) return finish(state, await onRejectForm(event, flow, context));
      if (event.formId.startsWith(FORMS.policyPrefix)) return finish(state, await onPolicyForm(event, context));
      if (event.formId.startsWith(FORMS.paymentPrefix)) return finish(state, await onPaymentForm(event, context));
      if (event.formId === FORMS.newPack) return finish(state, await onNewPackForm(event, context));
      return finish(state, { replies: [privateReply('That form has expired; please start again.')], effects: [] });

    case 'action': {
      if (GLOBAL_ACTIONS.has(event.actionId)) {
        if (event.actionId === ACTIONS.approve) return finish(state, await onApprove(event, context));
        if (event.actionId === ACTIONS.reject) return finish(state, await onReject(event, context));
        if (event.actionId === ACTIONS.outcome) return finish(state, await onOutcome(event, context));
        if (event.actionId === ACTIONS.cancelBooking) return finish(state, await startCancel(Number(event.value), context));
        if (event.actionId === ACTIONS.rescheduleBooking) return finish(state, await startReschedule(Number(event.value), context));
        if (event.actionId === ACTIONS.withdraw) return finish(state, await onWithdraw(event, context));
        if (event.actionId === ACTIONS.policyApproval || event.actionId === ACTIONS.policyForm) return finish(state, await onPolicyAction(event, context));
        if (event.actionId === ACTIONS.clientCredits) return finish(state, await onClientCredits(event.value, context));
        if (event.actionId === ACTIONS.sellPack) return finish(state, await onSellButton(event, context));
        if (event.actionId === ACTIONS.payPack) return finish(state, await onPayPack(event, context));
        if (event.actionId === ACTIONS.packForm) return finish(state, await onPackFormButton(context));
        if (event.actionId === ACTIONS.packStop || event.actionId === ACTIONS.packStopConfirm) return finish(state, await onPackStop(event, context));
        if (event.actionId === ACTIONS.packKeep) return finish(state, { replies: [reply(creditChatWording.packKept())], effects: [] });
        const command = Object.hasOwn(MENU, event.value) ? MENU[event.value] : undefined;
        return finish(state, command ? await runCommand(command, state, context) : { replies: [helpReply(context)], effects: [] });
      }
      if (!flow || flowValue(event.value).nonce !== flow.nonce) return finish(state, await whereWeAre(state, context));
      return finish(state, await flowStep(flow, event, context));
    }

    case 'text': {
      const command = commandOf(event.text);
      if (command) return finish(state, await runCommand(command, state, context));
      if (flow) return finish(state, await flowStep(flow, event, context));
      // No dialogue yet, but the text is about when or how long, or repeats ("every Tuesday 18:00"): that is a booking.
      const zone = context.zoneFor();
      const parseContext = { now: context.now, timeZone: zone };
      if (parsePreferenceText(event.text, parseContext).understood || parseRecurrenceText(event.text, parseContext).found) return finish(state, await startBooking(context, event.text));
      return finish(state, { replies: [helpReply(context, 'I didn\'t catch that; write "book" to book a session, "my bookings" to see yours, or "help".')], effects: [] });
    }
  }
}
