import { z } from 'zod';
import { CREDIT_ENTRY_KINDS, PACKAGE_BOUNDS } from '../../domain/credits/credits';
import { idSchema } from './common';

/**
 * Packs, payments and credits (issue 13). Money is never a float: an integer number of the
 * currency's minor units (`price_minor`, `amount_minor`: cents for EUR, yen for JPY) plus an
 * ISO 4217 `currency`, with a display string (`price`, `amount`) formatted by Intl in answers.
 */

/** How a payment reached the trainer, as the API spells it (the ledger's CASH, BANK_TRANSFER, …). */
export const API_PAYMENT_METHODS = ['cash', 'bank_transfer', 'card_at_gym', 'other'] as const;
export type ApiPaymentMethod = (typeof API_PAYMENT_METHODS)[number];

const MINOR_HINT = "a whole number of the currency's minor units (cents for EUR: 70050 is €700.50; yen for JPY), never a decimal";

/** Integer minor units in a JSON body: a safe integer (JavaScript reads larger JSON numbers inexactly). */
const minorSchema = (min: number) =>
  z
    .number({ error: `expected ${MINOR_HINT}` })
    .int({ error: `expected ${MINOR_HINT}` })
    .min(min, { error: min === 0 ? 'a price is zero or more' : 'a payment is more than zero' })
    .max(Number.MAX_SAFE_INTEGER, { error: `at most ${Number.MAX_SAFE_INTEGER}` });

const currencySchema = z
  .string()
  .regex(/^\s*[A-Za-z]{3}\s*$/, { error: 'expected an ISO 4217 currency code such as EUR, GBP or USD' })
  .describe('ISO 4217 code, e.g. EUR (case does not matter)')
  .meta({ example: 'EUR' });

const moneyOut = {
  currency: z.string().describe('ISO 4217 code'),
};

const bounded = (bounds: { min: number; max: number }) => z.number().int().min(bounds.min).max(bounds.max);

export const packageParamsSchema = z.object({
  id: idSchema.describe('The trainer id'),
  package_id: idSchema.describe('The pack (package type) id'),
});

export const listPackagesQuerySchema = z.object({
  include_inactive: z.enum(['true', 'false']).optional().describe('true: also the packs no longer sold (the trainer and admins only)'),
});

export const createPackageBodySchema = z
  .strictObject({
    name: z.string().trim().min(PACKAGE_BOUNDS.nameLength.min).max(PACKAGE_BOUNDS.nameLength.max).describe('Unique among the trainer\'s packs').meta({ example: '10 × 60 min' }),
    sessions: bounded(PACKAGE_BOUNDS.sessions).describe('Credits the pack holds: one per session'),
    session_minutes: bounded(PACKAGE_BOUNDS.sessionMinutes).describe('The longest session one credit pays for (a 90-min session needs a pack of 90 or more)'),
    price_minor: minorSchema(0).describe(`The price: ${MINOR_HINT}`),
    currency: currencySchema,
    validity_days: bounded(PACKAGE_BOUNDS.validityDays).describe('How long the credits last from the payment'),
  })
  .meta({ id: 'PackageTypeCreate', example: { name: '10 × 60 min', sessions: 10, session_minutes: 60, price_minor: 70000, currency: 'EUR', validity_days: 90 } });

export type CreatePackageBody = z.infer<typeof createPackageBodySchema>;

export const packageTypeSchema = z
  .object({
    id: z.number().int(),
    trainer_id: z.number().int(),
    name: z.string(),
    sessions: z.number().int(),
    session_minutes: z.number().int(),
    price_minor: z.number().int().describe('Integer minor units of currency'),
    ...moneyOut,
    price: z.string().describe('The price for people, e.g. €700.00'),
    validity_days: z.number().int(),
    active: z.boolean().describe('false: no longer sold (lots already bought stay valid)'),
    offer: z.string().describe('The pack in words, e.g. "10 × 60 min for €700.00"'),
    created_at: z.string(),
  })
  .meta({ id: 'PackageType' });

