import { setTimeout as sleep } from 'node:timers/promises';
import { FakeSlackError } from './errors.js';

export interface WaitOptions {
  /** Give up after this many ms. Default 5000. */
  readonly timeoutMs?: number;
  /** Poll interval. Default 10 ms. */
  readonly intervalMs?: number;
  /** Named in the timeout error ("… waiting for 2 chat.postMessage calls"). */
  readonly what?: string;
}

/**
 * Polls `probe` until it returns something other than undefined/false, and returns that.
 * Bounded by timeoutMs: the app's work after ack() is asynchronous, so tests wait for its visible effect.
 */
export async function waitUntil<T>(probe: () => T | undefined | false, opts: WaitOptions = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() >= deadline) {
      throw new FakeSlackError('wait_timeout', `timed out after ${timeoutMs} ms waiting for ${opts.what ?? 'a condition'}`);
    }
    await sleep(opts.intervalMs ?? 10);
  }
}
