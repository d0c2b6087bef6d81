import type { CloseOptions, Driver, DriverFactory } from './contract.js';
import { CancelledError, ConnectionLostError } from './errors.js';
import type { LabNode } from '../inventory/types.js';
import { nodeKey } from '../model/node-ref.js';

export interface SessionPoolOptions {
  readonly factory: DriverFactory;
  /** Most sessions open (or opening) at once, across all nodes. Default 500. */
  readonly maxOpen?: number;
  /** A session unused this long is closed. Default 300 000 ms. */
  readonly idleMs?: number;
  /** Budget for opening one session. Default: the driver's own. */
  readonly openTimeoutMs?: number;
}

export interface WithDriverOptions {
  readonly signal?: AbortSignal;
}

export interface PoolStats {
  /** Sessions open now (opening ones excluded). */
  readonly open: number;
  /** Sessions opened successfully since the pool started. */
  readonly created: number;
  /** Requests served by a session that was already open or being opened by another request. */
  readonly reused: number;
  /** Dead sessions replaced: found dead at acquire, or died before a request reached the device. */
  readonly reconnected: number;
  /** Sessions closed for being idle. */
  readonly closedIdle: number;
  /** Requests waiting for a free slot under maxOpen. */
  readonly waiting: number;
}

/**
 * Driver methods whose repetition changes nothing on the device: if the session died under
 * them they may run again even though the request may have been sent. exec is not here: a
 * command may be `request system reboot`.
 */
const REPEATABLE_METHODS: ReadonlySet<string> = new Set(['plan', 'facts', 'runningConfig', 'commitStatus', 'commitHistory']);

interface Entry {
  readonly key: string;
  readonly ready: Promise<Driver>;
  /** Aborts the open in progress when the pool closes (a silent peer would hold it for the whole open timeout). */
  readonly opening: AbortController;
  driver: Driver | undefined;
  users: number;
  idleTimer: NodeJS.Timeout | undefined;
  lastUsed: number;
}

interface Lease {
  readonly entry: Entry;
  readonly driver: Driver;
}

/**
 * One open session per node, shared across requests (drivers never pool for themselves).
 * Opens once even when callers race; replaces a dead session; closes idle ones; bounds the
 * number open. A request whose session died before anything reached the device is run again
 * once on a new session; a call whose outcome on the device is unknown (a commit) never is.
 * Concurrency per node is the scheduler's job: callers sharing a node share its driver.
 */
export class SessionPool {
  readonly #factory: DriverFactory;
  readonly #maxOpen: number;
  readonly #idleMs: number;
  readonly #openTimeoutMs: number | undefined;
  readonly #entries = new Map<string, Entry>();
  readonly #waiters: Array<() => void> = [];
  readonly #counts = { created: 0, reused: 0, reconnected: 0, closedIdle: 0 };
  #closed = false;

  constructor(options: SessionPoolOptions) {
    this.#factory = options.factory;
    this.#maxOpen = Math.max(1, options.maxOpen ?? 500);
    // Clamped: setTimeout fires at once beyond 2^31-1 ms.
    this.#idleMs = Math.min(Math.max(0, options.idleMs ?? 300_000), 2_147_483_647);
    this.#openTimeoutMs = options.openTimeoutMs;
  }

  /**
   * Runs `fn` with the node's driver, opening a session if needed. If the first driver call `fn`
   * makes fails because the session was dead before its request was sent (or the call is
   * repeatable), `fn` runs once more on a new session. Errors from `fn` otherwise pass through.
   */
  async withDriver<T>(node: LabNode, fn: (driver: Driver) => Promise<T>, options: WithDriverOptions = {}): Promise<T> {
    const first = await this.#acquire(node, options.signal);
    const tracker = new FirstCallTracker(first.driver);
    try {
      return await fn(tracker.driver);
    } catch (err) {
      if (!tracker.mayRetry(err)) throw err;
      // Out of the map now, so the next acquire opens a new session; the old one closes on release.
      this.#drop(first.entry);
    } finally {
      this.#release(first.entry);
    }
    this.#counts.reconnected += 1;
    const second = await this.#acquire(node, options.signal);
    try {
      return await fn(second.driver);
    } finally {
      this.#release(second.entry);
    }
  }

