/**
 * State of one simulated Junos device: running configuration with rollbacks 0..49, commit history,
 * the shared candidate, private candidates per session, the exclusive lock, a pending commit
 * confirmed with its automatic rollback, device files. Protocol-free: session.ts and the rpc
 * handlers call it; failures are RpcFailure with Junos' messages.
 *
 * Configuration trees are values: once stored (running, rollbacks, candidates) a tree is never
 * modified; every load builds a new one (config-merge.ts shares untouched subtrees), so they are
 * kept and handed around without copies.
 */
import type { SimClock, SimTimer } from '../clock.js';
import { checkConfig } from './config-checks.js';
import { validateConfig } from './config-validate.js';
import {
  ConfigSyntaxError,
  applySetCommands,
  cloneConfig,
  configEquals,
  mergeConfig,
  parseConfigText,
  rebaseConfig,
  type ConfigIssue,
  type ConfigNode,
  type LoadMethod,
} from './config-tree.js';
import { RpcFailure, type RpcErrorSpec } from './rpc-error.js';
import type { CommitRecord, JunosFaults, OspfNeighborSpec, RouteSpec } from './types.js';

export const MAX_ROLLBACKS = 50;

export interface SessionState {
  readonly id: number;
  readonly user: string;
  readonly startedAt: Date;
  /** The mgd pid Junos shows in lock messages. */
  readonly pid: number;
  /** Set while the session works in `configure private`. */
  private: { tree: ConfigNode; base: ConfigNode } | undefined;
  holdsLock: boolean;
  /** Ends the session from the device side (kill-session). */
  kill: () => void;
}

export interface CommitEntry {
  readonly user: string;
  readonly client: string;
  readonly time: Date;
  /** `<log>` given with the commit. */
  readonly log: string | undefined;
  /** Junos' own note: `commit confirmed, rollback in 5mins`. */
  readonly comment: string | undefined;
}

export interface CommitOptions {
  readonly check?: boolean;
  /** Minutes; a commit confirmed. */
  readonly confirmMinutes?: number;
  readonly log?: string;
  readonly client?: string;
}

export interface CommitOutcome {
  readonly warnings: RpcErrorSpec[];
  /** Set after a commit confirmed. */
  readonly confirmMinutes: number | undefined;
  /** Sequence-free revision id for `<commit-revision>`. */
  readonly revision: string;
}

export interface DeviceInit {
  readonly hostname: string;
  readonly model: string;
  readonly version: string;
  readonly serial: string;
  readonly username: string;
  readonly password: string;
  readonly initialConfig: ConfigNode;
  readonly faults: JunosFaults;
  readonly neighbors: readonly OspfNeighborSpec[];
  readonly routes: readonly RouteSpec[];
  readonly minuteMs: number;
  readonly clock: SimClock;
}

export class JunosDevice {
  readonly hostname: string;
  readonly model: string;
  readonly version: string;
  readonly serial: string;
  readonly username: string;
  password: string;
  readonly neighbors: readonly OspfNeighborSpec[];
  readonly routes: readonly RouteSpec[];
  readonly minuteMs: number;
  /** Time for commit-confirmed deadlines and commit times. */
  readonly clock: SimClock;
  /** Three hours before the simulator started: looks like a device that has been up a while. */
  readonly bootTime: Date;
  readonly startTime: Date;
  faults: JunosFaults;
  readonly files = new Map<string, { content: string; mtime: Date }>();
  readonly sessions = new Set<SessionState>();
  /** RPCs received whose reply is still held back (the latency fault): what tests wait on to act mid-request. */
  rpcsAwaitingReply = 0;

  #rollbacks: ConfigNode[];
  #history: CommitEntry[] = [];
  #shared: ConfigNode;
  #lock: SessionState | undefined;
  #pending: { restore: ConfigNode; deadline: number; minutes: number; timer: SimTimer } | undefined;
  #nextSessionId: number;
  #revision = 1;
  /** Commit replies held back by faults.holdCommitReplies, and those waiting to hear of one. */
  #heldReplies: (() => void)[] = [];
  #heldWatchers: (() => void)[] = [];

