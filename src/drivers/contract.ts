import type { LabNode } from '../inventory/types.js';
import type { DriverTraits } from './traits.js';
import type { NodeSource } from '../model/config-source.js';

export type { DriverTraits } from './traits.js';

export type OutputFormat = 'text' | 'json' | 'xml';
export type ConfigMethod = 'merge' | 'override' | 'replace' | 'set';
export const CONFIG_METHODS: readonly ConfigMethod[] = ['merge', 'override', 'replace', 'set'];

/** Where candidate configuration comes from (the one domain type; drivers read content/format, path or index). */
export type { NodeSource } from '../model/config-source.js';

export interface CallOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

export interface ExecResult {
  readonly output: string;
  readonly format: OutputFormat;
  /** Device warnings (never a failure). */
  readonly warnings: readonly string[];
  readonly durationMs: number;
  /** Set by the core (never by a driver) when it kept only the start of a long output. */
  readonly cut?: OutputCut;
}

/** How much of an output was kept (limits.max_output_per_node_mib / max_output_per_request_mib). */
export interface OutputCut {
  readonly shownBytes: number;
  readonly totalBytes: number;
}

export interface CheckResult {
  readonly ok: boolean;
  readonly warnings: readonly string[];
  readonly errors: readonly string[];
}

export interface Plan {
  /** Vendor-native diff of candidate vs running ('' when nothing changes). */
  readonly diff: string;
  /** sha256 hex of the normalised diff: the approval is bound to it. */
  readonly diffHash: string;
  /** Identifier of the running config the diff was taken against (Junos: rollback 0 commit time/sequence). */
  readonly base: string | undefined;
  readonly check: CheckResult;
  /**
   * The diff as vendor-neutral set-form statements, one per changed leaf: `set a b "c d"` for an
   * added or changed value, `delete a b` for a removed one (a removed subtree: its root only).
   * Policy `config_deny` rules match these. A driver that cannot produce them leaves this
   * undefined; nodes under deny rules are then refused rather than let through unchecked.
   */
  readonly statements?: readonly string[];
}

export interface ApplyOptions extends CallOptions {
  readonly method: ConfigMethod;
  /** The hash the approver saw; apply refuses (StaleError) if the fresh diff differs. */
  readonly expectDiffHash: string;
  /** commit confirmed timeout in seconds (each driver converts: Junos minutes rounded up, EOS HH:MM:SS); 0 or undefined commits plainly. */
  readonly confirmSeconds?: number;
  readonly comment?: string;
}

export interface ApplyResult {
  readonly committed: boolean;
  readonly commitId: string | undefined;
  readonly diff: string;
  /** True after a commit confirmed that still awaits confirm(). */
  readonly pendingConfirm: boolean;
  readonly warnings: readonly string[];
}

/**
 * How to recognise one change's commits in a device's history. The core owns the comment format
 * (ops/changes/apply-node.ts), so it hands the driver a classifier rather than a pattern.
 */
export interface ChangeCommits {
  readonly changeId: number;
  /** `commit`: a commit the change made; `undo`: its own rollback after a failed check; undefined: neither. */
  readonly classify: (comment: string) => 'commit' | 'undo' | undefined;
}

/**
 * What a device's own commit history says about one change, in the device's terms (`detail` is a
 * sentence for the user, with the device's times). Recovery after a crash ends a change on these.
 */
export type CommitStatus =
  /** Committed, and confirmed if it was a commit confirmed (by the bot's confirm or any later commit). */
  | { readonly state: 'committed'; readonly detail: string }
  /** A commit confirmed still waiting for its confirm: the device rolls back by itself at `rollsBackAt` (ISO) unless confirmed. */
  | { readonly state: 'pending-confirm'; readonly rollsBackAt: string | undefined; readonly detail: string }
  /** Never committed, or rolled back since (automatic rollback of an unconfirmed commit, the bot's undo). */
  | { readonly state: 'not-committed'; readonly detail: string }
  /** The history does not tell (too old, or the device keeps no comments). */
  | { readonly state: 'cannot-tell'; readonly detail: string };