export const createPaymentBodySchema = z
  .strictObject({
    client_id: idSchema.describe('Who paid'),
    trainer_id: idSchema.describe('Who was paid (a trainer records only their own)'),
    package_type_id: idSchema.optional().describe("A pack of the trainer's: the payment buys its credits. Give this or booking_id"),
    booking_id: idSchema.optional().describe('One booked session between this client and trainer (no credits). Give this or package_type_id'),
    amount_minor: minorSchema(1).describe(`The amount paid: ${MINOR_HINT}. A pack's payment is its price_minor unless price_override is true`),
    currency: currencySchema.describe("ISO 4217 code, e.g. EUR (case does not matter); a pack's payment is in the pack's currency"),
    method: z.enum(API_PAYMENT_METHODS).describe('How it was paid (no card processing here: offline payments are recorded)'),
    reference: z.string().trim().max(200).nullish().describe('A receipt number or the transfer text'),
    price_override: z.boolean().optional().describe("true: a pack's payment that differs from its price on purpose (a discount); otherwise a different amount is refused as a typo"),
  })
  .superRefine((body, ctx) => {
    if ((body.package_type_id === undefined) === (body.booking_id === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['package_type_id'], message: 'give exactly one of package_type_id (a pack) and booking_id (one booked session)' });
    }
  })
  .meta({ id: 'PaymentCreate', example: { client_id: 12, trainer_id: 1, package_type_id: 3, amount_minor: 70000, currency: 'EUR', method: 'bank_transfer', reference: 'INV-2026-001' } });

export type CreatePaymentBody = z.infer<typeof createPaymentBodySchema>;

export const paymentHeadersSchema = z.looseObject({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('Makes a retried call the same payment: recorded once, answered alike (200 with already_recorded: true); the same key with other details is 422'),
});

const lotBoughtSchema = z
  .object({
    lot_id: z.number().int(),
    sessions: z.number().int(),
    session_minutes: z.number().int(),
    expires_at: z.string(),
  })
  .describe("The credits a pack's payment bought");

export const recordedPaymentSchema = z
  .object({
    id: z.number().int(),
    client_id: z.number().int(),
    trainer_id: z.number().int(),
    amount_minor: z.number().int(),
    ...moneyOut,
    amount: z.string().describe('The amount for people, e.g. €700.00'),
    method: z.enum(API_PAYMENT_METHODS),
    reference: z.string().nullable(),
    package_type_id: z.number().int().nullable(),
    booking_id: z.number().int().nullable(),
    provider: z.string().describe('The payment provider that confirmed it: manual for an offline payment'),
    lot: lotBoughtSchema.nullable(),
    workflow_id: z.string().nullable().describe("The pack's workflow (credit-lot-<lot_id>: tells the client the pack is ready, reminds before its end, expires what is left); null for a session's payment"),
    already_recorded: z.boolean().describe('true: a retry with the same Idempotency-Key; nothing new was recorded'),
    message: z.string().describe('The confirmation in words'),
  })
  .meta({ id: 'RecordedPayment' });

export const paymentSchema = z
  .object({
    id: z.number().int(),
    client_id: z.number().int(),
    client_name: z.string(),
    trainer_id: z.number().int(),
    trainer_name: z.string(),
    amount_minor: z.number().int(),
    ...moneyOut,
    amount: z.string(),
    method: z.enum(API_PAYMENT_METHODS),
    reference: z.string().nullable(),
    recorded_by: z.number().int().describe('The user who recorded it'),
    package_type_id: z.number().int().nullable(),
    package_name: z.string().nullable(),
    booking_id: z.number().int().nullable(),
    lot_id: z.number().int().nullable().describe("The lot a pack's payment bought"),
    provider: z.string(),
    created_at: z.string(),
  })
  .meta({ id: 'Payment' });

const limitSchema = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

export const listPaymentsQuerySchema = z.object({
  client_id: idSchema.optional().describe("A client's payments (a client sees only their own)"),
  trainer_id: idSchema.optional().describe("A trainer's payments (a trainer sees only their own)"),
  limit: limitSchema(500, 50),
});

