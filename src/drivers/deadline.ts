import type { CallOptions } from './contract.js';
import { CancelledError, TimeoutError, type DriverErrorContext } from './errors.js';

/** What one request of a driver method gets from its method's budget (any transport). */
export interface RequestBudget {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly operation: string;
}

/**
 * One time budget for a whole driver method, shared by the requests it sends: each request gets
 * what is left. A budget already spent fails before sending, so nothing is left half-read.
 */
export class Deadline {
  readonly #end: number;
  readonly #budgetMs: number;
  readonly signal: AbortSignal | undefined;

  constructor(budgetMs: number, signal?: AbortSignal) {
    this.#budgetMs = budgetMs;
    this.#end = Date.now() + budgetMs;
    this.signal = signal;
  }

  /** Options for the next request; throws TimeoutError / CancelledError when nothing is left. */
  rpc(ctx: DriverErrorContext): RequestBudget {
    if (this.signal?.aborted) throw new CancelledError(ctx);
    const left = this.#end - Date.now();
    if (left <= 0) throw new TimeoutError(ctx, this.#budgetMs);
    return this.signal === undefined
      ? { timeoutMs: left, operation: ctx.operation }
      : { timeoutMs: left, signal: this.signal, operation: ctx.operation };
  }

  /** The whole budget, for a TimeoutError message. */
  get budgetMs(): number {
    return this.#budgetMs;
  }
}

/** A driver's budget per kind of method, in ms: every driver sorts its methods into these five. */
export interface MethodTimeouts {
  readonly open: number;
  readonly exec: number;
  readonly plan: number;
  readonly apply: number;
  readonly read: number;
}

/** The deadline of one method call: the caller's timeout when given, else the driver's budget for that kind. */
export function methodDeadline(opts: CallOptions, timeouts: MethodTimeouts, kind: keyof MethodTimeouts): Deadline {
  return new Deadline(opts.timeoutMs ?? timeouts[kind], opts.signal);
}
