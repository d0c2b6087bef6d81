import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { ExecResult, OutputFormat } from '../drivers/contract.js';
import type { LabNode } from '../inventory/types.js';
import type { Logger } from '../log.js';
import { nodeKey } from '../model/node-ref.js';
import type { ExecDispatcher, ExecOptions } from '../ops/exec-dispatch.js';
import type { NodeOutcome, OutcomeError } from '../ops/outcome.js';
import type { AgentsRepo } from './agents-repo.js';
import { RedisUnavailableError, type RedisLink } from './redis-link.js';
import { agentInboxKey, SESSION_KEY_TTL_SEC, type InboxMessage } from './session-wire.js';
import { placementOf } from './fleet-inventory.js';
import { agentQueueName, resultStreamKey, type ExecJob, type StreamEntry, type WireOutcome } from './wire.js';

/** One agent's job of a request, while its results are read. */
interface Pending {
  readonly agentId: string;
  readonly jobId: string;
  readonly host: string;
  readonly nodes: Map<string, LabNode>;
  lastId: string;
}

export interface AgentDispatcherOptions {
  /** The bot's Redis client (shared with the remote driver sessions; closed by its owner). */
  readonly link: RedisLink;
  readonly repo: AgentsRepo;
  readonly heartbeatMs: number;
  readonly lostAfterMs: number;
  readonly logger: Logger;
}

/**
 * `exec` through the agents: the nodes are grouped by the agent that owns them, each group is one
 * BullMQ job on that agent's queue, and the per-node results come back on the job's Redis stream
 * as they finish. While waiting, the owners' heartbeats are read: an agent silent for
 * lost_after_sec ends its nodes' work "agent lost", and the other agents' results still arrive.
 */
export class AgentExecDispatcher implements ExecDispatcher {
  readonly #o: AgentDispatcherOptions;
  readonly #queues = new Map<string, Queue>();
  /** BullMQ leaves a connection it was given open on close: these are ended here. */
  readonly #connections: Redis[] = [];

  constructor(opts: AgentDispatcherOptions) {
    this.#o = opts;
  }

