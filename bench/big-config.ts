/**
 * Benchmark 5: a 2 MB configuration (under the bot's 2 MiB file limit) planned and committed on one
 * simulated device, while a second device of the same simulator process answers `show version` in
 * a loop. Measures the plan and the commit, the simulator process's CPU for both, and the worst
 * reply time of the other device meanwhile (all devices of a simulator share one event loop).
 */
import { JunosDriver } from '../src/drivers/junos/junos-driver.js';
import { bigJunosConfig } from '../test/helpers/junos-big-config.js';
import { makeNode } from '../test/helpers/nodes.js';
import { startSimFarm } from './farm-client.js';

export interface BigConfigRow {
  readonly bytes: number;
  readonly planMs: number;
  readonly applyMs: number;
  /** CPU of the simulator process (both devices) during plan + apply. */
  readonly farmCpuMs: number;
  /** Replies the other device gave during plan + apply, and the slowest of them. */
  readonly otherReplies: number;
  readonly otherMaxMs: number;
  /** How the other device's calls failed meanwhile (a timeout, a lost session), if they did. */
  readonly otherFailures: readonly string[];
}

export interface BigConfigOptions {
  readonly bytes: number;
  readonly log: (line: string) => void;
}

/** Generous: the regression kept the simulator busy for over a minute. */
const CALL_TIMEOUT_MS = 120_000;

export async function benchBigConfig(options: BigConfigOptions): Promise<BigConfigRow> {
  const text = bigJunosConfig(options.bytes, 'vbig1');
  const bytes = Buffer.byteLength(text);
  options.log(`starting 2 simulated devices for the ${(bytes / 1e6).toFixed(1)} MB configuration`);
  const farm = await startSimFarm({ count: 2, latencyMs: 0, prefix: 'vbig', firstOctet: 9, port: 0 });
  const [a, b] = farm.sims as [(typeof farm.sims)[0], (typeof farm.sims)[0]];
  const big = new JunosDriver(makeNode({ lab: 'bench', name: a.name, host: a.host, port: a.port }));
  const other = new JunosDriver(makeNode({ lab: 'bench', name: b.name, host: b.host, port: b.port }));
  try {
    await Promise.all([big.open(), other.open()]);
    // Warm-up (JIT of the simulator's parser and of the driver): a small plan and a few execs.
    await big.plan({ type: 'text', content: bigJunosConfig(50_000, 'vbig1') }, 'merge');
    for (let i = 0; i < 3; i++) await other.exec('show version');

    let running = true;
    let otherReplies = 0;
    let otherMaxMs = 0;
    const otherFailures: string[] = [];
    const poll = (async () => {
      while (running && otherFailures.length < 5) {
        const t0 = performance.now();
        try {
          await other.exec('show version', { timeoutMs: CALL_TIMEOUT_MS });
          otherReplies++;
        } catch (err) {
          otherFailures.push(err instanceof Error ? err.message : String(err));
          if (!other.isAlive()) await other.open().catch(() => undefined);
        }
        otherMaxMs = Math.max(otherMaxMs, performance.now() - t0);
      }
    })();
    const cpu0 = await farm.cpuMs();
    const source = { type: 'text' as const, content: text };
    options.log('planning the 2 MB configuration');
    const t0 = performance.now();
    const plan = await big.plan(source, 'merge', { timeoutMs: CALL_TIMEOUT_MS });
    const t1 = performance.now();
    options.log('committing it');
    const result = await big.apply(source, { method: 'merge', expectDiffHash: plan.diffHash, timeoutMs: CALL_TIMEOUT_MS }).finally(() => {
      running = false;
    });
    const t2 = performance.now();
    await poll;
    const cpu1 = await farm.cpuMs();
    if (!result.committed) throw new Error('the 2 MB configuration was not committed');
    return { bytes, planMs: t1 - t0, applyMs: t2 - t1, farmCpuMs: cpu1 - cpu0, otherReplies, otherMaxMs, otherFailures };
  } finally {
    await Promise.allSettled([big.close(), other.close()]);
    await farm.close();
  }
}
