import type { PackageTypeRecord, RecordPaymentInput } from '../../../src/credits/ledger';
import type { PaymentMethod } from '../../../src/domain/credits/credits';
import { formatMoney, parseMoney, toDecimalString } from '../../../src/domain/credits/money';
import { checkPackPayment } from '../../../src/domain/credits/rules';
import { creditChatWording as words, creditWording } from '../../../src/domain/credits/wording';
import type { ActionEvent, FormEvent } from '../../core/events';
import type { Action, FormRequest } from '../../core/messages';
import { privateReply, reply } from '../../core/replies';
import { ACTIONS, FORMS, flowValue } from '../action-ids';
import { yesOrNo } from '../answers';
import type { ClientInfo, DialogueContext } from '../dialogue-context';
import { newNonce, type PaymentDraft, type PaymentFlow } from '../state';
import type { DialogueEvent, FlowStep } from '../step-result';
import { findClient, namesClient } from './clients';
import { clientChoices, newPackButton, onlyTrainers } from './views';

const MAX_BUTTONS = 5;
const MAX_REFERENCE = 200;
const CONFIRM_WORDS = { yes: ['record', 'record it', 'confirm', 'discount'], no: ['drop', 'drop it', 'no thanks'] };

/** How people write the ways of paying: "cash", "bank transfer", "card at the gym", "other" (and a few more). */
const METHOD_WORDS: [RegExp, PaymentMethod][] = [
  [/^cash$/, 'CASH'],
  [/^(?:bank|bank transfer|transfer|wire|wire transfer|sepa|iban)$/, 'BANK_TRANSFER'],
  [/^(?:card|card at the gym|card at gym|gym card|card at the studio|terminal|pos)$/, 'CARD_AT_GYM'],
  [/^other$/, 'OTHER'],
];

/** The payment method a trainer wrote, or undefined. */
export function readMethod(written: string): PaymentMethod | undefined {
  const text = written.trim().toLowerCase().replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').replace(/[.!]+$/, '');
  return METHOD_WORDS.find(([pattern]) => pattern.test(text))?.[1];
}

/** Which payments the form fills: `pay.<pack id>.<client user id or 0>`. */
const paymentFormId = (packId: number, clientId: number): string => `${FORMS.paymentPrefix}${packId}.${clientId}`;

/** Five fields, Discord's most: client and pack prefilled when known, the amount with the pack's price. */
export function paymentForm(pack: PackageTypeRecord, client: ClientInfo | undefined): FormRequest {
  return {
    id: paymentFormId(pack.id, client?.userId ?? 0),
    title: 'Record a payment',
    submitLabel: 'Record',
    fields: [
      { id: 'client', label: 'Client (name or username)', initial: client?.fullName ?? '', placeholder: 'e.g. Jamie Lee', maxLength: 100 },
      { id: 'pack', label: 'Pack', initial: pack.name, maxLength: 80 },
      { id: 'amount', label: `Amount paid (${pack.currency})`, initial: toDecimalString(pack.priceMinor, pack.currency), maxLength: 30 },
      { id: 'method', label: 'Paid by', placeholder: 'cash, bank transfer, card at the gym or other', maxLength: 30 },
      { id: 'reference', label: 'Reference (optional)', placeholder: 'receipt number, transfer text…', maxLength: MAX_REFERENCE, optional: true },
    ],
  };
}

/** The trainer's packs as buttons (a select when there are many): pressing one opens the payment form. */
function packChoices(packs: readonly PackageTypeRecord[], client: ClientInfo | undefined): Action[] {
  const value = (pack: PackageTypeRecord): string => `${pack.id}.${client?.userId ?? 0}`;
  const label = (pack: PackageTypeRecord): string => `${pack.name} · ${formatMoney(pack.priceMinor, pack.currency)}`;
  if (packs.length <= MAX_BUTTONS) return packs.map((pack) => ({ kind: 'button', id: ACTIONS.payPack, value: value(pack), label: label(pack).slice(0, 80) }));
  return [{ kind: 'select', id: ACTIONS.payPack, placeholder: 'Choose the pack', options: packs.slice(0, 25).map((pack) => ({ label: label(pack).slice(0, 100), value: value(pack) })) }];
}

async function choosePack(context: DialogueContext, trainerId: number, client: ClientInfo | undefined): Promise<FlowStep> {
  const packs = await context.credits.packageTypes(trainerId);
  if (packs.length === 0) return { replies: [reply({ text: words.noPacksToSell(), actions: [newPackButton] })], effects: [] };
  return { replies: [reply({ text: words.choosePack(client?.fullName), actions: packChoices(packs, client) })], effects: [] };
}