  stats(): PoolStats {
    let open = 0;
    for (const entry of this.#entries.values()) if (entry.driver?.isAlive()) open += 1;
    return { open, ...this.#counts, waiting: this.#waiters.length };
  }

  /** Closes every session and refuses new requests. Requests waiting for a slot fail with CancelledError. */
  async close(options: CloseOptions = {}): Promise<void> {
    this.#closed = true;
    for (const wake of this.#waiters.splice(0)) wake();
    const closing: Promise<unknown>[] = [];
    for (const entry of this.#entries.values()) {
      clearTimeout(entry.idleTimer);
      if (entry.driver === undefined) entry.opening.abort();
      closing.push(entry.ready.then((driver) => driver.close(options), () => undefined));
    }
    this.#entries.clear();
    await Promise.allSettled(closing);
  }

  async #acquire(node: LabNode, signal: AbortSignal | undefined): Promise<Lease> {
    const key = poolKey(node);
    for (;;) {
      if (this.#closed) throw new CancelledError({ node: node.name, operation: 'open (the session pool is closed)' });
      if (signal?.aborted) throw new CancelledError({ node: node.name, operation: 'open' });
      let entry = this.#entries.get(key);
      if (entry?.driver !== undefined && !entry.driver.isAlive()) {
        this.#drop(entry);
        this.#counts.reconnected += 1;
        entry = undefined;
      }
      if (entry !== undefined) {
        this.#counts.reused += 1;
        return this.#use(entry, node, signal);
      }
      if (this.#entries.size >= this.#maxOpen && !this.#evictIdle()) {
        await this.#waitForSlot(node, signal);
        continue;
      }
      return this.#use(this.#create(key, node), node, signal);
    }
  }

  /** Counts the caller in, then waits for the entry's driver (the caller's signal ends only its own wait). */
  async #use(entry: Entry, node: LabNode, signal: AbortSignal | undefined): Promise<Lease> {
    entry.users += 1;
    clearTimeout(entry.idleTimer);
    entry.idleTimer = undefined;
    try {
      return { entry, driver: await waitOrAbort(entry.ready, signal, node) };
    } catch (err) {
      this.#release(entry);
      throw err;
    }
  }

  #create(key: string, node: LabNode): Entry {
    const driver = this.#factory(node);
    const opening = new AbortController();
    const open = { signal: opening.signal, ...(this.#openTimeoutMs === undefined ? {} : { timeoutMs: this.#openTimeoutMs }) };
    const entry: Entry = {
      key,
      opening,
      ready: driver.open(open).then(
        () => {
          entry.driver = driver;
          this.#counts.created += 1;
          if (entry.users === 0) this.#settleUnused(entry);
          return driver;
        },
        (err: unknown) => {
          if (this.#entries.get(key) === entry) this.#entries.delete(key);
          this.#wakeOne();
          void driver.close();
          throw err;
        },
      ),
      driver: undefined,
      users: 0,
      idleTimer: undefined,
      lastUsed: Date.now(),
    };
    // Every caller awaits `ready` itself; this keeps a failure nobody waits for from being unhandled.
    entry.ready.catch(() => undefined);
    this.#entries.set(key, entry);
    return entry;
  }

  #release(entry: Entry): void {
    entry.users -= 1;
    entry.lastUsed = Date.now();
    if (entry.users > 0) return;
    if (this.#entries.get(entry.key) !== entry) {
      // Replaced or dropped while in use: its last user closes it.
      void entry.driver?.close();
      return;
    }
    if (entry.driver === undefined) return; // still opening: settled when ready
    this.#settleUnused(entry);
  }

  /** An entry nobody uses: dropped if dead or if someone waits for a slot, else closed after idleMs. */
  #settleUnused(entry: Entry): void {
    if (this.#closed || !entry.driver?.isAlive() || this.#waiters.length > 0) {
      this.#drop(entry);
      return;
    }
    entry.idleTimer = setTimeout(() => {
      if (entry.users > 0 || this.#entries.get(entry.key) !== entry) return;
      this.#counts.closedIdle += 1;
      this.#drop(entry);
    }, this.#idleMs);
    entry.idleTimer.unref();
  }

  /** Removes the entry from the pool; closes its driver now if unused, else when its last user releases it. */
  #drop(entry: Entry): void {
    clearTimeout(entry.idleTimer);
    entry.idleTimer = undefined;
    if (this.#entries.get(entry.key) === entry) this.#entries.delete(entry.key);
    if (entry.users === 0) void entry.driver?.close();
    this.#wakeOne();
  }

  /** Closes the least recently used idle session to make room; false when every session is busy. */
  #evictIdle(): boolean {
    let oldest: Entry | undefined;
    for (const entry of this.#entries.values()) {
      if (entry.users === 0 && entry.driver !== undefined && (oldest === undefined || entry.lastUsed < oldest.lastUsed)) {
        oldest = entry;
      }
    }
    if (oldest === undefined) return false;
    this.#drop(oldest);
    return true;
  }

  #waitForSlot(node: LabNode, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        const index = this.#waiters.indexOf(wake);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(new CancelledError({ node: node.name, operation: 'open (waiting for a free session slot)' }));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(wake);
    });
  }

  #wakeOne(): void {
    this.#waiters.shift()?.();
  }
}

/** Sessions are per node and per address: a node whose host or port changed gets a new session. */
export function poolKey(node: LabNode): string {
  return `${nodeKey(node)}@${node.host}:${node.port ?? 'default'}`;
}

function waitOrAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined, node: LabNode): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new CancelledError({ node: node.name, operation: 'open' }));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/**
 * Wraps a driver to learn how the first call `fn` made ended. Only that call's failure can make
 * the whole `fn` safe to run again: after a successful call, repeating `fn` would repeat it.
 */
export class FirstCallTracker {
  readonly driver: Driver;
  #firstMethod: string | undefined;
  #firstError: unknown;

  constructor(target: Driver) {
    this.driver = new Proxy(target, {
      get: (obj, prop) => {
        const value: unknown = Reflect.get(obj, prop, obj);
        if (typeof value !== 'function' || typeof prop !== 'string') return value;
        return (...args: unknown[]) => this.#call(prop, () => (value as (...a: unknown[]) => unknown).apply(obj, args));
      },
    });
  }

  #call(method: string, invoke: () => unknown): unknown {
    const isFirst = this.#firstMethod === undefined && method !== 'isAlive';
    if (isFirst) this.#firstMethod = method;
    const result = invoke();
    if (isFirst && result instanceof Promise) {
      result.catch((err: unknown) => {
        this.#firstError = err;
      });
    }
    return result;
  }

  /** True when `err` is the first call's own failure and nothing reached the device (or the call is repeatable). */
  mayRetry(err: unknown): boolean {
    if (err !== this.#firstError || !(err instanceof ConnectionLostError)) return false;
    return !err.requestSent || REPEATABLE_METHODS.has(this.#firstMethod ?? '');
  }
}
