import { defineEntity, p, type InferEntity } from '@mikro-orm/postgresql';
import { PACKAGE_BOUNDS } from '../../domain/credits/credits';
import { Trainer } from './trainer';

const between = (column: string, bounds: { min: number; max: number }): string => `${column} >= ${bounds.min} and ${column} <= ${bounds.max}`;

/**
 * A pack a trainer sells (issue 13): `sessions` credits, each paying for one session of up
 * to `session_minutes`, for `price_minor` minor units of `currency`, valid `validity_days`
 * from purchase. Names are unique per trainer; a pack no longer sold is deactivated, never
 * deleted (its lots and payments name it). The bounds are PACKAGE_BOUNDS.
 */
export const PackageType = defineEntity({
  name: 'PackageType',
  tableName: 'package_type',
  uniques: [{ properties: ['trainer', 'name'] }],
  checks: [
    { name: 'package_type_sessions_bounds', expression: between('sessions', PACKAGE_BOUNDS.sessions) },
    { name: 'package_type_session_minutes_bounds', expression: between('session_minutes', PACKAGE_BOUNDS.sessionMinutes) },
    { name: 'package_type_validity_days_bounds', expression: between('validity_days', PACKAGE_BOUNDS.validityDays) },
    { name: 'package_type_price_not_negative', expression: 'price_minor >= 0' },
    { name: 'package_type_currency_code', expression: `currency ~ '^[A-Z]{3}$'` },
  ],
  properties: {
    id: p.integer().primary(),
    trainer: () => p.manyToOne(Trainer),
    name: p.string(),
    sessions: p.integer(),
    sessionMinutes: p.integer(),
    /** Integer minor units of `currency` (never floating point). */
    priceMinor: p.bigint(),
    currency: p.string().columnType('char(3)'),
    validityDays: p.integer(),
    active: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type PackageType = InferEntity<typeof PackageType>;
