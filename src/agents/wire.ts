import type { ExecResult, OutputFormat } from '../drivers/contract.js';
import type { OutputLimits } from '../ops/exec-output.js';
import type { NodeOutcome, NodeStatus, OutcomeError } from '../ops/outcome.js';

/**
 * What travels between the bot (serve, a terminal verb) and an agent: a BullMQ job on the agent's
 * queue, and per-node results on a Redis stream of that job. Nodes are named as the agent knows
 * them (`lab/node`); results carry no node record and no credentials.
 */
export interface ExecJob {
  readonly kind: 'exec';
  readonly requestId: string;
  readonly command: string;
  readonly format: OutputFormat;
  /** `lab/node` keys on the agent. */
  readonly nodes: readonly string[];
  readonly perNodeTimeoutMs: number | undefined;
  readonly deadlineMs: number;
  readonly limits: OutputLimits | undefined;
  /** The request's node count across all agents: each node's share of the output limits. */
  readonly totalNodes: number;
  /** The Redis stream this job's results go to. */
  readonly resultStream: string;
}

/** One node's outcome on the wire. */
export interface WireOutcome {
  readonly key: string;
  readonly status: NodeStatus;
  readonly value: ExecResult | undefined;
  readonly error: OutcomeError | undefined;
  readonly durationMs: number;
  readonly startedAt: string;
}

/** Stream entries: one `outcome` per node as it finishes, then `done` (or `failed` when the job could not run). */
export type StreamEntry = { readonly type: 'outcome'; readonly outcome: WireOutcome } | { readonly type: 'done' } | { readonly type: 'failed'; readonly message: string };

/** The queue an agent takes its work from (BullMQ queue names may not hold ':'). */
export function agentQueueName(agentId: string): string {
  return `clab-bot-agent-${agentId}`;
}

export function resultStreamKey(jobId: string): string {
  return `clab-bot:results:${jobId}`;
}

/** Results streams outlive a request that stopped reading them by this long, then Redis drops them. */
export const RESULT_STREAM_TTL_SEC = 3600;

export function toWire(o: NodeOutcome<ExecResult>, key: string): WireOutcome {
  return { key, status: o.status, value: o.value, error: o.error, durationMs: o.durationMs, startedAt: o.startedAt.toISOString() };
}

/** An agent's name: letters, digits, '.', '_' and '-' (it names a queue and a host in `host:lab/node`). */
export const AGENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
