import { parseAvailabilityText } from '../../bots/parsing/availability';
import { parseDayText } from '../../bots/parsing/day';
import { MAX_CHAT_MESSAGE_CHARS } from '../../bots/parsing/message-length';
import type { ParseContext } from '../../bots/parsing/parse-context';
import { parsePreferenceText } from '../../bots/parsing/preferences';
import { parseRecurrenceText } from '../../bots/parsing/recurrence';
import { fmt, type BenchSection } from '../support/report';
import { nowMs, summarize, type Summary } from '../support/stats';

const HUGE_CHARS = 40_000;
const SMALL_CHARS = 10_000;
const GOAL_MS = 50;
const WARMUP = 3;
const SAMPLES = 15;
const CONTEXT: ParseContext = { now: new Date('2031-03-26T09:00:00Z'), timeZone: 'Europe/Berlin' };
/** A normal answer, about 80 characters; the baseline parses HUGE_CHARS / its length of them. */
const NORMAL_MESSAGE = 'next week, mornings 10-12, not before 9:30, weekends fine, 90 min, Mon-Fri please';

/** Shapes of a 40 kB message: what people paste, and what makes regexes and chrono-node slow. */
const SHAPES: { name: string; unit: string }[] = [
  { name: 'repeated words', unit: 'hello there how are you ' },
  { name: 'one digit repeated ("1111…")', unit: '1' },
  { name: '"mon-fri 9-17 " repeated', unit: 'mon-fri 9-17 ' },
  { name: 'whitespace', unit: ' ' },
  { name: 'time expressions', unit: '10-12, not before 9:30, after 5pm, 2-4pm, between 2 and 4, at 3, 90 min, no evenings; ' },
  { name: 'dates for chrono ("next week tomorrow …")', unit: 'next week tomorrow friday jan 15 dec 3 2031-04-02 in 3 days ' },
  { name: 'runs of lengths ("1 h 1 h …")', unit: '1 h 30 min 2 hours ' },
  { name: 'runs of lengths after one "ago"', unit: `ago later ${'1 h '.repeat(2500)}` },
  { name: 'a normal message repeated', unit: `${NORMAL_MESSAGE}\n` },
];

const ENTRY_POINTS: { name: string; parse: (text: string) => unknown }[] = [
  { name: 'parsePreferenceText', parse: (text) => parsePreferenceText(text, CONTEXT) },
  { name: 'parseAvailabilityText', parse: (text) => parseAvailabilityText(`publish ${text}`, CONTEXT) },
  { name: 'parseDayText', parse: (text) => parseDayText(text, CONTEXT) },
  // As an answer to a series question: every rule runs, whatever the text says.
  { name: 'parseRecurrenceText', parse: (text) => parseRecurrenceText(text, CONTEXT, { series: true }) },
];

const fill = (unit: string, chars: number): string => unit.repeat(Math.ceil(chars / unit.length)).slice(0, chars);

// Results go into a sink that is printed, so no call can be optimised away.
let sink = 0;

function time(run: () => unknown): number {
  const t0 = nowMs();
  const result = run();
  const elapsed = nowMs() - t0;
  sink += JSON.stringify(result)?.length ?? 0;
  return elapsed;
}

/** Samples of several runs, interleaved so that drift on a shared machine hits all alike. */
function sampleInterleaved(runs: (() => unknown)[]): Summary[] {
  const samples: number[][] = runs.map(() => []);
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    runs.forEach((run, r) => {
      const elapsed = time(run);
      if (i >= WARMUP) samples[r]!.push(elapsed);
    });
  }
  return samples.map(summarize);
}

interface Cell {
  shape: string;
  entryPoint: string;
  huge: Summary;
  small: Summary;
  /** Median at 40 kB over median at 10 kB: 4 when the time is linear in the length. */
  growth: number;
}

