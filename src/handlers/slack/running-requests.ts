import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ClabBotError } from '../../errors.js';
import { formatRequest } from '../../grammar/index.js';
import type { Request } from '../../grammar/request.js';
import type { Logger } from '../../log.js';
import { CANCEL_CHANNEL, type CancelMark, type Canceller, type RunningInfo, type SharedState } from '../../ops/shared-state.js';

export type { Canceller, RunningInfo } from '../../ops/shared-state.js';

/** A request doing device work (exec, a dry run, the plan of a proposal) that a Cancel press may stop. */
export interface RunningRequest {
  readonly requestId: string;
  /** Slack user id of whoever ran it. */
  readonly requesterId: string;
  readonly channelId: string;
  readonly request: Request;
  /** `lab/node` of every target, for the audit row of a cancel. */
  readonly targets: readonly string[];
  readonly controller: AbortController;
}

export type CancelResult = CancelMark;

/** Shared-state names: each replica's heartbeat key, and the set of running request ids. */
const REPLICA_KEY = (id: string) => `replica:${id}`;
const RUNNING_SET = 'running-requests';

/**
 * The running requests, by request id: added once the targets are known (the root with its Cancel
 * button is posted then), removed as soon as the core returns, so a late press finds nothing to
 * cancel. Apply never registers here: a commit is not cut half way.
 *
 * The record and the cancel mark are in the shared state, so with several replicas a Cancel
 * pressed on any of them finds the request and the outcome (cancelled, already cancelled by whom,
 * finished) is decided once; the cancel goes out on CANCEL_CHANNEL and the replica running the
 * request aborts it. Anything else running a request's work (an agent) may listen there too.
 *
 * Each replica renews a heartbeat in the shared state while it serves; a request whose replica's
 * heartbeat is gone (killed mid-request) is orphaned: nobody will finish its thread, so the
 * replica that notices (a Cancel press, the periodic check) closes it (see orphans.ts).
 */
export class RunningRequests {
  readonly #state: SharedState;
  readonly #logger: Logger | undefined;
  /** How long a record outlives a replica killed mid-request. */
  readonly #ttlMs: number;
  readonly #local = new Map<string, { readonly entry: RunningRequest; cancelledBy: Canceller | undefined; info: RunningInfo }>();
  #listening: Promise<void> | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  /** This replica, as running records name it. */
  readonly replica = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  constructor(state: SharedState, opts: { readonly ttlMs?: number; readonly logger?: Logger } = {}) {
    this.#state = state;
    this.#ttlMs = opts.ttlMs ?? 2 * 3_600_000;
    this.#logger = opts.logger;
  }

  /** Renews this replica's heartbeat every `intervalMs` (each lives `lostAfterMs`) until stop(). */
  async beat(intervalMs: number, lostAfterMs: number): Promise<void> {
    const renew = () =>
      this.#state.setExpiring(REPLICA_KEY(this.replica), lostAfterMs).catch((err: unknown) => {
        this.#logger?.warn({ err: (err as Error).message }, 'could not renew this replica\'s heartbeat (Redis)');
      });
    clearInterval(this.#heartbeat);
    this.#heartbeat = setInterval(() => void renew(), intervalMs);
    this.#heartbeat.unref();
    await renew();
  }

  /** Stops the heartbeat and removes it: this replica is gone on purpose. */
  async stop(): Promise<void> {
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    await this.#state.removeKey(REPLICA_KEY(this.replica)).catch(() => undefined);
  }

  /** True when the request's replica is not this one and its heartbeat ran out: nobody will finish it. */
  async orphaned(info: RunningInfo): Promise<boolean> {
    if (info.replica === this.replica || this.#local.has(info.requestId)) return false;
    return !(await this.#state.exists(REPLICA_KEY(info.replica)));
  }

  /** Ids of the requests running on any replica (for the check for orphans). */
  async runningIds(): Promise<string[]> {
    return this.#state.members(RUNNING_SET);
  }

  /** The root message of a running request is posted: recorded so a replica closing an orphan can update it. */
  async rootPosted(requestId: string, ts: string): Promise<void> {
    const slot = this.#local.get(requestId);
    if (slot === undefined) return;
    slot.info = { ...slot.info, rootTs: ts };
    await this.#state.registerRunning(slot.info, this.#ttlMs).catch((err: unknown) => {
      this.#logger?.warn({ requestId, err: (err as Error).message }, 'could not share a running request (Redis)');
    });
  }

  /** Listens for cancels pressed anywhere (once; the front end calls it at start). */
  listen(): Promise<void> {
    this.#listening ??= this.#state.subscribe(CANCEL_CHANNEL, (message) => {
      try {
        const { requestId, by } = JSON.parse(message) as { requestId: string; by: Canceller };
        this.#abortHere(requestId, by);
      } catch {
        this.#logger?.warn('ignored a malformed cancel message');
      }
    });
    return this.#listening;
  }

  async add(entry: RunningRequest): Promise<void> {
    const info: RunningInfo = {
      requestId: entry.requestId,
      requesterId: entry.requesterId,
      channelId: entry.channelId,
      verb: entry.request.verb,
      command: formatRequest(entry.request),
      targets: entry.targets,
      replica: this.replica,
    };
    this.#local.set(entry.requestId, { entry, cancelledBy: undefined, info });
    try {
      await this.#state.registerRunning(info, this.#ttlMs);
      await this.#state.addMember(RUNNING_SET, entry.requestId);
    } catch (err) {
      // The request runs either way; only a Cancel pressed on another replica would not find it.
      this.#logger?.warn({ requestId: entry.requestId, err: (err as Error).message }, 'could not share a running request (Redis)');
    }
  }

  /** The request, if it is running here or on another replica. */
  async get(requestId: string): Promise<RunningInfo | undefined> {
    return this.#local.get(requestId)?.info ?? this.#state.runningInfo(requestId);
  }

  /** Stops the request, wherever it runs, with a reason naming who cancelled it; a second press changes nothing. */
  async cancel(requestId: string, by: Canceller): Promise<CancelResult> {
    const mark = await this.#state.markCancelled(requestId, by);
    if (mark.kind !== 'cancelled') return mark;
    // Here at once; elsewhere through the channel (this process hears its own message too, harmlessly).
    this.#abortHere(requestId, by);
    await this.#state.publish(CANCEL_CHANNEL, JSON.stringify({ requestId, by }));
    return mark;
  }

  /** Forgets the request (it ended); returns who cancelled it, if anyone did. */
  async remove(requestId: string): Promise<Canceller | undefined> {
    const slot = this.#local.get(requestId);
    // Not (or no longer) running here: nothing to end (the request flow calls this twice).
    if (slot === undefined) return undefined;
    this.#local.delete(requestId);
    return (await this.forget(requestId)) ?? slot.cancelledBy;
  }

  /** Ends the shared record of a request (this replica's, or an orphan another left); returns who cancelled it. */
  async forget(requestId: string): Promise<Canceller | undefined> {
    try {
      const by = await this.#state.finishRunning(requestId);
      await this.#state.removeMember(RUNNING_SET, requestId);
      return by;
    } catch (err) {
      this.#logger?.warn({ requestId, err: (err as Error).message }, 'could not end a shared running request (Redis)');
      return undefined;
    }
  }

  #abortHere(requestId: string, by: Canceller): void {
    const slot = this.#local.get(requestId);
    if (slot === undefined || slot.cancelledBy !== undefined) return;
    slot.cancelledBy = by;
    slot.entry.controller.abort(new ClabBotError('cancelled', `cancelled by @${by.userName ?? by.userId}`));
  }
}
