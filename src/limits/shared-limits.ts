import Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';
import { ClabBotError } from '../errors.js';
import type { Logger } from '../log.js';
import type { RateLimiter } from '../ops/rate-limit.js';
import { describeRedis, type Settings } from '../settings.js';
import { SharedUserRateLimiter } from './shared-rate-limit.js';
import { SharedDeviceSlots } from './shared-slots.js';

/**
 * The limits every process sharing one Redis holds together (with CLAB_BOT_REDIS): device
 * concurrency (global and per node), the per-user rate limits, and Slack's per-channel pacing
 * (its Bottleneck connection is handed to the ChannelPacer). Loaded only in that mode.
 */
export interface SharedLimits {
  readonly deviceSlots: SharedDeviceSlots;
  readonly requests: RateLimiter;
  readonly nodes: RateLimiter;
  /** The clustered Bottleneck connection (for Slack's ChannelPacer). */
  readonly bottleneck: { readonly connection: Bottleneck.IORedisConnection };
  close(): Promise<void>;
}

export interface OpenSharedLimitsOptions {
  readonly redisUrl: string;
  readonly limits: Settings['limits'];
  /** How this process names the nodes of its own labs (an agent: its name). */
  readonly scope: string;
  readonly logger: Logger;
  /** Redis key prefix; tests give each their own. */
  readonly prefix?: string;
}

export async function openSharedLimits(o: OpenSharedLimitsOptions): Promise<SharedLimits> {
  // No offline queue: with Redis gone a limit check fails at once with a clear message instead of hanging.
  const client = new Redis(o.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: (times: number) => Math.min(times * 200, 2000) });
  let lastError = '';
  client.on('error', (err: Error) => {
    if (err.message !== lastError) o.logger.warn({ err: err.message, redis: describeRedis(o.redisUrl) }, 'shared limits: Redis connection error');
    lastError = err.message;
  });
  client.on('ready', () => (lastError = ''));
  try {
    await waitReady(client, 10_000);
  } catch (err) {
    client.disconnect();
    throw new ClabBotError('redis_unreachable', `cannot reach Redis at ${describeRedis(o.redisUrl)} for the shared limits: ${(err as Error).message}`, {
      hint: 'start Redis or fix CLAB_BOT_REDIS; without Redis unset it to run as one process',
    });
  }
  const connection = new Bottleneck.IORedisConnection({ client, Redis });
  connection.on('error', () => undefined);
  await connection.ready;
  recoverAfterRedisRestart(client);
  const reached = guardRedis(o.redisUrl);
  const deviceSlots = new SharedDeviceSlots({
    client,
    connection,
    Bottleneck,
    globalConcurrency: o.limits.global_concurrency,
    perNodeConcurrency: o.limits.per_node_concurrency,
    leaseMs: o.limits.shared_slot_lease_sec * 1000,
    waitMs: o.limits.shared_slot_wait_sec * 1000,
    scope: o.scope,
    logger: o.logger,
    ...(o.prefix === undefined ? {} : { prefix: o.prefix }),
  });
  await deviceSlots.ready();
  const prefix = o.prefix === undefined ? {} : { prefix: o.prefix };
  const requests = new SharedUserRateLimiter(client, {
    budget: 'requests',
    perMinute: o.limits.per_user_per_minute,
    what: `start ${o.limits.per_user_per_minute} requests`,
    ...prefix,
  });
  const nodes = new SharedUserRateLimiter(client, {
    budget: 'nodes',
    perMinute: o.limits.per_user_nodes_per_minute,
    what: `touch ${o.limits.per_user_nodes_per_minute} nodes`,
    ...prefix,
  });
  return {
    deviceSlots,
    requests: { take: (user, cost) => reached(requests.take(user, cost)) },
    nodes: { take: (user, cost) => reached(nodes.take(user, cost)) },
    bottleneck: { connection },
    async close() {
      // Ends every limiter on the connection (their heartbeats, subscriptions) with the two clients.
      await connection.disconnect(false);
      client.disconnect();
    },
  };
}

/** A rate-limit check that failed on Redis itself (not a refusal) says so and how to fix it. */
function guardRedis(url: string) {
  return async (take: Promise<void>): Promise<void> => {
    try {
      await take;
    } catch (err) {
      if (err instanceof ClabBotError) throw err;
      throw new ClabBotError('redis_unreachable', `the shared rate limits cannot be checked: Redis at ${describeRedis(url)} did not answer (${(err as Error).message})`, {
        hint: 'retry once Redis is back; nothing was started',
        cause: err,
      });
    }
  };
}

/** Bottleneck's scripts (lib/Scripts.js), as the connection defines them on the client. */
const BOTTLENECK_SCRIPTS = [
  'init', 'group_check', 'register_client', 'blacklist_client', 'heartbeat', 'update_settings', 'running', 'queued', 'done',
  'check', 'submit', 'register', 'free', 'current_reservoir', 'increment_reservoir',
];

/**
 * After Redis restarts empty, Bottleneck re-creates a limiter's keys when a script answers
 * SETTINGS_KEY_NOT_FOUND or UNKNOWN_CLIENT; Redis 7 prefixes errors raised in scripts with "ERR ",
 * which Bottleneck 2.19 does not expect (every slot would fail until the process restarts). The
 * client's script commands hand Bottleneck the bare message.
 */
function recoverAfterRedisRestart(client: Redis): void {
  const commands = client as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of BOTTLENECK_SCRIPTS) {
    const original = commands[name];
    if (typeof original !== 'function') continue;
    commands[name] = (...args: unknown[]) => {
      const cb = args[args.length - 1];
      if (typeof cb === 'function') {
        args[args.length - 1] = (err: Error | null, result: unknown) => {
          if (err && /^ERR (SETTINGS_KEY_NOT_FOUND|UNKNOWN_CLIENT)$/.test(err.message)) err.message = err.message.slice(4);
          (cb as (e: Error | null, r: unknown) => void)(err, result);
        };
      }
      return original.apply(client, args);
    };
  }
}

function waitReady(client: Redis, ms: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error(`no answer in ${ms / 1000} s (${client.status})`));
    }, ms);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}