export const balancesQuerySchema = z.object({
  client_id: idSchema.optional().describe('One client (a client sees only their own)'),
  trainer_id: idSchema.optional().describe("One trainer (a trainer sees only their own clients')"),
  include_spent: z.enum(['true', 'false']).optional().describe('true: also lots with nothing left or held'),
});

export const creditLotSchema = z
  .object({
    lot_id: z.number().int(),
    package_type_id: z.number().int(),
    pack_name: z.string(),
    sessions: z.number().int().describe('Credits the pack held when bought'),
    session_minutes: z.number().int(),
    available: z.number().int().describe('Credits free to book with (0 once expired)'),
    reserved: z.number().int().describe('Credits held by booked sessions that have not ended'),
    purchased_at: z.string(),
    expires_at: z.string(),
    expired: z.boolean(),
  })
  .meta({ id: 'CreditLot' });

export const creditBalanceSchema = z
  .object({
    client_id: z.number().int(),
    client_name: z.string(),
    trainer_id: z.number().int(),
    trainer_name: z.string(),
    available: z.number().int().describe('Credits free to book with, in lots that have not expired'),
    reserved: z.number().int().describe('Credits held by booked sessions'),
    next_expiry: z.string().nullable().describe('When the first lot with credits free to book with ends'),
    summary: z.string().describe('The balance in words, e.g. "Sam: 4 credits (4 × 60 min until 14 Mar 2027)."'),
    lots: z.array(creditLotSchema),
  })
  .meta({ id: 'CreditBalance' });

export const ledgerQuerySchema = z.object({
  client_id: idSchema.optional(),
  trainer_id: idSchema.optional(),
  booking_id: idSchema.optional().describe("One booking's entries"),
  limit: limitSchema(500, 50),
});

export const ledgerEntrySchema = z
  .object({
    id: z.number().int(),
    lot_id: z.number().int(),
    client_id: z.number().int(),
    trainer_id: z.number().int(),
    kind: z.enum(CREDIT_ENTRY_KINDS).describe('PURCHASE +sessions, RESERVE −1, RELEASE +1, CONSUME 0 (the held credit was used), EXPIRE −what was left'),
    delta: z.number().int(),
    booking_id: z.number().int().nullable(),
    note: z.string().nullable(),
    created_at: z.string(),
    session_minutes: z.number().int(),
    session_start: z.string().nullable().describe('The booked session (RESERVE, RELEASE, CONSUME)'),
    description: z.string().describe('The entry in words'),
  })
  .meta({ id: 'CreditLedgerEntry' });

export const lowQuerySchema = z.object({
  at_most: z.coerce.number().int().min(0).max(PACKAGE_BOUNDS.sessions.max).default(1).describe('Low: at most this many credits free to book with (default 1)'),
  within_days: z.coerce.number().int().min(0).max(PACKAGE_BOUNDS.validityDays.max).default(14).describe('Expiring: credits that end within this many days (default 14)'),
});

export const lowOrExpiringSchema = z
  .object({
    client_id: z.number().int(),
    client_name: z.string(),
    available: z.number().int(),
    reserved: z.number().int(),
    expiring: z.number().int().describe('Credits free to book with that end within the window'),
    expires_at: z.string().nullable().describe('When the first of those end'),
    reasons: z.array(z.enum(['low', 'expiring'])),
    message: z.string().describe('What the trainer reads'),
  })
  .meta({ id: 'LowOrExpiringCredits' });

/** Which pack credit pays for a booking (null: unpaid, or the credit was given back). */
export const bookingCreditSchema = z
  .object({
    lot_id: z.number().int(),
    pack_name: z.string(),
    left: z.number().int().describe('Credits the client still has for sessions this long with this trainer'),
    expires_at: z.string().describe("The pack's end of validity"),
  })
  .nullable()
  .meta({ id: 'BookingCredit' });

export type BookingCreditView = z.infer<typeof bookingCreditSchema>;