/** One entry of a device's own commit log (Junos `show system commit`), as the device records it. */
export interface DeviceCommit {
  readonly user: string;
  /** How the committer reached the device (`cli`, `netconf`, `other`), when the device says. */
  readonly client: string;
  /** The device's time as it prints it, e.g. `2026-12-07 01:02:03 UTC`. */
  readonly time: string;
  /** The commit's log message (`commit comment "…"`); '' when none was given. */
  readonly comment: string;
}

export interface Facts {
  readonly hostname: string;
  readonly model: string;
  readonly version: string;
  readonly serial: string;
  readonly uptimeSeconds: number | undefined;
  readonly vendor: string;
}

/** Readonly capability flags: callers branch on these, never on the kind's name. */
export interface DriverCapabilities {
  readonly commitConfirmed: boolean;
  readonly privateCandidate: boolean;
  readonly rollback: boolean;
  readonly deviceFiles: boolean;
  readonly configMethods: readonly ConfigMethod[];
  readonly execFormats: readonly OutputFormat[];
}

/**
 * One session to one node. Pooled by drivers/pool.ts; a driver never pools for itself.
 * Every method throws a DriverError subclass (drivers/errors.ts) on failure; warnings never fail a call.
 */
export interface Driver {
  readonly node: LabNode;
  readonly capabilities: DriverCapabilities;
  /** Limits and wording (static per driver; also available before opening through drivers/registry.ts). */
  readonly traits: DriverTraits;
  /** Opens the session. Throws Unreachable, AuthFailed or Timeout. */
  open(opts?: CallOptions): Promise<void>;
  /** True while the underlying session can take a call. */
  isAlive(): boolean;
  /** Runs an operational command. A device rejection throws RejectedError with the device's messages. */
  exec(command: string, opts?: CallOptions & { format?: OutputFormat }): Promise<ExecResult>;
  /**
   * Loads `source` into a private candidate, diffs it against running, runs commit check, then discards.
   * Leaves the device unchanged. A check failure is data in `check`, not a throw; a load failure throws RejectedError.
   */
  plan(source: NodeSource, method: ConfigMethod, opts?: CallOptions): Promise<Plan>;
  /**
   * Fresh plan; if its diffHash differs from opts.expectDiffHash throws StaleError and commits nothing.
   * Otherwise commits (confirmed when confirmSeconds > 0) with the comment.
   */
  apply(source: NodeSource, opts: ApplyOptions): Promise<ApplyResult>;
  /** Confirms a pending commit confirmed. */
  confirm(opts?: CallOptions & { comment?: string }): Promise<void>;
  /** Commits the device's rollback N (0 = last committed, 1 = the one before). */
  rollback(index: number, opts?: CallOptions & { comment?: string }): Promise<ApplyResult>;
  /**
   * Undoes this driver's own last commit and commits the result: Junos rollback 1, SR Linux and EOS
   * the checkpoint the driver saved before it. Used when a check fails after a plain commit.
   */
  undoLastCommit(opts?: CallOptions & { comment?: string }): Promise<ApplyResult>;
  facts(opts?: CallOptions): Promise<Facts>;
  /**
   * Optional: what the device's commit history says about `change` (found by its commit comments
   * or session names). Drivers that cannot tell leave it out; callers then say "cannot tell" and
   * name traits.commitHistoryCommand.
   */
  commitStatus?(change: ChangeCommits, opts?: CallOptions): Promise<CommitStatus>;
  runningConfig(opts?: CallOptions): Promise<string>;
  /**
   * Optional: the device's own commit log, newest first (drift reports who changed a node and
   * when). Drivers of devices that keep no such log leave it out.
   */
  commitHistory?(opts?: CallOptions): Promise<readonly DeviceCommit[]>;
  /** Closes cleanly (NETCONF close-session); never throws. */
  close(options?: CloseOptions): Promise<void>;
}

export interface CloseOptions {
  /**
   * The process ends right after (a one-shot CLI command): the device is still told (NETCONF
   * close-session) but its answer is not awaited, which would hold the prompt for one more round trip.
   */
  readonly exiting?: boolean;
}

export type DriverFactory = (node: LabNode) => Driver;
