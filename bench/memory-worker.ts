/**
 * Benchmark 4, run in its own process (`node --expose-gc`) so its RSS is the bot's alone: the app
 * with 200 pooled sessions open, then thousands of one-node requests with RSS and heap sampled
 * after a forced GC every `sampleEvery` requests. Started by memory.ts; prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { requireOutcomes, startBot, type BotLab } from './bot-lab.js';
import { mb } from './stats.js';

export interface MemoryJob {
  readonly lab: Pick<BotLab, 'dir' | 'configFile'>;
  readonly names: readonly string[];
  readonly requests: number;
  readonly warmup: number;
  readonly sampleEvery: number;
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Operators the requests rotate over (the per-user rate limit counts per name). */
  readonly users: number;
}

export interface MemorySample {
  readonly requests: number;
  readonly rssMb: number;
  /** RSS split as /proc/self/status gives it (Linux): private memory, and mapped files plus shared memory. */
  readonly rssAnonMb: number | undefined;
  readonly rssFileShmemMb: number | undefined;
  readonly heapMb: number;
  /** V8 heap reserved (used + free pages it keeps). */
  readonly heapTotalMb: number;
  readonly externalMb: number;
  readonly sessionsOpen: number;
}

export interface MemoryReport {
  readonly gcForced: boolean;
  /** App started, inventory loaded, no session open. */
  readonly idle: MemorySample;
  /** After one exec on every node: all their sessions pooled. */
  readonly pooled: MemorySample;
  /** One per `sampleEvery` requests from the end of the warm-up on. */
  readonly samples: readonly MemorySample[];
  readonly elapsedMs: number;
  readonly failed: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

function sample(requests: number, sessionsOpen: number): MemorySample {
  // Twice: the first pass may only queue finalizers that free more on the second.
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  const status = procStatusKb();
  const anon = status.get('RssAnon');
  const fileShmem = status.has('RssFile') ? (status.get('RssFile') ?? 0) + (status.get('RssShmem') ?? 0) : undefined;
  return {
    requests,
    rssMb: mb(m.rss),
    rssAnonMb: anon === undefined ? undefined : anon / 1024,
    rssFileShmemMb: fileShmem === undefined ? undefined : fileShmem / 1024,
    heapMb: mb(m.heapUsed),
    heapTotalMb: mb(m.heapTotal),
    externalMb: mb(m.external),
    sessionsOpen,
  };
}

/** `Name: N kB` lines of /proc/self/status; empty where there is none. */
function procStatusKb(): Map<string, number> {
  try {
    const lines = readFileSync('/proc/self/status', 'utf8').split('\n');
    return new Map(lines.map((l) => /^(\w+):\s+(\d+) kB$/.exec(l)).filter((x) => x !== null).map((x) => [x[1]!, Number(x[2])]));
  } catch {
    return new Map();
  }
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '') as MemoryJob;
  const bot = await startBot({ ...job.lab, remove: () => undefined });
  const t0 = performance.now();
  try {
    const idle = sample(0, bot.app.pool.stats().open);
    requireOutcomes(await bot.run(`exec --nodes ${job.names.join(',')} show version`), job.names.length);
    const pooled = sample(0, bot.app.pool.stats().open);

    const samples: MemorySample[] = [];
    let next = 0;
    let failed = 0;
    let batchEnd = 0;
    const one = async (): Promise<void> => {
      for (;;) {
        const i = next++;
        if (i >= batchEnd) return;
        const result = await bot.run(`exec ${job.names[i % job.names.length]} show version`, `op${i % job.users}`);
        if (result.kind !== 'exec' || result.outcomes.some((o) => o.status !== 'ok')) failed += 1;
      }
    };
    while (batchEnd < job.requests) {
      batchEnd = Math.min(job.requests, batchEnd + job.sampleEvery);
      await Promise.all(Array.from({ length: job.concurrency }, one));
      if (batchEnd >= job.warmup) samples.push(sample(batchEnd, bot.app.pool.stats().open));
    }
    const report: MemoryReport = { gcForced: gc !== undefined, idle, pooled, samples, elapsedMs: performance.now() - t0, failed };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await bot.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`memory-worker: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
