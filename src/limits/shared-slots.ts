import type Bottleneck from 'bottleneck';
import type { Redis } from 'ioredis';
import { ClabBotError } from '../errors.js';
import type { LabNode } from '../inventory/types.js';
import type { Logger } from '../log.js';
import { nodeKey } from '../model/node-ref.js';
import type { SlotGate } from '../ops/scheduler.js';

/** Waited too long for a device slot held by other processes (agents, replicas) sharing the limits. */
export class SharedSlotTimeoutError extends ClabBotError {
  constructor(what: string, waitedMs: number, redis: string) {
    super('shared_slot_timeout', `waited ${Math.round(waitedMs / 1000)} s for ${what} shared with the other agents and replicas${redis}`, {
      hint: 'the fleet is at limits.global_concurrency (or the node at limits.per_node_concurrency): retry later or raise the limit; a killed process gives its slots back after limits.shared_slot_lease_sec',
    });
  }
}

export interface SharedSlotsOptions {
  readonly client: Redis;
  readonly connection: Bottleneck.IORedisConnection;
  readonly Bottleneck: typeof Bottleneck;
  readonly globalConcurrency: number;
  readonly perNodeConcurrency: number;
  /** A held slot is reclaimed this long after its holder stopped renewing it (a killed process). */
  readonly leaseMs: number;
  /** Longest wait for a slot before SharedSlotTimeoutError. */
  readonly waitMs: number;
  /** How this process names a node of its own labs (an agent: its name), so every process names a device alike. */
  readonly scope: string;
  /** Redis key prefix of the limiters ("clab-bot"); tests use their own. */
  readonly prefix?: string;
  readonly logger: Logger;
}

/** Bottleneck's view of a job it runs (private fields read to keep the lease alive, see #keepLease). */
interface ScheduledJob {
  expiration?: NodeJS.Timeout;
  job: { options: { id: string } };
}

/** Renews a slot's expiry (the member of the limiter's job_expirations zset) and the limiter keys' TTL. */
const RENEW_LUA = `
if redis.call('zscore', KEYS[3], ARGV[1]) == false then return 0 end
redis.call('zadd', KEYS[3], 'XX', ARGV[2], ARGV[1])
local ttl = tonumber(ARGV[3])
if ttl > 0 then for i = 1, #KEYS do redis.call('pexpire', KEYS[i], ttl) end end
return 1`;

/** Idle node limiters (and their Redis keys) are dropped after this long. */
const NODE_LIMITER_IDLE_MS = 5 * 60_000;

/**
 * The global and per-node device concurrency held across every process that shares one Redis:
 * two clustered Bottleneck limiters (one global, one per device in a Group), each slot a Bottleneck
 * job that runs for as long as the device work holds it. A slot carries an expiration (the lease)
 * that this process renews while it works, so a slot of a killed process comes back within
 * `leaseMs`, while work longer than the lease keeps its slot. Waits are bounded by `waitMs`.
 */
export class SharedDeviceSlots implements SlotGate {
  readonly #o: SharedSlotsOptions;
  readonly #global: Bottleneck;
  readonly #nodes: Bottleneck.Group;
  readonly #tag = Math.random().toString(36).slice(2, 10);
  #seq = 0;
  #warnedInternals = false;

  constructor(o: SharedSlotsOptions) {
    this.#o = o;
    const prefix = o.prefix ?? 'clab-bot';
    const common = { datastore: 'ioredis', connection: o.connection, clearDatastore: false } as const;
    this.#global = new o.Bottleneck({ ...common, id: `${prefix}-devices`, maxConcurrent: Math.max(1, o.globalConcurrency) });
    this.#nodes = new o.Bottleneck.Group({ ...common, id: `${prefix}-device`, maxConcurrent: Math.max(1, o.perNodeConcurrency), timeout: NODE_LIMITER_IDLE_MS });
    const onError = (err: Error) => o.logger.warn({ err: err.message }, 'shared device limits: Redis error');
    this.#global.on('error', onError);
    this.#nodes.on('error', onError);
  }

  /** Applies this process's settings to the cluster (the first limiter's settings win in Redis otherwise). */
  async ready(): Promise<void> {
    await this.#global.ready();
    await this.#global.updateSettings({ maxConcurrent: Math.max(1, this.#o.globalConcurrency) });
  }

  /** The device's name across the fleet: its agent and its name there. */
  deviceKey(node: LabNode): string {
    return node.agent ? `${node.agent.agentId}:${node.agent.lab}/${node.name}` : `${this.#o.scope}:${nodeKey(node)}`;
  }

