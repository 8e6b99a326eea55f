import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { temporalCliPath } from '../src/temporal/tools';
import { describeMachine, temporalCliVersion } from './support/machine';
import { startBenchPostgres, type BenchPostgres } from './support/postgres';
import { renderSection, renderTable, type BenchSection } from './support/report';
import { runParsingBench } from './parsing/parser';
import { runRankingBench } from './ranking/ranking';
import { runReservationBench } from './reservation/reservation';
import { runSeriesBench } from './reservation/series';
import { runWorkflowBench } from './workflow/workflow';

const ROOT = join(import.meta.dirname, '..');
const BENCHES: Record<string, (postgres: BenchPostgres) => Promise<BenchSection>> = {
  ranking: runRankingBench,
  reservation: runReservationBench,
  workflow: runWorkflowBench,
  parsing: runParsingBench,
  series: runSeriesBench,
};

function renderReport(sections: BenchSection[], machine: ReturnType<typeof describeMachine>, startedAt: Date, seconds: number): string {
  const machineTable = renderTable({
    caption: 'Machine',
    header: ['nproc', 'CPU', 'memory', 'OS', 'Node', 'PostgreSQL', 'Temporal', 'load average at start'],
    rows: [[String(machine.nproc), machine.cpuModel, `${machine.memoryGiB} GiB`, machine.os, machine.node, machine.postgres ?? '?', machine.temporalCli ?? '?', String(machine.loadAverage)]],
  });
  const goals = sections.flatMap((s) => s.goals.map((g) => [s.title, g.goal, g.measured, g.met ? 'met' : '**not met**']));
  return [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` (bench/) on ${startedAt.toISOString().slice(0, 10)}; the run took ${Math.round(seconds)} s. Raw numbers: \`bench/results/latest.json\` (not committed).`,
    'Every benchmark starts its own embedded PostgreSQL (fsync off, as in the tests) and, where needed, its own Temporal dev server, and compares against a baseline measured in the same run, interleaved where possible. Medians with spread (min – max, IQR) and tails; ratios are of medians. The service logs nothing while measured.',
    '',
    machineTable,
    '',
    renderTable({ caption: 'Goals from issues 7, 11 and 12', header: ['benchmark', 'goal', 'measured', 'result'], rows: goals }),
    '',
    ...sections.map(renderSection),
  ].join('\n');
}

export async function runBenchmarks(args: string[]): Promise<void> {
  const selected = args.length > 0 ? args : Object.keys(BENCHES);
  const unknown = selected.filter((name) => !(name in BENCHES));
  if (unknown.length > 0) throw new Error(`Unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`);

  const startedAt = new Date();
  const machine = describeMachine();
  machine.temporalCli = temporalCliVersion(temporalCliPath());
  const postgres = await startBenchPostgres();
  const sections: BenchSection[] = [];
  try {
    machine.postgres = await postgres.version();
    for (const name of selected) {
      console.log(`== ${name}`);
      const section = await BENCHES[name]!(postgres);
      console.log(renderSection(section));
      sections.push(section);
    }
  } finally {
    await postgres.stop();
  }
  const seconds = (Date.now() - startedAt.getTime()) / 1000;
  const resultsDir = join(ROOT, 'bench', 'results');
  await mkdir(resultsDir, { recursive: true });
  const json = { startedAt: startedAt.toISOString(), seconds, machine, benchmarks: Object.fromEntries(sections.map((s) => [s.id, { goals: s.goals, ...s.data }])) };
  await writeFile(join(resultsDir, 'latest.json'), `${JSON.stringify(json, null, 2)}\n`);
  // The committed report shows a complete run only.
  if (selected.length === Object.keys(BENCHES).length) {
    await writeFile(join(ROOT, 'BENCHMARKS.md'), renderReport(sections, machine, startedAt, seconds));
    console.log('Wrote BENCHMARKS.md and bench/results/latest.json');
  } else {
    console.log('Wrote bench/results/latest.json (BENCHMARKS.md is written by a full run)');
  }
}
