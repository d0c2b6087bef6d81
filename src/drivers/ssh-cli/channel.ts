/**
 * One interactive CLI session over SSH (a shell with a pty), the way a person types at it: send a
 * line, read until the platform's prompt comes back, drop the echo, ANSI sequences, `\r` and
 * the prompt, and hand back the output. Commands run one at a time per channel. A command that
 * times out or is cancelled closes the channel: the rest of its answer would arrive later and be
 * mistaken for the next command's, so a half-read channel is never reused.
 */
import type { ClientChannel } from 'ssh2';
import { AuthFailedError, CancelledError, ConnectionLostError, DriverError, TimeoutError, type DriverErrorContext } from '../errors.js';
import { connectSsh, type SshConnection } from '../ssh/connect.js';
import type { CliPlatform } from './platform.js';

export interface CliChannelOptions {
  readonly label: string;
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  /** The enable secret for an unprivileged login (IOS); default the login password. Never logged. */
  readonly secret?: string;
  readonly platform: CliPlatform;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** A question the device may ask mid-command, and the answer to type. */
export interface CliAnswer {
  readonly pattern: RegExp;
  readonly reply: string;
}

export interface SendOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly operation: string;
  readonly answers?: readonly CliAnswer[];
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b[()][A-Z0-9]|\u001b[=>]/g;

/** Terminal text as a person would read it: ANSI sequences gone, backspaces applied, CRs dropped. */
export function cleanTerminalText(raw: string): string {
  const noAnsi = raw.replace(ANSI, '').replace(/\r+\n/g, '\n').replace(/\r/g, '');
  if (!noAnsi.includes('\b')) return noAnsi;
  const out: string[] = [];
  for (const ch of noAnsi) {
    if (ch === '\b') {
      if (out.length > 0 && out[out.length - 1] !== '\n') out.pop();
    } else out.push(ch);
  }
  return out.join('');
}

export class CliChannel {
  readonly #platform: CliPlatform;
  readonly #label: string;
  #connection: SshConnection | undefined;
  #stream: ClientChannel | undefined;
  #raw = '';
  #waiter: (() => void) | undefined;
  #closed = false;
  #queue: Promise<unknown> = Promise.resolve();
  /** The last prompt seen (`RP/0/RP0/CPU0:xrd1(config)#`). */
  prompt = '';

  private constructor(platform: CliPlatform, label: string) {
    this.#platform = platform;
    this.#label = label;
  }