  constructor(init: DeviceInit) {
    this.hostname = init.hostname;
    this.model = init.model;
    this.version = init.version;
    this.serial = init.serial;
    this.username = init.username;
    this.password = init.password;
    this.neighbors = init.neighbors;
    this.routes = init.routes;
    this.minuteMs = init.minuteMs;
    this.clock = init.clock;
    this.faults = init.faults;
    this.startTime = new Date(this.clock.now());
    this.bootTime = new Date(this.startTime.getTime() - 3 * 3600_000);
    const initial = cloneConfig(init.initialConfig);
    this.#rollbacks = [initial];
    this.#shared = initial;
    this.#history.push({ user: 'root', client: 'other', time: new Date(this.bootTime.getTime() + 120_000), log: undefined, comment: undefined });
    this.#nextSessionId = 2000 + Math.floor(Math.random() * 30000);
    this.files.set('/etc/hosts.junos', { content: HOSTS_JUNOS, mtime: this.bootTime });
  }

  get running(): ConfigNode {
    return this.#rollbacks[0] as ConfigNode;
  }

  /** Rollback N (0 = running); undefined beyond the history. */
  rollback(n: number): ConfigNode | undefined {
    return this.#rollbacks[n];
  }

  get rollbackCount(): number {
    return this.#rollbacks.length;
  }

  get history(): readonly CommitEntry[] {
    return this.#history;
  }

  get pendingConfirm(): { deadline: number; minutes: number } | undefined {
    return this.#pending === undefined ? undefined : { deadline: this.#pending.deadline, minutes: this.#pending.minutes };
  }

