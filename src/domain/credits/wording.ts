/**
 * Every sentence about packs, credits and payments that a person reads (chat, API messages,
 * CLI, reminders), in one place: rules decide, this file words, and no door writes its own
 * version. (The trainer's other rules are worded in src/domain/policy/wording.ts.)
 */
import type { CreditEntryKind, CreditPolicy, PackageOffer, PaymentMethod } from './credits';
import { formatMoney, type MoneyProblem } from './money';

const credits = (n: number): string => (n === 1 ? '1 credit' : `${n} credits`);
/** "1 credit expires", "3 credits expire" */
const creditsExpire = (n: number): string => (n === 1 ? '1 credit expires' : `${n} credits expire`);

/** 14 Mar 2027, in the reader's zone. */
export function formatDay(date: Date, timeZone = 'UTC'): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone }).format(date);
}

/** "10 × 60 min for €700.00" */
export function packOffer(offer: Pick<PackageOffer, 'sessions' | 'sessionMinutes' | 'priceMinor' | 'currency'>): string {
  return `${offer.sessions} × ${offer.sessionMinutes} min for ${formatMoney(offer.priceMinor, offer.currency)}`;
}

/** "a, b or c" */
const orList = (items: string[]): string => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)!}`);

/** The first three different offers, in words. */
const offersInWords = (offers: readonly PackageOffer[]): string => orList([...new Set(offers.map(packOffer))].slice(0, 3));

const METHOD_WORDS: Record<PaymentMethod, string> = { CASH: 'cash', BANK_TRANSFER: 'bank transfer', CARD_AT_GYM: 'card at the gym', OTHER: 'other' };

/** One lot as a balance shows it. */
export interface LotLine {
  available: number;
  sessionMinutes: number;
  expiresAt: Date;
}

/** One ledger entry as a history shows it. */
export interface EntryLine {
  kind: CreditEntryKind;
  delta: number;
  createdAt: Date;
  sessionMinutes: number;
  /** The booked session's start, for RESERVE, RELEASE and CONSUME. */
  sessionStart?: Date | null;
}

const ENTRY_WORDS: Record<CreditEntryKind, (line: EntryLine, timeZone: string) => string> = {
  PURCHASE: (line) => `+${line.delta} bought (${line.delta} × ${line.sessionMinutes} min)`,
  RESERVE: (line, zone) => `−1 held for the session on ${line.sessionStart ? formatDay(line.sessionStart, zone) : 'a booked day'}`,
  RELEASE: (line, zone) => `+1 given back: the session on ${line.sessionStart ? formatDay(line.sessionStart, zone) : 'a booked day'} did not take place`,
  CONSUME: (line, zone) => `used by the session on ${line.sessionStart ? formatDay(line.sessionStart, zone) : 'a booked day'}`,
  EXPIRE: (line) => `${line.delta === -1 ? '−1 credit' : `−${-line.delta} credits`} expired unused`,
};

export const creditWording = {
  /**
   * No usable credit: "Jamie has no credit left for a 60-min session with Sam: buy a pack —
   * 10 × 60 min for €700.00." `clientName` undefined speaks to the client ("You have …").
   * At most three different packs are named, those that cover the session (`packsCovering`).
   */
  noCredit: (args: { clientName?: string; trainerName: string; durationMinutes: number; offers: readonly PackageOffer[] }): string => {
    const who = args.clientName === undefined ? 'You have' : `${args.clientName} has`;
    const lead = `${who} no credit left for a ${args.durationMinutes}-min session with ${args.trainerName}`;
    if (args.offers.length === 0) return `${lead}: ask ${args.trainerName} about a pack that covers it.`;
    return `${lead}: buy a pack — ${offersInWords(args.offers)}.`;
  },
  /** A series needs more credits than the client has: "… 10 sessions need 10 credits, you have 4 …". */
  notEnoughForSeries: (args: { clientName?: string; trainerName: string; durationMinutes: number; needed: number; available: number; offers: readonly PackageOffer[] }): string => {
    const who = args.clientName === undefined ? 'you have' : `${args.clientName} has`;
    const lead = `These ${args.needed} sessions need ${credits(args.needed)} for ${args.durationMinutes}-min sessions with ${args.trainerName}, and ${who} ${args.available === 0 ? 'none' : args.available}`;
    if (args.offers.length === 0) return `${lead}: ask ${args.trainerName} about a pack, or book fewer sessions.`;
    return `${lead}: buy a pack — ${offersInWords(args.offers)} — or book fewer sessions.`;
  },
  /** The booking summary's line: "uses 1 credit (4 left)". */
  usesCredit: (left: number): string => `uses 1 credit (${left} left)`,
  /** "Sam: 4 credits (3 × 60 min until 14 Mar 2027, 1 × 90 min until 2 Apr 2027); 1 more held for booked sessions." */
  balance: (args: { trainerName: string; lots: readonly LotLine[]; reserved: number }, timeZone = 'UTC'): string => {
    const usable = args.lots.filter((lot) => lot.available > 0);
    const total = usable.reduce((sum, lot) => sum + lot.available, 0);
    const parts = usable.map((lot) => `${lot.available} × ${lot.sessionMinutes} min until ${formatDay(lot.expiresAt, timeZone)}`);
    const held = args.reserved > 0 ? `; ${args.reserved} more held for booked sessions` : '';
    return total === 0 ? `${args.trainerName}: no credits left${held}.` : `${args.trainerName}: ${credits(total)} (${parts.join(', ')})${held}.`;
  },
  /** No lots at all with anyone. */
  noBalance: (): string => 'You have no session packs yet.',
  /** "12 Dec 2026: +10 bought (10 × 60 min)" */
  entry: (line: EntryLine, timeZone = 'UTC'): string => `${formatDay(line.createdAt, timeZone)}: ${ENTRY_WORDS[line.kind](line, timeZone)}`,
  /** What a trainer reads about a client running low or about to lose credits. */
  lowOrExpiring: (args: { clientName: string; available: number; expiring: number; expiresAt: Date | null }, timeZone = 'UTC'): string => {
    const left = `${args.clientName} has ${args.available === 0 ? 'no credits' : credits(args.available)} left`;
    if (args.expiring > 0 && args.expiresAt) return `${left}; ${creditsExpire(args.expiring)} on ${formatDay(args.expiresAt, timeZone)}.`;
    return `${left}.`;
  },
  /** The reminder a client gets when a pack is about to run out or expire. */
  reminder: (args: { trainerName: string; available: number; expiring: number; expiresAt: Date | null }, timeZone = 'UTC'): string => {
    if (args.expiring > 0 && args.expiresAt) {
      return `${credits(args.expiring)} of your pack with ${args.trainerName} ${args.expiring === 1 ? 'expires' : 'expire'} on ${formatDay(args.expiresAt, timeZone)}: book a session before then.`;
    }
    return args.available === 0
      ? `Your pack with ${args.trainerName} is used up: buy a new one to keep booking.`
      : `You have ${credits(args.available)} left with ${args.trainerName}.`;
  },
  /** A recorded payment, as its confirmation reads. */
  paymentRecorded: (args: { amountMinor: bigint; currency: string; method: PaymentMethod; clientName: string; pack?: Pick<PackageOffer, 'name' | 'sessions' | 'sessionMinutes'> }): string =>
    `Recorded ${formatMoney(args.amountMinor, args.currency)} (${METHOD_WORDS[args.method]}) from ${args.clientName}` +
    (args.pack ? ` for ${args.pack.name}: ${args.pack.sessions} × ${args.pack.sessionMinutes} min added.` : ' for a session.'),
  methodName: (method: PaymentMethod): string => METHOD_WORDS[method],

  // Input problems (the ledger's CreditInputError; the API answers 4xx naming the field).
  nameLength: (max: number): string => `A pack needs a name of at most ${max} characters.`,
  outOfBounds: (apiField: string, bounds: { min: number; max: number }): string => `${apiField} must be a whole number from ${bounds.min} to ${bounds.max}.`,
  unknownCurrency: (written: string): string => `"${written}" is not a currency code: write three letters such as EUR, GBP or USD.`,
  priceNegative: (): string => 'A price is zero or more.',
  duplicatePackName: (name: string): string => `You already have a pack named "${name}": choose another name.`,
  paysOneThing: (): string => 'A payment pays for either a pack or one booked session: give exactly one of them.',
  amountNotPositive: (): string => 'A payment is more than zero.',
  unknownMethod: (): string => 'Choose how it was paid: cash, bank transfer, card at the gym or other.',
  packInactive: (name: string): string => `The pack "${name}" is no longer sold: choose another one.`,
  packNotTrainers: (): string => 'That pack belongs to another trainer.',
  keyReused: (): string => 'This payment was already recorded with other details: record a new payment with a new reference.',
  bookingNotBetween: (): string => 'That booking is not between this client and this trainer.',
  currencyMismatch: (pack: Pick<PackageOffer, 'name' | 'currency'>): string => `The pack "${pack.name}" is priced in ${pack.currency}: record the payment in ${pack.currency}.`,
  priceMismatch: (pack: Pick<PackageOffer, 'name' | 'priceMinor' | 'currency'>, amountMinor: bigint): string =>
    `The pack "${pack.name}" costs ${formatMoney(pack.priceMinor, pack.currency)}, not ${formatMoney(amountMinor, pack.currency)}: record the price, or confirm the different amount (a discount).`,
  moneyProblem: (problem: MoneyProblem, currency: string, written: string): string => {
    switch (problem.kind) {
      case 'unreadable':
        return `I couldn't read "${written}" as an amount: write it like 700 or 700.50.`;
      case 'negative':
        return 'An amount is more than zero.';
      case 'too_precise':
        return problem.digits === 0 ? `${currency} has no decimals: write a whole amount.` : `${currency} has ${problem.digits} decimals at most: write it like ${formatMoney(70050n * 10n ** BigInt(Math.max(0, problem.digits - 2)), currency)}.`;
      case 'other_currency':
        return `That amount is in ${problem.written}, but this is paid in ${currency}: write the amount in ${currency}.`;
      case 'too_large':
        return 'That amount is too large to record.';
    }
  },
} as const;

