/**
 * Every sentence about a weekly series (issue 12) that a person reads: the workflow's
 * notifications and refusals, and whatever door shows them. Rules decide elsewhere; this
 * file words. Pure: the workflow imports it.
 */

const sessions = (n: number): string => (n === 1 ? '1 session' : `${n} sessions`);
const dates = (n: number): string => (n === 1 ? '1 date' : `${n} dates`);
/** How many of `count` sessions just cancelled count as late cancellations, as a clause ('' for none). */
const lateClause = (count: number, late: number): string =>
  late === 0 ? '' : late === count && count === 1 ? 'it counts as a late cancellation' : `${late} of them ${late === 1 ? 'counts' : 'count'} as a late cancellation`;

export const seriesWording = {
  /** The trainer's first message about a series request. */
  newRequest: (hasOptions: boolean): string =>
    hasOptions ? 'New weekly series request: pick a weekly time or reject.' : 'New weekly series request, but no weekly time has a free session yet.',
  /** Both sides, once the series is booked (`skipped`: dates of the rule that were not booked). */
  approved: (booked: number, skipped: number): string =>
    skipped === 0
      ? `The weekly series is confirmed: ${sessions(booked)} booked.`
      : `The weekly series is confirmed: ${sessions(booked)} booked; ${dates(skipped)} could not be booked and ${skipped === 1 ? 'is' : 'are'} listed with the reason.`,
  /** An approve of a weekly time that is no longer offered (the options changed meanwhile). */
  notAnOption: (): string => 'That weekly time is no longer among the options: pick one of the weekly times offered now.',
  /** The trainer, after approving a weekly time whose sessions could not all be booked (nothing was booked). */
  conflictTrainer: (): string => 'Not every session of that weekly time could be booked, so nothing was booked; here are the weekly times that are free now.',
  /** The client, in the same case. */
  conflictClient: (): string => 'A session of the weekly time your trainer picked was just taken, so nothing was booked; they will choose another time.',
  /** A single-booking change (cancel, reschedule, outcome) sent to a series request instead of one of its sessions. */
  useOccurrence: (): string =>
    'This request is a weekly series: cancel, move or record one session through that session’s own booking, or cancel a session and all following ones for the series.',
  /** "This and all following" on a request that has no confirmed series. */
  noSeries: (): string => 'This request has no confirmed weekly series to cancel.',
  /** "This and all following" from a session that is not an upcoming booking of the series. */
  notActiveOccurrence: (): string => 'That session is not an upcoming booking of this series: pick one that is still booked.',
  /** Both sides, once for a "this and all following" cancel (`late`: how many count as late cancellations). */
  cancelled: (count: number, late: number, by: 'client' | 'trainer' | 'admin'): string => {
    const what = count === 1 ? 'The session was cancelled' : `${sessions(count)} of the weekly series were cancelled`;
    const lateText = late === 0 ? '' : `; ${lateClause(count, late)}`;
    return `${what} by the ${by} (this one and all following)${lateText}.`;
  },
  /** The late part of a "this and all following" cancel as a clause, "1 of them counts as a late cancellation" ('' for none): for doors that word the rest themselves. */
  lateCancellations: (count: number, late: number): string => lateClause(count, late),
  /** A date of the rule whose local start time does not exist (clocks go forward over it). */
  nonexistent: (localDate: string, localTime: string, timeZone: string): string =>
    `${localTime} does not exist on ${localDate} in ${timeZone}: the clocks go forward over it.`,
} as const;
