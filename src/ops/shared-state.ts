import { EventEmitter } from 'node:events';
import type { Logger } from '../log.js';

/** What a Cancel press needs to know of a running request, wherever it runs. */
export interface RunningInfo {
  readonly requestId: string;
  /** Slack user id of whoever ran it. */
  readonly requesterId: string;
  readonly channelId: string;
  readonly verb: string;
  /** The request as typed (formatRequest), for the audit row of a cancel. */
  readonly command: string;
  /** `lab/node` of every target. */
  readonly targets: readonly string[];
  /** The replica running it (see RunningRequests), so a press elsewhere can tell whether it is still alive. */
  readonly replica: string;
  /** Its root message, once posted. */
  readonly rootTs?: string | undefined;
}

/** Whoever pressed Cancel. */
export interface Canceller {
  readonly userId: string;
  readonly userName?: string | undefined;
}

export type CancelMark = { readonly kind: 'cancelled' } | { readonly kind: 'already'; readonly by: Canceller } | { readonly kind: 'finished' };

/** The pub/sub channel a cancel goes out on: `{"requestId":…,"by":{"userId":…}}`; whoever runs the request stops it. */
export const CANCEL_CHANNEL = 'clab-bot:cancel';

/**
 * What `serve` replicas share: with CLAB_BOT_REDIS, Redis (so a retried Slack delivery, a replayed
 * HTTP request or a Cancel press is seen by every replica); without it, this process's memory, which
 * is all one process needs. Keys live under `clab-bot:` and expire on their own.
 */
export interface SharedState {
  readonly kind: 'redis' | 'memory';
  /** True for the first claim of `key` within `ttlMs` across every process sharing this state (SET NX PX). */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
  /** A request doing device work, until finishRunning (or the ttl: a replica killed mid-request leaves no trace). */
  registerRunning(info: RunningInfo, ttlMs: number): Promise<void>;
  runningInfo(requestId: string): Promise<RunningInfo | undefined>;
  /**
   * Atomically: `finished` when the request is not running (any more), `already` when someone
   * cancelled it first, else records `by` and answers `cancelled`.
   */
  markCancelled(requestId: string, by: Canceller): Promise<CancelMark>;
  /** Atomically forgets the request; returns who cancelled it, if anyone did before this. */
  finishRunning(requestId: string): Promise<Canceller | undefined>;
  /** Adds `member` to the set `name` (kept until removed: a small set, such as the users who opened their App Home). */
  addMember(name: string, member: string): Promise<void>;
  members(name: string): Promise<string[]>;
  /** Sets one field of the map `name`. */
  setField(name: string, field: string, value: string): Promise<void>;
  fields(name: string): Promise<Record<string, string>>;
  /** A key that lives `ttlMs` unless set again (a replica's heartbeat). */
  setExpiring(key: string, ttlMs: number): Promise<void>;
  exists(key: string): Promise<boolean>;
  removeKey(key: string): Promise<void>;
  removeMember(name: string, member: string): Promise<void>;
  publish(channel: string, message: string): Promise<void>;
  /** Calls `onMessage` for every message published on `channel` (by any process, this one included). */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<void>;
  close(): Promise<void>;
}

const PREFIX = 'clab-bot:';
/** A running request's cancel mark outlives the request record a little, so finishRunning always finds it. */
const CANCEL_GRACE_MS = 60_000;

