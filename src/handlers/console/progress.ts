import { clearLine, cursorTo } from 'node:readline';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const PLAIN_FRAMES = ['|', '/', '-', '\\'];
const TICK_MS = 100;

/**
 * One status line on a terminal (stderr) while a request works: a spinner, what is running and
 * "3/10 nodes done", redrawn in place and erased before the results are printed. On anything but
 * a TTY it writes nothing, so piped output stays clean.
 */
export class ProgressLine {
  readonly #out: NodeJS.WritableStream & { isTTY?: boolean };
  readonly #unicode: boolean;
  #timer: NodeJS.Timeout | undefined;
  #frame = 0;
  #label = '';
  #done = 0;
  #total = 0;
  #failed = 0;
  #shown = false;

  constructor(out: NodeJS.WritableStream & { isTTY?: boolean }, opts: { unicode: boolean }) {
    this.#out = out;
    this.#unicode = opts.unicode;
  }

  get active(): boolean {
    return this.#timer !== undefined;
  }

  /** Starts (or restarts) the line: `label` says what runs, e.g. `exec show version`. */
  start(label: string, total: number): void {
    this.#label = label;
    this.#total = total;
    this.#done = 0;
    this.#failed = 0;
    if (this.#out.isTTY !== true) return;
    clearInterval(this.#timer);
    this.#timer = setInterval(() => this.#draw(), TICK_MS);
    this.#draw();
  }

  /** A node finished. */
  update(done: number, total: number, failed: boolean): void {
    this.#done = done;
    this.#total = total;
    if (failed) this.#failed += 1;
    if (this.active) this.#draw();
  }

  /** Replaces the label (e.g. `cancelling`), keeping the counts. */
  relabel(label: string): void {
    this.#label = label;
    if (this.active) this.#draw();
  }

  /** Erases the line; safe to call when nothing is shown. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#shown) {
      clearLine(this.#out, 0);
      cursorTo(this.#out, 0);
      this.#shown = false;
    }
  }

  #draw(): void {
    const frames = this.#unicode ? FRAMES : PLAIN_FRAMES;
    const spinner = frames[this.#frame++ % frames.length] ?? '';
    const counts = this.#total > 0 ? `  ${this.#done}/${this.#total} nodes done${this.#failed > 0 ? `, ${this.#failed} failed` : ''}` : '';
    const columns = (this.#out as { columns?: number }).columns ?? 80;
    const text = `${spinner} ${this.#label}${counts}  (Ctrl-C cancels)`;
    clearLine(this.#out, 0);
    cursorTo(this.#out, 0);
    this.#out.write(text.length >= columns ? text.slice(0, Math.max(0, columns - 1)) : text);
    this.#shown = true;
  }
}
