import { formatDay } from '../../src/domain/credits/wording';
import type { Audience, CreditNotice } from '../../src/notifications/notification';
import type { Action, MessageField, OutgoingMessage } from '../core/messages';
import { ACTIONS } from '../engine/action-ids';

/** Who a credit notice is about, read once from the database for rendering. */
export interface CreditNoticeView {
  clientUserId: number;
  clientName: string;
  trainerUserId: number;
  trainerName: string;
  /** The client's own zone, else the trainer's. */
  clientTimeZone: string;
  trainerTimeZone: string;
}

const credits = (n: number): string => (n === 1 ? '1 credit' : `${n} credits`);

const myCredits: Action = { kind: 'button', id: ACTIONS.menu, value: 'credits', label: 'My credits' };
const book: Action = { kind: 'button', id: ACTIONS.menu, value: 'book', label: 'Book a session', style: 'primary' };
const creditsFor = (notice: CreditNotice, view: CreditNoticeView): Action => ({ kind: 'button', id: ACTIONS.clientCredits, value: String(notice.clientId), label: `Credits for ${view.clientName}`.slice(0, 80) });
const sellTo = (notice: CreditNotice, view: CreditNoticeView): Action => ({ kind: 'button', id: ACTIONS.sellPack, value: String(notice.clientId), label: `Sell ${view.clientName} a pack`.slice(0, 80), style: 'primary' });

/** The pack, what is left in it and in all the client's packs with the trainer, and its end, in the reader's zone. */
function packFields(notice: CreditNotice, zone: string): MessageField[] {
  const expiresAt = new Date(notice.expiresAt);
  const expired = notice.kind === 'credits.expired';
  return [
    { label: 'Pack', value: notice.packName },
    ...(expired ? [] : [{ label: 'Left in this pack', value: credits(notice.available) }]),
    { label: 'Left in all packs', value: credits(notice.totalLeft) },
    ...(Number.isNaN(expiresAt.getTime()) ? [] : [{ label: expired ? 'Expired on' : 'Valid until', value: formatDay(expiresAt, zone) }]),
  ];
}

/** Where a client goes from a notice: book while credits last, and their credits. */
function clientActions(notice: CreditNotice): Action[] {
  return notice.totalLeft > 0 && notice.kind !== 'credits.expired' ? [book, myCredits] : [myCredits];
}

/** Where a trainer goes from a notice: the client's credits, and a pack to sell when they run out. */
function trainerActions(notice: CreditNotice, view: CreditNoticeView): Action[] {
  const runningOut = notice.kind === 'credits.expired' || notice.kind === 'credits.low' || notice.totalLeft <= 1;
  return runningOut ? [sellTo(notice, view), creditsFor(notice, view)] : [creditsFor(notice, view)];
}

/**
 * A credit notice (issue 13) for one side: its sentence as the ledger worded it for that
 * reader (src/domain/credits/wording.ts), the pack's numbers and end of validity in the
 * reader's zone, and buttons to go on ("My credits", "Book a session"; "Credits for Jamie",
 * "Sell Jamie a pack").
 */
export function renderCreditNotice(notice: CreditNotice, view: CreditNoticeView, audience: Audience): OutgoingMessage {
  if (audience === 'client') return { text: notice.text, fields: packFields(notice, view.clientTimeZone), actions: clientActions(notice) };
  return { text: notice.text, fields: packFields(notice, view.trainerTimeZone), actions: trainerActions(notice, view) };
}
