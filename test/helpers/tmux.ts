import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { availableOrSkip } from './requirements.js';

/**
 * Whether tmux is installed (the console tests drive a real terminal through it). Under CI a
 * missing tmux fails the run; elsewhere the tests are skipped with a notice.
 */
export function haveTmux(): boolean {
  const probe = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
  const availability = probe.status === 0 ? { available: true as const } : { available: false as const, reason: 'tmux is not installed (apt-get install tmux)' };
  return availableOrSkip('console terminal tests', availability);
}

/** Whether the process is gone or a zombie (exited, not yet reaped): it holds nothing any more. */
export function processGone(pid: number): boolean {
  const stat = procStat(pid);
  return stat === undefined || stat.state === 'Z';
}

/** A zombie's exit status from /proc/PID/stat (field 52, in waitpid form); undefined while it runs. */
export function zombieStatus(pid: number): number | undefined {
  const stat = procStat(pid);
  if (stat?.state !== 'Z' || stat.exitCode === undefined) return undefined;
  const signal = stat.exitCode & 0x7f;
  return signal === 0 ? (stat.exitCode >> 8) & 0xff : 128 + signal;
}

function procStat(pid: number): { state: string; exitCode: number | undefined } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces; fields after it are plain.
  const fields = text.slice(text.lastIndexOf(')') + 2).trim().split(' ');
  const exit = fields[49];
  return { state: fields[0] ?? '', exitCode: exit === undefined ? undefined : Number(exit) };
}

export interface TmuxStartOptions {
  /** argv of the program to run in the terminal (no shell involved). */
  readonly command: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly width?: number;
  readonly height?: number;
}

/**
 * A program running in a real pseudo-terminal: a tmux server of its own (private socket, no user
 * config), the pane kept after the program exits so its last screen and exit status can be read.
 * What the tests assert on is what a user would see: the captured screen and scrollback.
 */
export class TmuxTerminal {
  readonly #dir: string;
  readonly #socket: string;
  #pid: number | undefined;
  #closed = false;

  private constructor(dir: string) {
    this.#dir = dir;
    this.#socket = join(dir, 'tmux.sock');
  }

  static start(o: TmuxStartOptions): TmuxTerminal {
    const dir = mkdtempSync(join(tmpdir(), 'clab-tmux-'));
    const t = new TmuxTerminal(dir);
    const conf = join(dir, 'tmux.conf');
    writeFileSync(conf, 'set -g remain-on-exit on\nset -g history-limit 20000\nset -g status off\n');
    const args = ['-f', conf, 'new-session', '-d', '-s', 'test', '-x', String(o.width ?? 200), '-y', String(o.height ?? 50)];
    if (o.cwd) args.push('-c', o.cwd);
    const env: NodeJS.ProcessEnv = { ...process.env, ...o.env };
    // `undefined` in o.env removes a variable (e.g. NO_COLOR set by the runner).
    for (const [k, v] of Object.entries(o.env ?? {})) if (v === undefined) delete env[k];
    t.#tmux([...args, '--', ...o.command], env);
    return t;
  }

  /** Types text as is (no key names interpreted). */
  type(text: string): void {
    // tmux reads an argument's final `;` as a command separator unless it is escaped.
    this.#tmux(['send-keys', '-t', 'test', '-l', text.endsWith(';') ? `${text.slice(0, -1)}\\;` : text]);
  }

  /** Presses keys by tmux name: Enter, Tab, C-c, C-d, Up. */
  press(...keys: string[]): void {
    this.#tmux(['send-keys', '-t', 'test', ...keys]);
  }

  /** Types a line and presses Enter. */
  line(text: string): void {
    this.type(text);
    this.press('Enter');
  }

  /** Scrollback and screen as plain text (escape sequences dropped, wrapped lines joined). */
  capture(): string {
    return this.#tmux(['capture-pane', '-p', '-J', '-S', '-', '-t', 'test'])
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n')
      .trimEnd();
  }

  /** The same with colours kept as SGR escape sequences (-e). */
  captureStyled(): string {
    return this.#tmux(['capture-pane', '-p', '-e', '-J', '-S', '-', '-t', 'test']);
  }

  /** Waits until the captured text matches, polling; throws with the screen on timeout. */
  async waitFor(pattern: RegExp | ((screen: string) => boolean), timeoutMs = 20_000): Promise<string> {
    const test = typeof pattern === 'function' ? pattern : (s: string) => pattern.test(s);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.capture();
      if (test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`the terminal did not show ${String(pattern)} within ${timeoutMs} ms; it shows:\n${screen}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Process id of the program in the pane. */
  pid(): number {
    this.#pid ??= Number(this.#tmux(['display-message', '-p', '-t', 'test', '#{pane_pid}']).trim());
    return this.#pid;
  }

  /** The program's exit status once it has exited (128 + N when killed by signal N, as a shell says), else undefined. */
  exitStatus(): number | undefined {
    const [dead, status, signal] = this.#tmux(['display-message', '-p', '-t', 'test', '#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}']).trim().split('|');
    if (dead === '1' && status !== undefined && status !== '') return Number(status);
    if (dead === '1' && signal !== undefined && signal !== '') return 128 + Number(signal);
    // tmux now and then misses the child's exit and leaves it a zombie; the kernel still has its status.
    this.#pid ??= this.pid();
    return zombieStatus(this.#pid);
  }

  async waitForExit(timeoutMs = 20_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = this.exitStatus();
      if (status !== undefined) return status;
      if (Date.now() > deadline) throw new Error(`the program did not exit within ${timeoutMs} ms; the terminal shows:\n${this.capture()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Ends the tmux server (the program gets SIGHUP if still running) and removes its files. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    spawnSync('tmux', ['-S', this.#socket, 'kill-server'], { encoding: 'utf8' });
    rmSync(this.#dir, { recursive: true, force: true });
  }

  #tmux(args: readonly string[], env?: NodeJS.ProcessEnv): string {
    const r = spawnSync('tmux', ['-S', this.#socket, ...args], { encoding: 'utf8', env: env ?? process.env, timeout: 10_000 });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')} failed: ${r.stderr || r.error?.message || `status ${r.status}`}`);
    return r.stdout;
  }
}