/**
 * What the ledger's notices say outside a booking request (CreditNotice, kinds
 * credits.purchased / credits.low / credits.expiring / credits.expired), one sentence per
 * reader. A low or expiring balance reuses `creditWording.reminder` (the client) and
 * `creditWording.lowOrExpiring` (the trainer).
 */
export const creditNoticeWording = {
  /** "Your pack "Ten × 60" with Sam is ready: 10 × 60 min until 14 Mar 2027." */
  purchased: (args: { trainerName: string; packName: string; sessions: number; sessionMinutes: number; expiresAt: Date }, timeZone = 'UTC'): string =>
    `Your pack "${args.packName}" with ${args.trainerName} is ready: ${args.sessions} × ${args.sessionMinutes} min until ${formatDay(args.expiresAt, timeZone)}.`,
  /** The client: "2 credits of your pack "Ten × 60" with Sam expired unused on 14 Mar 2027."; the trainer (`clientName`): "2 credits of Jamie's pack … expired unused on …". */
  expired: (args: { clientName?: string; trainerName: string; packName: string; expired: number; expiresAt: Date }, timeZone = 'UTC'): string =>
    args.clientName === undefined
      ? `${credits(args.expired)} of your pack "${args.packName}" with ${args.trainerName} expired unused on ${formatDay(args.expiresAt, timeZone)}.`
      : `${credits(args.expired)} of ${args.clientName}'s pack "${args.packName}" expired unused on ${formatDay(args.expiresAt, timeZone)}.`,
  /** A session paid with a credit cannot move past its pack's end (CreditExpiryError). */
  moveAfterExpiry: (args: { packName: string; expiresAt: Date }, timeZone = 'UTC'): string =>
    `This session is paid with a credit of the pack "${args.packName}", which ends on ${formatDay(args.expiresAt, timeZone)}: pick a time up to then, or cancel it and book the new time as a new session.`,
} as const;

