import { CancelledError } from '../drivers/errors.js';
import type { LabNode } from '../inventory/types.js';
import { nodeKey } from '../model/node-ref.js';

export interface SchedulerLimits {
  /** Operations in flight across all nodes. */
  readonly globalConcurrency: number;
  /** Operations at once on one node. */
  readonly perNodeConcurrency: number;
}

/**
 * Limits shared with other processes (agents, replicas; Redis, src/limits/): taken after this
 * process's own slots, so a process asks for no more than its own limits allow. Resolves with the
 * release; rejects on abort or when the wait is over its bound.
 */
export interface SlotGate {
  acquire(node: LabNode, signal?: AbortSignal): Promise<() => void>;
}

/**
 * Where every device operation waits its turn: a node's own slots first, then a global slot, so a
 * request for 200 nodes cannot starve the devices or the bot, and two requests for the same node
 * queue instead of racing on its configuration. Both are plain FIFO counters settled in the same
 * tick: Bottleneck (used before) yields to a setTimeout(0) in every register/submit/free behind a
 * per-limiter lock, which capped the chained global limiter at about 400 jobs/s (200 no-op jobs: 520 ms).
 */
export class Scheduler {
  readonly #global: Slots;
  readonly #perNode = new Map<string, Slots>();
  readonly #perNodeLimit: number;
  readonly #gate: SlotGate | undefined;
  /** Aborts waits at the shared gate on stop (the local queues are dropped directly). */
  readonly #stopping = new AbortController();
  #stopped = false;

  constructor(limits: SchedulerLimits, gate?: SlotGate) {
    this.#global = new Slots(Math.max(1, limits.globalConcurrency));
    this.#perNodeLimit = Math.max(1, limits.perNodeConcurrency);
    this.#gate = gate;
  }

  /** Runs `task` when both the node's and the global limit allow; queued work is dropped on abort. */
  async run<T>(node: LabNode, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const stopped = () => new CancelledError({ node: node.name, operation: 'queued work (the bot is shutting down)' });
    if (this.#stopped) throw stopped();
    if (signal?.aborted) throw signal.reason;
    const key = nodeKey(node);
    let slots = this.#perNode.get(key);
    if (slots === undefined) {
      slots = new Slots(this.#perNodeLimit);
      this.#perNode.set(key, slots);
    }
    try {
      await slots.acquire(signal, stopped);
      try {
        await this.#global.acquire(signal, stopped);
        try {
          // Checked again once admitted: a cancelled request must not start new device work.
          if (signal?.aborted) throw signal.reason;
          if (this.#gate === undefined) return await task();
          const release = await this.#gate.acquire(node, signal ? AbortSignal.any([signal, this.#stopping.signal]) : this.#stopping.signal);
          try {
            if (signal?.aborted) throw signal.reason;
            return await task();
          } finally {
            release();
          }
        } finally {
          this.#global.release();
        }
      } finally {
        slots.release();
      }
    } finally {
      // Idle nodes hold no entry: the map stays as small as the work in flight.
      if (slots.idle() && this.#perNode.get(key) === slots) this.#perNode.delete(key);
    }
  }

  /** Jobs queued or running (for tests, status and benchmarks). */
  counts(): { queued: number; running: number } {
    let queued = this.#global.waiting();
    for (const slots of this.#perNode.values()) queued += slots.waiting();
    return { queued, running: this.#global.active() };
  }

  /** Refuses new work and drops queued work (it rejects with CancelledError); running work finishes. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopping.abort(new CancelledError({ node: 'queued work', operation: 'the wait for a shared device slot (the bot is shutting down)' }));
    this.#global.dropWaiting();
    for (const slots of this.#perNode.values()) slots.dropWaiting();
  }
}

interface Waiter {
  readonly grant: () => void;
  readonly refuse: () => void;
}

/** A counting semaphore with a FIFO queue whose waiters leave on abort. */
class Slots {
  readonly #limit: number;
  #active = 0;
  readonly #queue: Waiter[] = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Resolves with a slot; rejects with the signal's reason on abort, or with `onDrop()` when dropped. */
  acquire(signal: AbortSignal | undefined, onDrop: () => unknown): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#active < this.#limit && this.#queue.length === 0) {
      this.#active += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = this.#queue.indexOf(waiter);
        if (index >= 0) this.#queue.splice(index, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        refuse: () => {
          signal?.removeEventListener('abort', onAbort);
          reject(onDrop());
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  /** Hands the slot straight to the next waiter (so a newcomer cannot overtake the queue). */
  release(): void {
    const next = this.#queue.shift();
    if (next !== undefined) next.grant();
    else this.#active -= 1;
  }

  dropWaiting(): void {
    for (const waiter of this.#queue.splice(0)) waiter.refuse();
  }

  waiting(): number {
    return this.#queue.length;
  }

  active(): number {
    return this.#active;
  }

  idle(): boolean {
    return this.#active === 0 && this.#queue.length === 0;
  }
}
