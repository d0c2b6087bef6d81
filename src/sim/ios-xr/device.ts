/**
 * The IOS-XR device model behind the simulator's SSH shells: running configuration, the commit
 * database (ids from 1000000001, newest first), configuration sessions with their target
 * configuration, the exclusive lock, commit confirmed with its timer, and the exec/config CLI
 * each shell runs (xr-cli.ts).
 */
import type { SimClock, SimTimer } from '../clock.js';
import { applyEdit, cloneTree, diffLines, parseConfig, renderTree, treesEqual, type ConfigEdit, type ConfigNode } from '../cisco/config-tree.js';
import type { CiscoFaults } from '../cisco/serve.js';
import type { OspfNeighborSpec } from '../cisco/show-common.js';

export interface XrFaults extends CiscoFaults {
  /** While set, every commit fails (`% Failed to commit …`) and `show configuration failed` gives this message. */
  commitError: string | null;
  /** While set, another user holds the exclusive configuration lock. */
  busy: string | null;
}

export interface XrCommit {
  readonly id: string;
  readonly user: string;
  readonly time: number;
  readonly comment: string;
  readonly label: string;
  /** Running configuration before and after. */
  readonly before: ConfigNode[];
  readonly after: ConfigNode[];
}

/** One configuration session (one shell in config mode). */
export class XrConfigSession {
  readonly id: number;
  readonly user: string;
  readonly exclusive: boolean;
  readonly started: number;
  edits: ConfigEdit[] = [];
  /** The failed commit's items and message, for `show configuration failed`. */
  failed: { edits: ConfigEdit[]; message: string } | undefined;

  constructor(id: number, user: string, exclusive: boolean, started: number) {
    this.id = id;
    this.user = user;
    this.exclusive = exclusive;
    this.started = started;
  }
}

export interface XrDeviceOptions {
  readonly hostname: string;
  readonly version: string;
  readonly serial: string;
  readonly username: string;
  readonly password: string;
  readonly initialConfig: string;
  readonly neighbors: readonly OspfNeighborSpec[];
  readonly clock: SimClock;
  faults: XrFaults;
}

export class XrDevice {
  readonly opts: XrDeviceOptions;
  readonly clock: SimClock;
  readonly bootedAt: number;
  running: ConfigNode[];
  /** Newest first. */
  commits: XrCommit[] = [];
  readonly sessions = new Set<XrConfigSession>();
  #nextCommit = 1_000_000_001;
  #nextSession = 1;
  #lock: XrConfigSession | undefined;
  pending: { commit: XrCommit; timer: SimTimer; session: XrConfigSession | undefined } | undefined;

  constructor(opts: XrDeviceOptions) {
    this.opts = opts;
    this.clock = opts.clock;
    this.bootedAt = opts.clock.now();
    this.running = parseConfig(opts.initialConfig);
  }

  get faults(): XrFaults {
    return this.opts.faults;
  }

  hostname(): string {
    const line = this.running.find((n) => n.line.startsWith('hostname '));
    return line?.line.slice('hostname '.length) ?? this.opts.hostname;
  }

  runningText(): string {
    return [`!! IOS XR Configuration ${this.opts.version}`, ...renderTree(this.running, 'xr'), 'end'].join('\n');
  }

