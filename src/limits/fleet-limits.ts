import type { LabNode } from '../inventory/types.js';
import type { SlotGate } from '../ops/scheduler.js';
import type { OpenSharedLimitsOptions, SharedLimits } from './shared-limits.js';

/**
 * The shared limits of a bot process in the agents mode, connected on first need: `serve` opens
 * them at start (rate limits, Slack pacing), a one-shot verb only when it drives a device over a
 * remote session (its scheduler's gate), so `exec` or `labs` from a terminal never loads Bottleneck.
 */
export class FleetLimits {
  readonly #options: OpenSharedLimitsOptions;
  #opened: Promise<SharedLimits> | undefined;

  constructor(options: OpenSharedLimitsOptions) {
    this.#options = options;
  }

  open(): Promise<SharedLimits> {
    this.#opened ??= import('./shared-limits.js').then((m) => m.openSharedLimits(this.#options));
    // A failed connection is tried again by the next caller.
    this.#opened.catch(() => (this.#opened = undefined));
    return this.#opened;
  }

  /** Device slots shared with the agents and replicas, for the scheduler of remote-session work. */
  readonly gate: SlotGate = {
    acquire: async (node: LabNode, signal?: AbortSignal) => (await this.open()).deviceSlots.acquire(node, signal),
  };

  async close(): Promise<void> {
    const opened = this.#opened;
    this.#opened = undefined;
    if (opened) await (await opened.catch(() => undefined))?.close();
  }
}
