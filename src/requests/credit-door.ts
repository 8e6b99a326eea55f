/**
 * The request door's credit check (issue 13): with the trainer's `creditToRequest`, a client
 * without a usable credit is told how to get one — the trainer's packs and prices — instead
 * of creating a request (NoCreditError, code credit_none; nothing is stored). Credits held
 * by booked sessions do not count (the ledger's `available` already left them out). A credit
 * is asked for again at approval: it may be spent meanwhile.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import { coverageIn, noCreditIn } from '../credits/ledger';
import type { CreditNeed } from '../domain/credits/credits';
import { creditNeededToRequest } from '../domain/credits/rules';
import type { TrainerPolicy } from '../domain/policy/policy';
import { WEEKDAY_CODES, type WeekdayCode } from '../domain/series/recurrence';
import type { SeriesRecurrence } from '../domain/series/series';
import { expandOccurrences } from '../series/recurrence';

export interface CreditDoorInput {
  clientId: number;
  trainerId: number;
  durationMinutes: number;
  /** Direct: the chosen start (ISO). */
  startTime: string | null;
  /** Flexible: the first preferred day (YYYY-MM-DD in `timeZone`). */
  preferredStartDate: string | null;
  timeZone: string;
  recurrence: SeriesRecurrence | null;
  policy: TrainerPolicy;
  now: Date;
}

/**
 * The starts a request's credits are checked for: a direct session's start; a flexible
 * one's earliest possible start (its first preferred day, not before now); a series' every
 * session (a flexible series at midday of its first preferred day, as its request check
 * reads it). A pack must still be valid at each.
 */
export function startsToCover(input: Omit<CreditDoorInput, 'policy'>): Date[] {
  const zone = input.timeZone;
  const first = input.startTime ? DateTime.fromISO(input.startTime, { zone }) : DateTime.fromISO(input.preferredStartDate ?? '', { zone }).startOf('day');
  const earliest = first.isValid ? new Date(Math.max(first.toMillis(), input.now.getTime())) : input.now;
  if (!input.recurrence || !first.isValid) return [earliest];
  const local = input.startTime ? first : first.set({ hour: 12, minute: 0 });
  const weekdays: WeekdayCode[] = input.recurrence.weekdays.length > 0 ? input.recurrence.weekdays : [WEEKDAY_CODES[local.weekday - 1]!];
  try {
    return expandOccurrences({
      frequency: 'WEEKLY',
      interval: input.recurrence.interval,
      weekdays,
      startTime: local.toFormat('HH:mm'),
      timeZone: zone,
      firstDate: local.toISODate(),
      ...(input.recurrence.count !== undefined ? { count: input.recurrence.count } : {}),
      ...(input.recurrence.until !== undefined ? { until: input.recurrence.until } : {}),
    }).occurrences.map((occurrence) => occurrence.start);
  } catch {
    // The recurrence was checked before this; whatever it lacks, one session needs one credit.
    return [earliest];
  }
}

/**
 * Throws NoCreditError (with the trainer's packs that cover the session) when the trainer
 * asks for a credit to request and the client's credits do not cover the request: one
 * session needs one credit; a series ALL_OR_NOTHING one per session, AVAILABLE_ONLY at
 * least one. Does nothing when the trainer asks for none.
 */
export async function refuseWithoutCredit(em: EntityManager, input: CreditDoorInput): Promise<void> {
  if (!creditNeededToRequest(input.policy)) return;
  const starts = startsToCover(input);
  const { covered } = await coverageIn(em, input.clientId, input.trainerId, input.durationMinutes, starts);
  const allNeeded = input.recurrence?.conflictMode !== 'AVAILABLE_ONLY';
  if (allNeeded ? covered >= starts.length : covered > 0) return;
  const need = (start: Date): CreditNeed => ({ clientId: input.clientId, trainerId: input.trainerId, durationMinutes: input.durationMinutes, start });
  throw await noCreditIn(em, allNeeded ? starts.map(need) : [need(starts[0]!)], covered);
}
