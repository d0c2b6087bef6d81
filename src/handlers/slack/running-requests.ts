import { ClabBotError } from '../../errors.js';
import type { Request } from '../../grammar/request.js';

/** Whoever pressed Cancel. */
export interface Canceller {
  readonly userId: string;
  readonly userName?: string | undefined;
}

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

export type CancelResult =
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'already'; readonly by: Canceller }
  | { readonly kind: 'finished' };

/**
 * The front end's running requests, by request id: added once the targets are known (the root
 * with its Cancel button is posted then), removed as soon as the core returns, so a late press
 * finds nothing to cancel. Apply never registers here: a commit is not cut half way.
 */
export class RunningRequests {
  readonly #byId = new Map<string, { readonly entry: RunningRequest; cancelledBy: Canceller | undefined }>();

  add(entry: RunningRequest): void {
    this.#byId.set(entry.requestId, { entry, cancelledBy: undefined });
  }

  get(requestId: string): RunningRequest | undefined {
    return this.#byId.get(requestId)?.entry;
  }

  /** Aborts the request's work with a reason naming who cancelled it; a second press changes nothing. */
  cancel(requestId: string, by: Canceller): CancelResult {
    const slot = this.#byId.get(requestId);
    if (slot === undefined) return { kind: 'finished' };
    if (slot.cancelledBy !== undefined) return { kind: 'already', by: slot.cancelledBy };
    slot.cancelledBy = by;
    slot.entry.controller.abort(new ClabBotError('cancelled', `cancelled by @${by.userName ?? by.userId}`));
    return { kind: 'cancelled' };
  }

  /** Forgets the request (it ended); returns who cancelled it, if anyone did. */
  remove(requestId: string): Canceller | undefined {
    const slot = this.#byId.get(requestId);
    this.#byId.delete(requestId);
    return slot?.cancelledBy;
  }
}