export async function runParsingBench(): Promise<BenchSection> {
  const normalCount = Math.round(HUGE_CHARS / NORMAL_MESSAGE.length);
  const cells: Cell[] = [];
  const baselines: { entryPoint: string; normal: Summary }[] = [];
  let scan: Summary | undefined;
  for (const { name, parse } of ENTRY_POINTS) {
    // Baselines: the same amount of text as normal messages, parsed one by one.
    const [normal] = sampleInterleaved([
      () => {
        let n = 0;
        for (let i = 0; i < normalCount; i++) n += JSON.stringify(parse(NORMAL_MESSAGE)).length;
        return n;
      },
    ]);
    baselines.push({ entryPoint: name, normal: normal! });
    for (const shape of SHAPES) {
      const huge = fill(shape.unit, HUGE_CHARS);
      const small = fill(shape.unit, SMALL_CHARS);
      const [hugeMs, smallMs, scanMs] = sampleInterleaved([() => parse(huge), () => parse(small), () => huge.split(/\s+/).length]);
      scan = scan && scan.median > scanMs!.median ? scan : scanMs;
      cells.push({ shape: shape.name, entryPoint: name, huge: hugeMs!, small: smallMs!, growth: hugeMs!.median / smallMs!.median });
    }
    // Let a waiting event loop (logs, timers) run between entry points.
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (sink === 42) console.log(sink);

  const worstMedian = cells.reduce((a, b) => (b.huge.median > a.huge.median ? b : a));
  const worstP95 = cells.reduce((a, b) => (b.huge.p95 > a.huge.p95 ? b : a));
  const baselineOf = (entryPoint: string): Summary => baselines.find((b) => b.entryPoint === entryPoint)!.normal;

  return {
    id: 'parsing',
    title: '4. Chat parser on 40 kB messages',
    method: [
      `Each free-text entry point the chat engine calls, on ${fmt(HUGE_CHARS)}-character messages of ${SHAPES.length} shapes (and the same shapes at ${fmt(SMALL_CHARS)} characters, to show the growth), ${SAMPLES} interleaved samples after ${WARMUP} warm-up runs, on one core.`,
      `Baselines in the same run: the same entry point on ${normalCount} normal ${NORMAL_MESSAGE.length}-character messages one after another (the same amount of text, read as people write it), and a plain linear scan of the 40 kB text (\`split(/\\s+/)\`).`,
      `Messages over ${fmt(MAX_CHAT_MESSAGE_CHARS)} characters are meant to get one sentence and not be parsed; this measures what parsing one would still cost. chrono-node reads at most the first ${fmt(MAX_CHAT_MESSAGE_CHARS)} characters.`,
    ].join(' '),
    tables: [
      {
        caption: `Time to parse one ${fmt(HUGE_CHARS)}-character message, ms (lower is better)`,
        header: ['entry point', 'shape', 'median', 'p95', 'min – max', `growth ${fmt(SMALL_CHARS)} → ${fmt(HUGE_CHARS)} chars (4× = linear)`, `vs ${normalCount} normal messages`],
        rows: cells.map((c) => [
          c.entryPoint,
          c.shape,
          fmt(c.huge.median, 2),
          fmt(c.huge.p95, 2),
          `${fmt(c.huge.min, 2)} – ${fmt(c.huge.max, 2)}`,
          `${fmt(c.growth, 1)}×`,
          `${fmt(c.huge.median / baselineOf(c.entryPoint).median, 2)}×`,
        ]),
      },
      {
        caption: 'Baselines, ms',
        header: ['baseline', 'median', 'p95', 'min – max'],
        rows: [
          ...baselines.map((b) => [`${b.entryPoint} on ${normalCount} normal messages`, fmt(b.normal.median, 2), fmt(b.normal.p95, 2), `${fmt(b.normal.min, 2)} – ${fmt(b.normal.max, 2)}`]),
          ['`split(/\\s+/)` over 40 kB (slowest shape)', fmt(scan!.median, 3), fmt(scan!.p95, 3), `${fmt(scan!.min, 3)} – ${fmt(scan!.max, 3)}`],
        ],
      },
    ],
    goals: [
      {
        goal: `every free-text parser on a ${fmt(HUGE_CHARS)}-character message under ${GOAL_MS} ms (median, every shape)`,
        measured: `slowest median ${fmt(worstMedian.huge.median, 1)} ms (${worstMedian.entryPoint}, ${worstMedian.shape}); slowest p95 ${fmt(worstP95.huge.p95, 1)} ms (${worstP95.entryPoint}, ${worstP95.shape})`,
        met: worstMedian.huge.median < GOAL_MS,
      },
    ],
    data: {
      chars: HUGE_CHARS,
      smallChars: SMALL_CHARS,
      cells: cells.map((c) => ({ entryPoint: c.entryPoint, shape: c.shape, ms: c.huge, smallMs: c.small, growth: c.growth })),
      baselines: { normalMessages: normalCount, perEntryPoint: Object.fromEntries(baselines.map((b) => [b.entryPoint, b.normal])), linearScanMs: scan },
    },
  };
}