/** One process: maps with expiry (bounded: expired keys go when it grows), and an in-process bus. */
export function memoryState(opts: { now?: () => number; maxKeys?: number } = {}): SharedState {
  const now = opts.now ?? Date.now;
  const maxKeys = opts.maxKeys ?? 100_000;
  const claims = new Map<string, number>();
  const running = new Map<string, { info: RunningInfo; expires: number; cancelledBy: Canceller | undefined }>();
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  const sets = new Map<string, Set<string>>();
  const maps = new Map<string, Map<string, string>>();
  const live = (requestId: string) => {
    const slot = running.get(requestId);
    if (slot !== undefined && slot.expires <= now()) running.delete(requestId);
    return slot !== undefined && slot.expires > now() ? slot : undefined;
  };
  return {
    kind: 'memory',
    async claimOnce(key, ttlMs) {
      const t = now();
      const expires = claims.get(key);
      if (expires !== undefined && expires > t) return false;
      claims.set(key, t + ttlMs);
      if (claims.size > maxKeys) {
        for (const [k, e] of claims) if (e <= t) claims.delete(k);
        // Still full of live keys: the oldest go (a Map keeps insertion order).
        for (const k of claims.keys()) {
          if (claims.size <= maxKeys) break;
          claims.delete(k);
        }
      }
      return true;
    },
    async registerRunning(info, ttlMs) {
      running.set(info.requestId, { info, expires: now() + ttlMs, cancelledBy: undefined });
    },
    async runningInfo(requestId) {
      return live(requestId)?.info;
    },
    async markCancelled(requestId, by) {
      const slot = live(requestId);
      if (slot === undefined) return { kind: 'finished' };
      if (slot.cancelledBy !== undefined) return { kind: 'already', by: slot.cancelledBy };
      slot.cancelledBy = by;
      return { kind: 'cancelled' };
    },
    async finishRunning(requestId) {
      const slot = running.get(requestId);
      running.delete(requestId);
      return slot?.cancelledBy;
    },
    async addMember(name, member) {
      const set = sets.get(name) ?? new Set<string>();
      sets.set(name, set.add(member));
    },
    async removeMember(name, member) {
      sets.get(name)?.delete(member);
    },
    async setExpiring(key, ttlMs) {
      claims.set(key, now() + ttlMs);
    },
    async exists(key) {
      return (claims.get(key) ?? 0) > now();
    },
    async removeKey(key) {
      claims.delete(key);
    },
    async members(name) {
      return [...(sets.get(name) ?? [])];
    },
    async setField(name, field, value) {
      const map = maps.get(name) ?? new Map<string, string>();
      maps.set(name, map.set(field, value));
    },
    async fields(name) {
      return Object.fromEntries(maps.get(name) ?? []);
    },
    async publish(channel, message) {
      bus.emit(channel, message);
    },
    async subscribe(channel, onMessage) {
      bus.on(channel, onMessage);
    },
    async close() {
      bus.removeAllListeners();
    },
  };
}

/**
 * markCancelled as one Redis script: the check of the running record and the cancel mark cannot
 * interleave with another replica's finishRunning. KEYS: running record, cancel mark.
 */
