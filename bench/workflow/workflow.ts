import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openOrm } from '../../src/db/orm';
import { findFreePort } from '../../src/net/free-port';
import type { Notification, Notifier } from '../../src/notifications/notification';
import { createBookingClient } from '../../src/temporal/booking-client';
import { createBookingWorker, WORKFLOWS_PATH } from '../../src/app/booking-worker';
import { startTemporalDevServer } from '../../src/temporal/dev-server';
import type { SlotOption } from '../../workflows/contract';
import { seedClients, seedSlots, seedTrainerAndClient } from '../support/calendar';
import type { BenchPostgres } from '../support/postgres';
import { fmt, type BenchSection } from '../support/report';
import { nowMs, summarize, type Summary } from '../support/stats';
import { createMinimalActivities } from './minimal-activities';
import type { minimalBookingWorkflow } from './minimal-booking.workflow';
import { minimalDecideUpdate, type MinimalOption } from './minimal-definitions';
import { OfferWaiter } from './offer-waiter';
import { DAY_MS } from '../../src/domain/time';

const MINIMAL_WORKFLOWS_PATH = fileURLToPath(new URL('./minimal-booking.workflow.ts', import.meta.url));
const BOOKING_QUEUE = 'bench-booking';
const MINIMAL_QUEUE = 'bench-minimal';
const WARMUP = 5;
const MEASURED = 60;
// Then requests in batches of CONCURRENT at once, as when several clients ask together.
const CONCURRENT = 8;
const BATCHES = 5;
const CALENDAR_DAYS = 60;
const FIRST_BATCH_ID = 1000;
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

interface Run {
  /** Request sent until the booking is confirmed (the trainer presses as soon as options arrive). */
  totalMs: number;
  /** Request sent until the trainer has the options. */
  toOptionsMs: number;
  /** The trainer's button press (an Update) until its answer: the confirmed booking. */
  pressMs: number;
}

interface PathStats {
  totalMs: Summary;
  toOptionsMs: Summary;
  pressMs: Summary;
}

function statsOf(runs: Run[]): PathStats {
  return { totalMs: summarize(runs.map((r) => r.totalMs)), toOptionsMs: summarize(runs.map((r) => r.toOptionsMs)), pressMs: summarize(runs.map((r) => r.pressMs)) };
}

