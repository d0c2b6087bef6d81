import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimitedError, retryAfterSec, type RateLimiter } from '../ops/rate-limit.js';

/**
 * The same sliding window as UserRateLimiter (ops/rate-limit.ts), kept in Redis so it holds across
 * replicas: one sorted set per user and budget, entries scored by the Redis server's clock (one
 * clock for every replica), member "id:cost". The script trims the minute, sums it, and either
 * adds the entry or returns the time of the entry whose expiry makes room (the retry).
 */
const TAKE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cost = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('zremrangebyscore', KEYS[1], '-inf', now - 60000)
local entries = redis.call('zrange', KEYS[1], 0, -1, 'WITHSCORES')
local used = 0
for i = 1, #entries, 2 do used = used + tonumber(string.match(entries[i], ':(%d+)$')) end
if used > 0 and used + cost > limit then
  local needed = math.min(used, used + cost - limit)
  local freed = 0
  local untilT = tonumber(entries[#entries])
  for i = 1, #entries, 2 do
    freed = freed + tonumber(string.match(entries[i], ':(%d+)$'))
    if freed >= needed then untilT = tonumber(entries[i + 1]) break end
  end
  return {0, untilT, now}
end
redis.call('zadd', KEYS[1], now, ARGV[3] .. ':' .. math.min(cost, limit))
redis.call('pexpire', KEYS[1], 60000)
return {1, 0, now}`;

export class SharedUserRateLimiter implements RateLimiter {
  readonly #client: Redis;
  readonly #key: (user: string) => string;
  readonly #perMinute: number;
  readonly #what: string;

  /** `budget` names the window in Redis ("requests", "nodes"): limiters of one budget share it. */
  constructor(client: Redis, opts: { readonly budget: string; readonly perMinute: number; readonly what: string; readonly prefix?: string }) {
    this.#client = client;
    this.#perMinute = opts.perMinute;
    this.#what = opts.what;
    const prefix = opts.prefix ?? 'clab-bot';
    this.#key = (user) => `${prefix}:rate:${opts.budget}:${user}`;
  }

  async take(user: string, cost = 1): Promise<void> {
    const id = randomBytes(6).toString('hex');
    const [ok, until, now] = (await this.#client.eval(TAKE_LUA, 1, this.#key(user), String(cost), String(this.#perMinute), id)) as [number, number, number];
    if (ok !== 1) throw new RateLimitedError(this.#what, retryAfterSec(until, now));
  }
}
