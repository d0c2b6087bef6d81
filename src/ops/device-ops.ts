import { nodeKey } from '../model/node-ref.js';
import { sourceForNode, type ConfigSource } from '../model/config-source.js';
import type { ConfigMethod, ExecResult, OutputFormat, Plan, Driver } from '../drivers/contract.js';
import type { LabNode } from '../inventory/types.js';
import { learnSecrets } from '../redact/index.js';
import { DEFAULT_OUTPUT_LIMITS, keepOutput, learnNodeSecrets, nodeShare, type OutputLimits } from './exec-output.js';
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

/**
 * `exec`: one operational command on every node, streamed as nodes finish. Each node's output is
 * redacted and cut to its share of the output limits as it arrives (exec-output.ts), so a result
 * never holds a secret nor more than the limits allow; `totalNodes` is the request's node count
 * the share is computed from (several fan-outs may make up one request).
 */
export function execOnNodes(
  access: DeviceAccess,
  nodes: readonly LabNode[],
  command: string,
  format: OutputFormat,
  opts: StreamOptions<ExecResult> & { readonly limits?: OutputLimits; readonly totalNodes?: number } = {},
): Promise<NodeOutcome<ExecResult>[]> {
  const guard = { shareBytes: nodeShare(opts.limits ?? DEFAULT_OUTPUT_LIMITS, opts.totalNodes ?? nodes.length) };
  return fanOut(
    access.scheduler,
    nodes,
    async (node, signal) => {
      const result = await access.withDriver(
        node,
        async (d) => {
          await learnNodeSecrets(d, command, signal);
          return d.exec(command, { format, signal, ...(opts.perNodeTimeoutMs ? { timeoutMs: opts.perNodeTimeoutMs } : {}) });
        },
        { signal },
      );
      // Outside the session: redacting a long output must not hold the node's slot.
      return keepOutput(result, guard, [node.credentials.password]);
    },
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
  // The config to load and each diff hold the secrets the change sets: known to value masking from here on.
  if (source.type === 'text') learnSecrets(source.content);
  if (source.type === 'template') for (const r of Object.values(source.rendered)) learnSecrets(r.content);
  return fanOut(
    access.scheduler,
    nodes,
    async (node, signal) => {
      const plan = await access.withDriver(node, (d) => d.plan(sourceForNode(source, nodeKey(node)), method, { signal }), { signal });
      learnSecrets(plan.diff);
      return plan;
    },
    opts,
  );
}
