import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { BookingRequest } from '../../src/db/entities';
import { openOrm } from '../../src/db/orm';
import { SlotConflictError } from '../../src/reservation/errors';
import { createReservationService } from '../../src/reservation/reservation-service';
import { auditBookings } from '../../test/reliability/support/booking-audit';
import { checkBookingInvariants } from '../../test/support/invariants';
import { seedClients, seedSlots, seedTrainerAndClient } from '../support/calendar';
import type { BenchPostgres } from '../support/postgres';
import { pick, seededRandom } from '../../test/support/random';
import { fmt, type BenchSection } from '../support/report';
import { nowMs, summarize, type Summary } from '../support/stats';
import { confirmWithRawSql } from './raw-sql-confirm';
import { DAY_MS, MINUTE_MS } from '../../src/domain/time';

const SLOT_MINUTES = 30;
const SLOT_COUNT = 28 * 48; // four weeks of 30-minute slots, around the clock
const ATTEMPTS = 1500;
const DURATIONS = [60, 90, 120]; // two to four slots each
const CLIENTS = 16;
const MEASURED_ROUNDS = 5;
const CALENDAR_START = Date.parse('2031-03-03T00:00:00Z');
// The service's clock: a day before the calendar, so every start lies inside the default
// policy's minimum notice (60 min) and horizon (90 days; the calendar spans four weeks).
const BENCH_NOW = new Date(CALENDAR_START - DAY_MS);
const TEMPLATE = 'bench_reservation_template';

interface Attempt {
  bookingRequestId: number;
  start: Date;
}

type Outcome = 'booked' | 'conflict';

interface RoundResult {
  seconds: number;
  /** CPU time this process (the client side: driver, ORM, service) spent in the round. */
  clientCpuMs: number;
  booked: number;
  conflicts: number;
  latenciesMs: number[];
}

/**
 * One trainer, a calendar of 30-minute slots, and PENDING requests for random overlapping 1–2 h
 * windows, each from its own client: under the policy a client may not hold two overlapping
 * sessions (nor more than 10 upcoming), so with one client for all requests the client's own
 * limits, not the trainer's slots, would decide most attempts. Here only slots contend.
 */
async function seedTemplate(postgres: BenchPostgres): Promise<{ trainerId: number; attempts: Attempt[] }> {
  const url = await postgres.createMigrated(TEMPLATE);
  const orm = await openOrm(url);
  try {
    const em = orm.em.fork();
    const { trainerId } = await seedTrainerAndClient(em, 'reservation');
    const clientIds = await seedClients(em, 'reservation', ATTEMPTS);
    await seedSlots(em, trainerId, new Date(CALENDAR_START), SLOT_COUNT, SLOT_MINUTES);
    const random = seededRandom(2031);
    const wanted = Array.from({ length: ATTEMPTS }, () => {
      const durationMinutes = pick(random, DURATIONS);
      const lastStart = SLOT_COUNT - durationMinutes / SLOT_MINUTES;
      return { durationMinutes, start: new Date(CALENDAR_START + Math.floor(random() * (lastStart + 1)) * SLOT_MINUTES * MINUTE_MS) };
    });
    // Open for a week of the bench clock (2031, so the raw baseline's real-time check passes too).
    const expiresAt = new Date(BENCH_NOW.getTime() + 7 * DAY_MS);
    const requests = wanted.map((w, i) =>
      em.create(BookingRequest, { client: clientIds[i]!, trainer: trainerId, sessionType: 'Strength', durationMinutes: w.durationMinutes, expiresAt }),
    );
    await em.flush();
    return { trainerId, attempts: requests.map((request, i) => ({ bookingRequestId: request.id, start: wanted[i]!.start })) };
  } finally {
    await orm.close();
  }
}