/** The trainer's credit rules, one line each (chat settings, CLI), to sit beside describePolicyForTrainer. */
export function describeCreditPolicyForTrainer(policy: CreditPolicy): string[] {
  return [
    `Credit needed to request a session: ${policy.creditToRequest ? 'yes' : 'no'}`,
    `Credit needed to approve a session: ${policy.creditToApprove ? 'yes' : 'no'}`,
    `A late cancellation ${policy.lateCancelConsumes ? 'uses the credit' : 'gives the credit back'}`,
  ];
}

/** What a client should know about the trainer's credits before committing, or null when no credit is needed. */
export function describeCreditPolicyForClient(policy: CreditPolicy, trainerName: string): string | null {
  if (!policy.creditToRequest && !policy.creditToApprove) return null;
  const late = policy.lateCancelConsumes ? 'a late cancellation uses the credit' : 'a late cancellation gives the credit back';
  return `${trainerName} books sessions against a pack: each session uses 1 credit; ${late}.`;
}

/** "Tue 8 Dec" in the reader's zone: a recent day in a history, where the year goes without saying. */
export function formatShortDay(date: Date, timeZone = 'UTC'): string {
  return new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone }).format(date);
}

/** A pack by its name and what it holds: `"Ten sessions" (10 × 60 min)`, or just "10 × 60 min" when that is its name. */
export function packName(pack: Pick<PackageOffer, 'name' | 'sessions' | 'sessionMinutes'>): string {
  const size = `${pack.sessions} × ${pack.sessionMinutes} min`;
  return pack.name === size ? size : `"${pack.name}" (${size})`;
}

