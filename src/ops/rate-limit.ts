import { ClabBotError } from '../errors.js';

export class RateLimitedError extends ClabBotError {
  readonly retryAfterSec: number;
  constructor(what: string, retryAfterSec: number) {
    super('rate_limited', `slow down: you can ${what} a minute; retry in ${retryAfterSec} s`);
    this.retryAfterSec = retryAfterSec;
  }
}

/** Takes `cost` units of a user's budget or throws RateLimitedError; shared limiters answer asynchronously. */
export interface RateLimiter {
  take(user: string, cost?: number): void | Promise<void>;
}

/** The retry delay of a refused take: once the window entry at `untilMs` leaves the minute. */
export function retryAfterSec(untilMs: number, nowMs: number): number {
  return Math.max(1, Math.ceil((untilMs + 60_000 - nowMs) / 1000));
}

/**
 * Per-user sliding window over the last minute, in units of cost: one per request for the request
 * limit (every request but help and whoami, denied ones included), one per node for the node limit
 * (an `--all` over 200 nodes costs 200). A request costing more than the whole budget runs only
 * when the window is empty, and then uses all of it. Memory is bounded: a window holds at most
 * `perMinute` entries per user, and idle users are swept.
 */
export class UserRateLimiter implements RateLimiter {
  readonly #perMinute: number;
  readonly #now: () => number;
  readonly #what: string;
  readonly #windows = new Map<string, { t: number; cost: number }[]>();

  /** `what`: the budget in words, for the message ("start 30 requests", "touch 1000 nodes"). */
  constructor(perMinute: number, now: () => number = Date.now, what = `start ${perMinute} requests`) {
    this.#perMinute = perMinute;
    this.#now = now;
    this.#what = what;
  }

  /** Records `cost` units for `user`, or throws RateLimitedError saying when to retry. */
  take(user: string, cost = 1): void {
    const now = this.#now();
    const window = (this.#windows.get(user) ?? []).filter((e) => now - e.t < 60_000);
    const used = window.reduce((sum, e) => sum + e.cost, 0);
    if (used > 0 && used + cost > this.#perMinute) {
      this.#windows.set(user, window);
      // Retry once enough of the window has expired to make room.
      let freed = 0;
      const needed = Math.min(used, used + cost - this.#perMinute);
      const until = window.find((e) => (freed += e.cost) >= needed) ?? window[window.length - 1]!;
      throw new RateLimitedError(this.#what, retryAfterSec(until.t, now));
    }
    window.push({ t: now, cost: Math.min(cost, this.#perMinute) });
    this.#windows.set(user, window);
    if (this.#windows.size > 10_000) this.#sweep(now);
  }

  #sweep(now: number): void {
    for (const [user, w] of this.#windows) if (w.every((e) => now - e.t >= 60_000)) this.#windows.delete(user);
  }
}
