/**
 * Benchmark 7: an exec on 60 nodes each answering 10 MB (the case that threw RangeError
 * and blocked the event loop). Runs the core's exec path (fan-out, redaction, output limits) over
 * scripted devices and measures the total time, the longest the event loop was held (what an
 * other user's Slack ack would wait) and what was kept.
 */
import { DEFAULT_OUTPUT_LIMITS } from '../src/ops/exec-output.js';
import { execOnNodes } from '../src/ops/device-ops.js';
import { Scheduler } from '../src/ops/scheduler.js';
import { makeNode } from '../test/helpers/nodes.js';
import { ScriptedDevice, scriptedDriver } from '../test/helpers/scripted-driver.js';

export interface HugeOutputRow {
  readonly nodes: number;
  readonly bytesPerNode: number;
  readonly totalMs: number;
  /** The longest the event loop went without running a 5 ms timer. */
  readonly maxLoopGapMs: number;
  readonly keptBytes: number;
  readonly cutNodes: number;
}

const LINE = 'Dec  6 21:00:00  r1 rpd[1234]: bgp_read_message: peer 10.0.0.1 (External AS 65001): received update\n';

export async function benchHugeOutput(opts: { readonly nodes: number; readonly mb: number; readonly log: (line: string) => void }): Promise<HugeOutputRow> {
  const output = LINE.repeat(Math.ceil((opts.mb * 1024 * 1024) / LINE.length));
  const nodes = Array.from({ length: opts.nodes }, (_, i) => makeNode({ lab: 'bench', name: `h${i + 1}`, host: '127.0.0.1' }));
  const scheduler = new Scheduler({ globalConcurrency: 64, perNodeConcurrency: 1 });
  const access = {
    scheduler,
    withDriver: async <T>(node: (typeof nodes)[number], fn: (d: ReturnType<typeof scriptedDriver>) => Promise<T>) => {
      const device = new ScriptedDevice(node.name);
      device.execOutput = () => output;
      const driver = scriptedDriver(node, device);
      await driver.open();
      return fn(driver);
    },
  };
  opts.log(`exec on ${opts.nodes} scripted nodes answering ${opts.mb} MB each`);
  let last = performance.now();
  let maxGap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, 5);
  const started = performance.now();
  try {
    const outcomes = await execOnNodes(access, nodes, 'show log messages', 'text', { limits: DEFAULT_OUTPUT_LIMITS });
    const totalMs = performance.now() - started;
    return {
      nodes: opts.nodes,
      bytesPerNode: Buffer.byteLength(output),
      totalMs,
      maxLoopGapMs: maxGap,
      keptBytes: outcomes.reduce((sum, o) => sum + Buffer.byteLength(o.value?.output ?? ''), 0),
      cutNodes: outcomes.filter((o) => o.value?.cut).length,
    };
  } finally {
    clearInterval(timer);
    await scheduler.stop();
  }
}