export async function runWorkflowBench(postgres: BenchPostgres): Promise<BenchSection> {
  const temporal = await startTemporalDevServer({ port: await findFreePort() });
  const url = await postgres.createMigrated('bench_workflow');
  const orm = await openOrm(url);
  const bundleDir = await mkdtemp(join(tmpdir(), 'booking-bench-bundle-'));
  const stops: (() => Promise<void>)[] = [];
  try {
    const em = orm.em.fork();
    const { trainerId } = await seedTrainerAndClient(em, 'workflow');
    // A client of its own per booking run: under the default policy one client may have one
    // pending request with a trainer and 10 upcoming bookings, which the runs would exceed.
    const runIds = [...Array.from({ length: WARMUP + MEASURED }, (_, i) => i), ...Array.from({ length: BATCHES * CONCURRENT }, (_, k) => FIRST_BATCH_ID + k)];
    const clientIds = await seedClients(em, 'workflow', runIds.length);
    const clientOfRun = new Map(runIds.map((id, k) => [id, clientIds[k]!]));
    // Two days ahead of real time (the workflow's clock): inside the notice and the 90-day horizon.
    const firstDay = new Date(Math.ceil(Date.now() / DAY_MS) * DAY_MS + 2 * DAY_MS);
    await seedSlots(em, trainerId, firstDay, CALENDAR_DAYS * 24, 60);

    const native = await NativeConnection.connect({ address: temporal.address });
    const client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
    stops.push(async () => {
      await client.connection.close();
      await native.close();
    });

    const bookingOffers = new OfferWaiter<SlotOption>();
    const notifier: Notifier = {
      notify(notification: Notification): Promise<void> {
        if (notification.kind === 'request.options') bookingOffers.offered(String(notification.bookingRequestId), notification.options ?? []);
        return Promise.resolve();
      },
    };
    const minimalOffers = new OfferWaiter<MinimalOption>();
    const bookingBundlePath = join(bundleDir, 'booking-workflows.js');
    await writeFile(bookingBundlePath, (await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet })).code);
    const bookingWorker = await createBookingWorker({ connection: native, taskQueue: BOOKING_QUEUE, orm, notifier, workflowBundlePath: bookingBundlePath });
    const minimalWorker = await Worker.create({
      connection: native,
      taskQueue: MINIMAL_QUEUE,
      workflowBundle: await bundleWorkflowCode({ workflowsPath: MINIMAL_WORKFLOWS_PATH, logger: quiet }),
      activities: createMinimalActivities((requestId, kind, options) => {
        if (kind === 'options') minimalOffers.offered(String(requestId), options);
      }),
    });
    for (const worker of [bookingWorker, minimalWorker]) {
      const running = worker.run();
      stops.unshift(async () => {
        worker.shutdown();
        await running;
      });
    }
    const bookings = createBookingClient({ client, orm, taskQueue: BOOKING_QUEUE });

    const bookingRun = async (i: number): Promise<Run> => {
      const day = new Date(firstDay.getTime() + (i % CALENDAR_DAYS) * DAY_MS).toISOString().slice(0, 10);
      const clientId = clientOfRun.get(i);
      if (clientId === undefined) throw new Error(`no client seeded for booking run ${i}`);
      const t0 = nowMs();
      const { bookingRequestId } = await bookings.startRequest({
        clientId,
        trainerId,
        sessionType: 'Strength',
        durationMinutes: 60,
        timeZone: 'UTC',
        preferences: { preferredStartDate: day, preferredEndDate: day, preferredTimes: ['10:00-12:00'], avoidTimes: [], allowWeekends: true, allowEvenings: false },
      });
      const offer = await bookingOffers.wait(String(bookingRequestId));
      const pressed = nowMs();
      const outcome = await bookings.decide(bookingRequestId, { kind: 'approve', trainerId, slotId: offer.options[0]!.slotId });
      const done = nowMs();
      if (outcome.result !== 'approved') throw new Error(`booking request ${bookingRequestId}: ${JSON.stringify(outcome)}`);
      return { totalMs: done - t0, toOptionsMs: offer.atMs - t0, pressMs: done - pressed };
    };
    const minimalRun = async (i: number): Promise<Run> => {
      const t0 = nowMs();
      const handle = await client.workflow.start<typeof minimalBookingWorkflow>('minimalBookingWorkflow', {
        taskQueue: MINIMAL_QUEUE,
        workflowId: `minimal-${i}`,
        args: [{ requestId: i }],
      });
      const offer = await minimalOffers.wait(String(i));
      const pressed = nowMs();
      await handle.executeUpdate(minimalDecideUpdate, { args: [offer.options[0]!] });
      const done = nowMs();
      return { totalMs: done - t0, toOptionsMs: offer.atMs - t0, pressMs: done - pressed };
    };

    const runs = { booking: [] as Run[], minimal: [] as Run[] };
    for (let i = 0; i < WARMUP + MEASURED; i++) {
      // Alternate which path goes first, so neither always follows the other's leftovers.
      const order = i % 2 === 0 ? (['booking', 'minimal'] as const) : (['minimal', 'booking'] as const);
      for (const path of order) {
        const run = path === 'booking' ? await bookingRun(i) : await minimalRun(i);
        if (i >= WARMUP) runs[path].push(run);
      }
    }
    const loaded = { booking: [] as Run[], minimal: [] as Run[] };
    for (let batch = 0; batch < BATCHES; batch++) {
      const order = batch % 2 === 0 ? (['booking', 'minimal'] as const) : (['minimal', 'booking'] as const);
      for (const path of order) {
        const ids = Array.from({ length: CONCURRENT }, (_, k) => FIRST_BATCH_ID + batch * CONCURRENT + k);
        loaded[path].push(...(await Promise.all(ids.map((id) => (path === 'booking' ? bookingRun(id) : minimalRun(id))))));
      }
    }
    const booking = statsOf(runs.booking);
    const minimal = statsOf(runs.minimal);
    const bookingLoaded = statsOf(loaded.booking);
    const minimalLoaded = statsOf(loaded.minimal);
    const loadedRatio = bookingLoaded.totalMs.median / minimalLoaded.totalMs.median;
    const ratio = booking.totalMs.median / minimal.totalMs.median;
    const row = (label: string, s: PathStats, baseline: PathStats): string[] => [
      label,
      fmt(s.totalMs.median, 1),
      fmt(s.totalMs.mean, 1),
      fmt(s.totalMs.p95, 1),
      fmt(s.totalMs.p99, 1),
      `${fmt(s.totalMs.min, 1)} – ${fmt(s.totalMs.max, 1)}`,
      fmt(s.toOptionsMs.median, 1),
      fmt(s.pressMs.median, 1),
      fmt(s.pressMs.p95, 1),
      `${fmt(s.totalMs.median / baseline.totalMs.median, 2)}× / ${fmt(s.totalMs.mean / baseline.totalMs.mean, 2)}×`,
    ];
    return {
      id: 'workflow',
      title: '3. Workflow end to end',
      method: [
        `One request at a time through a Temporal dev server (in-memory store) with the worker in the benchmark's process: the client sends a flexible request, the "trainer" presses Approve on the best option the moment the options notification arrives, and the clock stops when that Update answers with the confirmed booking.`,
        `Booking path: \`createBookingClient().startRequest\` (validation, id from PostgreSQL) → booking workflow (persist, rank ${CALENDAR_DAYS * 24} hourly slots, notify ×2) → \`decide\` Update → confirm in PostgreSQL → notify.`,
        `Baseline: a minimal workflow in bench/workflow with the same six activity calls doing nothing, its own worker bundle and task queue, on the same server.`,
        `${MEASURED} requests per path after ${WARMUP} warm-up each, alternating; then ${BATCHES} batches of ${CONCURRENT} concurrent requests per path. The dev server's own cost dominates: on this machine one no-op activity round trip takes about 50 ms, and latencies cluster at multiples of it, so medians can land on either side of a cluster boundary; the mean is shown beside the median for that reason.`,
      ].join(' '),
      tables: [
        {
          caption: 'Request to confirmed booking, ms (lower is better)',
          header: ['path', 'median', 'mean', 'p95', 'p99', 'min – max', 'to options (median)', 'button press median', 'button press p95', 'vs baseline (median / mean)'],
          rows: [row('baseline: minimal workflow', minimal, minimal), row('booking workflow', booking, minimal)],
        },
        {
          caption: `The same with ${CONCURRENT} requests in flight at once (${BATCHES} batches per path), ms`,
          header: ['path', 'median', 'mean', 'p95', 'p99', 'min – max', 'to options (median)', 'button press median', 'button press p95', 'vs baseline (median / mean)'],
          rows: [row('baseline: minimal workflow', minimalLoaded, minimalLoaded), row('booking workflow', bookingLoaded, minimalLoaded)],
        },
      ],
      goals: [
        { goal: "at most 1.5× the minimal workflow's latency", measured: `${fmt(ratio, 2)}× of medians (${fmt(booking.totalMs.median, 1)} vs ${fmt(minimal.totalMs.median, 1)} ms), ${fmt(booking.totalMs.mean / minimal.totalMs.mean, 2)}× of means; ${fmt(loadedRatio, 2)}× of medians with ${CONCURRENT} in flight`, met: ratio <= 1.5 },
        {
          goal: 'a button press answered within 500 ms at p95',
          measured: `p95 ${fmt(booking.pressMs.p95, 1)} ms one at a time, ${fmt(bookingLoaded.pressMs.p95, 1)} ms with ${CONCURRENT} in flight`,
          met: booking.pressMs.p95 <= 500 && bookingLoaded.pressMs.p95 <= 500,
        },
      ],
      data: {
        measured: MEASURED,
        warmup: WARMUP,
        booking,
        minimal,
        ratioTotalMedian: ratio,
        ratioTotalMean: booking.totalMs.mean / minimal.totalMs.mean,
        ratioPressMedian: booking.pressMs.median / minimal.pressMs.median,
        concurrent: { inFlight: CONCURRENT, batches: BATCHES, booking: bookingLoaded, minimal: minimalLoaded, ratioTotalMedian: loadedRatio },
      },
    };
  } finally {
    for (const stop of stops) await stop();
    await orm.close();
    await temporal.stop();
    await postgres.drop('bench_workflow');
    await rm(bundleDir, { recursive: true, force: true });
  }
}
