import { trainerMayDecide } from '../../src/domain/access';
import { REFUSALS } from '../../src/domain/wording';
import { privateReply, reply } from '../core/replies';
import type { ActionEvent, FormEvent, TextEvent } from '../core/events';
import { ACTIONS, FORMS } from './action-ids';
import type { DialogueContext, RequestInfo } from './dialogue-context';
import { newNonce, type Flow, type RejectFlow } from './state';
import type { FlowStep } from './step-result';

/** The engine's one flow result (see FlowStep); the name is kept for this file's signatures. */
export type DecisionResult = FlowStep;

export const NOT_YOUR_REQUEST = REFUSALS.notAddressedTrainer;
const MAX_REASON = 1000;

/** The request, if the person acting is the trainer it is addressed to. */
async function ownRequest(bookingRequestId: number, context: DialogueContext): Promise<RequestInfo | undefined> {
  if (!Number.isInteger(bookingRequestId) || context.me.trainerId === null) return undefined;
  const request = await context.request(bookingRequestId);
  return request && trainerMayDecide(request, { trainerId: context.me.trainerId }) === null ? request : undefined;
}

const refuse = (): DecisionResult => ({ replies: [privateReply(NOT_YOUR_REQUEST)], effects: [] });
/** A key for the press that Temporal uses as the Update id: a redelivered press applies once. */
const keyOf = (event: ActionEvent | FormEvent, id: string): string => `${event.from.platform}:${event.from.workspaceId}:${id}`;

/** Approve button: `<request id>.<slot id>`. Anyone else is refused privately and nothing changes. */
export async function onApprove(event: ActionEvent, context: DialogueContext): Promise<DecisionResult> {
  const [requestText = '', slotText = ''] = event.value.split('.');
  const request = await ownRequest(Number(requestText), context);
  const slotId = Number(slotText);
  if (!request || !Number.isInteger(slotId)) return refuse();
  return {
    replies: [],
    effects: [{ type: 'decide', bookingRequestId: request.bookingRequestId, decision: { kind: 'approve', trainerId: request.trainerId, slotId }, requestKey: keyOf(event, event.pressId), clientName: request.clientName }],
  };
}

export function reasonForm(bookingRequestId: number) {
  return {
    id: `${FORMS.rejectPrefix}${bookingRequestId}`,
    title: 'Reject request',
    submitLabel: 'Reject',
    fields: [{ id: FORMS.reasonField, label: 'Why? The client will read this.', multiline: true, maxLength: MAX_REASON }],
  };
}

/** Reject button: asks the reason in a form (or the next message, where there are no forms). */
export async function onReject(event: ActionEvent, context: DialogueContext): Promise<DecisionResult> {
  const request = await ownRequest(Number(event.value), context);
  if (!request) return refuse();
  const flow: RejectFlow = { kind: 'reject', nonce: newNonce(), bookingRequestId: request.bookingRequestId };
  return {
    flow,
    replies: [reply({ text: `Why are you rejecting ${request.clientName}'s request #${request.bookingRequestId}? Write the reason; ${request.clientName} will read it.`, form: reasonForm(request.bookingRequestId) })],
    effects: [],
  };
}

function rejectWith(bookingRequestId: number, request: RequestInfo, reason: string, requestKey: string, flow: Flow | null | undefined): DecisionResult {
  const trimmed = reason.trim();
  if (!trimmed) return { replies: [privateReply('Please give a reason; the client will see it.')], effects: [] };
  if (trimmed.length > MAX_REASON) return { replies: [privateReply(`Please keep the reason under ${MAX_REASON} characters.`)], effects: [] };
  return {
    flow,
    replies: [],
    effects: [{ type: 'decide', bookingRequestId, decision: { kind: 'reject', trainerId: request.trainerId, reason: trimmed }, requestKey, clientName: request.clientName }],
  };
}

/** The reason form's submission: `reject.<request id>` with field `reason`. */
export async function onRejectForm(event: FormEvent, current: Flow | null, context: DialogueContext): Promise<DecisionResult> {
  const bookingRequestId = Number(event.formId.slice(FORMS.rejectPrefix.length));
  const request = await ownRequest(bookingRequestId, context);
  if (!request) return refuse();
  const done = current?.kind === 'reject' && current.bookingRequestId === bookingRequestId ? null : undefined;
  return rejectWith(bookingRequestId, request, event.values[FORMS.reasonField] ?? '', keyOf(event, event.submissionId), done);
}

/** The reason written as a message, while the reject dialogue waits for it. */
export async function onReasonText(flow: RejectFlow, event: TextEvent, context: DialogueContext): Promise<DecisionResult> {
  const request = await ownRequest(flow.bookingRequestId, context);
  if (!request) return { flow: null, ...refuse() };
  const result = rejectWith(flow.bookingRequestId, request, event.text, `${event.from.platform}:${event.from.workspaceId}:reason:${flow.nonce}`, null);
  return result.effects.length > 0 ? result : { ...result, flow };
}

/**
 * "How did it go?" buttons: `<request id>.C` (completed) or `.N` (no-show); for a session of
 * a series `<request id>.<C|N>.<booking id>`, recorded by that session's own workflow.
 */
export async function onOutcome(event: ActionEvent, context: DialogueContext): Promise<DecisionResult> {
  const [requestText = '', code = '', bookingText] = event.value.split('.');
  const request = await ownRequest(Number(requestText), context);
  const refused = { replies: [privateReply(REFUSALS.notBookingTrainer)], effects: [] };
  if (!request || (code !== 'C' && code !== 'N')) return refused;
  const command = { trainerId: request.trainerId, outcome: code === 'C' ? ('COMPLETED' as const) : ('NO_SHOW' as const) };
  if (bookingText === undefined) return { replies: [], effects: [{ type: 'record-outcome', bookingRequestId: request.bookingRequestId, command }] };
  const booking = await context.myBooking(Number(bookingText));
  if (!booking || booking.bookingRequestId !== request.bookingRequestId) return refused;
  return { replies: [], effects: [{ type: 'record-outcome', bookingRequestId: request.bookingRequestId, bookingId: booking.bookingId, seriesId: booking.seriesId, command }] };
}

export const DECISION_ACTIONS = new Set<string>([ACTIONS.approve, ACTIONS.reject, ACTIONS.outcome]);