const MARK_CANCELLED = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {'finished'} end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {'cancelled'} end
return {'already', redis.call('GET', KEYS[2])}
`;

/** finishRunning as one script: the record goes, and the cancel mark (if any) is read and removed. */
const FINISH_RUNNING = `
redis.call('DEL', KEYS[1])
local by = redis.call('GET', KEYS[2])
redis.call('DEL', KEYS[2])
return by
`;

/** Redis when CLAB_BOT_REDIS is set, else this process's memory. Redis's client is loaded on first use. */
export function sharedStateFor(redisUrl: string | undefined, logger: Logger): SharedState {
  if (redisUrl === undefined) return memoryState();
  let real: Promise<SharedState> | undefined;
  const state = () => (real ??= redisState(redisUrl, logger));
  return {
    kind: 'redis',
    claimOnce: async (key, ttlMs) => (await state()).claimOnce(key, ttlMs),
    registerRunning: async (info, ttlMs) => (await state()).registerRunning(info, ttlMs),
    runningInfo: async (requestId) => (await state()).runningInfo(requestId),
    markCancelled: async (requestId, by) => (await state()).markCancelled(requestId, by),
    finishRunning: async (requestId) => (await state()).finishRunning(requestId),
    addMember: async (name, member) => (await state()).addMember(name, member),
    removeMember: async (name, member) => (await state()).removeMember(name, member),
    setExpiring: async (key, ttlMs) => (await state()).setExpiring(key, ttlMs),
    exists: async (key) => (await state()).exists(key),
    removeKey: async (key) => (await state()).removeKey(key),
    members: async (name) => (await state()).members(name),
    setField: async (name, field, value) => (await state()).setField(name, field, value),
    fields: async (name) => (await state()).fields(name),
    publish: async (channel, message) => (await state()).publish(channel, message),
    subscribe: async (channel, onMessage) => (await state()).subscribe(channel, onMessage),
    close: async () => (real === undefined ? undefined : (await real).close()),
  };
}

/**
 * Redis at `url`: one client for commands and one for subscriptions (resubscribed by ioredis after a reconnect).
 */
export async function redisState(url: string, logger: Logger): Promise<SharedState> {
  const { Redis } = await import('ioredis');
  // Connects (and reconnects) in the background. A command waits at most a second for it: while
  // Redis is away the callers carry on alone (a delivery is handled, a cancel reaches this replica only)
  // and a Slack ack is never late for it.
  const client = new Redis(url, {
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    commandTimeout: 1000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  // The URL's password never reaches the log: only the error's message does, and ioredis names host and port.
  client.on('error', (err: Error) => logger.debug({ err: err.message }, 'redis (shared state) connection error'));
  const subscriber = client.duplicate({ commandTimeout: undefined });
  subscriber.on('error', (err: Error) => logger.debug({ err: err.message }, 'redis (subscriptions) connection error'));
  const handlers = new Map<string, Set<(message: string) => void>>();
  subscriber.on('message', (channel: string, message: string) => {
    for (const handler of handlers.get(channel) ?? []) handler(message);
  });
  const runningKey = (id: string) => `${PREFIX}running:${id}`;
  const cancelKey = (id: string) => `${PREFIX}cancelled:${id}`;
  return {
    kind: 'redis',
    async claimOnce(key, ttlMs) {
      return (await client.set(`${PREFIX}${key}`, '1', 'PX', Math.max(1, Math.round(ttlMs)), 'NX')) === 'OK';
    },
    async registerRunning(info, ttlMs) {
      await client.set(runningKey(info.requestId), JSON.stringify(info), 'PX', Math.max(1, Math.round(ttlMs)));
    },
    async runningInfo(requestId) {
      const text = await client.get(runningKey(requestId));
      return text === null ? undefined : (JSON.parse(text) as RunningInfo);
    },
    async markCancelled(requestId, by) {
      const ttl = Math.max(1, (await client.pttl(runningKey(requestId))) + CANCEL_GRACE_MS);
      const [kind, who] = (await client.eval(MARK_CANCELLED, 2, runningKey(requestId), cancelKey(requestId), JSON.stringify(by), ttl)) as [
        string,
        string | null | undefined,
      ];
      if (kind === 'finished') return { kind: 'finished' };
      if (kind === 'cancelled') return { kind: 'cancelled' };
      return { kind: 'already', by: who ? (JSON.parse(who) as Canceller) : { userId: 'someone' } };
    },
    async finishRunning(requestId) {
      const who = (await client.eval(FINISH_RUNNING, 2, runningKey(requestId), cancelKey(requestId))) as string | null;
      return who ? (JSON.parse(who) as Canceller) : undefined;
    },
    async addMember(name, member) {
      await client.sadd(`${PREFIX}${name}`, member);
    },
    async removeMember(name, member) {
      await client.srem(`${PREFIX}${name}`, member);
    },
    async setExpiring(key, ttlMs) {
      await client.set(`${PREFIX}${key}`, '1', 'PX', Math.max(1, Math.round(ttlMs)));
    },
    async exists(key) {
      return (await client.exists(`${PREFIX}${key}`)) === 1;
    },
    async removeKey(key) {
      await client.del(`${PREFIX}${key}`);
    },
    async members(name) {
      return client.smembers(`${PREFIX}${name}`);
    },
    async setField(name, field, value) {
      await client.hset(`${PREFIX}${name}`, field, value);
    },
    async fields(name) {
      return client.hgetall(`${PREFIX}${name}`);
    },
    async publish(channel, message) {
      await client.publish(channel, message);
    },
    async subscribe(channel, onMessage) {
      let set = handlers.get(channel);
      if (set === undefined) {
        set = new Set();
        handlers.set(channel, set);
        await subscriber.subscribe(channel);
      }
      set.add(onMessage);
    },
    async close() {
      handlers.clear();
      subscriber.disconnect();
      client.disconnect();
    },
  };
}
