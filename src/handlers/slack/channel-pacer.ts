import Bottleneck from 'bottleneck';

export interface ChannelPacerOptions {
  /** Calls per second per channel in the long run (settings limits.slack_calls_per_sec_per_channel). */
  readonly perSec: number;
  /** Calls that may go at once after a quiet spell (Slack allows short bursts). Default 4. */
  readonly burst?: number;
  /**
   * With Redis (several serve replicas): the clustered Bottleneck connection, so a channel's pace
   * holds across replicas (its tokens and its one-at-a-time live in Redis).
   */
  readonly shared?: { readonly connection: Bottleneck.IORedisConnection; readonly id?: string };
}

/**
 * Paces Web API posts per channel, so the bot keeps under Slack's message rate (about one per
 * second per channel) instead of leaning on 429s, and keeps a channel's posts in order: one
 * Bottleneck limiter per channel (one call at a time, a reservoir of `burst` refilled at
 * `perSec`). Channels do not wait for each other. Given a shared connection the limiters are
 * Bottleneck's clustered ones: every replica draws on the same tokens per channel.
 */
export class ChannelPacer {
  readonly #group: Bottleneck.Group;
  readonly #shared: boolean;
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
      ...(opts.shared
        ? {
            datastore: 'ioredis',
            connection: opts.shared.connection,
            id: opts.shared.id ?? 'clab-bot-slack-channel',
            clearDatastore: false,
            // A clustered limiter sees new tokens on its heartbeat: often enough not to add a visible delay.
            heartbeatInterval: Math.min(250, interval),
          }
        : {}),
    });
    this.#shared = opts.shared !== undefined;
    this.#group.on('error', () => undefined);
  }

  /** Runs `fn` when the channel has a token and its earlier calls are done. */
  run<T>(channel: string, fn: () => Promise<T>): Promise<T> {
    if (this.#stopped) return fn();
    return this.#group.key(channel).schedule(fn);
  }

  /** Shutdown: calls already queued go at once (they are final replies), later calls are not paced. */
  stop(): void {
    this.#stopped = true;
    // Clustered settings are the other replicas' too: queued calls keep their pace there.
    if (this.#shared) return;
    for (const { limiter } of this.#group.limiters()) void limiter.updateSettings({ reservoir: null, maxConcurrent: null });
  }
}
