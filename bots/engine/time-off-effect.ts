import type { MikroORM } from '@mikro-orm/postgresql';
import { blockTimeOff } from '../../src/availability/time-off';
import { formatRange } from '../core/format';
import { reply } from '../core/replies';
import type { Effect } from './step-result';
import type { EffectOutcome } from './effects';

const MAX_LISTED = 10;

/**
 * Removes the trainer's free, unheld slots in each range (one transaction each) and says
 * what stays in the way: booked sessions and slots held by pending requests.
 */
export async function runTimeOff(effect: Extract<Effect, { type: 'time-off' }>, orm: MikroORM): Promise<{ outcome: EffectOutcome; removed: number }> {
  let removed = 0;
  const inTheWay: { kind: 'booking' | 'hold'; id: number; start: Date; end: Date }[] = [];
  for (const range of effect.ranges) {
    const result = await blockTimeOff(orm.em.fork(), { trainerId: effect.trainerId, from: new Date(range.from), to: new Date(range.to) });
    removed += result.removedSlots;
    inTheWay.push(...result.inTheWay);
  }
  const head = removed === 0 ? `No free slots to remove in ${effect.summary}.` : `Blocked ${effect.summary}: ${removed} free slot${removed === 1 ? '' : 's'} removed.`;
  if (inTheWay.length === 0) return { outcome: { replies: [reply(head)] }, removed };
  const listed = inTheWay.slice(0, MAX_LISTED).map((item) => ({
    label: item.kind === 'booking' ? `Booking #${item.id}` : `Held by request #${item.id}`,
    value: formatRange(item.start, item.end, effect.zone),
  }));
  const more = inTheWay.length > MAX_LISTED ? ` (the first ${MAX_LISTED} of ${inTheWay.length} are listed)` : '';
  return {
    outcome: { replies: [reply({ text: `${head} These stay, since they are booked or held by a pending request${more}; cancel or decide them if you need the time:`, fields: listed })] },
    removed,
  };
}