  async exec(nodes: readonly LabNode[], command: string, format: OutputFormat, opts: ExecOptions): Promise<NodeOutcome<ExecResult>[]> {
    const client = await this.#o.link.reachable();
    const byAgent = new Map<string, LabNode[]>();
    for (const n of nodes) {
      const agent = placementOf(n).agentId;
      byAgent.set(agent, [...(byAgent.get(agent) ?? []), n]);
    }
    const outcomes = new Map<string, NodeOutcome<ExecResult>>();
    let done = 0;
    const settle = (o: NodeOutcome<ExecResult>) => {
      const key = nodeKey(o.node);
      if (outcomes.has(key)) return;
      outcomes.set(key, o);
      done += 1;
      opts.onOutcome?.(o, done, nodes.length);
    };

    // Every job is queued before any result is read: the streams are read from their start, so none is missed.
    const pending = new Map<string, Pending>();
    for (const [agentId, group] of byAgent) {
      const placement = placementOf(group[0]!);
      if (!placement.alive) {
        for (const n of group) settle(lost(n, placement.host, placement.heartbeatAgeMs));
        continue;
      }
      const jobId = randomUUID();
      const job: ExecJob = {
        kind: 'exec',
        requestId: jobId,
        command,
        format,
        nodes: group.map((n) => nodeKey({ lab: placementOf(n).lab, name: n.name })),
        perNodeTimeoutMs: opts.perNodeTimeoutMs,
        deadlineMs: opts.deadlineMs ?? 300_000,
        limits: opts.limits,
        totalNodes: opts.totalNodes ?? nodes.length,
        resultStream: resultStreamKey(jobId),
      };
      try {
        await this.#queue(client, agentId).add('exec', job, { jobId, removeOnComplete: true, removeOnFail: true, attempts: 1 });
      } catch (err) {
        throw new RedisUnavailableError(this.#o.link.url, (err as Error).message);
      }
      pending.set(job.resultStream, {
        agentId,
        jobId,
        host: placement.host,
        nodes: new Map(group.map((n) => [nodeKey({ lab: placementOf(n).lab, name: n.name }), n])),
        lastId: '0',
      });
    }
    if (pending.size > 0) {
      // Cancel reaches the agents: each aborts its job, and the nodes still running end cancelled.
      const cancel = () => {
        for (const p of pending.values()) {
          const inbox = agentInboxKey(p.agentId);
          const msg: InboxMessage = { t: 'cancel-job', job: p.jobId };
          client.multi().rpush(inbox, JSON.stringify(msg)).expire(inbox, SESSION_KEY_TTL_SEC).exec().catch(() => undefined);
        }
      };
      opts.signal?.addEventListener('abort', cancel, { once: true });
      try {
        await this.#follow(client, pending, settle, opts);
      } finally {
        opts.signal?.removeEventListener('abort', cancel);
      }
    }
    return nodes.map((n) => outcomes.get(nodeKey(n))!);
  }

  /** Reads the results streams until every node has an outcome, checking the owners' heartbeats between reads. */
  async #follow(
    base: Redis,
    pending: Map<string, Pending>,
    settle: (o: NodeOutcome<ExecResult>) => void,
    opts: ExecOptions,
  ): Promise<void> {
    // A blocking read holds its connection: one of its own per request.
    // No reconnecting: a connection lost mid-read ends the wait with "lost contact with Redis".
    const reader = base.duplicate({ maxRetriesPerRequest: 1, enableOfflineQueue: true, retryStrategy: () => null });
    reader.on('error', () => undefined);
    const giveUpAt = Date.now() + (opts.deadlineMs ?? 300_000) + this.#o.lostAfterMs;
    const finish = (stream: string, why: (n: LabNode) => NodeOutcome<ExecResult>) => {
      const p = pending.get(stream);
      if (!p) return;
      for (const n of p.nodes.values()) settle(why(n));
      pending.delete(stream);
    };
    try {
      while (pending.size > 0) {
        const streams = [...pending.keys()];
        let reply: [string, [string, string[]][]][] | null;
        try {
          reply = (await reader.xread('BLOCK', Math.max(100, Math.floor(this.#o.heartbeatMs)), 'STREAMS', ...streams, ...streams.map((s) => pending.get(s)!.lastId))) as
            | [string, [string, string[]][]][]
            | null;
        } catch (err) {
          const reason = (err as Error).message;
          for (const s of streams) finish(s, (n) => failed(n, 'redis_lost', `lost contact with Redis while waiting for this node's result (${reason}): its result is unknown`));
          return;
        }
        for (const [stream, entries] of reply ?? []) {
          const p = pending.get(stream);
          if (!p) continue;
          for (const [id, fields] of entries) {
            p.lastId = id;
            const entry = JSON.parse(fields[1] ?? '{}') as StreamEntry;
            if (entry.type === 'outcome') {
              const n = p.nodes.get(entry.outcome.key);
              if (n) {
                settle(fromWire(n, entry.outcome));
                p.nodes.delete(entry.outcome.key);
              }
            } else if (entry.type === 'failed') {
              finish(stream, (n) => failed(n, 'agent_failed', `agent ${p.host} could not run the request: ${entry.message}`));
            } else {
              finish(stream, (n) => failed(n, 'agent_failed', `agent ${p.host} finished without a result for this node`));
            }
          }
          if (p.nodes.size === 0) pending.delete(stream);
        }
        if (pending.size === 0) return;
        // Between reads: is each owner still alive?
        const ages = new Map((await this.#o.repo.agents()).map((a) => [a.id, a.heartbeatAgeMs]));
        for (const [stream, p] of [...pending]) {
          const age = ages.get(p.agentId);
          if (age === undefined || age > this.#o.lostAfterMs) finish(stream, (n) => lost(n, p.host, age));
        }
        if (opts.signal?.aborted || Date.now() > giveUpAt) {
          for (const s of [...pending.keys()]) finish(s, (n) => failed(n, 'cancelled', 'the request ended before this node answered', 'cancelled'));
        }
      }
    } finally {
      reader.disconnect();
    }
  }

  #queue(client: Redis, agentId: string): Queue {
    let q = this.#queues.get(agentId);
    if (q === undefined) {
      // Redis answered the ping just before: a command queued while this connection opens is sent, not refused.
      const connection = client.duplicate({ maxRetriesPerRequest: 1, enableOfflineQueue: true });
      connection.on('error', () => undefined);
      this.#connections.push(connection);
      q = new Queue(agentQueueName(agentId), { connection });
      q.on('error', (err: Error) => this.#o.logger.debug({ err: err.message }, 'agent queue error'));
      this.#queues.set(agentId, q);
    }
    return q;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#queues.values()].map((q) => q.close().catch(() => undefined)));
    this.#queues.clear();
    for (const c of this.#connections.splice(0)) c.disconnect();
  }
}

function fromWire(node: LabNode, w: WireOutcome): NodeOutcome<ExecResult> {
  return { node, status: w.status, value: w.value, error: w.error, durationMs: w.durationMs, startedAt: new Date(w.startedAt) };
}

function failed(node: LabNode, code: string, message: string, status: NodeOutcome<ExecResult>['status'] = 'failed'): NodeOutcome<ExecResult> {
  const error: OutcomeError = { code, message, deviceErrors: [] };
  return { node, status, value: undefined, error, durationMs: 0, startedAt: new Date() };
}

function lost(node: LabNode, host: string, ageMs: number | undefined): NodeOutcome<ExecResult> {
  const since = ageMs === undefined ? 'it left the fleet' : `no heartbeat for ${Math.round(ageMs / 1000)} s`;
  return failed(node, 'agent_lost', `agent lost: ${host} (${since}); this node's result is unknown`);
}
