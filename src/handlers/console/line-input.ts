import { createInterface, type Completer, type Interface } from 'node:readline';
import type { CommandHistory } from './history.js';
import { HISTORY_SIZE } from './history.js';

/** What reading a command line gave. */
export type ReadResult =
  | { readonly type: 'line'; readonly line: string }
  /** Ctrl-D at an empty prompt, or the end of piped input. */
  | { readonly type: 'eof' }
  /** The user asked to leave (Ctrl-C twice at the prompt) or the console is being stopped. */
  | { readonly type: 'exit' };


/** The end-of-paste marker: a line holding a single `.`. */
export const PASTE_END = '.';

export interface LineInput {
  /** Waits for the next command line. */
  next(prompt: string): Promise<ReadResult>;
  /** Reads configuration lines until a line holding only `.` or the end of input (Ctrl-D); undefined when cancelled. */
  paste(): Promise<string | undefined>;
  /**
   * Asks one question at a terminal (`approve? [y/N]`) and returns the answer; undefined for
   * Ctrl-C, Ctrl-D, or when there is no terminal to ask at (piped input is never taken as an answer).
   */
  ask(question: string): Promise<string | undefined>;
  /** Ends any wait with `exit` (a signal arrived); later reads return `exit` too. */
  stop(): void;
  close(): void;
}

type Item = ReadResult | { readonly type: 'interrupt' };

/** Lines and events in arrival order; readers take them one at a time. */
class Queue {
  readonly #items: Item[] = [];
  #waiter: ((item: Item) => void) | undefined;

  push(item: Item): void {
    const w = this.#waiter;
    if (w) {
      this.#waiter = undefined;
      w(item);
    } else this.#items.push(item);
  }

