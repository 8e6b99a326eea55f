import { CreditInputError } from '../../../src/domain/credits/errors';
import { creditChatWording as words } from '../../../src/domain/credits/wording';
import { NotFoundError } from '../../../src/domain/errors';
import { privateReply, reply } from '../../core/replies';
import type { EffectOutcome } from '../effects';
import type { Effect } from '../step-result';
import type { ChatCredits } from './port';
import { creditsForButton, packsView } from './views';

type CreditEffect = Extract<Effect, { type: 'record-payment' | 'create-pack' | 'stop-pack' }>;

/** A refusal of the ledger (a field it cannot store, a pack or person gone) as one private sentence. */
function refused(error: unknown): EffectOutcome {
  if (error instanceof CreditInputError) return { replies: [privateReply(error.message)] };
  if (error instanceof NotFoundError) return { replies: [privateReply(words.packGone())] };
  throw error;
}

/** Runs a write about packs and credits through the credits port, and says how it went. */
export async function runCreditEffect(effect: CreditEffect, credits: ChatCredits): Promise<EffectOutcome> {
  try {
    switch (effect.type) {
      case 'record-payment': {
        const recorded = await credits.recordPayment(effect.payment);
        const lot = recorded.lot;
        const text = lot
          ? words.packSold(
              { clientName: effect.clientName, amountMinor: recorded.amountMinor, currency: recorded.currency, method: recorded.method, sessions: lot.sessions, sessionMinutes: lot.sessionMinutes, expiresAt: lot.expiresAt, already: recorded.alreadyRecorded },
              effect.zone,
            )
          : recorded.sentence;
        return { replies: [reply({ text, actions: [creditsForButton({ userId: effect.payment.clientId, fullName: effect.clientName })] })] };
      }
      case 'create-pack': {
        const pack = await credits.createPackageType(effect.pack);
        return { replies: [reply(await packsView(credits, effect.pack.trainerId, words.packCreated(pack)))] };
      }
      case 'stop-pack': {
        const pack = await credits.deactivatePackageType(effect.trainerId, effect.packageTypeId);
        return { replies: [reply(words.packStopped(pack))] };
      }
    }
  } catch (error) {
    return refused(error);
  }
}
