import type { EntityManager } from '@mikro-orm/postgresql';
import { BookingRequest } from '../../src/db/entities';
import { openOrm } from '../../src/db/orm';
import { DAY_MS } from '../../src/domain/time';
import { savePolicy } from '../../src/policy/policy-store';
import { createReservationService } from '../../src/reservation/reservation-service';
import { createSeriesReservation } from '../../src/reservation/series-reservation';
import { expandOccurrences, toRRule, type RecurrenceInput } from '../../src/series/recurrence';
import { checkBookingInvariants } from '../../test/support/invariants';
import { seedTrainerAndClient } from '../support/calendar';
import type { BenchPostgres } from '../support/postgres';
import { fmt, type BenchSection } from '../support/report';
import { nowMs, summarize, type Summary } from '../support/stats';

const SESSIONS = 52;
const PAIRS_PER_ROUND = 6;
const MEASURED_ROUNDS = 5;
const TEMPLATE = 'bench_series_template';
// A Tuesday; the bench clock is a day before the first session.
const FIRST_DATE = '2031-03-04';
const BENCH_NOW = new Date(Date.parse(`${FIRST_DATE}T00:00:00Z`) - DAY_MS);
const RULE: RecurrenceInput = { frequency: 'WEEKLY', interval: 1, weekdays: ['TU'], startTime: '18:00', timeZone: 'UTC', firstDate: FIRST_DATE, count: SESSIONS };

interface Pair {
  /** A trainer whose client asks for the whole year as one series request. */
  series: { trainerId: number; clientId: number; bookingRequestId: number };
  /** A trainer with the same calendar whose client asks for the same 52 sessions as 52 single requests. */
  singles: { trainerId: number; clientId: number; bookingRequestIds: number[] };
}

/** A year of Tuesdays 17:00–20:00 UTC in hourly slots, and a policy that lets a client hold all 52 sessions. */
async function seedTrainer(em: EntityManager, tag: string): Promise<{ trainerId: number; clientId: number }> {
  const seeded = await seedTrainerAndClient(em, tag);
  await savePolicy(em, seeded.trainerId, { horizonDays: 400, maxUpcomingBookings: 200 });
  await em.getConnection().execute(
    `insert into time_slot (trainer_id, start_time, end_time, duration_minutes)
     select ?, s + make_interval(hours => h), s + make_interval(hours => h + 1), 60
       from generate_series(?::timestamptz, ?::timestamptz, interval '7 days') as s, generate_series(17, 19) as h`,
    [seeded.trainerId, `${FIRST_DATE}T00:00:00Z`, new Date(Date.parse(`${FIRST_DATE}T00:00:00Z`) + (SESSIONS - 1) * 7 * DAY_MS).toISOString()],
  );
  return seeded;
}

async function seedTemplate(postgres: BenchPostgres): Promise<Pair[]> {
  const url = await postgres.createMigrated(TEMPLATE);
  const orm = await openOrm(url);
  try {
    const em = orm.em.fork();
    const expiresAt = new Date(BENCH_NOW.getTime() + 7 * DAY_MS);
    const pairs: Pair[] = [];
    for (let i = 0; i < PAIRS_PER_ROUND; i++) {
      const a = await seedTrainer(em, `series-${i}`);
      const b = await seedTrainer(em, `singles-${i}`);
      const request = em.create(BookingRequest, { client: a.clientId, trainer: a.trainerId, sessionType: 'Strength', durationMinutes: 60, expiresAt });
      const singles = Array.from({ length: SESSIONS }, () => em.create(BookingRequest, { client: b.clientId, trainer: b.trainerId, sessionType: 'Strength', durationMinutes: 60, expiresAt }));
      await em.flush();
      pairs.push({ series: { ...a, bookingRequestId: request.id }, singles: { ...b, bookingRequestIds: singles.map((r) => r.id) } });
    }
    return pairs;
  } finally {
    await orm.close();
  }
}

interface RoundResult {
  seriesMs: number[];
  singlesMs: number[];
  booked: number;
  violations: number;
}

