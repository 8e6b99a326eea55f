import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { TrainerNotFoundError } from '../domain/errors';
import { TimeSlot, Trainer } from '../db/entities';
import { logger } from '../logger';
import type { SlotTimes } from './weekly-slots';

export interface SlotOverlap {
  slot: { startTime: Date; endTime: Date };
  conflictsWith: { startTime: Date; endTime: Date };
}

/** Slots that overlap one another in the batch (`batch`) or the trainer's published ones (`existing`). */
export class SlotOverlapError extends Error {
  override name = 'SlotOverlapError';
  constructor(
    readonly source: 'batch' | 'existing',
    readonly overlaps: SlotOverlap[],
  ) {
    const first = overlaps[0];
    const where = source === 'batch' ? 'another slot in the same list' : 'an already published slot';
    super(
      first
        ? `The slot ${first.slot.startTime.toISOString()}–${first.slot.endTime.toISOString()} overlaps ${where} (${first.conflictsWith.startTime.toISOString()}–${first.conflictsWith.endTime.toISOString()})${overlaps.length > 1 ? `, and ${overlaps.length - 1} more overlap` : ''}.`
        : `The slots overlap ${where}.`,
    );
  }
}

export { TrainerNotFoundError } from '../domain/errors';

export interface PublishedSlot {
  id: number;
  trainerId: number;
  startTime: Date;
  endTime: Date;
  durationMinutes: number;
}

const MAX_REPORTED_OVERLAPS = 20;
// PostgreSQL: exclusion constraint (time_slot_no_overlap) and unique (trainer, start) violations.
const OVERLAP_SQLSTATES = new Set(['23P01', '23505']);

const byStart = (a: SlotTimes, b: SlotTimes): number => a.startTime.getTime() - b.startTime.getTime();

function overlapsWithinBatch(sorted: readonly SlotTimes[]): SlotOverlap[] {
  const overlaps: SlotOverlap[] = [];
  let latest = sorted[0];
  for (const slot of sorted.slice(1)) {
    if (latest && slot.startTime < latest.endTime) overlaps.push({ slot, conflictsWith: latest });
    if (!latest || slot.endTime > latest.endTime) latest = slot;
  }
  return overlaps;
}

/** Both lists sorted by start; a sweep that reports each new slot against the first slot it hits. */
function overlapsWithExisting(sorted: readonly SlotTimes[], existing: readonly { startTime: Date; endTime: Date }[]): SlotOverlap[] {
  const overlaps: SlotOverlap[] = [];
  let j = 0;
  for (const slot of sorted) {
    while (j < existing.length && existing[j]!.endTime <= slot.startTime) j++;
    const other = existing[j];
    if (other && other.startTime < slot.endTime) overlaps.push({ slot, conflictsWith: other });
  }
  return overlaps;
}

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Publishes a trainer's availability in one transaction: all the slots or none. Overlaps,
 * inside the list or with what is already published, are refused with the times at fault;
 * the exclusion constraint `time_slot_no_overlap` is the backstop against a concurrent call.
 */
export async function publishSlots(em: EntityManager, trainerId: number, slots: readonly SlotTimes[]): Promise<PublishedSlot[]> {
  if (slots.length === 0) return [];
  const sorted = [...slots].sort(byStart);
  const inBatch = overlapsWithinBatch(sorted);
  if (inBatch.length > 0) throw new SlotOverlapError('batch', inBatch.slice(0, MAX_REPORTED_OVERLAPS));
  const first = sorted[0]!;
  const lastEnd = sorted.reduce((max, slot) => (slot.endTime > max ? slot.endTime : max), first.endTime);
  try {
    return await em.transactional(async (tx) => {
      // One publisher per trainer at a time, so the overlap check below sees every slot.
      const trainer = await tx.findOne(Trainer, trainerId, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!trainer) throw new TrainerNotFoundError(trainerId);
      const existing = await tx.find(
        TimeSlot,
        { trainer: trainerId, startTime: { $lt: lastEnd }, endTime: { $gt: first.startTime } },
        { fields: ['startTime', 'endTime'], orderBy: { startTime: 'asc' } },
      );
      const clashes = overlapsWithExisting(sorted, existing);
      if (clashes.length > 0) throw new SlotOverlapError('existing', clashes.slice(0, MAX_REPORTED_OVERLAPS));
      const rows = sorted.map((slot) => tx.create(TimeSlot, { trainer, startTime: slot.startTime, endTime: slot.endTime, durationMinutes: slot.durationMinutes }));
      await tx.flush();
      logger.info({ trainerId, published: rows.length, from: first.startTime, to: lastEnd }, 'Published trainer availability');
      return rows.map((row) => ({ id: row.id, trainerId, startTime: row.startTime, endTime: row.endTime, durationMinutes: row.durationMinutes }));
    });
  } catch (error) {
    if (error instanceof SlotOverlapError || error instanceof TrainerNotFoundError) throw error;
    const state = sqlState(error) ?? sqlState((error as { cause?: unknown }).cause);
    if (state && OVERLAP_SQLSTATES.has(state)) throw new SlotOverlapError('existing', []);
    throw error;
  }
}
