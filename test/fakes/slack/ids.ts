import { randomBytes } from 'node:crypto';

/** Message timestamps as Slack writes them, `"<epoch seconds>.<6-digit sequence>"`, strictly increasing. */
export class TsClock {
  #sec = 0;
  #seq = 0;

  next(): string {
    const now = Math.floor(Date.now() / 1000);
    if (now > this.#sec) {
      this.#sec = now;
      this.#seq = 0;
    }
    this.#seq += 1;
    if (this.#seq > 999_999) {
      this.#sec += 1;
      this.#seq = 1;
    }
    return `${this.#sec}.${String(this.#seq).padStart(6, '0')}`;
  }
}

/** Slack-looking ids (`F…`, `V…`) from a per-prefix counter, so tests read them easily. */
export class IdSource {
  #counters = new Map<string, number>();

  next(prefix: string): string {
    const n = (this.#counters.get(prefix) ?? 0) + 1;
    this.#counters.set(prefix, n);
    return `${prefix}${String(n).padStart(8, '0')}`;
  }
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}
