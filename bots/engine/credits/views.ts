import type { CreditBalance, LedgerEntry, LotBalance } from '../../../src/credits/ledger';
import { formatMoney } from '../../../src/domain/credits/money';
import { creditChatWording as words, creditWording, packName } from '../../../src/domain/credits/wording';
import type { Action, Button, MessageField, OutgoingMessage } from '../../core/messages';
import { privateReply, reply } from '../../core/replies';
import { ACTIONS } from '../action-ids';
import type { ClientInfo, DialogueContext } from '../dialogue-context';
import type { FlowStep } from '../step-result';
import { clientLabel, findClient } from './clients';
import type { CreditReads } from './port';

/** The most trainers "my credits" lists, packs per trainer, and movements per trainer. */
const MAX_TRAINERS = 10;
const MAX_PACKS = 4;
const MOVEMENTS = 5;
/** What "low credits" means: this many credits or fewer, or credits expiring within these days. */
export const LOW_AT_MOST = 1;
export const EXPIRING_WITHIN_DAYS = 14;
const MAX_BUTTONS = 5;

export const onlyTrainers = (): FlowStep => ({ replies: [privateReply(words.onlyTrainers())], effects: [] });

const bookButton: Button = { kind: 'button', id: ACTIONS.menu, value: 'book', label: 'Book a session', style: 'primary' };
export const myCreditsButton: Button = { kind: 'button', id: ACTIONS.menu, value: 'credits', label: 'My credits' };
export const sellButton = (client?: ClientInfo): Button => ({ kind: 'button', id: ACTIONS.sellPack, value: client ? String(client.userId) : '', label: client ? `Sell ${client.fullName} a pack`.slice(0, 80) : 'Sell a pack', style: 'primary' });
export const creditsForButton = (client: Pick<ClientInfo, 'userId' | 'fullName'>): Button => ({ kind: 'button', id: ACTIONS.clientCredits, value: String(client.userId), label: `Credits for ${client.fullName}`.slice(0, 80) });
export const newPackButton: Button = { kind: 'button', id: ACTIONS.packForm, value: 'new', label: 'New pack…' };
const packsButton: Button = { kind: 'button', id: ACTIONS.menu, value: 'packs', label: 'My packs for sale' };
const lowButton: Button = { kind: 'button', id: ACTIONS.menu, value: 'low', label: 'Low credits' };

/** The packs worth showing: those with credits free or held first (earliest expiry first), then the latest spent or expired one. */
function shownPacks(lots: readonly LotBalance[]): LotBalance[] {
  const live = lots.filter((lot) => (!lot.expired && lot.available > 0) || lot.reserved > 0);
  const spent = lots.filter((lot) => !live.includes(lot)).sort((a, b) => b.purchasedAt.getTime() - a.purchasedAt.getTime());
  return [...live, ...spent].slice(0, MAX_PACKS);
}

const packLine = (lot: LotBalance, zone: string): string => `• ${packName({ name: lot.packageName, sessions: lot.sessions, sessionMinutes: lot.sessionMinutes })}: ${words.heldPack(lot, zone)}`;
const movementLines = (entries: readonly LedgerEntry[], zone: string): string => entries.map((entry) => `• ${words.movement(entry, zone)}`).join('\n');

/** One balance as fields: labelled `who` (the trainer for a client, the client for a trainer), its packs, then the last movements. */
function balanceFields(balance: CreditBalance, entries: readonly LedgerEntry[], zone: string, who: string, movementsLabel: string): MessageField[] {
  const packs = shownPacks(balance.lots).map((lot) => packLine(lot, zone));
  const fields: MessageField[] = [{ label: who, value: [words.total(balance.available, balance.reserved), ...packs].join('\n') }];
  if (entries.length > 0) fields.push({ label: movementsLabel, value: movementLines(entries, zone) });
  return fields;
}

/** "my credits": per trainer the balance, each pack's credits left and expiry, and the last movements. */
export async function showMyCredits(context: DialogueContext): Promise<FlowStep> {
  const me = context.me;
  const balances = (await context.credits.balances({ clientId: me.userId, includeSpent: true, now: context.now })).slice(0, MAX_TRAINERS);
  const trainerActions: Action[] = me.trainerId === null ? [] : [lowButton, packsButton];
  if (balances.length === 0) return { replies: [reply({ text: words.noPacks(), actions: [bookButton, ...trainerActions] })], effects: [] };
  const zone = context.zoneFor();
  const fields: MessageField[] = [];
  for (const balance of balances) {
    const entries = await context.credits.entries({ clientId: me.userId, trainerId: balance.trainerId, limit: MOVEMENTS });
    fields.push(...balanceFields(balance, entries, zone, balance.trainerName, `${words.lastMovements()} with ${balance.trainerName}`));
  }
  return { replies: [reply({ text: words.myCreditsIntro(), fields, actions: [bookButton, ...trainerActions] })], effects: [] };
}

