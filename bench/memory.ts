/** Benchmark 4: the bot's memory with every session pooled and over thousands of requests (see memory-worker.ts). */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { writeBotLab } from './bot-lab.js';
import { compileEntry } from './compile.js';
import type { SimFarm } from './farm-client.js';
import type { MemoryJob, MemoryReport } from './memory-worker.js';
import { slope } from './stats.js';

const WORKER = fileURLToPath(new URL('./memory-worker.ts', import.meta.url));

export interface MemoryResult extends MemoryReport {
  readonly requests: number;
  /** Least-squares growth over the samples, MB per 1000 requests. */
  readonly rssSlopeMbPer1000: number;
  readonly heapSlopeMbPer1000: number;
}

export async function benchMemory(
  farm: SimFarm,
  opts: { users?: number; requests: number; warmup: number; sampleEvery: number; concurrency: number; timeoutMs: number; log: (line: string) => void },
): Promise<MemoryResult> {
  // Many operators, each sending at most 25 (under the default 30 a minute), as a team would.
  const users = opts.users ?? Math.ceil(opts.requests / 25);
  const lab = writeBotLab(farm.sims);
  try {
    const job: MemoryJob = {
      lab: { dir: lab.dir, configFile: lab.configFile },
      names: farm.sims.map((s) => s.name),
      requests: opts.requests,
      warmup: opts.warmup,
      sampleEvery: opts.sampleEvery,
      concurrency: opts.concurrency,
      users,
    };
    opts.log(`memory: ${farm.sims.length} pooled sessions, then ${opts.requests} requests (separate process, --expose-gc)`);
    const report = await runWorker(await compileEntry(WORKER), job, opts.timeoutMs);
    if (report.failed > 0) throw new Error(`memory: ${report.failed} of ${opts.requests} requests failed`);
    const xs = report.samples.map((s) => s.requests / 1000);
    return {
      ...report,
      requests: opts.requests,
      rssSlopeMbPer1000: slope(xs, report.samples.map((s) => s.rssMb)),
      heapSlopeMbPer1000: slope(xs, report.samples.map((s) => s.heapMb)),
    };
  } finally {
    lab.remove();
  }
}

function runWorker(script: string, job: MemoryJob, timeoutMs: number): Promise<MemoryReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', script, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`memory worker ${signal ? `killed after ${timeoutMs} ms` : `exited ${code}`}: ${stderr.trim()}`));
      else resolve(JSON.parse(stdout) as MemoryReport);
    });
  });
}
