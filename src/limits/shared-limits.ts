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
