/**
 * State of one simulated EOS device and its CLI: running and startup configuration, configuration
 * sessions (pending, commit timer with automatic revert, completed), checkpoints and flash files.
 * `runCmds` runs one eAPI request's commands in one fresh CLI context, stopping at the first
 * failure, as EOS does. Protocol-free: server.ts wraps it in JSON-RPC over HTTP(S).
 */
import { randomUUID } from 'node:crypto';
import type { SimClock, SimTimer } from '../clock.js';
import { CONFIG_TREE, EXEC_TREE, resolveCommand } from './commands.js';
import { cloneTree, ConfigEditor, ConfigLineError, parseConfig, renderConfig, sessionDiff, type ConfigNode } from './config.js';
import { showCommand, type ShowOutput } from './show.js';
import type { EosCommitRecord, EosFaults, EosOspfNeighborSpec, EosSessionInfo } from './types.js';

/** `service configuration session max pending` / `max completed` defaults. */
export const MAX_PENDING_SESSIONS = 5;
export const MAX_COMPLETED_SESSIONS = 1;
/** Timers above this are refused (EOS takes HH:MM:SS up to a day). */
const MAX_TIMER_SECONDS = 24 * 3600;

/** One failed command: the eAPI error code (1002 invalid input, 1000 could not run, 1003 unconverted) and EOS' messages. */
export class CommandFailure extends Error {
  constructor(
    readonly code: 1000 | 1002 | 1003,
    readonly errors: readonly string[],
  ) {
    super(errors.join('; '));
  }
}

export interface Session {
  readonly name: string;
  state: 'pending' | 'pendingCommitTimer' | 'completed';
  readonly user: string;
  description: string;
  tree: ConfigNode[];
  readonly created: Date;
  /** While a commit timer runs: the running configuration to restore when it expires. */
  revertTo?: ConfigNode[];
  timer?: SimTimer;
  timerExpiry?: Date;
}

export interface DeviceOptions {
  readonly hostname: string;
  readonly model: string;
  readonly version: string;
  readonly serial: string;
  readonly systemMac: string;
  readonly username: string;
  readonly password: string;
  readonly initialConfig: string;
  readonly faults: EosFaults;
  readonly neighbors: readonly EosOspfNeighborSpec[];
  readonly clock: SimClock;
}

export type CommandInput = string | { readonly cmd: string; readonly input?: string };

export type RunResult =
  | { readonly ok: true; readonly results: unknown[] }
  /** `index` is the failing command; `results` those before it. */
  | { readonly ok: false; readonly index: number; readonly failure: CommandFailure; readonly results: unknown[] };

interface CliContext {
  readonly user: string;
  readonly format: 'json' | 'text';
  readonly autoComplete: boolean;
  privileged: boolean;
  /** Configuration mode: the editor, and the session when in one (else configure terminal). */
  config: { editor: ConfigEditor; session: Session | undefined } | undefined;
}

export class EosDevice {
  readonly opts: DeviceOptions;
  faults: EosFaults;
  running: ConfigNode[];
  startup: ConfigNode[];
  readonly sessions = new Map<string, Session>();
  readonly checkpoints = new Map<string, { text: string; time: Date; user: string }>();
  readonly flash = new Map<string, string>();
  readonly history: EosCommitRecord[] = [];
  readonly bootTime: Date;
  #closed = false;

  constructor(opts: DeviceOptions) {
    this.opts = opts;
    this.faults = { ...opts.faults };
    this.bootTime = this.now();
    this.running = parseConfig(opts.initialConfig);
    this.startup = cloneTree(this.running);
  }

  now(): Date {
    return new Date(this.opts.clock.now());
  }

  get hostname(): string {
    const line = this.running.find((n) => n.line.startsWith('hostname '));
    return line === undefined ? this.opts.hostname : line.line.slice('hostname '.length);
  }

  runningText(tree: readonly ConfigNode[] = this.running): string {
    return renderConfig(tree);
  }

  sessionInfo(): EosSessionInfo[] {
    return [...this.sessions.values()].map((s) => ({ name: s.name, state: s.state, user: s.user, description: s.description }));
  }

  /** Runs one request's commands in a fresh CLI context (each eAPI request is its own CLI session). */
  runCmds(cmds: readonly CommandInput[], format: 'json' | 'text', user: string, autoComplete: boolean): RunResult {
    const ctx: CliContext = { user, format, autoComplete, privileged: false, config: undefined };
    const results: unknown[] = [];
    for (const [index, item] of cmds.entries()) {
      const command = typeof item === 'string' ? item : item.cmd;
      try {
        const out = this.#run(ctx, command);
        results.push(format === 'text' ? { output: out === undefined ? '' : out.text } : (out?.json ?? {}));
      } catch (err) {
        if (err instanceof CommandFailure) return { ok: false, index, failure: err, results };
        if (err instanceof ConfigLineError) return { ok: false, index, failure: new CommandFailure(1002, [err.message]), results };
        throw err;
      }
    }
    return { ok: true, results };
  }

