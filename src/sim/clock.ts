/**
 * The time source of a simulator: what "now" is and when a timer fires. Devices default to the
 * system clock; tests inject a clock they advance by hand so a commit-confirmed rollback happens
 * exactly when the test says, instead of after a real wait.
 */
export interface SimTimer {
  cancel(): void;
}

export interface SimClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` once after `ms`; timers never keep the process alive. */
  setTimer(fn: () => void, ms: number): SimTimer;
}

export const systemClock: SimClock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
};

/** A clock that moves only when told to; due timers run synchronously inside advance(), in deadline order. */
export class ManualClock implements SimClock {
  #now: number;
  #timers: Array<{ at: number; seq: number; fn: () => void }> = [];
  #seq = 0;

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(fn: () => void, ms: number): SimTimer {
    const timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn };
    this.#timers.push(timer);
    return { cancel: () => void (this.#timers = this.#timers.filter((t) => t !== timer)) };
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#now = due.at;
      due.fn();
    }
    this.#now = target;
  }

  /** Timers not yet fired. */
  get pending(): number {
    return this.#timers.length;
  }
}
