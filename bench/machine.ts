/** What the benchmark ran on, printed with every result (timings mean little without it). */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, release, totalmem } from 'node:os';
import { pyezVersion } from './pyez-runner.js';

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly ramGiB: number;
  readonly kernel: string;
  readonly node: string;
  readonly pyez: string;
  readonly pyezProblem: string | undefined;
  /** Soft limit on open files of this process (children inherit it). */
  readonly openFilesLimit: number | undefined;
  readonly loadAtStart: readonly number[];
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    return line?.split(':')[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown (no /proc/cpuinfo)';
  }
}

/** Soft RLIMIT_NOFILE from /proc/self/limits (Node cannot raise it itself: use `ulimit -n` before npm run bench). */
export function openFilesLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = line?.replace('Max open files', '').trim().split(/\s+/)[0];
    return soft === undefined || soft === 'unlimited' ? undefined : Number(soft);
  } catch {
    return undefined;
  }
}

export function describeMachine(): Machine {
  const pyez = pyezVersion();
  return {
    cpus: availableParallelism(),
    cpuModel: cpuModel(),
    ramGiB: totalmem() / 1024 ** 3,
    kernel: `Linux ${release()}`,
    node: process.version,
    pyez: pyez.version ?? 'not available',
    pyezProblem: pyez.problem,
    openFilesLimit: openFilesLimit(),
    loadAtStart: loadavg(),
  };
}
