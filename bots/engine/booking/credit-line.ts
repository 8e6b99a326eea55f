import { DateTime } from 'luxon';
import type { CreditLotView, CreditNeed } from '../../../src/domain/credits/credits';
import { creditAtApproval, creditNeededToRequest, packsCovering, planCoverage } from '../../../src/domain/credits/rules';
import { creditChatWording as words, creditWording } from '../../../src/domain/credits/wording';
import type { MessageField } from '../../core/messages';
import type { DialogueContext, TrainerInfo } from '../dialogue-context';
import type { BookingDraft } from '../state';
import { expandDraftSeries } from './series';

/** What the booking summary says about credits before Confirm. */
export interface CreditLine {
  /** "uses 1 credit (4 left)", "uses 10 credits (2 left)", or what the client should know first. */
  field?: MessageField;
  /**
   * The trainer needs a credit to request, and the client's credits do not pay for this
   * booking: the domain's sentence (the trainer's packs and prices), shown instead of Confirm.
   */
  blocked?: string;
}

const LABEL = 'Credits';

/**
 * When the sessions of the draft take place, as far as the summary knows: the chosen start,
 * every date of a series, or for preferences the end of the preferred days (a credit must
 * still be valid then). Undefined when the draft does not say yet.
 */
function startsOf(draft: BookingDraft, zone: string): Date[] | undefined {
  if (draft.series) {
    const expanded = expandDraftSeries(draft, zone);
    return expanded && 'expanded' in expanded ? expanded.expanded.occurrences.map((occurrence) => occurrence.start) : undefined;
  }
  if (draft.mode === 'exact' && draft.startTime) return [new Date(draft.startTime)];
  if (draft.mode === 'flexible' && draft.preferences?.endDate) return [DateTime.fromISO(draft.preferences.endDate, { zone }).endOf('day').toJSDate()];
  return undefined;
}

/**
 * The summary's credit line (issue 13): how many of the client's credits with this trainer
 * the booking uses and how many are left afterwards (`planCoverage`, the ledger's own
 * rule: sessions in time order, earliest-expiring fitting pack first). With the trainer's
 * "credit needed to request" and not enough credits, the domain's sentence replaces Confirm
 * (a series that books free dates only goes ahead with the sessions its credits cover); with
 * "credit needed to approve" the client is told before sending. Nothing when the client has
 * no pack with the trainer and the trainer needs none.
 */
export async function creditLine(draft: BookingDraft, trainer: TrainerInfo, context: DialogueContext, zone: string): Promise<CreditLine> {
  const durationMinutes = draft.durationMinutes;
  const starts = startsOf(draft, zone);
  if (durationMinutes === undefined || !starts || starts.length === 0) return {};
  const clientId = context.me.userId;
  const policy = await context.policy(trainer.id);
  const [balance] = await context.credits.balances({ clientId, trainerId: trainer.id, now: context.now });
  const lots: CreditLotView[] = (balance?.lots ?? [])
    .filter((lot) => !lot.expired && lot.available > 0)
    .map((lot) => ({ id: lot.lotId, clientId, trainerId: trainer.id, sessionMinutes: lot.sessionMinutes, expiresAt: lot.expiresAt, available: lot.available }));
  const needs: CreditNeed[] = starts.map((start) => ({ clientId, trainerId: trainer.id, durationMinutes, start }));
  const plan = planCoverage(lots, needs);
  const covered = plan.covered.length;
  const first = Math.min(...starts.map((start) => start.getTime()));
  const fitting = lots.filter((lot) => lot.sessionMinutes >= durationMinutes && lot.expiresAt.getTime() >= first).reduce((sum, lot) => sum + lot.available, 0);
  const field = (value: string): MessageField => ({ label: LABEL, value });

  if (covered === needs.length) return { field: field(words.uses(covered, Math.max(0, fitting - covered))) };

  const required = creditNeededToRequest(policy);
  const series = needs.length > 1;
  const freeDatesOnly = draft.series?.conflictMode === 'AVAILABLE_ONLY';
  if (required && !(series && freeDatesOnly && covered > 0)) {
    const offers = packsCovering(await context.credits.packageTypes(trainer.id), durationMinutes);
    const blocked = series
      ? creditWording.notEnoughForSeries({ trainerName: trainer.name, durationMinutes, needed: needs.length, available: covered, offers })
      : creditWording.noCredit({ trainerName: trainer.name, durationMinutes, offers });
    return { blocked };
  }
  if (covered > 0) return { field: field(words.coversSome(covered, needs.length)) };
  if (creditAtApproval(policy) === 'required') {
    const offers = packsCovering(await context.credits.packageTypes(trainer.id), durationMinutes);
    return { field: field(words.approvalNeedsCredit({ trainerName: trainer.name, durationMinutes, offers })) };
  }
  return {};
}
