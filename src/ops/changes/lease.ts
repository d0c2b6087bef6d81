import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Ownership of a running apply: the process that applies a change holds a lease on its row,
 * renewed by a heartbeat, so recovery (here, or on another replica or agent) tells a live
 * applier from a dead one. The primitive is `owner id + expiry`; nothing else is assumed.
 */
export interface LeaseOwner {
  /** `host:pid:nonce`: unique per process run. */
  readonly id: string;
  /** How long one renewal vouches for the apply. */
  readonly ttlMs: number;
}

/** Default lease: renewed every third of it, so two missed heartbeats still hold. */
const DEFAULT_LEASE_MS = 30_000;

/** The owner id of this process. */
export function processOwner(ttlMs: number = DEFAULT_LEASE_MS): LeaseOwner {
  return { id: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`, ttlMs };
}

/**
 * Whether the lease holder is certainly gone: its lease ran out, or it ran on this host and its
 * process no longer exists (a console killed with -9 is found at once, not after the lease).
 * A pid reused by another process reads as alive, which only delays recovery until the expiry.
 */
export function ownerGone(owner: { readonly id: string | undefined; readonly leaseExpiresAt: string | undefined }, now: Date): boolean {
  if (owner.id === undefined || owner.leaseExpiresAt === undefined) return true;
  if (Date.parse(owner.leaseExpiresAt) <= now.getTime()) return true;
  const [host, pid] = owner.id.split(':');
  if (host !== hostname() || pid === undefined || !/^\d+$/.test(pid)) return false;
  if (Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Renews a lease every ttl/3 until stopped; a renewal that finds the lease taken stops it. */
export class Heartbeat {
  readonly #timer: NodeJS.Timeout;
  #stopped = false;

  constructor(renew: () => Promise<boolean>, ttlMs: number, onError: (err: unknown) => void) {
    this.#timer = setInterval(() => {
      renew().then(
        (held) => {
          if (!held) this.stop();
        },
        (err: unknown) => onError(err),
      );
    }, Math.max(1000, Math.floor(ttlMs / 3)));
    // The apply itself keeps the process alive; the heartbeat must not hold an exit.
    this.#timer.unref();
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
  }
}
