import Bottleneck from 'bottleneck';

export interface ChannelPacerOptions {
  /** Calls per second per channel in the long run (settings limits.slack_calls_per_sec_per_channel). */
  readonly perSec: number;
  /** Calls that may go at once after a quiet spell (Slack allows short bursts). Default 4. */
  readonly burst?: number;
}

/**
 * Paces Web API posts per channel, so the bot keeps under Slack's message rate (about one per
 * second per channel) instead of leaning on 429s, and keeps a channel's posts in order: one
 * Bottleneck limiter per channel (one call at a time, a reservoir of `burst` refilled at
 * `perSec`). Channels do not wait for each other.
 */
export class ChannelPacer {
  readonly #group: Bottleneck.Group;
  #stopped = false;

  constructor(opts: ChannelPacerOptions) {
    const burst = Math.max(1, opts.burst ?? 4);
    const perSec = Math.max(0.01, opts.perSec);
    // Refill one token every 1/perSec s; for rates above 1/ms refill several per tick.
    const interval = Math.max(1, Math.round(1000 / perSec));
    this.#group = new Bottleneck.Group({
      maxConcurrent: 1,
      reservoir: burst,
      reservoirIncreaseInterval: interval,
      reservoirIncreaseAmount: Math.max(1, Math.round((perSec * interval) / 1000)),
      reservoirIncreaseMaximum: burst,
      // Forget channels idle for 10 minutes.
      timeout: 600_000,
    });
  }

  /** Runs `fn` when the channel has a token and its earlier calls are done. */
  run<T>(channel: string, fn: () => Promise<T>): Promise<T> {
    if (this.#stopped) return fn();
    return this.#group.key(channel).schedule(fn);
  }

  /** Shutdown: calls already queued go at once (they are final replies), later calls are not paced. */
  stop(): void {
    this.#stopped = true;
    for (const { limiter } of this.#group.limiters()) void limiter.updateSettings({ reservoir: null, maxConcurrent: null });
  }
}