/** `CLIENTS` concurrent clients take attempts off one queue until it is empty. */
async function runRound(attempts: readonly Attempt[], confirm: (attempt: Attempt) => Promise<Outcome>): Promise<RoundResult> {
  const latenciesMs: number[] = [];
  let next = 0;
  let booked = 0;
  let conflicts = 0;
  const t0 = nowMs();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < attempts.length) {
        const attempt = attempts[next++]!;
        const started = nowMs();
        const outcome = await confirm(attempt);
        latenciesMs.push(nowMs() - started);
        if (outcome === 'booked') booked++;
        else conflicts++;
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  return { seconds: (nowMs() - t0) / 1000, clientCpuMs: (cpu.user + cpu.system) / 1000, booked, conflicts, latenciesMs };
}

async function warmPool(query: () => Promise<unknown>): Promise<void> {
  await Promise.all(Array.from({ length: CLIENTS }, query));
}

/**
 * Checks the database of a finished round: the suite's invariants and the reliability audit
 * hold, and it holds as many bookings as the round reported. Returns the violations found.
 */
async function verifyRound(url: string, trainerId: number, result: RoundResult): Promise<number> {
  const orm: MikroORM = await openOrm(url);
  try {
    const report = await checkBookingInvariants(orm.em.fork(), trainerId);
    const audit = await auditBookings(orm.em.fork());
    if (report.activeBookings !== result.booked) throw new Error(`round reported ${result.booked} bookings but the database holds ${report.activeBookings}`);
    for (const violation of [...report.violations, ...audit]) console.error(`invariant violated: ${violation}`);
    return report.violations.length + audit.length;
  } finally {
    await orm.close();
  }
}

async function ormRound(url: string, attempts: readonly Attempt[]): Promise<RoundResult> {
  const orm = await openOrm(url, { pool: { min: 0, max: CLIENTS } });
  try {
    await warmPool(() => orm.em.getConnection().execute('select 1'));
    const service = createReservationService(orm, () => BENCH_NOW);
    return await runRound(attempts, async ({ bookingRequestId, start }) => {
      try {
        await service.confirm({ bookingRequestId, startTime: start });
        return 'booked';
      } catch (error) {
        if (error instanceof SlotConflictError) return 'conflict';
        throw error;
      }
    });
  } finally {
    await orm.close();
  }
}

async function rawRound(url: string, attempts: readonly Attempt[]): Promise<RoundResult> {
  const pool = new pg.Pool({ connectionString: url, max: CLIENTS });
  try {
    await warmPool(() => pool.query('select 1'));
    return await runRound(attempts, async ({ bookingRequestId, start }) => {
      const outcome = await confirmWithRawSql(pool, bookingRequestId, start);
      if (outcome === 'booked' || outcome === 'conflict') return outcome;
      throw new Error(`unexpected outcome ${outcome} for request ${bookingRequestId}`);
    });
  } finally {
    await pool.end();
  }
}

interface VariantStats {
  attemptsPerSecond: Summary;
  bookingsPerSecond: Summary;
  bookedPerRound: Summary;
  latencyMs: Summary;
  clientCpuMsPerAttempt: Summary;
  violations: number;
}

function statsOf(rounds: RoundResult[], violations: number): VariantStats {
  return {
    attemptsPerSecond: summarize(rounds.map((r) => (r.booked + r.conflicts) / r.seconds)),
    bookingsPerSecond: summarize(rounds.map((r) => r.booked / r.seconds)),
    bookedPerRound: summarize(rounds.map((r) => r.booked)),
    latencyMs: summarize(rounds.flatMap((r) => r.latenciesMs)),
    clientCpuMsPerAttempt: summarize(rounds.map((r) => r.clientCpuMs / (r.booked + r.conflicts))),
    violations,
  };
}

