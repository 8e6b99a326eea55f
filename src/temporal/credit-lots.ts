/**
 * A pack's payment and its workflow (issue 13): the API, the chat and the CLI record a
 * payment through `recordPackPayment`, which records it in the ledger and then starts the
 * pack's workflow (`credit-lot-<lotId>`: "ready", the reminder before its end, the expiry).
 * Idempotent: a retried recording (same idempotency key) finds the payment and its workflow.
 */
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import type { CreditLedger, RecordedPayment, RecordPaymentInput } from '../credits/ledger';
import { logger } from '../logger';
import type { creditLotWorkflow } from '../../workflows/credit-lot.workflow';
import { CREDIT_LOT_WORKFLOW_TYPE, creditLotStateQuery, creditLotWorkflowIdFor, SEARCH_ATTRIBUTES, type CreditLotState, type CreditLotWorkflowArgs } from '../../workflows/contract';

export interface CreditLotDeps {
  client: Client;
  /** The task queue of the booking workers (they run the pack's workflow too). */
  taskQueue: string;
}

/**
 * Starts the pack's workflow once per lot (a lot's id is never reused, and a finished
 * pack's id is refused too); an existing one is fine. Resolves to its workflow id.
 */
export async function startCreditLotWorkflow(deps: CreditLotDeps, lot: Omit<CreditLotWorkflowArgs, 'expiresAt'> & { expiresAt: Date | string }): Promise<string> {
  const workflowId = creditLotWorkflowIdFor(lot.lotId);
  const args: CreditLotWorkflowArgs = {
    lotId: lot.lotId,
    clientId: lot.clientId,
    trainerId: lot.trainerId,
    expiresAt: new Date(lot.expiresAt).toISOString(),
    ...(lot.reminderLeadMs !== undefined ? { reminderLeadMs: lot.reminderLeadMs } : {}),
  };
  try {
    await deps.client.workflow.start<typeof creditLotWorkflow>(CREDIT_LOT_WORKFLOW_TYPE, {
      taskQueue: deps.taskQueue,
      workflowId,
      args: [args],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      staticSummary: `Pack (credit lot) ${lot.lotId} of client ${lot.clientId} with trainer ${lot.trainerId}, until ${args.expiresAt}`,
      typedSearchAttributes: [
        { key: SEARCH_ATTRIBUTES.trainerId, value: String(lot.trainerId) },
        { key: SEARCH_ATTRIBUTES.clientId, value: String(lot.clientId) },
      ],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  return workflowId;
}

/**
 * Records a payment in the ledger (a pack's creates its lot) and, for a pack, starts the
 * pack's workflow. Safe to call again with the same idempotency key: the payment is
 * recorded once and its workflow started once. Should the start fail (Temporal down), the
 * payment stands and the error is thrown: calling again with the same key starts it.
 */
export async function recordPackPayment(deps: CreditLotDeps & { ledger: CreditLedger; reminderLeadMs?: number }, input: RecordPaymentInput): Promise<RecordedPayment & { workflowId: string | null }> {
  const payment = await deps.ledger.recordPayment(input);
  if (!payment.lot) return { ...payment, workflowId: null };
  const workflowId = await startCreditLotWorkflow(deps, {
    lotId: payment.lot.lotId,
    clientId: input.clientId,
    trainerId: input.trainerId,
    expiresAt: payment.lot.expiresAt,
    ...(deps.reminderLeadMs !== undefined ? { reminderLeadMs: deps.reminderLeadMs } : {}),
  });
  logger.info({ paymentId: payment.paymentId, lotId: payment.lot.lotId, workflowId, alreadyRecorded: payment.alreadyRecorded }, 'pack payment recorded; its workflow runs');
  return { ...payment, workflowId };
}

/** Where a pack's workflow is (its query). */
export async function creditLotState(client: Client, lotId: number): Promise<CreditLotState> {
  return client.workflow.getHandle(creditLotWorkflowIdFor(lotId)).query(creditLotStateQuery);
}