/** "sell a pack (to Jamie)", "record payment (from Jamie)": which pack, for the client named if any. */
export async function startSell(written: string, context: DialogueContext): Promise<FlowStep> {
  const trainerId = context.me.trainerId;
  if (trainerId === null) return onlyTrainers();
  const name = written.trim();
  if (!name) return choosePack(context, trainerId, undefined);
  const match = await findClient(context, name);
  if (match.kind === 'none') return { replies: [privateReply(words.unknownClient(name.slice(0, 60)))], effects: [] };
  if (match.kind === 'many') return { replies: [reply({ text: words.whichClient(name.slice(0, 60)), actions: clientChoices(match.clients, ACTIONS.sellPack, (client) => String(client.userId)) })], effects: [] };
  return choosePack(context, trainerId, match.client);
}

/** "Sell … a pack" pressed: `<client user id>`, or '' to name the client in the form. */
export async function onSellButton(event: ActionEvent, context: DialogueContext): Promise<FlowStep> {
  const trainerId = context.me.trainerId;
  if (trainerId === null) return onlyTrainers();
  const client = event.value ? await context.person(Number(event.value)) : undefined;
  return choosePack(context, trainerId, client);
}

/** A pack pressed: the payment form, with the pack's price as the amount. */
export async function onPayPack(event: ActionEvent, context: DialogueContext): Promise<FlowStep> {
  const trainerId = context.me.trainerId;
  if (trainerId === null) return onlyTrainers();
  const [packText = '', clientText = '0'] = event.value.split('.');
  const pack = (await context.credits.packageTypes(trainerId)).find((candidate) => String(candidate.id) === packText);
  if (!pack) return { replies: [privateReply(words.packGone())], effects: [] };
  const client = clientText === '0' ? undefined : await context.person(Number(clientText));
  return { replies: [reply({ text: words.fillPayment(pack), form: paymentForm(pack, client) })], effects: [] };
}

/** The pack a trainer wrote in the form: by its name (any case), else the one the form was opened for. */
function packWritten(packs: readonly PackageTypeRecord[], written: string, formPackId: number): PackageTypeRecord | undefined {
  const text = written.trim().toLowerCase();
  if (!text) return packs.find((pack) => pack.id === formPackId);
  return packs.find((pack) => pack.name.toLowerCase() === text) ?? packs.find((pack) => pack.id === formPackId && `${pack.sessions} × ${pack.sessionMinutes} min` === text);
}

/** What a payment flow asks next: which client, or a different amount confirmed; else the payment is recorded. */
async function nextQuestion(flow: PaymentFlow, context: DialogueContext, candidates?: ClientInfo[]): Promise<FlowStep> {
  const trainerId = context.me.trainerId!;
  const draft = flow.draft;
  if (draft.clientId === undefined) {
    const clients = candidates ?? [];
    return {
      flow: { ...flow, candidates: clients.map((client) => client.userId) },
      replies: [reply({ text: words.whichClient(draft.clientName ?? ''), actions: [...clientChoices(clients, ACTIONS.payClient, (client) => `${flow.nonce}.${client.userId}`), abandon(flow.nonce)] })],
      effects: [],
    };
  }
  const pack = (await context.credits.packageTypes(trainerId)).find((candidate) => candidate.id === draft.packageTypeId);
  if (!pack) return { flow: null, replies: [privateReply(words.packGone())], effects: [] };
  const amountMinor = BigInt(draft.amountMinor);
  if (draft.differs) {
    const mismatch = checkPackPayment({ ...pack, active: true }, { amountMinor, currency: draft.currency });
    return {
      flow: { kind: 'payment', nonce: flow.nonce, draft },
      replies: [
        reply({
          text: mismatch?.sentence ?? creditWording.priceMismatch(pack, amountMinor),
          actions: [{ kind: 'button', id: ACTIONS.payConfirm, value: flow.nonce, label: words.discountLabel(amountMinor, draft.currency).slice(0, 80), style: 'primary' }, abandon(flow.nonce)],
        }),
      ],
      effects: [],
    };
  }
  return record(flow, context, false);
}

const abandon = (nonce: string): Action => ({ kind: 'button', id: ACTIONS.payAbandon, value: nonce, label: 'Cancel', style: 'danger' });

/** The payment as the ledger records it; the flow ends. */
function record(flow: PaymentFlow, context: DialogueContext, priceOverride: boolean): FlowStep {
  const draft = flow.draft;
  const payment: RecordPaymentInput = {
    trainerId: context.me.trainerId!,
    clientId: draft.clientId!,
    recordedBy: context.me.userId,
    amountMinor: BigInt(draft.amountMinor),
    currency: draft.currency,
    method: draft.method,
    reference: draft.reference,
    packageTypeId: draft.packageTypeId,
    idempotencyKey: draft.key,
    ...(priceOverride ? { priceOverride: true } : {}),
  };
  return { flow: null, replies: [], effects: [{ type: 'record-payment', payment, clientName: draft.clientName ?? '', zone: context.me.trainerTimeZone ?? context.zoneFor() }] };
}