async function runRound(url: string, pairs: Pair[], starts: Date[]): Promise<RoundResult> {
  const orm = await openOrm(url, { pool: { min: 0, max: 2 } });
  try {
    const series = createSeriesReservation(orm, () => BENCH_NOW);
    const singles = createReservationService(orm, () => BENCH_NOW);
    const rrule = toRRule(RULE);
    const result: RoundResult = { seriesMs: [], singlesMs: [], booked: 0, violations: 0 };
    await orm.em.getConnection().execute('select 1');
    // Interleaved, so drift on a shared machine falls on both paths alike.
    for (const pair of pairs) {
      let t0 = nowMs();
      const confirmed = await series.confirmSeries({ ...pair.series, occurrences: starts, durationMinutes: 60, rrule, timeZone: 'UTC', conflictMode: 'ALL_OR_NOTHING' });
      result.seriesMs.push(nowMs() - t0);
      result.booked += confirmed.booked.length;
      t0 = nowMs();
      for (const [i, bookingRequestId] of pair.singles.bookingRequestIds.entries()) await singles.confirm({ bookingRequestId, startTime: starts[i]! });
      result.singlesMs.push(nowMs() - t0);
      result.booked += SESSIONS;
    }
    for (const pair of pairs) {
      for (const trainerId of [pair.series.trainerId, pair.singles.trainerId]) {
        const report = await checkBookingInvariants(orm.em.fork(), trainerId);
        if (report.activeBookings !== SESSIONS) throw new Error(`trainer ${trainerId} holds ${report.activeBookings} bookings, not ${SESSIONS}`);
        for (const violation of report.violations) console.error(`invariant violated: ${violation}`);
        result.violations += report.violations.length;
      }
    }
    return result;
  } finally {
    await orm.close();
  }
}

/**
 * A year of weekly sessions booked as one series (one transaction, a savepoint per session)
 * against the same 52 sessions booked as 52 single requests, one transaction each, by the
 * same reservation code on the same calendar.
 */
export async function runSeriesBench(postgres: BenchPostgres): Promise<BenchSection> {
  const pairs = await seedTemplate(postgres);
  const starts = expandOccurrences(RULE).occurrences.map((o) => o.start);
  if (starts.length !== SESSIONS || starts[0]!.getTime() !== Date.parse(`${FIRST_DATE}T18:00:00Z`) || starts.some((s, i) => i > 0 && s.getTime() - starts[i - 1]!.getTime() !== 7 * DAY_MS)) {
    throw new Error('the rule does not give 52 weekly Tuesdays at 18:00 UTC');
  }
  const rounds: RoundResult[] = [];
  try {
    for (let round = 0; round <= MEASURED_ROUNDS; round++) {
      const database = `bench_series_${round}`;
      const url = await postgres.clone(TEMPLATE, database);
      try {
        const result = await runRound(url, pairs, starts);
        if (round > 0) rounds.push(result);
      } finally {
        await postgres.drop(database);
      }
    }
  } finally {
    await postgres.drop(TEMPLATE);
  }
  const series: Summary = summarize(rounds.flatMap((r) => r.seriesMs));
  const singles: Summary = summarize(rounds.flatMap((r) => r.singlesMs));
  const violations = rounds.reduce((sum, r) => sum + r.violations, 0);
  const ratio = series.median / singles.median;
  const row = (label: string, s: Summary): string[] => [label, fmt(s.median, 1), `${fmt(s.min, 1)} – ${fmt(s.max, 1)}`, fmt(s.p95, 1), fmt(s.median / SESSIONS, 2), `${fmt(s.median / singles.median, 2)}×`];
  return {
    id: 'series',
    title: '5. A year of weekly sessions in one transaction',
    method: [
      `Per pair of trainers with the same calendar (a year of Tuesdays 17:00–20:00 UTC in hourly slots; policy horizon 400 days, 200 upcoming bookings per client): one client's ${SESSIONS}-session series confirmed by \`confirmSeries\` (one transaction; per session a savepoint, its slots locked and checked, the policy, booking, slots and session), against the baseline of the same ${SESSIONS} sessions booked as ${SESSIONS} single requests with the reservation service's \`confirm\`, one transaction each.`,
      `${PAIRS_PER_ROUND} pairs per round, series and baseline interleaved, one connection at a time; ${MEASURED_ROUNDS} measured rounds after a warm-up round, each on a fresh copy of the seeded database; every trainer's bookings are then checked with the SQL invariants of test/support/invariants.ts (series checks included).`,
    ].join(' '),
    tables: [
      {
        caption: `Booking ${SESSIONS} weekly sessions (ms: lower is better)`,
        header: ['path', 'median ms', 'min – max', 'p95 ms', 'ms per session', 'vs baseline'],
        rows: [row(`baseline: ${SESSIONS} single confirms`, singles), row('one series (`confirmSeries`)', series)],
      },
    ],
    goals: [
      { goal: `a ${SESSIONS}-session series takes no longer than booking its sessions one by one`, measured: `${fmt(ratio, 2)}× (${fmt(series.median, 1)} vs ${fmt(singles.median, 1)} ms)`, met: ratio <= 1 },
      { goal: 'zero invariant violations', measured: `${violations} over ${rounds.length} rounds`, met: violations === 0 },
    ],
    data: { sessions: SESSIONS, pairsPerRound: PAIRS_PER_ROUND, rounds: MEASURED_ROUNDS, series, singles, ratio },
  };
}
