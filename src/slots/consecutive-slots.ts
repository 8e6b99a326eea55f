/** A free slot as the finder sees it: times as epoch milliseconds, for cheap arithmetic. */
export interface FreeSlot {
  id: number;
  startMs: number;
  endMs: number;
}

/** A start time at which enough back-to-back free slots cover the session. */
export interface SlotRun {
  startMs: number;
  /** The slots the session occupies, in time order; the first is where it starts. */
  slotIds: number[];
}

/**
 * Every start at which a session of `durationMinutes` fits into consecutive free slots
 * (slot N ends exactly where slot N+1 starts). Slots may have any length: a run is long
 * enough once the covered minutes reach the duration, so a 90-minute session takes two
 * 60-minute slots or three 30-minute ones.
 *
 * `slots` must be sorted by start time and must not overlap (the database guarantees the
 * latter). Runs are found in one pass with a sliding window, so a whole calendar costs
 * O(n) rather than O(n × slots per session).
 */
export function findConsecutiveRuns(slots: readonly FreeSlot[], durationMinutes: number): SlotRun[] {
  if (!(durationMinutes > 0)) throw new RangeError(`durationMinutes must be positive, got ${durationMinutes}`);
  const needMs = durationMinutes * 60_000;
  const runs: SlotRun[] = [];
  // [first, last] is the current window of back-to-back slots.
  let first = 0;
  let last = -1;
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i]!;
    if (last >= first && slots[last]!.endMs !== slot.startMs) {
      // A gap: no session can span it, so every start before it is settled.
      first = i;
    }
    last = i;
    // Emit every start in the window whose session now ends within the window.
    while (first <= last && slot.endMs - slots[first]!.startMs >= needMs) {
      const ids: number[] = [];
      const endMs = slots[first]!.startMs + needMs;
      for (let k = first; k <= last && slots[k]!.startMs < endMs; k++) ids.push(slots[k]!.id);
      runs.push({ startMs: slots[first]!.startMs, slotIds: ids });
      first++;
    }
  }
  // `first` only moves forward, so runs come out in start order.
  return runs;
}
