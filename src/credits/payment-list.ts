/**
 * Recorded payments as the doors list them (issue 13): newest first, for a client, a
 * trainer, both, or all (an admin). Who may ask for which is the door's decision
 * (`creditReadScope` in src/domain/credits/access.ts). Read only; the ledger records.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PaymentMethod } from '../domain/credits/credits';

type When = Date | string;

export interface PaymentRecord {
  id: number;
  clientId: number;
  clientName: string;
  trainerId: number;
  trainerName: string;
  amountMinor: bigint;
  currency: string;
  method: PaymentMethod;
  reference: string | null;
  recordedBy: number;
  packageTypeId: number | null;
  packageName: string | null;
  bookingId: number | null;
  /** The lot a pack's payment bought (null for a session's payment). */
  lotId: number | null;
  provider: string;
  createdAt: Date;
}

export interface PaymentFilter {
  clientId?: number;
  trainerId?: number;
  /** At most this many, 1–500 (default 50). */
  limit?: number;
}

export async function listPayments(em: EntityManager, filter: PaymentFilter = {}): Promise<PaymentRecord[]> {
  const where: string[] = ['true'];
  const params: unknown[] = [];
  if (filter.clientId !== undefined) {
    where.push('p.client_id = ?');
    params.push(filter.clientId);
  }
  if (filter.trainerId !== undefined) {
    where.push('p.trainer_id = ?');
    params.push(filter.trainerId);
  }
  const limit = Math.min(Math.max(Math.trunc(filter.limit ?? 50), 1), 500);
  const rows = await em.execute<
    {
      id: number;
      client_id: number;
      client_name: string;
      trainer_id: number;
      trainer_name: string;
      amount_minor: string;
      currency: string;
      method: PaymentMethod;
      reference: string | null;
      recorded_by_id: number;
      package_type_id: number | null;
      package_name: string | null;
      booking_id: number | null;
      lot_id: number | null;
      provider: string;
      created_at: When;
    }[]
  >(
    `select p.id, p.client_id, cu.full_name as client_name, p.trainer_id, tu.full_name as trainer_name, p.amount_minor::text as amount_minor, p.currency,
            p.method, p.reference, p.recorded_by_id, p.package_type_id, pt.name as package_name, p.booking_id,
            (select l.id from credit_lot l where l.payment_id = p.id) as lot_id, p.provider, p.created_at
       from payment p join app_user cu on cu.id = p.client_id join trainer t on t.id = p.trainer_id join app_user tu on tu.id = t.user_id
            left join package_type pt on pt.id = p.package_type_id
      where ${where.join(' and ')}
      order by p.created_at desc, p.id desc limit ${limit}`,
    params,
  );
  return rows.map((row) => ({
    id: row.id,
    clientId: row.client_id,
    clientName: row.client_name,
    trainerId: row.trainer_id,
    trainerName: row.trainer_name,
    amountMinor: BigInt(row.amount_minor),
    currency: row.currency.trim(),
    method: row.method,
    reference: row.reference,
    recordedBy: row.recorded_by_id,
    packageTypeId: row.package_type_id,
    packageName: row.package_name,
    bookingId: row.booking_id,
    lotId: row.lot_id,
    provider: row.provider,
    createdAt: new Date(row.created_at),
  }));
}