const MOVEMENT_WORDS: Record<CreditEntryKind, (line: EntryLine, timeZone: string) => string> = {
  PURCHASE: (line) => `${credits(line.delta)} bought (${line.delta} × ${line.sessionMinutes} min)`,
  RESERVE: (line, zone) => `1 credit held (${line.sessionMinutes} min session${line.sessionStart ? ` on ${formatShortDay(line.sessionStart, zone)}` : ''})`,
  RELEASE: (line, zone) => `1 credit back (the session${line.sessionStart ? ` on ${formatShortDay(line.sessionStart, zone)}` : ''} did not take place)`,
  CONSUME: (line, zone) => {
    const on = line.sessionStart && formatShortDay(line.sessionStart, zone) !== formatShortDay(line.createdAt, zone) ? ` on ${formatShortDay(line.sessionStart, zone)}` : '';
    return `1 credit used (${line.sessionMinutes} min session${on})`;
  },
  EXPIRE: (line) => `${credits(-line.delta)} expired unused`,
};

/** One pack a client holds, as a balance lists it. */
export interface HeldPack {
  packageName: string;
  sessions: number;
  sessionMinutes: number;
  available: number;
  reserved: number;
  expiresAt: Date;
  expired: boolean;
}

/**
 * The chat's sentences about packs and credits ("my credits", "credits for Jamie", selling a
 * pack, a trainer's packs, the booking summary, credit notices): worded here, never in bots/.
 */
