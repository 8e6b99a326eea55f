import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, release, totalmem, type } from 'node:os';

export interface MachineDescription {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  /** 1-minute load average when the run started: other work on the machine skews every number. */
  loadAverage: number;
  postgres?: string;
  temporalCli?: string;
}

/** The machine the numbers come from: they mean little without it. */
export function describeMachine(): MachineDescription {
  return {
    nproc: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${type()} ${release()}`,
    node: process.version,
    loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** `temporal --version`, first line, or undefined when the CLI does not answer. */
export function temporalCliVersion(cliPath: string): string | undefined {
  try {
    return execFileSync(cliPath, ['--version'], { encoding: 'utf8', timeout: 10_000 }).split('\n')[0]?.trim();
  } catch {
    return undefined;
  }
}
