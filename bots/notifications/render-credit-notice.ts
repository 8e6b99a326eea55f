import { creditChatWording as words, creditWording, formatDay } from '../../src/domain/credits/wording';
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

const myCredits: Action = { kind: 'button', id: ACTIONS.menu, value: 'credits', label: 'My credits' };
const book: Action = { kind: 'button', id: ACTIONS.menu, value: 'book', label: 'Book a session', style: 'primary' };
const creditsFor = (notice: CreditNotice, view: CreditNoticeView): Action => ({ kind: 'button', id: ACTIONS.clientCredits, value: String(notice.clientId), label: `Credits for ${view.clientName}`.slice(0, 80) });
const sellTo = (notice: CreditNotice, view: CreditNoticeView): Action => ({ kind: 'button', id: ACTIONS.sellPack, value: String(notice.clientId), label: `Sell ${view.clientName} a pack`.slice(0, 80), style: 'primary' });

/** The pack, its credits left and its end of validity, as fields under the sentence. */
function packFields(notice: CreditNotice, zone: string): MessageField[] {
  const expiresAt = new Date(notice.expiresAt);
  return [
    { label: 'Pack', value: notice.packName },
    { label: 'Left in this pack', value: notice.available === 1 ? '1 credit' : `${notice.available} credits` },
    ...(Number.isNaN(expiresAt.getTime()) ? [] : [{ label: notice.kind === 'credits.expired' ? 'Expired on' : 'Valid until', value: formatDay(expiresAt, zone) }]),
  ];
}

/** What the client reads, and where to go from it ("My credits", book while credits last). */
function forClient(notice: CreditNotice, view: CreditNoticeView): OutgoingMessage {
  const zone = view.clientTimeZone;
  const expiresAt = new Date(notice.expiresAt);
  const fields = packFields(notice, zone);
  switch (notice.kind) {
    case 'credits.purchased':
      return {
        text: words.purchasedForClient({ trainerName: view.trainerName, packName: notice.packName, totalLeft: notice.totalLeft, expiresAt }, zone),
        fields,
        actions: [book, myCredits],
      };
    case 'credits.low':
      return { text: creditWording.reminder({ trainerName: view.trainerName, available: notice.totalLeft, expiring: 0, expiresAt: null }, zone), fields, actions: notice.totalLeft > 0 ? [book, myCredits] : [myCredits] };
    case 'credits.expiring':
      return { text: creditWording.reminder({ trainerName: view.trainerName, available: notice.totalLeft, expiring: notice.available, expiresAt }, zone), fields, actions: [book, myCredits] };
    case 'credits.expired':
      return { text: words.expiredForClient({ trainerName: view.trainerName, packName: notice.packName, totalLeft: notice.totalLeft, expiresAt }, zone), fields, actions: [myCredits] };
    default:
      return { text: notice.text, actions: [myCredits] };
  }
}

/** What the trainer reads about their client, with the client's credits and a pack to sell when they run out. */
function forTrainer(notice: CreditNotice, view: CreditNoticeView): OutgoingMessage {
  const zone = view.trainerTimeZone;
  const expiresAt = new Date(notice.expiresAt);
  const fields = packFields(notice, zone);
  switch (notice.kind) {
    case 'credits.purchased':
      return {
        text: words.purchasedForTrainer({ clientName: view.clientName, packName: notice.packName, totalLeft: notice.totalLeft, expiresAt }, zone),
        fields,
        actions: [creditsFor(notice, view)],
      };
    case 'credits.low':
      return { text: creditWording.lowOrExpiring({ clientName: view.clientName, available: notice.totalLeft, expiring: 0, expiresAt: null }, zone), fields, actions: [sellTo(notice, view), creditsFor(notice, view)] };
    case 'credits.expiring':
      return { text: creditWording.lowOrExpiring({ clientName: view.clientName, available: notice.totalLeft, expiring: notice.available, expiresAt }, zone), fields, actions: [creditsFor(notice, view)] };
    case 'credits.expired':
      return { text: words.expiredForTrainer({ clientName: view.clientName, packName: notice.packName, totalLeft: notice.totalLeft, expiresAt }, zone), fields, actions: [sellTo(notice, view), creditsFor(notice, view)] };
    default:
      return { text: notice.text, actions: [creditsFor(notice, view)] };
  }
}

/** A credit notice (issue 13) for one side, in the neutral message model. */
export function renderCreditNotice(notice: CreditNotice, view: CreditNoticeView, audience: Audience): OutgoingMessage {
  return audience === 'client' ? forClient(notice, view) : forTrainer(notice, view);
}
