import type { ConfigMethod, ConfigSource, ExecResult, OutputFormat, Plan, Driver } from '../drivers/contract.js';
import type { LabNode } from '../inventory/types.js';
import { fanOut } from './fan-out.js';
import type { NodeOutcome } from './outcome.js';
import type { Scheduler } from './scheduler.js';

/** What the device operations need: a way to borrow a pooled driver, and the scheduler. */
export interface DeviceAccess {
  readonly scheduler: Scheduler;
  withDriver<T>(node: LabNode, fn: (driver: Driver) => Promise<T>, opts?: { signal?: AbortSignal }): Promise<T>;
}

export interface StreamOptions<T> {
  readonly signal?: AbortSignal;
  readonly perNodeTimeoutMs?: number;
  readonly deadlineMs?: number;
  readonly onOutcome?: (outcome: NodeOutcome<T>, done: number, total: number) => void;
}

/** `exec`: one operational command on every node, streamed as nodes finish. */
export function execOnNodes(
  access: DeviceAccess,
  nodes: readonly LabNode[],
  command: string,
  format: OutputFormat,
  opts: StreamOptions<ExecResult> = {},
): Promise<NodeOutcome<ExecResult>[]> {
  return fanOut(
    access.scheduler,
    nodes,
    (node, signal) =>
      access.withDriver(node, (d) => d.exec(command, { format, signal, ...(opts.perNodeTimeoutMs ? { timeoutMs: opts.perNodeTimeoutMs } : {}) }), { signal }),
    opts,
  );
}

/** `config --dry-run`: plan (load, diff, check, discard) on every node; the devices are left unchanged. */
export function planOnNodes(
  access: DeviceAccess,
  nodes: readonly LabNode[],
  source: ConfigSource,
  method: ConfigMethod,
  opts: StreamOptions<Plan> = {},
): Promise<NodeOutcome<Plan>[]> {
  return fanOut(access.scheduler, nodes, (node, signal) => access.withDriver(node, (d) => d.plan(source, method, { signal }), { signal }), opts);
}