  /** Out-of-band change (another user in configure terminal). */
  configureLocal(lines: readonly string[], user = 'other'): void {
    const tree = cloneTree(this.running);
    const editor = new ConfigEditor(tree);
    for (const line of lines) editor.apply(line);
    this.#setRunning(tree, { session: undefined, user, kind: 'configure terminal' });
  }

  close(): void {
    this.#closed = true;
    for (const s of this.sessions.values()) s.timer?.cancel();
  }

  #run(ctx: CliContext, typed: string): ShowOutput | undefined {
    const command = typed.trim();
    if (command === '' || command.startsWith('!')) return undefined;
    const tokens = command.split(/\s+/);
    if (ctx.config !== undefined) return this.#runConfigMode(ctx, ctx.config, command, tokens);
    return this.#runExec(ctx, tokens);
  }

  #runExec(ctx: CliContext, tokens: readonly string[]): ShowOutput | undefined {
    const resolved = resolveCommand(EXEC_TREE, tokens, ctx.autoComplete);
    if (!resolved.ok) throw new CommandFailure(1002, [resolved.error]);
    const [verb, ...rest] = resolved.words;
    if (verb === 'enable') {
      ctx.privileged = true;
      return undefined;
    }
    if (verb === 'disable') {
      ctx.privileged = false;
      return undefined;
    }
    if (verb === 'end' || verb === 'exit') return undefined;
    if (verb === 'show') return this.#show(ctx, rest);
    if (!ctx.privileged) throw new CommandFailure(1002, ['Invalid input (privileged mode required)']);
    switch (verb) {
      case 'configure':
        return this.#configure(ctx, rest);
      case 'copy':
        return this.#copy(ctx, rest[0] ?? '', rest[1] ?? '');
      case 'write':
        return this.#copy(ctx, 'running-config', 'startup-config');
      default:
        throw new CommandFailure(1002, [`Invalid input (at token 0: '${tokens[0] ?? ''}')`]);
    }
  }

  #show(ctx: CliContext, words: readonly string[]): ShowOutput {
    const [what, ...rest] = words;
    const needsPrivilege = what === 'running-config' || what === 'startup-config' || what === 'session-config' || what === 'configuration';
    if (needsPrivilege && !ctx.privileged) throw new CommandFailure(1002, ['Invalid input (privileged mode required)']);
    if (what === 'session-config') {
      const named = rest[0] === 'named';
      const session = named ? this.sessions.get(rest[1] ?? '') : ctx.config?.session;
      if (session === undefined) {
        throw new CommandFailure(1002, [named ? `Session ${rest[1] ?? ''} does not exist` : 'Not in a configuration session']);
      }
      if (rest.includes('diffs')) {
        const text = sessionDiff(this.runningText(), this.runningText(session.tree), session.name);
        if (ctx.format === 'json') throw new CommandFailure(1003, ['This is an unconverted command']);
        return { json: {}, text };
      }
      return { json: { cmds: {} }, text: `! Command: show session-config named ${session.name}\n${this.runningText(session.tree)}` };
    }
    const out = showCommand(this, words);
    if (out === undefined) throw new CommandFailure(1002, [`Invalid input (at token 1: '${what ?? ''}')`]);
    if (out.unconverted === true && ctx.format === 'json') throw new CommandFailure(1003, ['This is an unconverted command']);
    return out;
  }

  #configure(ctx: CliContext, words: readonly string[]): ShowOutput | undefined {
    const [what, ...rest] = words;
    if (what === undefined || what === 'terminal') {
      this.#checkBusy();
      ctx.config = { editor: new ConfigEditor(cloneTree(this.running)), session: undefined };
      return undefined;
    }
    if (what === 'checkpoint') {
      const name = rest[1] ?? '';
      this.checkpoints.set(name, { text: this.runningText(), time: this.now(), user: ctx.user });
      return undefined;
    }
    if (what === 'replace') {
      const text = this.#readUrl(rest[0] ?? '');
      this.#checkBusy();
      this.#setRunning(parseConfig(text), { session: undefined, user: ctx.user, kind: 'configure replace' });
      return undefined;
    }
    // configure session [NAME] [commit [timer T] | abort | description TEXT]
    const name = rest[0] ?? `session${this.opts.clock.now()}${randomUUID().slice(0, 4)}`;
    const action = rest[1];
    if (action === 'commit') return this.#commit(ctx, this.#existing(name), rest[2] === 'timer' ? rest[3] : undefined);
    if (action === 'abort') return this.#abort(this.#existing(name));
    const session = this.#enterSession(ctx, name);
    if (action === 'description') session.description = rest.slice(2).join(' ');
    return undefined;
  }

  #runConfigMode(ctx: CliContext, config: NonNullable<CliContext['config']>, command: string, tokens: readonly string[]): ShowOutput | undefined {
    const first = tokens[0]?.toLowerCase();
    if (first === 'show' || first === 'configure' || first === 'copy' || first === 'write') return this.#runExec(ctx, tokens);
    const special = resolveCommand(CONFIG_TREE, tokens, ctx.autoComplete);
    if (special.ok) {
      const [verb, ...rest] = special.words;
      const session = config.session;
      switch (verb) {
        case 'end':
          this.#leaveConfig(ctx);
          return undefined;
        case 'exit':
          if (!config.editor.exit()) this.#leaveConfig(ctx);
          return undefined;
        case 'abort':
          if (session === undefined) throw new CommandFailure(1002, ["Invalid input (at token 0: 'abort')"]);
          ctx.config = undefined;
          return this.#abort(session);
        case 'commit':
          if (session === undefined) throw new CommandFailure(1002, ["Invalid input (at token 0: 'commit')"]);
          ctx.config = undefined;
          return this.#commit(ctx, session, rest[0] === 'timer' ? rest[1] : undefined);
        case 'rollback':
          if (session === undefined) throw new CommandFailure(1002, ['rollback clean-config is only available in a configuration session']);
          session.tree = cleanConfig(this.running);
          config.editor = new ConfigEditor(session.tree);
          return undefined;
        default:
          break;
      }
    }
    config.editor.apply(command);
    // configure terminal applies each line at once.
    if (config.session === undefined)
      this.#setRunning(cloneTree(config.editor.tree), { session: undefined, user: ctx.user, kind: 'configure terminal' }, false);
    return undefined;
  }

  #leaveConfig(ctx: CliContext): void {
    ctx.config = undefined;
  }

  #checkBusy(): void {
    if (this.faults.busy !== null) {
      throw new CommandFailure(1000, [`Configuration is locked by another session (user ${this.faults.busy})`]);
    }
  }

  #existing(name: string): Session {
    const session = this.sessions.get(name);
    if (session === undefined) throw new CommandFailure(1002, [`Session ${name} does not exist`]);
    return session;
  }

  #enterSession(ctx: CliContext, name: string): Session {
    this.#checkBusy();
    let session = this.sessions.get(name);
    if (session !== undefined && session.state !== 'pending') {
      throw new CommandFailure(1002, [
        `Cannot enter session ${name} (session is ${session.state === 'completed' ? 'already completed' : 'pending a commit timer'})`,
      ]);
    }
    if (session === undefined) {
      const pending = [...this.sessions.values()].filter((s) => s.state !== 'completed').length;
      if (pending >= MAX_PENDING_SESSIONS) {
        throw new CommandFailure(1002, [`Cannot create session ${name}: maximum number of pending sessions (${MAX_PENDING_SESSIONS}) has been reached`]);
      }
      session = { name, state: 'pending', user: ctx.user, description: '', tree: cloneTree(this.running), created: this.now() };
      this.sessions.set(name, session);
    }
    ctx.config = { editor: new ConfigEditor(session.tree), session };
    return session;
  }

  #commit(ctx: CliContext, session: Session, timer: string | undefined): undefined {
    if (session.state === 'completed') throw new CommandFailure(1002, [`Session ${session.name} has already been committed`]);
    const seconds = timer === undefined ? undefined : parseTimer(timer);
    if (this.faults.commitError !== null) throw new CommandFailure(1000, [this.faults.commitError]);
    if (session.state === 'pendingCommitTimer') {
      // A plain commit confirms; a new timer restarts it.
      session.timer?.cancel();
      session.timer = undefined;
      if (seconds === undefined) {
        session.revertTo = undefined;
        this.#complete(session);
        this.history.unshift({ session: session.name, user: ctx.user, time: this.now(), kind: 'confirm' });
        return undefined;
      }
    } else {
      session.revertTo = cloneTree(this.running);
      this.#setRunning(cloneTree(session.tree), { session: session.name, user: ctx.user, kind: seconds === undefined ? 'commit' : 'commit timer' });
    }
    if (seconds === undefined) {
      session.revertTo = undefined;
      this.#complete(session);
      return undefined;
    }
    session.state = 'pendingCommitTimer';
    session.timerExpiry = new Date(this.opts.clock.now() + seconds * 1000);
    session.timer = this.opts.clock.setTimer(() => this.#revert(session, 'timer revert'), seconds * 1000);
    return undefined;
  }

  #abort(session: Session): undefined {
    if (session.state === 'completed') throw new CommandFailure(1002, [`Session ${session.name} has already been committed`]);
    if (session.state === 'pendingCommitTimer') {
      this.#revert(session, 'abort revert');
      return undefined;
    }
    this.sessions.delete(session.name);
    return undefined;
  }

  #revert(session: Session, kind: string): void {
    if (this.#closed) return;
    session.timer?.cancel();
    if (session.revertTo !== undefined) this.#setRunning(session.revertTo, { session: session.name, user: session.user, kind });
    this.sessions.delete(session.name);
  }

  #complete(session: Session): void {
    session.state = 'completed';
    session.timerExpiry = undefined;
    const completed = [...this.sessions.values()].filter((s) => s.state === 'completed' && s !== session);
    // Only the newest completed sessions are kept.
    for (const old of completed.slice(0, Math.max(0, completed.length + 1 - MAX_COMPLETED_SESSIONS))) this.sessions.delete(old.name);
  }

  #setRunning(tree: ConfigNode[], record: Omit<EosCommitRecord, 'time'>, log = true): void {
    this.running = tree;
    if (log) this.history.unshift({ ...record, time: this.now() });
  }

  #readUrl(url: string): string {
    if (url === 'startup-config' || url === 'flash:startup-config') return this.runningText(this.startup);
    if (url === 'clean-config') return this.runningText(cleanConfig(this.running));
    const checkpoint = /^checkpoint:(.+)$/.exec(url);
    if (checkpoint !== null) {
      const found = this.checkpoints.get(checkpoint[1] ?? '');
      if (found === undefined) throw new CommandFailure(1000, [`Error opening ${url} (No such file or directory)`]);
      return found.text;
    }
    const flash = /^flash:\/?(.+)$/.exec(url);
    const text = flash === null ? undefined : this.flash.get(flash[1] ?? '');
    if (text === undefined) throw new CommandFailure(1000, [`Error opening ${url} (No such file or directory)`]);
    return text;
  }

  #copy(ctx: CliContext, from: string, to: string): undefined {
    const text = from === 'running-config' || from === 'system:/running-config' ? this.runningText() : this.#readUrl(from);
    if (to === 'session-config') {
      // Replaces the configuration staged in the current session (a replace, committed with the session).
      const config = ctx.config;
      if (config?.session === undefined) throw new CommandFailure(1002, ['copy to session-config is only available in a configuration session']);
      config.session.tree = parseConfig(text);
      config.editor = new ConfigEditor(config.session.tree);
      return undefined;
    }
    if (to === 'startup-config' || to === 'flash:startup-config') {
      this.startup = parseConfig(text);
      return undefined;
    }
    if (to === 'running-config') {
      this.#setRunning(parseConfig(text), { session: undefined, user: ctx.user, kind: 'copy' });
      return undefined;
    }
    const checkpoint = /^checkpoint:(.+)$/.exec(to);
    if (checkpoint !== null) {
      this.checkpoints.set(checkpoint[1] ?? '', { text, time: this.now(), user: ctx.user });
      return undefined;
    }
    const flash = /^flash:\/?(.+)$/.exec(to);
    if (flash === null) throw new CommandFailure(1002, [`Invalid input (at token 2: '${to}')`]);
    this.flash.set(flash[1] ?? '', text);
    return undefined;
  }
}

/** `rollback clean-config`: the factory configuration (the physical interfaces exist, unconfigured). */
function cleanConfig(running: readonly ConfigNode[]): ConfigNode[] {
  return running.filter((n) => /^interface (Ethernet|Management)\d/.test(n.line)).map((n) => ({ line: n.line, children: [] }));
}

/** `HH:MM:SS` → seconds; CommandFailure when malformed or out of range. */
export function parseTimer(text: string): number {
  const m = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(text);
  const seconds = m === null ? NaN : Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  if (m === null || Number(m[2]) > 59 || Number(m[3]) > 59 || seconds < 1 || seconds > MAX_TIMER_SECONDS) {
    throw new CommandFailure(1002, [`Invalid input (timer ${text}: expected hh:mm:ss between 00:00:01 and 24:00:00)`]);
  }
  return seconds;
}
