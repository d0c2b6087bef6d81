import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/**
 * HTTP mode: Bolt checks each request's signature and refuses timestamps older than five minutes,
 * but within those five minutes the same signed request can be sent again (by anyone who saw it:
 * a proxy log, a TLS terminator) and would run again. This remembers every (timestamp, signature)
 * pair for the window and refuses a second sight with 401. Memory is bounded: entries expire with
 * the window and at most `maxEntries` are kept (the oldest go first).
 */
export class ReplayGuard {
  readonly #seen = new Map<string, number>();
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #maxEntries: number;

  constructor(options: { windowMs?: number; now?: () => number; maxEntries?: number } = {}) {
    this.#windowMs = options.windowMs ?? 5 * 60_000;
    this.#now = options.now ?? Date.now;
    this.#maxEntries = options.maxEntries ?? 100_000;
  }

  /** True when this request was seen within the window; otherwise remembers it. */
  seenBefore(timestamp: string, signature: string): boolean {
    const now = this.#now();
    const key = `${timestamp}\0${signature}`;
    const expires = this.#seen.get(key);
    if (expires !== undefined && expires > now) return true;
    this.#seen.set(key, now + this.#windowMs);
    if (this.#seen.size > this.#maxEntries) this.#sweep(now);
    return false;
  }

  #sweep(now: number): void {
    for (const [key, expires] of this.#seen) if (expires <= now) this.#seen.delete(key);
    // Still full of live entries: drop the oldest (Map keeps insertion order).
    for (const key of this.#seen.keys()) {
      if (this.#seen.size <= this.#maxEntries) break;
      this.#seen.delete(key);
    }
  }
}

/** Wraps the receiver's request listener so a replayed signed request never reaches Bolt. */
export function refuseReplays(listener: RequestListener, guard: ReplayGuard, onReplay: () => void): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const timestamp = req.headers['x-slack-request-timestamp'];
    const signature = req.headers['x-slack-signature'];
    if (typeof timestamp === 'string' && typeof signature === 'string' && guard.seenBefore(timestamp, signature)) {
      onReplay();
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end('replayed request refused');
      return;
    }
    listener(req, res);
  };
}