  /** Next item, waiting if none. */
  take(): Promise<Item> {
    const item = this.#items.shift();
    if (item) return Promise.resolve(item);
    return new Promise((resolve) => (this.#waiter = resolve));
  }

  get size(): number {
    return this.#items.length;
  }
}

/**
 * Input from a pipe or a file: one readline over the whole stream, no prompt, no echo. The end of
 * the stream ends the session (after the lines already read are run).
 */
export class ScriptedInput implements LineInput {
  readonly #queue = new Queue();
  readonly #rl: Interface;
  #stopped = false;

  constructor(stdin: NodeJS.ReadableStream) {
    this.#rl = createInterface({ input: stdin, terminal: false, crlfDelay: Infinity });
    this.#rl.on('line', (line) => this.#queue.push({ type: 'line', line }));
    this.#rl.on('close', () => this.#queue.push({ type: 'eof' }));
  }

  async next(): Promise<ReadResult> {
    if (this.#stopped) return { type: 'exit' };
    const item = await this.#queue.take();
    if (item.type === 'eof') this.#queue.push(item); // EOF stays: every later read sees it.
    return item.type === 'interrupt' ? { type: 'exit' } : item;
  }

  async paste(): Promise<string | undefined> {
    const lines: string[] = [];
    for (;;) {
      const item = await this.#queue.take();
      if (item.type === 'line' && item.line !== PASTE_END) {
        lines.push(item.line);
        continue;
      }
      if (item.type === 'eof') this.#queue.push(item);
      if (item.type === 'exit' || item.type === 'interrupt') return undefined;
      return joinLines(lines);
    }
  }

  async ask(): Promise<undefined> {
    return undefined;
  }

  stop(): void {
    this.#stopped = true;
    this.#queue.push({ type: 'exit' });
  }

  close(): void {
    this.#rl.close();
  }
}

export interface TtyInputOptions {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly completer: Completer;
  readonly history: CommandHistory;
  /** Printed when Ctrl-C is pressed at an empty prompt (the first time). */
  readonly exitHint: string;
}

/**
 * Input from a terminal. A readline (raw mode: history, Tab completion, line editing) exists only
 * while a prompt is shown; while a request runs the terminal is back in cooked mode, so Ctrl-C
 * arrives as SIGINT (the console cancels the request) and typed-ahead lines wait in the terminal
 * to be read by the next prompt. Each readline reads into one queue, so lines that arrive
 * together (a paste) are all kept.
 */
export class TtyInput implements LineInput {
  readonly #o: TtyInputOptions;
  readonly #queue = new Queue();
  #rl: Interface | undefined;
  /** Where the open question's answer goes (ask). */
  #answers: Queue | undefined;
  #stopped = false;

  constructor(options: TtyInputOptions) {
    this.#o = options;
  }

  async next(prompt: string): Promise<ReadResult> {
    let armed = false;
    for (;;) {
      if (this.#stopped) return { type: 'exit' };
      if (this.#queue.size === 0 && this.#rl === undefined) this.#open(prompt, 'command');
      const item = await this.#queue.take();
      if (item.type === 'interrupt') {
        if (armed) {
          this.#closeRl();
          return { type: 'exit' };
        }
        armed = true;
        this.#o.stdout.write(`\n${this.#o.exitHint}\n`);
        this.#rl?.prompt();
        continue;
      }
      this.#closeRl();
      return item;
    }
  }

  async paste(): Promise<string | undefined> {
    const lines: string[] = [];
    for (;;) {
      if (this.#stopped) return undefined;
      if (this.#queue.size === 0 && this.#rl === undefined) this.#open('', 'paste');
      const item = await this.#queue.take();
      if (item.type === 'line' && item.line !== PASTE_END) {
        lines.push(item.line);
        continue;
      }
      this.#closeRl();
      if (item.type === 'exit' || item.type === 'interrupt') return undefined;
      // Ctrl-D ends the paste only; the next prompt opens a fresh readline.
      return joinLines(lines);
    }
  }

  async ask(question: string): Promise<string | undefined> {
    if (this.#stopped) return undefined;
    // The answer comes from a fresh prompt only: lines typed ahead stay queued as commands.
    const answers = new Queue();
    this.#answers = answers;
    this.#closeRl();
    this.#open(question, 'answer', answers);
    const item = await answers.take();
    this.#answers = undefined;
    this.#closeRl();
    return item.type === 'line' ? item.line : undefined;
  }

  stop(): void {
    this.#stopped = true;
    this.#queue.push({ type: 'exit' });
    this.#answers?.push({ type: 'exit' });
    this.#closeRl();
  }

  close(): void {
    this.#closeRl();
  }

  #open(prompt: string, mode: 'command' | 'paste' | 'answer', queue: Queue = this.#queue): void {
    const command = mode === 'command';
    const rl = createInterface({
      input: this.#o.stdin,
      output: this.#o.stdout,
      terminal: true,
      prompt,
      // Pasted configuration and answers never enter the history (configuration may hold secrets).
      ...(command
        ? { completer: this.#o.completer, history: this.#o.history.lines(), historySize: HISTORY_SIZE, removeHistoryDuplicates: true }
        : { historySize: 0 }),
      tabSize: 4,
    });
    if (command) rl.on('history', (h: string[]) => this.#o.history.update(h));
    rl.on('line', (line) => queue.push({ type: 'line', line }));
    rl.on('SIGINT', () => {
      if (command && rl.line !== '') {
        // Like a shell: Ctrl-C drops what was typed and shows a fresh prompt.
        this.#o.stdout.write('^C\n');
        rl.write(null, { ctrl: true, name: 'e' });
        rl.write(null, { ctrl: true, name: 'u' });
        return;
      }
      queue.push({ type: 'interrupt' });
    });
    // The terminal went away (hang-up, closed window): the end of input, so the console still cleans up.
    rl.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EIO') throw err;
      if (this.#rl === rl) this.#rl = undefined;
      queue.push({ type: 'eof' });
    });
    rl.on('close', () => {
      if (this.#rl !== rl) return; // closed by us
      this.#rl = undefined;
      this.#o.stdout.write('\n');
      queue.push({ type: 'eof' });
    });
    this.#rl = rl;
    rl.prompt();
  }

  #closeRl(): void {
    const rl = this.#rl;
    this.#rl = undefined;
    rl?.close();
  }
}

function joinLines(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