  /** Opens a configuration session; a string is the refusal (the lock is held). */
  openSession(user: string, exclusive: boolean): XrConfigSession | string {
    if (exclusive && (this.#lock !== undefined || this.faults.busy !== null)) {
      const holder = this.#lock?.user ?? this.faults.busy ?? '';
      return `% Failed to lock the configuration as it is locked by user '${holder}'. Use 'show configuration sessions' to see the details.`;
    }
    const session = new XrConfigSession(this.#nextSession++, user, exclusive, this.clock.now());
    this.sessions.add(session);
    if (exclusive) this.#lock = session;
    return session;
  }

  closeSession(session: XrConfigSession): void {
    this.sessions.delete(session);
    if (this.#lock === session) this.#lock = undefined;
  }

  /** The configuration the session would commit: running with its edits replayed. */
  target(session: XrConfigSession): ConfigNode[] {
    const tree = cloneTree(this.running);
    for (const e of session.edits) applyEdit(tree, e);
    return tree;
  }

  changesDiff(session: XrConfigSession): string[] {
    return diffLines(this.running, this.target(session));
  }

  /** Commits a session; a string is the device's refusal. `confirmSeconds` > 0 starts the commit confirmed timer. */
  commit(session: XrConfigSession, o: { comment: string; label: string; confirmSeconds: number }): { commit: XrCommit | undefined } | string {
    if (this.#lock !== undefined && this.#lock !== session) {
      return `% Failed to commit as the configuration is locked by user '${this.#lock.user}'`;
    }
    if (this.faults.busy !== null && !session.exclusive) {
      return `% Failed to commit as the configuration is locked by user '${this.faults.busy}'`;
    }
    const after = this.target(session);
    if (this.faults.commitError !== null) {
      session.failed = { edits: session.edits, message: this.faults.commitError };
      session.edits = [];
      return "% Failed to commit one or more configuration items during a pseudo-atomic operation. All changes made have been reverted. Please issue 'show configuration failed [inheritance]' from this session to view the errors";
    }
    if (treesEqual(after, this.running)) {
      if (this.pending !== undefined && o.confirmSeconds === 0) {
        // An empty commit confirms the pending commit confirmed.
        this.pending.timer.cancel();
        this.pending = undefined;
        return { commit: undefined };
      }
      return '% No configuration changes to commit.';
    }
    if (this.pending !== undefined) {
      this.pending.timer.cancel();
      this.pending = undefined;
    }
    const commit: XrCommit = {
      id: String(this.#nextCommit++),
      user: session.user,
      time: this.clock.now(),
      comment: o.comment,
      label: o.label,
      before: this.running,
      after,
    };
    this.running = after;
    this.commits.unshift(commit);
    session.edits = [];
    if (o.confirmSeconds > 0) {
      const timer = this.clock.setTimer(() => this.#revertPending(), o.confirmSeconds * 1000);
      this.pending = { commit, timer, session };
    }
    return { commit };
  }

  #revertPending(): void {
    const p = this.pending;
    if (p === undefined) return;
    this.pending = undefined;
    // The trial commit is undone and leaves the commit database as it was before it.
    this.running = p.commit.before;
    this.commits = this.commits.filter((c) => c !== p.commit);
  }

  /** `rollback configuration last N` / `to ID`: commits the configuration from before those commits. */
  rollback(user: string, which: { last: number } | { to: string }): { count: number; commit: XrCommit | undefined } | string {
    if (this.#lock !== undefined || this.faults.busy !== null)
      return `% Failed to rollback as the configuration is locked by user '${this.#lock?.user ?? this.faults.busy}'`;
    let count: number;
    if ('last' in which) count = which.last;
    else {
      const at = this.commits.findIndex((c) => c.id === which.to);
      if (at < 0) return `% Invalid commit ID '${which.to}': use 'show configuration commit list' to see the commit IDs`;
      count = at;
    }
    if (count < 1 || count > this.commits.length) {
      return `% Invalid number of commits to rollback: ${count} (the commit database holds ${this.commits.length})`;
    }
    const oldest = this.commits[count - 1] as XrCommit;
    if (this.faults.commitError !== null)
      return `% Failed to commit one or more configuration items during a pseudo-atomic operation. ${this.faults.commitError}`;
    if (this.pending !== undefined) {
      this.pending.timer.cancel();
      this.pending = undefined;
    }
    const after = cloneTree(oldest.before);
    const commit: XrCommit = {
      id: String(this.#nextCommit++),
      user,
      time: this.clock.now(),
      comment: `rollback of ${count} commit(s)`,
      label: '',
      before: this.running,
      after,
    };
    this.running = after;
    this.commits.unshift(commit);
    return { count, commit };
  }

  /** The edits that undo the last N commits, for `load rollback changes last N`. */
  rollbackTarget(count: number): ConfigNode[] | undefined {
    if (count < 1 || count > this.commits.length) return undefined;
    return cloneTree((this.commits[count - 1] as XrCommit).before);
  }

  close(): void {
    this.pending?.timer.cancel();
    this.pending = undefined;
  }
}
