import { PACKAGE_BOUNDS } from '../../../src/domain/credits/credits';
import { formatMoney, normalizeCurrency, parseMoney } from '../../../src/domain/credits/money';
import { checkPackageType } from '../../../src/domain/credits/rules';
import { creditChatWording as words, creditWording } from '../../../src/domain/credits/wording';
import type { ActionEvent, FormEvent } from '../../core/events';
import type { FormRequest } from '../../core/messages';
import { privateReply, reply } from '../../core/replies';
import { ACTIONS, FORMS } from '../action-ids';
import type { DialogueContext } from '../dialogue-context';
import type { FlowStep } from '../step-result';
import { newPackButton, onlyTrainers } from './views';

const DEFAULT_CURRENCY = 'EUR';
const DEFAULT_VALIDITY_DAYS = 90;

/** The currency a trainer prices in: that of their packs, else euros. */
async function trainersCurrency(context: DialogueContext, trainerId: number): Promise<string> {
  const packs = await context.credits.packageTypes(trainerId, { includeInactive: true });
  return packs[0]?.currency ?? DEFAULT_CURRENCY;
}

/** Five fields, Discord's most for a modal: the price carries its currency ("700 EUR"). */
export function newPackForm(currency: string): FormRequest {
  return {
    id: FORMS.newPack,
    title: 'New pack',
    submitLabel: 'Create',
    fields: [
      { id: 'name', label: 'Name', placeholder: 'e.g. Ten sessions', maxLength: PACKAGE_BOUNDS.nameLength.max },
      { id: 'sessions', label: 'Sessions in the pack', placeholder: 'e.g. 10', maxLength: 3 },
      { id: 'minutes', label: 'Minutes per session (the longest it pays)', placeholder: 'e.g. 60', maxLength: 3 },
      { id: 'price', label: 'Price', placeholder: `e.g. 700 ${currency}`, maxLength: 30 },
      { id: 'validity', label: 'Valid for (days after purchase)', initial: String(DEFAULT_VALIDITY_DAYS), maxLength: 3 },
    ],
  };
}

/** "New pack…": the form. */
export async function onPackFormButton(context: DialogueContext): Promise<FlowStep> {
  const trainerId = context.me.trainerId;
  if (trainerId === null) return onlyTrainers();
  const form = newPackForm(await trainersCurrency(context, trainerId));
  return { replies: [reply({ text: words.describeNewPack(), form })], effects: [] };
}

/** "new pack" written: forms open from a button, so the button. */
export function startNewPack(context: DialogueContext): FlowStep {
  if (context.me.trainerId === null) return onlyTrainers();
  return { replies: [reply({ text: words.newPackButtonHint(), actions: [newPackButton] })], effects: [] };
}

/** A whole number in bounds, or the sentence that says what is wrong. */
function wholeIn(written: string, label: string, bounds: { min: number; max: number }): number | string {
  const text = written.trim();
  if (!/^\d{1,6}$/.test(text)) return words.unreadableWhole(label, text.slice(0, 20));
  const value = Number(text);
  if (value < bounds.min || value > bounds.max) return words.outOfRange(label, bounds);
  return value;
}

/** A price with its currency: the code written ("700 EUR", "usd 49.90"), else the trainer's. */
function readPrice(written: string, fallback: string): { minor: bigint; currency: string } | string {
  const text = written.trim();
  const code = /(?:^|[^A-Za-z])([A-Za-z]{3})(?![A-Za-z])/.exec(text)?.[1];
  const currency = (code && normalizeCurrency(code)) ?? fallback;
  const parsed = parseMoney(text, currency);
  if (parsed.ok) return { minor: parsed.minor, currency };
  if (parsed.problem.kind === 'other_currency') return words.priceCurrencyUnclear(parsed.problem.written);
  if (parsed.problem.kind === 'unreadable') return words.unreadablePrice(text.slice(0, 30));
  return creditWording.moneyProblem(parsed.problem, currency, text.slice(0, 30));
}

/** The new pack's form: every field read, the first problem in one sentence; else the pack is created. */
export async function onNewPackForm(event: FormEvent, context: DialogueContext): Promise<FlowStep> {
  const trainerId = context.me.trainerId;
  if (trainerId === null) return onlyTrainers();
  const problem = (sentence: string): FlowStep => ({ replies: [privateReply(sentence)], effects: [] });
  const name = (event.values.name ?? '').trim();
  const sessions = wholeIn(event.values.sessions ?? '', 'number of sessions', PACKAGE_BOUNDS.sessions);
  if (typeof sessions === 'string') return problem(sessions);
  const minutes = wholeIn(event.values.minutes ?? '', 'minutes per session', PACKAGE_BOUNDS.sessionMinutes);
  if (typeof minutes === 'string') return problem(minutes);
  const price = readPrice(event.values.price ?? '', await trainersCurrency(context, trainerId));
  if (typeof price === 'string') return problem(price);
  const validity = wholeIn(event.values.validity ?? '', 'number of days it is valid', PACKAGE_BOUNDS.validityDays);
  if (typeof validity === 'string') return problem(validity);
  const pack = { trainerId, name, sessions, sessionMinutes: minutes, priceMinor: price.minor, currency: price.currency, validityDays: validity };
  const refused = checkPackageType(pack);
  if (refused) return problem(refused.sentence);
  return { replies: [], effects: [{ type: 'create-pack', pack }] };
}

/** "Stop selling…": which pack, asked to confirm. */
export async function onPackStop(event: ActionEvent, context: DialogueContext): Promise<FlowStep> {
  const trainerId = context.me.trainerId;
  if (trainerId === null) return onlyTrainers();
  const pack = (await context.credits.packageTypes(trainerId)).find((candidate) => String(candidate.id) === event.value);
  if (!pack) return { replies: [privateReply(words.packGone())], effects: [] };
  if (event.actionId === ACTIONS.packStopConfirm) return { replies: [], effects: [{ type: 'stop-pack', trainerId, packageTypeId: pack.id }] };
  return {
    replies: [
      reply({
        text: words.confirmStop(pack),
        actions: [
          { kind: 'button', id: ACTIONS.packStopConfirm, value: String(pack.id), label: 'Yes, stop selling it', style: 'danger' },
          { kind: 'button', id: ACTIONS.packKeep, value: String(pack.id), label: `Keep selling it (${formatMoney(pack.priceMinor, pack.currency)})`.slice(0, 80) },
        ],
      }),
    ],
    effects: [],
  };
}
