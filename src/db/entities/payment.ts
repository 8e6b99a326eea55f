import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';
import { PAYMENT_METHODS } from '../../domain/credits/credits';
import { Booking } from './booking';
import { PackageType } from './package-type';
import { Trainer } from './trainer';
import { User } from './user';

/**
 * Money a client paid a trainer (issue 13; the seed's Booking `payments`): integer minor
 * units of an ISO 4217 currency, how it was paid, who recorded it, and what it bought —
 * exactly one of a pack (which creates a credit lot) or one booked session. `provider` is
 * the PaymentProvider that confirmed it ('manual' for offline payments); a provider's own
 * reference is recorded once (unique `provider, provider_ref`), so a retried recording
 * finds the first one.
 */
export const Payment = defineEntity({
  name: 'Payment',
  tableName: 'payment',
  uniques: [{ properties: ['provider', 'providerRef'] }],
  indexes: [{ properties: ['client', 'trainer'] }],
  checks: [
    { name: 'payment_amount_positive', expression: 'amount_minor > 0' },
    { name: 'payment_currency_code', expression: `currency ~ '^[A-Z]{3}$'` },
    { name: 'payment_pays_one_thing', expression: '(package_type_id is null) <> (booking_id is null)' },
  ],
  properties: {
    id: p.integer().primary(),
    client: () => p.manyToOne(User),
    trainer: () => p.manyToOne(Trainer),
    amountMinor: p.bigint(),
    currency: p.string().columnType('char(3)'),
    method: p.enum(PAYMENT_METHODS),
    /** The payer's or trainer's own reference (a receipt number, a transfer's text). */
    reference: p.text().nullable(),
    recordedBy: () => p.manyToOne(User),
    packageType: () => p.manyToOne(PackageType).nullable().deleteRule('restrict'),
    booking: () => p.manyToOne(Booking).nullable().deleteRule('restrict'),
    provider: p.string().default('manual'),
    providerRef: p.string().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Payment = InferEntity<typeof Payment>;