  commitRecords(): CommitRecord[] {
    return this.#history.map((h, i) => {
      const rec: CommitRecord = { sequence: i, user: h.user, client: h.client, time: h.time };
      if (h.log !== undefined) rec.comment = h.log;
      return rec;
    });
  }

  // ------------------------------------------------------------------------------------------
  // sessions

  openSession(user: string, kill: () => void): SessionState {
    const s: SessionState = {
      id: this.#nextSessionId++,
      user,
      startedAt: new Date(this.clock.now()),
      pid: 4000 + Math.floor(Math.random() * 50000),
      private: undefined,
      holdsLock: false,
      kill,
    };
    this.sessions.add(s);
    return s;
  }

  /** Session end: a private candidate is dropped; a held lock is released and its uncommitted shared changes discarded. */
  closeSession(s: SessionState): void {
    s.private = undefined;
    if (this.#lock === s) {
      this.#lock = undefined;
      this.#shared = this.running;
    }
    s.holdsLock = false;
    this.sessions.delete(s);
  }

  findSession(id: number): SessionState | undefined {
    return [...this.sessions].find((s) => s.id === id);
  }

  // ------------------------------------------------------------------------------------------
  // candidates and locks

  /** The configuration a session edits: its private candidate, else the shared one. */
  candidate(s: SessionState): ConfigNode {
    return s.private?.tree ?? this.#shared;
  }

  sharedModified(): boolean {
    return !configEquals(this.#shared, this.running);
  }

  /** Who holds the configuration exclusively against this session (a fault user or another session). */
  #blocker(s: SessionState): { user: string; pid: number; since: Date } | undefined {
    if (this.faults.lockedBy !== null) return { user: this.faults.lockedBy, pid: 4242, since: this.startTime };
    if (this.#lock !== undefined && this.#lock !== s) return { user: this.#lock.user, pid: this.#lock.pid, since: this.#lock.startedAt };
    return undefined;
  }

  #lockedError(holder: { user: string; pid: number; since: Date }, tag?: string): RpcFailure {
    const idle = '00:00:00';
    const spec: RpcErrorSpec = {
      severity: 'error',
      message: `configuration database locked by:\n  ${holder.user} terminal pts/0 (pid ${holder.pid}) on since ${junosTime(holder.since)}, idle ${idle}\n  exclusive [edit]`,
      ...(tag !== undefined ? { tag } : {}),
    };
    return new RpcFailure([spec]);
  }

  /** Throws the Junos lock error when another user holds the configuration exclusively. */
  assertNotLockedByOther(s: SessionState, tag?: string): void {
    const holder = this.#blocker(s);
    if (holder !== undefined) throw this.#lockedError(holder, tag);
  }

  lock(s: SessionState, netconfForm: boolean): void {
    const holder = this.#blocker(s);
    if (holder !== undefined) {
      const failure = this.#lockedError(holder, netconfForm ? 'lock-denied' : undefined);
      throw failure;
    }
    if (s.private !== undefined) {
      throw new RpcFailure([{ severity: 'error', message: 'configuration database is private to this session: lock is not needed in private mode' }]);
    }
    if (this.#lock !== s && this.sharedModified()) {
      throw new RpcFailure([{ severity: 'error', message: 'configuration database modified', ...(netconfForm ? { tag: 'lock-denied' } : {}) }]);
    }
    this.#lock = s;
    s.holdsLock = true;
  }

  unlock(s: SessionState): void {
    if (this.#lock !== s) {
      throw new RpcFailure([{ severity: 'error', message: 'configuration database not locked by this session', tag: 'operation-failed' }]);
    }
    this.#lock = undefined;
    s.holdsLock = false;
  }

  openPrivate(s: SessionState): void {
    this.assertNotLockedByOther(s);
    if (s.private !== undefined) return;
    if (this.sharedModified()) {
      throw new RpcFailure([
        {
          severity: 'error',
          message: 'shared configuration database modified\nUsers currently editing the configuration:\n  uncommitted changes in the shared candidate',
        },
      ]);
    }
    s.private = { tree: this.running, base: this.running };
  }

  closePrivate(s: SessionState): void {
    s.private = undefined;
  }

  #setCandidate(s: SessionState, tree: ConfigNode): void {
    if (s.private !== undefined) s.private.tree = tree;
    else {
      this.assertNotLockedByOther(s);
      this.#shared = tree;
    }
  }

  /** Loads a tree built from XML or JSON with load semantics; statements the grammar does not know are refused. */
  load(s: SessionState, patch: ConfigNode, method: LoadMethod): void {
    const issues = validateConfig(patch, 'xml');
    if (issues.length > 0) throw new ConfigSyntaxError(issues);
    this.#load(s, patch, method);
  }

  #load(s: SessionState, patch: ConfigNode, method: LoadMethod): void {
    if (s.private === undefined) this.assertNotLockedByOther(s);
    this.#setCandidate(s, mergeConfig(this.candidate(s), patch, method));
  }

  /** Loads curly text. Syntax errors throw RpcFailure inside load-configuration-results. */
  loadText(s: SessionState, text: string, method: LoadMethod): void {
    this.#load(s, parseConfigText(text), method);
  }

  /** Applies set/delete lines; returns the warnings (`statement not found`). */
  loadSet(s: SessionState, text: string): ConfigIssue[] {
    if (s.private === undefined) this.assertNotLockedByOther(s);
    const result = applySetCommands(this.candidate(s), text);
    this.#setCandidate(s, result.tree);
    return [...result.warnings];
  }

  /** Replaces the candidate with rollback N. */
  loadRollback(s: SessionState, n: number): void {
    const tree = this.rollback(n);
    if (tree === undefined) {
      throw new RpcFailure([{ severity: 'error', message: `rollback ${n} does not exist: rollbacks 0 to ${this.#rollbacks.length - 1} are available` }]);
    }
    if (s.private === undefined) this.assertNotLockedByOther(s);
    this.#setCandidate(s, tree);
  }

  discard(s: SessionState): void {
    if (s.private !== undefined) {
      s.private = { tree: this.running, base: this.running };
      return;
    }
    this.assertNotLockedByOther(s);
    this.#shared = this.running;
  }

  // ------------------------------------------------------------------------------------------
  // commit

  /**
   * Commits (or checks) the session's candidate. Errors from the checks throw RpcFailure
   * (with `configuration check-out failed`); warnings come back in the outcome.
   */
  commit(s: SessionState, opts: CommitOptions): CommitOutcome {
    const candidate = this.candidate(s);
    const found = checkConfig(candidate);
    const errors = found.filter((e) => e.severity === 'error');
    const warnings = found.filter((e) => e.severity === 'warning');
    if (errors.length > 0) {
      throw new RpcFailure([...errors, { severity: 'error', message: 'configuration check-out failed', padded: true }], 'commit-results');
    }
    if (opts.check === true) {
      // Junos: `commit check` also confirms a pending commit confirmed.
      this.#clearPending();
      return { warnings, confirmMinutes: undefined, revision: '' };
    }
    this.assertNotLockedByOther(s);
    if (this.faults.commitError !== null) {
      throw new RpcFailure([{ severity: 'error', message: this.faults.commitError, padded: true }], 'commit-results');
    }
    const minutes = opts.confirmMinutes;
    if (minutes !== undefined && s.private !== undefined) {
      throw new RpcFailure(
        [{ severity: 'error', message: "'commit confirmed' is not supported in private configuration mode", padded: true }],
        'commit-results',
      );
    }
    const previous = this.running;
    const next = s.private !== undefined ? rebaseConfig(s.private.base, s.private.tree, previous) : candidate;
    const sharedWasClean = configEquals(this.#shared, previous);
    if (minutes !== undefined) {
      const restore = this.#pending?.restore ?? previous;
      this.#clearPending();
      const deadline = this.clock.now() + minutes * this.minuteMs;
      const timer = this.clock.setTimer(() => this.#autoRollback(), minutes * this.minuteMs);
      this.#pending = { restore, deadline, minutes, timer };
    } else {
      this.#clearPending();
    }
    this.#record(next, {
      user: s.user,
      client: opts.client ?? 'netconf',
      time: new Date(this.clock.now()),
      log: opts.log,
      comment: minutes !== undefined ? `commit confirmed, rollback in ${minutes}mins` : undefined,
    });
    if (s.private !== undefined) {
      s.private = { tree: next, base: next };
      if (sharedWasClean) this.#shared = next;
    } else {
      this.#shared = next;
    }
    return { warnings, confirmMinutes: minutes, revision: `re0-${Math.floor(this.clock.now() / 1000)}-${this.#revision++}` };
  }

  #record(tree: ConfigNode, entry: CommitEntry): void {
    this.#rollbacks.unshift(tree);
    if (this.#rollbacks.length > MAX_ROLLBACKS) this.#rollbacks.length = MAX_ROLLBACKS;
    this.#history.unshift(entry);
    if (this.#history.length > MAX_ROLLBACKS) this.#history.length = MAX_ROLLBACKS;
  }

  #clearPending(): void {
    if (this.#pending !== undefined) this.#pending.timer.cancel();
    this.#pending = undefined;
  }

  #autoRollback(): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    this.#pending = undefined;
    const sharedWasClean = configEquals(this.#shared, this.running);
    this.#record(pending.restore, {
      user: 'root',
      client: 'other',
      time: new Date(this.clock.now()),
      log: 'automatic rollback: commit confirmed was not confirmed',
      comment: undefined,
    });
    if (sharedWasClean) this.#shared = pending.restore;
  }

  /** Out-of-band change by root on the CLI (tests use it to make the device drift). */
  commitLocal(text: string, method: 'merge' | 'override' | 'set', comment?: string): void {
    const previous = this.running;
    const next = method === 'set' ? applySetCommands(previous, text).tree : mergeConfig(previous, parseConfigText(text), method);
    const sharedWasClean = configEquals(this.#shared, previous);
    this.#record(next, { user: 'root', client: 'cli', time: new Date(this.clock.now()), log: comment, comment: undefined });
    if (sharedWasClean) this.#shared = next;
  }

  /** Last commit (rollback 0) as get-configuration attributes show it. */
  lastCommit(): CommitEntry {
    return this.#history[0] as CommitEntry;
  }

  /** Holds a commit reply until releaseHeldReplies (faults.holdCommitReplies). */
  holdReply(): Promise<void> {
    return new Promise((resolve) => {
      this.#heldReplies.push(resolve);
      for (const wake of this.#heldWatchers.splice(0)) wake();
    });
  }

  releaseHeldReplies(): void {
    for (const release of this.#heldReplies.splice(0)) release();
  }

  /** Resolves once a commit reply is held. */
  whenReplyHeld(): Promise<void> {
    if (this.#heldReplies.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.#heldWatchers.push(resolve));
  }

  close(): void {
    this.#clearPending();
  }
}

/** `2024-05-01 10:00:00 UTC`, as Junos prints times. */
export function junosTime(d: Date): string {
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

const HOSTS_JUNOS = `#
# File mapping AF_INET/AF_INET6 hostnames for REs on Single and Multichassis
# systems
#
# The IP addresses in this file are only used for communication between REs
# over the Internal Routing Instances
#

#
# Single Chassis Hostnames
#
128.0.0.1        master
128.0.0.1        node
128.0.0.1        fwdd
128.0.0.1        member
128.0.0.1        pfem
128.0.0.4        re0
128.0.0.5        re1
128.0.0.6        backup
128.0.0.16       fpc0
128.0.0.17       fpc1
`;