  /** Connects, starts the shell, reaches a privileged prompt and turns paging off. */
  static async open(o: CliChannelOptions): Promise<CliChannel> {
    const channel = new CliChannel(o.platform, o.label);
    const ctx: DriverErrorContext = { node: o.label, operation: 'open' };
    const started = Date.now();
    const left = (): number => Math.max(1, o.timeoutMs - (Date.now() - started));
    const connection = await connectSsh(
      {
        label: o.label,
        host: o.host,
        port: o.port,
        username: o.username,
        password: o.password,
        connectTimeoutMs: o.timeoutMs,
        ...(o.signal === undefined ? {} : { signal: o.signal }),
      },
      'the CLI session',
    );
    channel.#connection = connection;
    try {
      const stream = await new Promise<ClientChannel>((resolve, reject) => {
        connection.client.shell({ term: 'vt100', cols: 511, rows: 24 }, (err, s) =>
          err ? reject(new ConnectionLostError(ctx, `the device refused an interactive shell (${err.message})`, { requestSent: false })) : resolve(s),
        );
      });
      channel.#attach(stream);
      await channel.#readUntilPrompt({ timeoutMs: left(), operation: 'open', ...(o.signal === undefined ? {} : { signal: o.signal }) }, true);
      const suffix = o.platform.unprivilegedSuffix;
      if (suffix !== undefined && channel.prompt.endsWith(suffix)) {
        const out = await channel.#exchange('enable', {
          timeoutMs: left(),
          operation: 'open',
          answers: [{ pattern: o.platform.secretPrompt, reply: o.secret ?? o.password }],
          ...(o.signal === undefined ? {} : { signal: o.signal }),
        });
        if (channel.prompt.endsWith(suffix)) {
          throw new AuthFailedError({ ...ctx, cause: new Error(out) }, `${o.username} (enable: the secret was refused; set the node's enable secret)`);
        }
      }
      for (const command of o.platform.onOpen) {
        await channel.#exchange(command, { timeoutMs: left(), operation: 'open', ...(o.signal === undefined ? {} : { signal: o.signal }) });
      }
      return channel;
    } catch (err) {
      channel.close();
      throw err;
    }
  }

  get alive(): boolean {
    return !this.#closed;
  }

  /** Runs `command` (one line) and returns its output: echo, prompt and the platform's noise removed. */
  send(command: string, o: SendOptions): Promise<string> {
    const run = async (): Promise<string> => this.#exchange(command, o);
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stream?.removeAllListeners('data');
    this.#connection?.end();
    this.#wake();
  }

  #attach(stream: ClientChannel): void {
    this.#stream = stream;
    stream.on('data', (chunk: Buffer) => {
      this.#raw += chunk.toString('utf8');
      this.#wake();
    });
    stream.stderr.on('data', () => undefined);
    stream.on('close', () => this.close());
  }

  #wake(): void {
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.();
  }

  async #exchange(command: string, o: SendOptions): Promise<string> {
    const ctx: DriverErrorContext = { node: this.#label, operation: o.operation };
    if (this.#closed) throw new ConnectionLostError(ctx, 'the CLI session is closed', { requestSent: false });
    if (o.signal?.aborted) throw new CancelledError(ctx);
    if (/[\r\n]/.test(command)) throw new DriverError('unsupported', `${this.#label}: a command must be one line`, ctx);
    this.#raw = '';
    this.#stream?.write(`${command}\n`);
    const text = await this.#readUntilPrompt(o, false);
    // The first line is the echo of what was typed.
    const lines = text.split('\n');
    lines.shift();
    lines.pop();
    if (lines.length > 0 && this.#platform.noise.some((re) => re.test(lines[0] as string))) lines.shift();
    return lines.join('\n');
  }

  /** Waits until the last line is a prompt; answers questions and pagers on the way. Returns the cleaned text, prompt included. */
  #readUntilPrompt(o: SendOptions, opening: boolean): Promise<string> {
    const ctx: DriverErrorContext = { node: this.#label, operation: o.operation };
    return new Promise<string>((resolve, reject) => {
      let nudged = false;
      const fail = (err: DriverError): void => {
        clearTimeout(timer);
        clearTimeout(nudge);
        o.signal?.removeEventListener('abort', onAbort);
        this.#waiter = undefined;
        // Part of the answer may still arrive: this channel can never be trusted again.
        this.close();
        reject(err);
      };
      const onAbort = (): void => fail(new CancelledError(ctx));
      const timer = setTimeout(() => fail(new TimeoutError(ctx, o.timeoutMs)), o.timeoutMs);
      // Some devices print their prompt only after a first Enter.
      const nudge = setTimeout(() => {
        if (opening && !nudged) {
          nudged = true;
          this.#stream?.write('\n');
        }
      }, 1500);
      o.signal?.addEventListener('abort', onAbort, { once: true });
      const check = (): void => {
        if (this.#closed) {
          fail(new ConnectionLostError(ctx, 'the device closed the CLI session'));
          return;
        }
        const text = cleanTerminalText(this.#raw);
        const cut = text.lastIndexOf('\n');
        const last = text.slice(cut + 1);
        if (this.#platform.pager.test(last)) {
          this.#raw = this.#raw.replace(/ ?--More-- ?$/, '');
          this.#stream?.write(' ');
          this.#waiter = check;
          return;
        }
        const answer = o.answers?.find((a) => a.pattern.test(last));
        if (answer !== undefined) {
          this.#raw += '\n';
          this.#stream?.write(`${answer.reply}\n`);
          this.#waiter = check;
          return;
        }
        if ((opening || cut >= 0) && this.#platform.prompt.test(last)) {
          clearTimeout(timer);
          clearTimeout(nudge);
          o.signal?.removeEventListener('abort', onAbort);
          this.prompt = last.trim();
          resolve(text);
          return;
        }
        this.#waiter = check;
      };
      check();
    });
  }
}
