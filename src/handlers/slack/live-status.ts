import type { NodeOutcome } from '../../ops/outcome.js';
import { rootMessage, type CancelNote, type RootInfo, type RootState } from '../../render/slack/index.js';
import type { SlackPoster } from './slack-poster.js';

export interface LiveStatusOptions {
  /** Least time between two updates of the root message. */
  readonly intervalMs: number;
  readonly requestId: string;
  /** Show a Cancel button for this request while it runs. */
  readonly cancellable?: boolean;
}

/**
 * The root message's live status ("k of n done, failures"). Progress is coalesced into at most one
 * chat.update per interval, and the interval doubles after each update (2 s, 4 s, 8 s, … by
 * default), so a request costs a few calls however many nodes it has and however long it runs;
 * none is sent once every node is done, since the final update follows anyway.
 */
export class LiveStatus {
  readonly #poster: SlackPoster;
  readonly #channel: string;
  readonly #ts: string;
  readonly #info: RootInfo;
  readonly #opts: LiveStatusOptions;
  #done = 0;
  #total: number;
  readonly #failed: string[] = [];
  #lastSentAt = Date.now();
  #interim = 0;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<unknown> = Promise.resolve();
  #finished = false;

  constructor(poster: SlackPoster, root: { readonly channel: string; readonly ts: string }, info: RootInfo, opts: LiveStatusOptions) {
    this.#poster = poster;
    this.#channel = root.channel;
    this.#ts = root.ts;
    this.#info = info;
    this.#opts = opts;
    this.#total = info.targets.length;
  }

  get ts(): string {
    return this.#ts;
  }

  get info(): RootInfo {
    return this.#info;
  }

  /** Records a finished node; schedules an update if none is pending. */
  progress(outcome: NodeOutcome<unknown>, done: number, total: number): void {
    if (this.#finished) return;
    this.#done = Math.max(this.#done, done);
    this.#total = total;
    if (outcome.status !== 'ok') this.#failed.push(outcome.node.name);
    if (this.#timer !== undefined) return;
    const wait = Math.max(0, this.#lastSentAt + this.#opts.intervalMs * 2 ** this.#interim - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#finished || this.#done >= this.#total) return;
      this.#interim += 1;
      this.#send({ phase: 'running', done: this.#done, total: this.#total, failed: [...this.#failed] });
    }, wait);
  }

  /**
   * The last update: cancels a pending one, waits for one in flight, then sends `state` (without the
   * Cancel button, and saying who cancelled when `cancelled` is given).
   */
  async finish(state: RootState, cancelled?: CancelNote): Promise<void> {
    this.#finished = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#inFlight;
    this.#send(state, cancelled);
    await this.#inFlight;
  }

  #send(state: RootState, cancelled?: CancelNote): void {
    this.#lastSentAt = Date.now();
    const message = rootMessage(this.#info, state, {
      ...(this.#opts.cancellable === true && !this.#finished ? { cancelRequestId: this.#opts.requestId } : {}),
      ...(cancelled !== undefined ? { cancelled } : {}),
    });
    this.#inFlight = this.#inFlight.then(() => {
      // Spacing counts from when the update goes out, not from when it was queued.
      this.#lastSentAt = Date.now();
      return this.#poster.update(this.#channel, this.#ts, message, { requestId: this.#opts.requestId });
    });
  }
}

/** The root's first state, as posted before any node is done. */
export function startingState(total: number): RootState {
  return { phase: 'running', done: 0, total, failed: [] };
}