export async function runReservationBench(postgres: BenchPostgres): Promise<BenchSection> {
  const { trainerId, attempts } = await seedTemplate(postgres);
  const variants = { raw: rawRound, orm: ormRound } as const;
  const rounds: Record<keyof typeof variants, RoundResult[]> = { raw: [], orm: [] };
  const violations = { raw: 0, orm: 0 };
  try {
    // Round 0 warms both paths up and is not counted; then they alternate on fresh copies.
    for (let round = 0; round <= MEASURED_ROUNDS; round++) {
      for (const name of ['raw', 'orm'] as const) {
        const database = `bench_reservation_${name}_${round}`;
        const url = await postgres.clone(TEMPLATE, database);
        try {
          const result = await variants[name](url, attempts);
          violations[name] += await verifyRound(url, trainerId, result);
          if (round > 0) rounds[name].push(result);
        } finally {
          await postgres.drop(database);
        }
      }
    }
  } finally {
    await postgres.drop(TEMPLATE);
  }
  const raw = statsOf(rounds.raw, violations.raw);
  const orm = statsOf(rounds.orm, violations.orm);
  const ratio = orm.bookingsPerSecond.median / raw.bookingsPerSecond.median;
  const row = (label: string, s: VariantStats): string[] => [
    label,
    fmt(s.bookingsPerSecond.median),
    `${fmt(s.bookingsPerSecond.min)} – ${fmt(s.bookingsPerSecond.max)}`,
    fmt(s.attemptsPerSecond.median),
    fmt(s.bookedPerRound.median),
    fmt(s.latencyMs.median, 1),
    fmt(s.latencyMs.p95, 1),
    fmt(s.latencyMs.p99, 1),
    fmt(s.clientCpuMsPerAttempt.median, 2),
    `${fmt(s.bookingsPerSecond.median / raw.bookingsPerSecond.median, 2)}×`,
    String(s.violations),
  ];
  return {
    id: 'reservation',
    title: '2. Reservation under contention',
    method: [
      `One trainer (default policy), ${SLOT_COUNT} back-to-back ${SLOT_MINUTES}-minute slots; ${ATTEMPTS} PENDING requests from ${ATTEMPTS} clients, each confirmed at a random start for ${DURATIONS.join('/')} minutes (2–4 slots), so windows overlap heavily and most attempts must lose.`,
      `${CLIENTS} concurrent clients drain one queue of attempts in the same order; each path gets a pool of ${CLIENTS} connections, warmed first.`,
      `Baseline: the same statements with the bare \`pg\` driver (lock request row, check for an existing booking, read trainer, SELECT slots FOR UPDATE ORDER BY id, insert booking, conditional UPDATE of the slots with a count check, insert session, update request) in one transaction. The service also applies the trainer's policy, which the baseline does not: it reads the policy (notice, horizon), takes the client's advisory lock and counts the client's upcoming bookings, three more statements per attempt; its clock is fixed a day before the calendar.`,
      `${MEASURED_ROUNDS} measured rounds per path after one warm-up round each, alternating, each on a fresh copy of the same seeded database; every round's database is then checked with the SQL invariants of test/support/invariants.ts and the audit of test/reliability/support/booking-audit.ts. Latency is per attempt (booked or refused), pooled over the measured rounds. Client CPU is this process's user+system time per attempt (the benchmark's own bookkeeping included, the same for both); PostgreSQL runs on the same 2 cores, so client CPU is taken from the database.`,
    ].join(' '),
    tables: [
      {
        caption: 'Concurrent confirms (bookings/s: higher is better; latency ms: lower is better)',
        header: ['path', 'bookings/s median', 'min – max', 'attempts/s', 'bookings per round', 'p50 ms', 'p95 ms', 'p99 ms', 'client CPU ms/attempt', 'vs baseline', 'invariant violations'],
        rows: [row('baseline: raw SQL (`pg`)', raw), row('reservation service (MikroORM)', orm)],
      },
    ],
    goals: [
      { goal: "at least half the raw-SQL baseline's throughput", measured: `${fmt(ratio, 2)}× (${fmt(orm.bookingsPerSecond.median)} vs ${fmt(raw.bookingsPerSecond.median)} bookings/s)`, met: ratio >= 0.5 },
      { goal: 'zero double bookings', measured: `${orm.violations + raw.violations} invariant violations over ${2 * (MEASURED_ROUNDS + 1)} rounds`, met: orm.violations + raw.violations === 0 },
    ],
    data: { clients: CLIENTS, attemptsPerRound: ATTEMPTS, slots: SLOT_COUNT, rounds: MEASURED_ROUNDS, raw, orm, ratioBookingsPerSecond: ratio, ratioAttemptsPerSecond: orm.attemptsPerSecond.median / raw.attemptsPerSecond.median },
  };
}