export const creditChatWording = {
  /** "Tue 8 Dec: 1 credit used (60 min session)" */
  movement: (line: EntryLine, timeZone = 'UTC'): string => `${formatShortDay(line.createdAt, timeZone)}: ${MOVEMENT_WORDS[line.kind](line, timeZone)}`,
  /** "4 credits left; 1 more held for booked sessions", "no credits left" */
  total: (available: number, reserved: number): string =>
    `${available === 0 ? 'no credits' : credits(available)} left${reserved > 0 ? `; ${reserved} more held for booked sessions` : ''}`,
  /** A pack's line: "3 of 10 left, until 1 Mar 2027 (1 held for a booked session)", "used up", "expired on 1 Mar 2027". */
  heldPack: (pack: HeldPack, timeZone = 'UTC'): string => {
    const held = pack.reserved > 0 ? ` (${pack.reserved} held for ${pack.reserved === 1 ? 'a booked session' : 'booked sessions'})` : '';
    if (pack.expired) return `expired on ${formatDay(pack.expiresAt, timeZone)}${held}`;
    if (pack.available === 0) return `used up${held}`;
    return `${pack.available} of ${pack.sessions} left, until ${formatDay(pack.expiresAt, timeZone)}${held}`;
  },
  myCreditsIntro: (): string => 'Your session packs, per trainer:',
  noPacks: (): string => creditWording.noBalance(),
  clientCreditsIntro: (clientName: string): string => `${clientName}'s packs with you:`,
  clientHasNoPacks: (clientName: string): string => `${clientName} has no packs with you yet.`,
  lastMovements: (): string => 'Last movements',

  // A trainer's own packs.
  onlyTrainers: (): string => "Only trainers sell packs, record payments and see their clients' credits.",
  packsIntro: (): string => 'Your packs for sale:',
  noPacksForSale: (): string => 'You have no packs for sale yet: press "New pack…" or write "new pack" to create one.',
  /** "10 × 60 min for €700.00, valid 90 days" */
  packTerms: (pack: Pick<PackageOffer, 'sessions' | 'sessionMinutes' | 'priceMinor' | 'currency' | 'validityDays'>): string =>
    `${packOffer(pack)}, valid ${pack.validityDays === 1 ? '1 day' : `${pack.validityDays} days`}`,
  packCreated: (pack: PackageOffer): string => `Created ${packName(pack)}: ${packOffer(pack)}, valid ${pack.validityDays} days. Clients can buy it from you now.`,
  confirmStop: (pack: PackageOffer): string => `Stop selling ${packName(pack)} for ${formatMoney(pack.priceMinor, pack.currency)}? Clients who bought it keep their credits until they expire.`,
  packStopped: (pack: Pick<PackageOffer, 'name' | 'sessions' | 'sessionMinutes'>): string => `${packName(pack)} is no longer sold; clients who bought it keep their credits until they expire.`,
  packKept: (): string => 'OK, the pack stays on sale.',
  unreadableWhole: (label: string, written: string): string => `I couldn't read "${written}" as the ${label}: write a whole number.`,
  outOfRange: (label: string, bounds: { min: number; max: number }): string => `The ${label} must be from ${bounds.min} to ${bounds.max}.`,
  packGone: (): string => 'That pack is not one of yours for sale any more.',
  describeNewPack: (): string => 'Describe the new pack in the form: name, sessions, minutes per session, price and how many days it is valid.',
  newPackButtonHint: (): string => 'Press "New pack…" and describe it in the form: name, sessions, minutes per session, price and how many days it is valid.',
  unreadablePrice: (written: string): string => `I couldn't read "${written}" as a price: write it like "700 EUR" or "€700".`,
  priceCurrencyUnclear: (symbol: string): string => `Which currency is "${symbol}"? Write the price with its code, like "700 EUR" or "700 USD".`,

  // Selling a pack / recording a payment.
  choosePack: (clientName?: string): string => `Which pack did ${clientName ?? 'the client'} pay for? Pick it; a form for the payment opens.`,
  noPacksToSell: (): string => 'You have no packs for sale yet: create one first (press "New pack…" or write "new pack").',
  whichClient: (written: string): string => `More than one of your clients matches "${written}": which one do you mean?`,
  unknownClient: (written: string): string => `I don't know a client "${written}" who has booked with or paid you: write their full name or their username.`,
  unknownPack: (written: string, names: readonly string[]): string => `You have no pack called "${written}" for sale: write one of ${orList(names.map((name) => `"${name}"`))}.`,
  referenceTooLong: (max: number): string => `Please keep the reference under ${max} characters.`,
  nameTheClient: (): string => 'Write who paid: the client\'s full name or username.',
  fillPayment: (pack: Pick<PackageOffer, 'name' | 'sessions' | 'sessionMinutes' | 'priceMinor' | 'currency'>): string =>
    `Record the payment for ${packName(pack)} in the form: who paid, how much (the price is ${formatMoney(pack.priceMinor, pack.currency)}), how and a reference if there is one.`,
  /** "Recorded: Jamie paid €700.00 (cash) for 10 × 60 min, 10 credits until 1 Mar 2027." */
  packSold: (args: { clientName: string; amountMinor: bigint; currency: string; method: PaymentMethod; sessions: number; sessionMinutes: number; expiresAt: Date; already?: boolean }, timeZone = 'UTC'): string =>
    `${args.already ? 'Already recorded' : 'Recorded'}: ${args.clientName} paid ${formatMoney(args.amountMinor, args.currency)} (${METHOD_WORDS[args.method]}) for ${args.sessions} × ${args.sessionMinutes} min, ${credits(args.sessions)} until ${formatDay(args.expiresAt, timeZone)}.`,
  discountLabel: (amountMinor: bigint, currency: string): string => `Record ${formatMoney(amountMinor, currency)} (a discount)`,
  paymentDropped: (): string => 'OK, nothing was recorded.',

  // The booking summary before Confirm.
  /** "uses 1 credit (4 left)", "uses 10 credits (2 left)" */
  uses: (count: number, left: number): string => (count === 1 ? creditWording.usesCredit(left) : `uses ${credits(count)} (${left} left)`),
  /** A series only partly covered: "your credits cover 4 of these 10 sessions". */
  coversSome: (covered: number, total: number): string => `your credits cover ${covered} of these ${total} sessions`,
  /** A series of unknown length: "each session uses 1 credit (you have 4)". */
  perSession: (available: number): string => `each session uses 1 credit (you have ${available})`,
  /** The trainer needs a credit to approve and the client has none: the request can go, the packs are named. */
  approvalNeedsCredit: (args: { trainerName: string; durationMinutes: number; offers: readonly PackageOffer[] }): string => {
    const lead = `${args.trainerName} approves sessions only against a pack credit, and you have none for a ${args.durationMinutes}-min session`;
    if (args.offers.length === 0) return `${lead}: ask ${args.trainerName} about a pack before they answer.`;
    return `${lead}: buy a pack — ${offersInWords(args.offers)} — before ${args.trainerName} answers.`;
  },

  // Notifications.
  /** On an approved booking: "uses 1 credit, 4 left". */
  held: (count: number, left: number): string => `uses ${credits(count)}, ${left} left`,

  // "low credits"
  lowIntro: (atMost: number, withinDays: number): string => `Clients with ${atMost === 1 ? '1 credit' : `${atMost} credits`} or fewer left, or credits expiring in the next ${withinDays} days:`,
  noneLow: (atMost: number, withinDays: number): string => `No client of yours has ${atMost === 1 ? '1 credit' : `${atMost} credits`} or fewer left, or credits expiring in the next ${withinDays} days.`,
} as const;

/** Who may see or change packs, payments and credits (src/domain/credits/access.ts): the sentence a refused person reads. */
export const creditAccessWording = {
  managePacks: 'Only the trainer (or an admin) can add or stop selling their packs.',
  seeUnsoldPacks: 'Only the trainer (or an admin) can see packs that are no longer sold.',
  recordPaymentClient: 'Payments are recorded by the trainer or an admin: ask your trainer to record yours.',
  recordPaymentOtherTrainer: "A trainer records payments only for their own packs and sessions, not another trainer's.",
  recorderNoUser: "The bootstrap admin token is no person, so it cannot be named as who recorded a payment: use an admin's own token.",
  otherClient: 'You can only see your own credits and payments.',
  otherTrainer: "A trainer can only see the credits and payments of their own clients, not another trainer's.",
  lowList: 'Only the trainer (or an admin) can see which of their clients run low on credits.',
  otherBooking: 'You can only see the credits of your own bookings.',
} as const;
