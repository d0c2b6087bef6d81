import { ClabBotError } from '../errors.js';

export class RateLimitedError extends ClabBotError {
  readonly retryAfterSec: number;
  constructor(limit: number, retryAfterSec: number) {
    super('rate_limited', `slow down: you can start ${limit} device requests a minute; retry in ${retryAfterSec} s`);
    this.retryAfterSec = retryAfterSec;
  }
}

/**
 * Per-user sliding window over the last minute. Only requests that touch devices count
 * (help, nodes and history are free). Memory is bounded: a user's window holds at most `perMinute` stamps.
 */
export class UserRateLimiter {
  readonly #perMinute: number;
  readonly #now: () => number;
  readonly #windows = new Map<string, number[]>();

  constructor(perMinute: number, now: () => number = Date.now) {
    this.#perMinute = perMinute;
    this.#now = now;
  }

  /** Records a request for `user`, or throws RateLimitedError saying when to retry. */
  take(user: string): void {
    const now = this.#now();
    const window = (this.#windows.get(user) ?? []).filter((t) => now - t < 60_000);
    if (window.length >= this.#perMinute) {
      this.#windows.set(user, window);
      throw new RateLimitedError(this.#perMinute, Math.max(1, Math.ceil((window[0]! + 60_000 - now) / 1000)));
    }
    window.push(now);
    this.#windows.set(user, window);
    if (this.#windows.size > 10_000) this.#sweep(now);
  }

  #sweep(now: number): void {
    for (const [user, w] of this.#windows) if (w.every((t) => now - t >= 60_000)) this.#windows.delete(user);
  }
}
