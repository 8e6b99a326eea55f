import { describe, expect, it } from 'vitest';
import { findConsecutiveRuns, type FreeSlot } from '../../src/slots/consecutive-slots';

const MIN = 60_000;
/** Slots given as [id, start minute, end minute]. */
const slots = (...spec: [number, number, number][]): FreeSlot[] => spec.map(([id, s, e]) => ({ id, startMs: s * MIN, endMs: e * MIN }));

describe('findConsecutiveRuns', () => {
  const hourly = slots([1, 0, 60], [2, 60, 120], [3, 120, 180], [4, 240, 300], [5, 300, 360]);

  it('60 minutes: every free hourly slot is a start', () => {
    expect(findConsecutiveRuns(hourly, 60).map((r) => r.slotIds)).toEqual([[1], [2], [3], [4], [5]]);
  });

  it('90 minutes needs two back-to-back slots and never spans the gap between 3 and 4', () => {
    expect(findConsecutiveRuns(hourly, 90)).toEqual([
      { startMs: 0, slotIds: [1, 2] },
      { startMs: 60 * MIN, slotIds: [2, 3] },
      { startMs: 240 * MIN, slotIds: [4, 5] },
    ]);
  });

  it('120 minutes fits exactly into two slots; 180 only before the gap', () => {
    expect(findConsecutiveRuns(hourly, 120).map((r) => r.slotIds)).toEqual([[1, 2], [2, 3], [4, 5]]);
    expect(findConsecutiveRuns(hourly, 180).map((r) => r.slotIds)).toEqual([[1, 2, 3]]);
    expect(findConsecutiveRuns(hourly, 181)).toEqual([]);
  });

  it('mixes slot lengths: 90 minutes on half-hour slots takes three', () => {
    const halves = slots([10, 0, 30], [11, 30, 60], [12, 60, 90], [13, 90, 150]);
    expect(findConsecutiveRuns(halves, 90).map((r) => r.slotIds)).toEqual([[10, 11, 12], [11, 12, 13], [12, 13]]);
  });

  it('a one-minute gap breaks a run', () => {
    expect(findConsecutiveRuns(slots([1, 0, 60], [2, 61, 121]), 120)).toEqual([]);
  });

  it('no slots, no runs; a non-positive duration is refused', () => {
    expect(findConsecutiveRuns([], 60)).toEqual([]);
    expect(() => findConsecutiveRuns(hourly, 0)).toThrow(RangeError);
  });

  it('agrees with a brute-force search on random calendars', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 200; round++) {
      const calendar: FreeSlot[] = [];
      let t = 0;
      for (let id = 1; id <= 30; id++) {
        t += random() < 0.2 ? 30 : 0; // sometimes a gap
        const length = [30, 60, 60, 90][Math.floor(random() * 4)]!;
        calendar.push({ id, startMs: t * MIN, endMs: (t + length) * MIN });
        t += length;
      }
      const duration = [30, 60, 90, 120, 150][Math.floor(random() * 5)]!;
      const expected = calendar.flatMap((first, i) => {
        const ids = [first.id];
        let end = first.endMs;
        for (let k = i + 1; end - first.startMs < duration * MIN && k < calendar.length && calendar[k]!.startMs === end; k++) {
          ids.push(calendar[k]!.id);
          end = calendar[k]!.endMs;
        }
        return end - first.startMs >= duration * MIN ? [{ startMs: first.startMs, slotIds: ids }] : [];
      });
      expect(findConsecutiveRuns(calendar, duration)).toEqual(expected);
    }
  });
});
