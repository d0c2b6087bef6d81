import type { Facts } from '../drivers/contract.js';
import type { CachedFacts, NodeFactsRepo } from '../db/node-facts.js';
import type { LabNode } from '../inventory/types.js';
import type { Logger } from '../log.js';
import { nodeKey } from '../model/node-ref.js';
import type { DeviceAccess, StreamOptions } from './device-ops.js';
import { fanOut } from './fan-out.js';
import type { NodeOutcome, OutcomeError } from './outcome.js';

/** One node's facts as `nodes --facts` shows them. */
export interface NodeFactsRow {
  readonly node: LabNode;
  /** The last facts read (now or earlier); undefined when no read ever succeeded. */
  readonly facts: Facts | undefined;
  readonly readAt: Date | undefined;
  /** Seconds since readAt, at the time of the request. */
  readonly ageSeconds: number | undefined;
  /** Older than the facts.max_age_minutes setting. */
  readonly stale: boolean;
  /** `device`: read by this request; `cache`: from the database. */
  readonly from: 'device' | 'cache' | 'none';
  /** The read of this request failed (or, from the cache, the last read after the facts did). */
  readonly error: OutcomeError | undefined;
}

export interface NodeFactsDeps {
  readonly repo: NodeFactsRepo;
  readonly access: DeviceAccess;
  /** Facts older than this are shown stale. */
  readonly maxAgeMs: number;
  readonly perNodeTimeoutMs: number;
  readonly clock?: () => Date;
  readonly logger: Logger;
}

/**
 * The node facts cache: reads drivers' facts() through the scheduler and session pool (like exec),
 * stores them with the time they were read, and answers from the database when asked to.
 */
export class NodeFactsService {
  readonly #deps: NodeFactsDeps;
  readonly #clock: () => Date;
  readonly #pending = new Set<Promise<void>>();
  constructor(deps: NodeFactsDeps) {
    this.#deps = deps;
    this.#clock = deps.clock ?? (() => new Date());
  }

  /** The nodes `nodes --facts` would read from the devices: all of them on refresh, else those never read. */
  async toFetch(nodes: readonly LabNode[], refresh: boolean): Promise<{ cached: Map<string, CachedFacts>; fetch: LabNode[] }> {
    const cached = await this.#deps.repo.get(nodes);
    const fetch = refresh ? [...nodes] : nodes.filter((n) => cached.get(nodeKey(n))?.facts === undefined);
    return { cached, fetch };
  }

  /** Reads `fetch` from the devices (stored as they arrive), then the rows of every node in `nodes` order. */
  async read(
    nodes: readonly LabNode[],
    plan: { cached: Map<string, CachedFacts>; fetch: readonly LabNode[] },
    stream: StreamOptions<Facts> = {},
  ): Promise<{ rows: NodeFactsRow[]; fetched: NodeOutcome<Facts>[] }> {
    const { outcomes: fetched, readAt } = plan.fetch.length === 0 ? { outcomes: [], readAt: new Map<string, Date>() } : await this.#fetch(plan.fetch, stream);
    const now = this.#clock();
    const byKey = new Map(fetched.map((o) => [nodeKey(o.node), o]));
    const rows = nodes.map((node): NodeFactsRow => {
      const cached = plan.cached.get(nodeKey(node));
      const outcome = byKey.get(nodeKey(node));
      // The time stored with the facts, so this answer and the next one from the database agree.
      if (outcome?.value !== undefined) return this.#row(node, outcome.value, readAt.get(nodeKey(node)) ?? now, now, 'device', undefined);
      // A failed read shows the last good facts, marked, with this read's error.
      const error = outcome?.error ?? (cached?.error ? { code: cached.error.code, message: cached.error.message, deviceErrors: [] } : undefined);
      if (cached?.facts === undefined || cached.readAt === undefined) return this.#row(node, undefined, undefined, now, 'none', error);
      return this.#row(node, cached.facts, cached.readAt, now, 'cache', error);
    });
    return { rows, fetched };
  }

  /**
   * After a commit: read the committed nodes' facts again, in the background. Never throws and
   * never delays the caller; settle() waits for it (a one-shot CLI before it closes the pool).
   */
  refreshLater(nodes: readonly LabNode[]): void {
    if (nodes.length === 0) return;
    const work = this.#fetch(nodes, { perNodeTimeoutMs: this.#deps.perNodeTimeoutMs })
      .then(() => undefined)
      .catch((err: unknown) => this.#deps.logger.warn({ err }, 'refreshing node facts after a commit failed'))
      .finally(() => this.#pending.delete(work));
    this.#pending.add(work);
  }

  /** Waits for background refreshes started so far. */
  async settle(): Promise<void> {
    await Promise.all([...this.#pending]);
  }

  /** Reads and stores each node's facts as it answers; returns the outcomes and when each was read. */
  async #fetch(nodes: readonly LabNode[], stream: StreamOptions<Facts>): Promise<{ outcomes: NodeOutcome<Facts>[]; readAt: Map<string, Date> }> {
    const { access, repo } = this.#deps;
    const saves: Promise<void>[] = [];
    const readAt = new Map<string, Date>();
    const outcomes = await fanOut(
      access.scheduler,
      nodes,
      (node, signal) => access.withDriver(node, (d) => d.facts({ signal, timeoutMs: stream.perNodeTimeoutMs ?? this.#deps.perNodeTimeoutMs }), { signal }),
      {
        ...stream,
        onOutcome: (o, done, total) => {
          const at = this.#clock();
          readAt.set(nodeKey(o.node), at);
          const saved = o.value !== undefined ? repo.saveFacts(o.node, o.value, at) : repo.saveError(o.node, o.error ?? { code: 'internal', message: 'no facts' }, at);
          // Awaited below; a database failure is logged, it does not turn the node's read into a failure.
          saves.push(saved.catch((err: unknown) => this.#deps.logger.warn({ err, node: nodeKey(o.node) }, 'could not store node facts')));
          stream.onOutcome?.(o, done, total);
        },
      },
    );
    await Promise.all(saves);
    return { outcomes, readAt };
  }

  #row(node: LabNode, facts: Facts | undefined, readAt: Date | undefined, now: Date, from: NodeFactsRow['from'], error: OutcomeError | undefined): NodeFactsRow {
    const ageMs = readAt === undefined ? undefined : Math.max(0, now.getTime() - readAt.getTime());
    const ageSeconds = ageMs === undefined ? undefined : Math.round(ageMs / 1000);
    const stale = ageMs !== undefined && ageMs > this.#deps.maxAgeMs;
    return { node, facts, readAt, ageSeconds, stale, from, error };
  }
}
