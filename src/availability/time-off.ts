import type { EntityManager } from '@mikro-orm/postgresql';
import { Trainer } from '../db/entities';
import { logger } from '../logger';

/** Something time off cannot remove: a booked session, or slots a pending request holds for the trainer's answer. */
export interface InTheWay {
  kind: 'booking' | 'hold';
  /** The booking's id, or the holding request's id. */
  id: number;
  start: Date;
  end: Date;
}

export interface TimeOffResult {
  /** Free slots deleted. */
  removedSlots: number;
  /** What stays, in start order: the trainer deals with those (cancel the booking, reject the request). */
  inTheWay: InTheWay[];
}

export interface TimeOff {
  trainerId: number;
  /** Start of the time off (inclusive). */
  from: Date;
  /** End of the time off (exclusive). */
  to: Date;
  now?: Date;
}

export class TimeOffError extends Error {
  override name = 'TimeOffError';
  constructor(
    readonly field: 'trainerId' | 'to',
    message: string,
  ) {
    super(message);
  }
}

interface SlotRow {
  id: number;
  start_time: Date | string;
  end_time: Date | string;
  is_booked: boolean;
  booking_id: number | null;
  booking_start: Date | string | null;
  booking_end: Date | string | null;
  locked_until: Date | string | null;
  lock_owner: string | null;
}

/** A hold's owner is its request's workflow, `booking-request-<id>`. */
const REQUEST_OWNER = /^booking-request-(\d+)$/;

/**
 * A trainer's time off: in one transaction (the range's slots locked, as the reservation
 * service locks them), deletes every slot of the trainer that overlaps [from, to) and is
 * neither booked nor held by a pending request (an expired hold counts as free). Booked
 * slots and held ones are never removed; they come back in `inTheWay`, one entry per
 * booking or per holding request. Callers then tell pending requests that availability
 * changed (`bookings.availabilityChanged`), so options that pointed at removed slots are refreshed.
 */
export async function blockTimeOff(em: EntityManager, { trainerId, from, to, now = new Date() }: TimeOff): Promise<TimeOffResult> {
  if (to.getTime() <= from.getTime()) throw new TimeOffError('to', 'The end of the time off must be after its start.');
  return em.fork().transactional(async (tx) => {
    const conn = tx.getConnection();
    if ((await tx.count(Trainer, trainerId)) === 0) throw new TimeOffError('trainerId', `There is no trainer ${trainerId}.`);
    const rows = await conn.execute<SlotRow[]>(
      `select s.id, s.start_time, s.end_time, s.is_booked, s.booking_id, s.locked_until, s.lock_owner, b.start_time as booking_start, b.end_time as booking_end
         from time_slot s left join booking b on b.id = s.booking_id
        where s.trainer_id = ? and s.start_time < ? and s.end_time > ? order by s.id for update of s`,
      [trainerId, to, from],
      'all',
      tx.getTransactionContext(),
    );
    const removable: number[] = [];
    const bookings = new Map<number, InTheWay>();
    const holds = new Map<string, InTheWay>();
    for (const row of rows) {
      const start = new Date(row.start_time);
      const end = new Date(row.end_time);
      if (row.is_booked || row.booking_id !== null) {
        const id = row.booking_id ?? -row.id;
        if (!bookings.has(id)) bookings.set(id, { kind: 'booking', id, start: new Date(row.booking_start ?? start), end: new Date(row.booking_end ?? end) });
      } else if (row.locked_until !== null && new Date(row.locked_until).getTime() > now.getTime()) {
        const owner = row.lock_owner ?? `slot-${row.id}`;
        const entry = holds.get(owner);
        if (entry) {
          if (start < entry.start) entry.start = start;
          if (end > entry.end) entry.end = end;
        } else {
          holds.set(owner, { kind: 'hold', id: Number(REQUEST_OWNER.exec(owner)?.[1] ?? row.id), start, end });
        }
      } else {
        removable.push(row.id);
      }
    }
    if (removable.length > 0) await conn.execute(`delete from time_slot where id in (${removable.map(() => '?').join(', ')})`, removable, 'run', tx.getTransactionContext());
    const inTheWay = [...bookings.values(), ...holds.values()].sort((a, b) => a.start.getTime() - b.start.getTime() || a.id - b.id);
    logger.info({ trainerId, from: from.toISOString(), to: to.toISOString(), removedSlots: removable.length, inTheWay: inTheWay.length }, `Time off for trainer ${trainerId}`);
    return { removedSlots: removable.length, inTheWay };
  });
}

/** The outcome in one or two sentences (API message, CLI output). */
export function describeTimeOff(result: TimeOffResult): string {
  const removed = `Removed ${result.removedSlots} free ${result.removedSlots === 1 ? 'slot' : 'slots'}.`;
  if (result.inTheWay.length === 0) return removed;
  const items = result.inTheWay.map((item) => `${item.kind === 'booking' ? `booking ${item.id}` : `the hold of pending request ${item.id}`} (${item.start.toISOString()} to ${item.end.toISOString()})`);
  return `${removed} Still there, because time off never removes them: ${items.join(', ')}; cancel the booking or reject the request to free that time.`;
}