/**
 * The payment form: pack, amount (read by money.ts, never as a float), method and reference
 * are checked first, each problem in one sentence; then the client (asked which when the
 * name fits several) and an amount other than the price (confirmed as a discount).
 */
export async function onPaymentForm(event: FormEvent, context: DialogueContext): Promise<FlowStep> {
  const trainerId = context.me.trainerId;
  if (trainerId === null) return onlyTrainers();
  const problem = (sentence: string): FlowStep => ({ replies: [privateReply(sentence)], effects: [] });
  const [packText = '', clientText = '0'] = event.formId.slice(FORMS.paymentPrefix.length).split('.');
  const packs = await context.credits.packageTypes(trainerId);
  const pack = packWritten(packs, event.values.pack ?? '', Number(packText));
  if (!pack) return problem(packs.length === 0 ? words.noPacksToSell() : words.unknownPack((event.values.pack ?? '').trim().slice(0, 60), packs.map((p) => p.name)));

  const amountText = (event.values.amount ?? '').trim();
  const amount = parseMoney(amountText, pack.currency);
  if (!amount.ok) return problem(creditWording.moneyProblem(amount.problem, pack.currency, amountText.slice(0, 30)));
  if (amount.minor <= 0n) return problem(creditWording.amountNotPositive());
  const method = readMethod(event.values.method ?? '');
  if (!method) return problem(creditWording.unknownMethod());
  const reference = (event.values.reference ?? '').trim();
  if (reference.length > MAX_REFERENCE) return problem(words.referenceTooLong(MAX_REFERENCE));

  const clientWritten = (event.values.client ?? '').trim();
  if (!clientWritten) return problem(words.nameTheClient());
  const formClient = clientText === '0' ? undefined : await context.person(Number(clientText));
  const match = formClient && namesClient(formClient, clientWritten) ? { kind: 'one' as const, client: formClient } : await findClient(context, clientWritten);
  if (match.kind === 'none') return problem(words.unknownClient(clientWritten.slice(0, 60)));

  const draft: PaymentDraft = {
    packageTypeId: pack.id,
    ...(match.kind === 'one' ? { clientId: match.client.userId, clientName: match.client.fullName } : { clientName: clientWritten.slice(0, 60) }),
    amountMinor: amount.minor.toString(),
    currency: pack.currency,
    method,
    reference: reference || null,
    key: `${event.from.platform}:${event.from.workspaceId}:payment:${event.submissionId}`,
    differs: amount.minor !== pack.priceMinor,
  };
  return nextQuestion({ kind: 'payment', nonce: newNonce(), draft }, context, match.kind === 'many' ? match.clients : undefined);
}

/** An answer while a payment waits: the client chosen, the different amount confirmed, or dropped. */
export async function paymentStep(flow: PaymentFlow, event: DialogueEvent, context: DialogueContext): Promise<FlowStep> {
  if (context.me.trainerId === null) return { ...onlyTrainers(), flow: null };
  const dropped: FlowStep = { flow: null, replies: [reply(words.paymentDropped())], effects: [] };
  if (event.type === 'text') {
    const answer = yesOrNo(event.text, CONFIRM_WORDS);
    if (answer === 'no') return dropped;
    if (answer === 'yes' && flow.draft.clientId !== undefined && flow.draft.differs) return record(flow, context, true);
    return nextQuestion(flow, context, await candidatesOf(flow, context));
  }
  if (event.type !== 'action') return { replies: [], effects: [] };
  const { rest } = flowValue(event.value);
  switch (event.actionId) {
    case ACTIONS.payAbandon:
      return dropped;
    case ACTIONS.payConfirm:
      if (flow.draft.clientId === undefined) return nextQuestion(flow, context, await candidatesOf(flow, context));
      return record(flow, context, flow.draft.differs);
    case ACTIONS.payClient: {
      const chosen = (flow.candidates ?? []).includes(Number(rest)) ? await context.person(Number(rest)) : undefined;
      if (!chosen) return nextQuestion(flow, context, await candidatesOf(flow, context));
      return nextQuestion({ kind: 'payment', nonce: flow.nonce, draft: { ...flow.draft, clientId: chosen.userId, clientName: chosen.fullName } }, context);
    }
    default:
      return nextQuestion(flow, context, await candidatesOf(flow, context));
  }
}

async function candidatesOf(flow: PaymentFlow, context: DialogueContext): Promise<ClientInfo[]> {
  const found = await Promise.all((flow.candidates ?? []).map((id) => context.person(id)));
  return found.filter((client): client is ClientInfo => client !== undefined);
}
