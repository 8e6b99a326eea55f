// The baseline for the reservation benchmark: the seed's atomic multi-slot reservation with
// the bare `pg` driver, issuing the same statements in the same order as the MikroORM path
// (src/reservation/reservation-service.ts `confirm`), so the ratio is the ORM's own cost.
import type pg from 'pg';
import { MINUTE_MS } from '../../src/domain/time';

export type RawOutcome = 'booked' | 'already-booked' | 'conflict' | 'not-pending';

const EXCLUSION_VIOLATION = '23P01';

interface SlotRow {
  id: number;
  start_time: Date;
  end_time: Date;
  is_available: boolean;
  is_booked: boolean;
  locked_until: Date | null;
}

class Conflict extends Error {}

export async function confirmWithRawSql(pool: pg.Pool, bookingRequestId: number, start: Date): Promise<RawOutcome> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    try {
      const outcome = await confirmInTransaction(client, bookingRequestId, start);
      await client.query('commit');
      return outcome;
    } catch (error) {
      await client.query('rollback');
      if (error instanceof Conflict || (error as { code?: string }).code === EXCLUSION_VIOLATION) return 'conflict';
      throw error;
    }
  } finally {
    client.release();
  }
}

async function confirmInTransaction(client: pg.PoolClient, bookingRequestId: number, start: Date): Promise<RawOutcome> {
  const request = (await client.query('select * from booking_request where id = $1 limit 1 for update', [bookingRequestId])).rows[0] as
    | { id: number; client_id: number; trainer_id: number; session_type: string; duration_minutes: number; location: string | null; location_type: string; status: string; expires_at: Date }
    | undefined;
  if (!request) throw new Error(`booking request ${bookingRequestId} does not exist`);
  const existing = await client.query('select * from booking where booking_request_id = $1 limit 1', [bookingRequestId]);
  if (existing.rowCount) return 'already-booked';
  const now = new Date();
  if (request.status !== 'PENDING' || request.expires_at <= now) return 'not-pending';

  const trainer = (await client.query('select * from trainer where id = $1 limit 1', [request.trainer_id])).rows[0] as { id: number; price_per_hour: string; gym_name: string | null };
  const endMs = start.getTime() + request.duration_minutes * MINUTE_MS;
  const slots = (
    await client.query<SlotRow>('select * from time_slot where trainer_id = $1 and start_time < $2 and end_time > $3 order by id asc for update', [trainer.id, new Date(endMs), start])
  ).rows;
  const inTimeOrder = [...slots].sort((a, b) => a.start_time.getTime() - b.start_time.getTime());
  let coveredUntil = start.getTime();
  for (const slot of inTimeOrder) {
    if (slot.start_time.getTime() !== coveredUntil) break;
    coveredUntil = slot.end_time.getTime();
  }
  if (inTimeOrder.length === 0 || coveredUntil < endMs) throw new Conflict('no unbroken run of slots');
  if (inTimeOrder.some((s) => !s.is_available || s.is_booked || (s.locked_until !== null && s.locked_until > now))) throw new Conflict('slots busy');
  const slotIds = inTimeOrder.map((s) => s.id);

  const pricePerHour = Number(trainer.price_per_hour);
  const location = request.location ?? trainer.gym_name ?? null;
  const booking = await client.query<{ id: number }>(
    `insert into booking (booking_request_id, client_id, trainer_id, session_type, duration_minutes, start_time, end_time, price_per_hour, total_cost, location, location_type, status, is_recurring, notes, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'CONFIRMED', false, null, $12, $12) returning id`,
    [request.id, request.client_id, trainer.id, request.session_type, request.duration_minutes, start, new Date(endMs), pricePerHour, Math.round(pricePerHour * request.duration_minutes * (100 / 60)) / 100, location, request.location_type, now],
  );
  const bookingId = booking.rows[0]!.id;
  const updated = await client.query(
    'update time_slot set is_booked = true, booking_id = $1, locked_until = null, lock_owner = null where id = any($2) and (is_booked = false or booking_id = $1)',
    [bookingId, slotIds],
  );
  if (updated.rowCount !== slotIds.length) throw new Conflict(`only ${updated.rowCount} of ${slotIds.length} slots could be booked`);
  await client.query(
    `insert into training_session (booking_id, client_id, trainer_id, title, session_type, scheduled_date, duration_minutes, location, status, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, 'CONFIRMED', $9) returning id`,
    [bookingId, request.client_id, trainer.id, `${request.session_type} session`, request.session_type, start, request.duration_minutes, location, now],
  );
  await client.query(`update booking_request set status = 'APPROVED', confirmed_date = $2, updated_at = $3 where id = $1`, [request.id, start, now]);
  return 'booked';
}
