import { privateReply } from '../core/replies';
import type { ActionEvent } from '../core/events';
import type { Button } from '../core/messages';
import { ACTIONS } from './action-ids';
import type { DialogueContext } from './dialogue-context';
import type { FlowStep } from './step-result';

const NOT_YOUR_REQUEST = "That request isn't one of yours, or it no longer exists.";

/** The client's "Withdraw" button for a pending request (on "Sent!" and in "my bookings"). */
export const withdrawButton = (bookingRequestId: number): Button => ({ kind: 'button', id: ACTIONS.withdraw, value: String(bookingRequestId), label: `Withdraw #${bookingRequestId}`, style: 'danger' });

/**
 * Withdraw button: only the request's own client may take it back; the workflow closes it as
 * WITHDRAWN (or says how it already closed). A redelivered press is the same Update.
 */
export async function onWithdraw(event: ActionEvent, context: DialogueContext): Promise<FlowStep> {
  const bookingRequestId = Number(event.value);
  const request = Number.isInteger(bookingRequestId) ? await context.request(bookingRequestId) : undefined;
  if (!request || request.clientUserId !== context.me.userId) return { replies: [privateReply(NOT_YOUR_REQUEST)], effects: [] };
  return {
    replies: [],
    effects: [{ type: 'withdraw-request', bookingRequestId, userId: context.me.userId, trainerName: request.trainerName, requestKey: `${event.from.platform}:${event.from.workspaceId}:withdraw:${event.pressId}` }],
  };
}
