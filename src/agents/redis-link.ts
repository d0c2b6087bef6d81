import { Redis } from 'ioredis';
import { ClabBotError } from '../errors.js';
import type { Logger } from '../log.js';
import { describeRedis } from '../settings.js';

/** Redis is needed for new device work and is not there: nothing was queued. */
export class RedisUnavailableError extends ClabBotError {
  constructor(url: string, reason: string) {
    super('redis_unavailable', `cannot reach Redis at ${describeRedis(url)} (${reason}): device work through the agents is refused until it answers`, {
      hint: 'start Redis or fix CLAB_BOT_REDIS, then run the command again; nothing was sent to any node',
    });
  }
}

/**
 * The bot's one Redis client towards the agents (exec jobs and remote driver sessions share it).
 * reachable() is asked before any device work: Redis not answering refuses the work before
 * anything is sent, and the client reconnects in the background, so work is accepted again once
 * Redis is back.
 */
export class RedisLink {
  readonly url: string;
  readonly #logger: Logger;
  #client: Redis | undefined;
  /** The first connect, shared: callers at the same moment (a fan-out's nodes) all wait for it. */
  #connecting: Promise<void> | undefined;

  constructor(url: string, logger: Logger) {
    this.url = url;
    this.#logger = logger;
  }

  /** The shared client, answering now; else RedisUnavailableError. */
  async reachable(): Promise<Redis> {
    if (this.#client === undefined) {
      this.#client = new Redis(this.url, {
        lazyConnect: true,
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false,
        connectTimeout: 3000,
        retryStrategy: (times) => Math.min(times * 200, 2000),
      });
      this.#client.on('error', (err: Error) => this.#logger.debug({ err: err.message }, 'redis connection error'));
    }
    const client = this.#client;
    try {
      if (client.status === 'wait') this.#connecting = client.connect();
      if (this.#connecting !== undefined && client.status !== 'ready') await withTimeout(this.#connecting, 3000);
      await withTimeout(client.ping(), 3000);
    } catch (err) {
      throw new RedisUnavailableError(this.url, (err as Error).message.replace(/\/\/[^@/]*@/, '//***@'));
    }
    return client;
  }

  close(): void {
    this.#client?.disconnect();
    this.#client = undefined;
    this.#connecting = undefined;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