/** A trainer's view of one client: balance, packs and movements with this trainer, and a way to sell them a pack. */
export async function clientCreditsView(client: ClientInfo, trainerId: number, context: DialogueContext): Promise<OutgoingMessage> {
  const zone = context.me.trainerTimeZone ?? context.zoneFor();
  const [balance] = await context.credits.balances({ clientId: client.userId, trainerId, includeSpent: true, now: context.now });
  const entries = await context.credits.entries({ clientId: client.userId, trainerId, limit: MOVEMENTS });
  if (!balance) return { text: words.clientHasNoPacks(client.fullName), actions: [sellButton(client)] };
  return { text: words.clientCreditsIntro(client.fullName), fields: balanceFields(balance, entries, zone, client.fullName, words.lastMovements()), actions: [sellButton(client)] };
}

/** Buttons (or one select) for each of several clients a name fitted. */
export function clientChoices(clients: readonly ClientInfo[], actionId: string, valueOf: (client: ClientInfo) => string): Action[] {
  if (clients.length <= MAX_BUTTONS) return clients.map((client): Button => ({ kind: 'button', id: actionId, value: valueOf(client), label: clientLabel(client).slice(0, 80) }));
  return [{ kind: 'select', id: actionId, placeholder: 'Choose the client', options: clients.slice(0, 25).map((client) => ({ label: clientLabel(client).slice(0, 100), value: valueOf(client) })) }];
}

/** "credits for Jamie": one client, asked which when the name fits several. */
export async function showClientCredits(written: string, context: DialogueContext): Promise<FlowStep> {
  const trainerId = context.me.trainerId;
  if (trainerId === null) return onlyTrainers();
  const match = await findClient(context, written);
  if (match.kind === 'none') return { replies: [privateReply(words.unknownClient(written.slice(0, 60)))], effects: [] };
  if (match.kind === 'many') {
    return { replies: [reply({ text: words.whichClient(written.slice(0, 60)), actions: clientChoices(match.clients, ACTIONS.clientCredits, (client) => String(client.userId)) })], effects: [] };
  }
  return { replies: [reply(await clientCreditsView(match.client, trainerId, context))], effects: [] };
}

/** The "Credits for …" button: the client by id (only their ledger with this trainer is shown). */
export async function onClientCredits(value: string, context: DialogueContext): Promise<FlowStep> {
  const trainerId = context.me.trainerId;
  if (trainerId === null) return onlyTrainers();
  const client = await context.person(Number(value));
  if (!client) return { replies: [privateReply(words.unknownClient(value.slice(0, 20)))], effects: [] };
  return { replies: [reply(await clientCreditsView(client, trainerId, context))], effects: [] };
}

/** "low credits": the trainer's clients with at most one credit left or credits expiring within 14 days. */
export async function showLowCredits(context: DialogueContext): Promise<FlowStep> {
  const trainerId = context.me.trainerId;
  if (trainerId === null) return onlyTrainers();
  const zone = context.me.trainerTimeZone ?? context.zoneFor();
  const low = await context.credits.lowOrExpiring(trainerId, { atMost: LOW_AT_MOST, withinDays: EXPIRING_WITHIN_DAYS, now: context.now });
  if (low.length === 0) return { replies: [reply({ text: words.noneLow(LOW_AT_MOST, EXPIRING_WITHIN_DAYS), actions: [sellButton(), packsButton] })], effects: [] };
  const fields = low.slice(0, 25).map((row) => ({ label: row.clientName, value: creditWording.lowOrExpiring({ clientName: row.clientName, available: row.available, expiring: row.expiring, expiresAt: row.expiresAt }, zone) }));
  const actions: Action[] = [...low.slice(0, MAX_BUTTONS - 1).map((row) => creditsForButton({ userId: row.clientId, fullName: row.clientName })), sellButton()];
  return { replies: [reply({ text: words.lowIntro(LOW_AT_MOST, EXPIRING_WITHIN_DAYS), fields, actions })], effects: [] };
}

/** "packs": the trainer's packs for sale, a way to add one, stop selling one, or sell one. */
export async function packsView(credits: CreditReads, trainerId: number, lead?: string): Promise<OutgoingMessage> {
  const packs = await credits.packageTypes(trainerId);
  if (packs.length === 0) return { text: lead ? `${lead} ${words.noPacksForSale()}` : words.noPacksForSale(), actions: [newPackButton] };
  return {
    text: lead ?? words.packsIntro(),
    fields: packs.slice(0, 25).map((pack) => ({ label: pack.name, value: words.packTerms(pack) })),
    actions: [
      sellButton(),
      newPackButton,
      { kind: 'select', id: ACTIONS.packStop, placeholder: 'Stop selling…', options: packs.slice(0, 25).map((pack) => ({ label: `${pack.name} · ${formatMoney(pack.priceMinor, pack.currency)}`.slice(0, 100), value: String(pack.id) })) },
    ],
  };
}

export async function showPacks(context: DialogueContext): Promise<FlowStep> {
  const trainerId = context.me.trainerId;
  if (trainerId === null) return showMyCredits(context);
  return { replies: [reply(await packsView(context.credits, trainerId))], effects: [] };
}

/** "credits" alone: a client's own packs; a trainer's clients running low (with their own packs under "my credits"). */
export async function showCredits(context: DialogueContext, mine: boolean): Promise<FlowStep> {
  if (mine || context.me.trainerId === null) return showMyCredits(context);
  return showLowCredits(context);
}