  async acquire(node: LabNode, signal?: AbortSignal): Promise<() => void> {
    const started = Date.now();
    const device = this.deviceKey(node);
    const limiter = this.#nodes.key(device);
    // A Group limiter made now gets the configured limit; an existing one in Redis keeps what it was made with.
    const releaseNode = await this.#hold(limiter, `a slot on ${device}`, started, signal, NODE_LIMITER_IDLE_MS);
    try {
      const releaseGlobal = await this.#hold(this.#global, 'a device slot', started, signal, 0);
      return () => {
        releaseGlobal();
        releaseNode();
      };
    } catch (err) {
      releaseNode();
      throw err;
    }
  }

  /** Jobs running in the whole cluster on the global limiter (for tests and status). */
  running(): Promise<number> {
    return this.#global.running();
  }

  /** Resolves with a release once `limiter` runs our job (the slot), or rejects on abort or after the wait bound. */
  #hold(limiter: Bottleneck, what: string, started: number, signal: AbortSignal | undefined, keyTtlMs: number): Promise<() => void> {
    const { leaseMs, waitMs } = this.#o;
    return new Promise<() => void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      let settled = false;
      let free!: () => void;
      const held = new Promise<void>((r) => (free = r));
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const giveUp = (err: unknown) => {
        if (settled) return;
        settled = true;
        cleanup();
        // The job may still be queued: when it runs it finds `settled` and hands the slot straight back.
        free();
        reject(err);
      };
      const onAbort = () => giveUp(signal?.reason);
      const timedOut = () => giveUp(new SharedSlotTimeoutError(what, Date.now() - started, this.#redisState()));
      const timer = setTimeout(timedOut, Math.max(1, waitMs - (Date.now() - started)));
      signal?.addEventListener('abort', onAbort, { once: true });
      const id = `${this.#tag}-${++this.#seq}`;
      limiter
        .schedule({ id, expiration: leaseMs }, async () => {
          if (settled) return;
          settled = true;
          cleanup();
          const lease = this.#keepLease(limiter, id, keyTtlMs);
          resolve(() => {
            lease.stop();
            free();
          });
          await held;
        })
        .catch((err: unknown) => {
          if (!settled) giveUp(new ClabBotError('shared_limits', `the shared device limits in Redis failed: ${(err as Error).message}`, { cause: err }));
          else this.#o.logger.warn({ err: (err as Error).message, what }, 'shared device slot ended with an error');
        });
    });
  }

  /**
   * Keeps a running slot: Bottleneck expires a job `expiration` ms after it starts, both locally (a
   * timer) and in Redis (the score in its job_expirations zset, which every limiter of the cluster
   * reclaims once passed). Work may outlast the lease, so the local timer is cleared and the Redis
   * score pushed forward every lease/3 while the work runs; a killed process stops pushing.
   */
  #keepLease(limiter: Bottleneck, id: string, keyTtlMs: number): { stop(): void } {
    const scheduled = (limiter as unknown as { _scheduled?: Record<string, ScheduledJob> })._scheduled ?? {};
    const index = Object.keys(scheduled).find((k) => scheduled[k]!.job.options.id === id);
    if (index === undefined) {
      if (!this.#warnedInternals) this.#o.logger.warn('shared device limits: cannot find the running slot to renew; work longer than limits.shared_slot_lease_sec loses it');
      this.#warnedInternals = true;
      return { stop: () => undefined };
    }
    clearTimeout(scheduled[index]!.expiration);
    const keys = limiterKeys(limiter.id);
    const renew = () => {
      this.#o.client
        .eval(RENEW_LUA, keys.length, ...keys, index, String(Date.now() + this.#o.leaseMs), String(keyTtlMs))
        .then((kept) => {
          if (kept === 0) this.#o.logger.warn({ limiter: limiter.id }, 'a shared device slot expired while its work ran (this process stalled past the lease)');
        })
        .catch((err: unknown) => this.#o.logger.warn({ err: (err as Error).message }, 'renewing a shared device slot failed; retrying'));
    };
    const timer = setInterval(renew, Math.max(50, Math.floor(this.#o.leaseMs / 3)));
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }

  #redisState(): string {
    const status = this.#o.client.status;
    return status === 'ready' ? '' : ` (Redis is unreachable: ${status})`;
  }
}

/** Bottleneck's Redis keys of a limiter, in the order its scripts take them (lib/Scripts allKeys). */
function limiterKeys(id: string): string[] {
  return ['settings', 'job_weights', 'job_expirations', 'job_clients', 'client_running', 'client_num_queued', 'client_last_registered', 'client_last_seen'].map(
    (k) => `b_${id}_${k}`,
  );
}
