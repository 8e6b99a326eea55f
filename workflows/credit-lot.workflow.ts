import { proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { CreditNoticeArgs, DatabaseActivities, NotificationActivities } from '../activities/booking-activities';
import type { CreditNoticeKind } from '../src/notifications/notification';
import { DAY_MS } from '../src/domain/time';
import { creditLotStateQuery, type CreditLotState, type CreditLotWorkflowArgs } from './contract';

// The ledger's work retries until it succeeds (an outage delays an expiry, never loses it);
// a notice that cannot be delivered is given up on after a few tries.
const db = proxyActivities<Pick<DatabaseActivities, 'creditLotStatus' | 'expireCreditLot'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
const messenger = proxyActivities<Pick<NotificationActivities, 'notifyCredits'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 8 },
});

/** How long before a pack's end its client is reminded, unless the workflow is told otherwise. */
export const DEFAULT_CREDIT_REMINDER_LEAD_MS = 7 * DAY_MS;

/**
 * One purchased pack (credit lot, issue 13), started when its payment is recorded
 * (`credit-lot-<lotId>`, src/temporal/credit-lots.ts): tells the client the pack is ready,
 * sleeps until `reminderLeadMs` before its end and reminds both sides when credits are left,
 * sleeps until the end, then writes off what is left (the ledger's expiry for this lot, as of
 * the workflow's clock; idempotent) and tells both sides how many expired. A pack bought with
 * less validity than the lead gets no reminder.
 */
export async function creditLotWorkflow(args: CreditLotWorkflowArgs): Promise<CreditLotState> {
  const id = workflowInfo().workflowId;
  const state: CreditLotState = { lotId: args.lotId, expiresAt: args.expiresAt, phase: 'waiting', remindedWith: null, expired: null, failedNotices: [] };
  setHandler(creditLotStateQuery, () => state);
  const tell = async (kind: CreditNoticeKind, extra: Partial<CreditNoticeArgs> = {}): Promise<void> => {
    try {
      await messenger.notifyCredits({ kind, lotId: args.lotId, key: `${id}/${kind}`, at: new Date().toISOString(), ...extra });
    } catch {
      state.failedNotices.push(kind);
    }
  };

  await tell('credits.purchased');

  const end = Date.parse(args.expiresAt);
  const remindAt = end - (args.reminderLeadMs ?? DEFAULT_CREDIT_REMINDER_LEAD_MS);
  if (remindAt > Date.now()) {
    await sleep(remindAt - Date.now());
    const lot = await db.creditLotStatus({ lotId: args.lotId });
    if (lot && lot.available > 0) {
      state.remindedWith = lot.available;
      await tell('credits.expiring');
    }
    state.phase = 'reminded';
  }

  // The ledger expires lots whose end lies strictly before its "now": wake just after the end.
  const untilEnd = end + 1_000 - Date.now();
  if (untilEnd > 0) await sleep(untilEnd);
  const { credits } = await db.expireCreditLot({ lotId: args.lotId, asOf: new Date().toISOString() });
  state.expired = credits;
  state.phase = 'expired';
  if (credits > 0) await tell('credits.expired', { expired: credits });
  return state;
}
