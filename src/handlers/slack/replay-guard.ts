import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { SharedState } from '../../ops/shared-state.js';

/**
 * HTTP mode: Bolt checks each request's signature and refuses timestamps older than five minutes,
 * but within those five minutes the same signed request can be sent again (by anyone who saw it:
 * a proxy log, a TLS terminator) and would run again. This remembers every (timestamp, signature)
 * pair for the window and refuses a second sight with 401. The memory is the shared state: with
 * several replicas behind a load balancer (CLAB_BOT_REDIS) a replay sent to another replica is
 * refused too; alone, this process's bounded map.
 */
export class ReplayGuard {
  readonly #state: SharedState;
  readonly #windowMs: number;

  constructor(state: SharedState, options: { windowMs?: number } = {}) {
    this.#state = state;
    this.#windowMs = options.windowMs ?? 5 * 60_000;
  }

  /** True when this request was seen within the window (by any replica); otherwise remembers it. */
  async seenBefore(timestamp: string, signature: string): Promise<boolean> {
    return !(await this.#state.claimOnce(`slack-replay:${timestamp}:${signature}`, this.#windowMs));
  }
}

/**
 * Wraps the receiver's request listener so a replayed signed request never reaches Bolt. When the
 * shared state cannot answer (Redis away), the request goes on: Bolt still checks its signature and age.
 */
export function refuseReplays(
  listener: RequestListener,
  guard: ReplayGuard,
  onReplay: () => void,
  onUnchecked: (err: Error) => void = () => undefined,
): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const timestamp = req.headers['x-slack-request-timestamp'];
    const signature = req.headers['x-slack-signature'];
    if (typeof timestamp !== 'string' || typeof signature !== 'string') {
      listener(req, res);
      return;
    }
    guard.seenBefore(timestamp, signature).then(
      (seen) => {
        if (!seen) {
          listener(req, res);
          return;
        }
        onReplay();
        res.writeHead(401, { 'content-type': 'text/plain' });
        res.end('replayed request refused');
      },
      (err: unknown) => {
        onUnchecked(err as Error);
        listener(req, res);
      },
    );
  };
}
