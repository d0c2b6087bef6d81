import Bottleneck from 'bottleneck';
import type { LabNode } from '../inventory/types.js';

export interface SchedulerLimits {
  /** Operations in flight across all nodes. */
  readonly globalConcurrency: number;
  /** Operations at once on one node. */
  readonly perNodeConcurrency: number;
}

/**
 * Where every device operation waits its turn: one global limiter chained to one limiter per node,
 * so a request for 200 nodes cannot starve the devices or the bot, and two requests for the same
 * node queue instead of racing on its configuration.
 */
export class Scheduler {
  readonly #global: Bottleneck;
  readonly #perNode: Bottleneck.Group;

  constructor(limits: SchedulerLimits) {
    this.#global = new Bottleneck({ maxConcurrent: limits.globalConcurrency });
    this.#perNode = new Bottleneck.Group({ maxConcurrent: limits.perNodeConcurrency });
    this.#perNode.on('created', (limiter) => limiter.chain(this.#global));
  }

  /** Runs `task` when both the node's and the global limit allow; queued work is dropped on abort. */
  async run<T>(node: LabNode, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const limiter = this.#perNode.key(`${node.lab}/${node.name}`);
    if (signal?.aborted) throw signal.reason;
    return limiter.schedule(() => {
      // Checked again at dequeue: a cancelled request must not start new device work.
      if (signal?.aborted) return Promise.reject(signal.reason);
      return task();
    });
  }

  /** Jobs queued or running (for tests, status and benchmarks). */
  counts(): { queued: number; running: number } {
    const c = this.#global.counts();
    return { queued: (c.QUEUED ?? 0) + (c.RECEIVED ?? 0), running: (c.RUNNING ?? 0) + (c.EXECUTING ?? 0) };
  }

  async stop(): Promise<void> {
    await this.#global.stop({ dropWaitingJobs: true }).catch(() => undefined);
    await Promise.all(this.#perNode.limiters().map(({ limiter }) => limiter.stop({ dropWaitingJobs: true }).catch(() => undefined)));
  }
}
