import type {
  DeviceCommit,
  ApplyOptions,
  ApplyResult,
  CallOptions,
  ChangeCommits,
  CloseOptions,
  CommitStatus,
  ConfigMethod,
  NodeSource,
  Driver,
  DriverCapabilities,
  DriverTraits,
  ExecResult,
  Facts,
  OutputFormat,
  Plan,
} from '../contract.js';
import { CONFIG_METHODS } from '../contract.js';
import { diffStatements } from './diff-statements.js';
import {
  ConnectionLostError,
  DriverError,
  RejectedError,
  StaleError,
  UnsupportedError,
  type DriverErrorContext,
} from '../errors.js';
import { connectNetconf, type NetconfConnectOptions } from '../netconf/connect.js';
import type { RpcReply } from '../netconf/reply.js';
import type { NetconfSession } from '../netconf/session.js';
import { NETCONF_PORT } from '../netconf/ssh-transport.js';
import { NonXmlCharError } from '../netconf/xml-text.js';
import type { LabNode } from '../../inventory/types.js';
import { errorFromRpcErrors } from './classify.js';
import { commitHistoryOf, commitStatusOf } from './commit-status.js';
import { prepareCommand, type PreparedCommand } from './command.js';
import { Deadline, methodDeadline, type MethodTimeouts } from '../deadline.js';
import { resolveLoadRequest } from './load-request.js';
import {
  activeCommitIdentity,
  bareTextErrors,
  buildFacts,
  chassisSerial,
  checkResult,
  commandOutput,
  commitRevision,
  configurationText,
  diffHash,
  diffText,
  normaliseDiff,
  softwareFacts,
  uptimeSeconds,
  warningMessages,
} from './parsers.js';
import { buildCommand, buildCommit, buildLoad, RPC } from './rpcs.js';

export const JUNOS_TRAITS: DriverTraits = Object.freeze({
  // <confirm-timeout> is whole minutes, 1..65535.
  maxConfirmSeconds: 65_535 * 60,
  maxRollback: 49,
  commitHistoryCommand: 'show system commit',
  configHint: 'Junos text (curly braces) or set commands',
});

export const JUNOS_CAPABILITIES: DriverCapabilities = Object.freeze({
  commitConfirmed: true,
  privateCandidate: true,
  rollback: true,
  deviceFiles: true,
  configMethods: CONFIG_METHODS,
  execFormats: Object.freeze(['text', 'json', 'xml'] as OutputFormat[]),
});

/** Time budgets per method when the caller gives no timeoutMs. */
const DEFAULT_TIMEOUTS: MethodTimeouts = { open: 15_000, exec: 60_000, plan: 120_000, apply: 300_000, read: 60_000 };
/** Releasing a candidate must not wait on a spent method budget. */
const CLEANUP_TIMEOUT_MS = 10_000;

export interface JunosDriverOptions {
  readonly timeouts?: Partial<MethodTimeouts>;
  /** SSH keepalive while the session idles in the pool. Default 15 s. */
  readonly keepaliveIntervalMs?: number;
  /** Opens the NETCONF session; defaults to NETCONF over SSH. Tests may pass a session over their own stream. */
  readonly connect?: (options: NetconfConnectOptions) => Promise<NetconfSession>;
}

/**
 * How the candidate is held. `private`: open-configuration private, a copy only this session sees,
 * discarded by close-configuration. `exclusive`: lock-configuration on the shared candidate, needed
 * for commit confirmed, which Junos refuses in private mode; released by discarding and unlocking.
 * Either way the device drops the candidate if the session dies.
 */
type CandidateMode = 'private' | 'exclusive';

const ENTER: Readonly<Record<CandidateMode, readonly string[]>> = {
  private: [RPC.openPrivate],
  exclusive: [RPC.lock],
};
const LEAVE: Readonly<Record<CandidateMode, readonly string[]>> = {
  private: [RPC.closeConfiguration],
  exclusive: [RPC.discardChanges, RPC.unlock],
};

/**
 * Junos over NETCONF. Methods are build (pure) → rpc → parse (pure); candidate work runs one at
 * a time per session, always released in `finally`. Never pools or retries by itself.
 */
export class JunosDriver implements Driver {
  readonly node: LabNode;
  readonly capabilities = JUNOS_CAPABILITIES;
  readonly traits = JUNOS_TRAITS;
  readonly #timeouts: MethodTimeouts;
  readonly #keepaliveIntervalMs: number | undefined;
  readonly #connect: (options: NetconfConnectOptions) => Promise<NetconfSession>;
  #session: NetconfSession | undefined;
  #opening: Promise<void> | undefined;
  /** Candidate operations (plan, apply, confirm, rollback) are serialised: one candidate per session. */
  #candidateQueue: Promise<unknown> = Promise.resolve();

  constructor(node: LabNode, options: JunosDriverOptions = {}) {
    this.node = node;
    this.#timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.#keepaliveIntervalMs = options.keepaliveIntervalMs;
    this.#connect = options.connect ?? connectNetconf;
  }

  async open(opts: CallOptions = {}): Promise<void> {
    if (this.#session?.isAlive()) return;
    this.#opening ??= this.#openSession(opts).finally(() => {
      this.#opening = undefined;
    });
    return this.#opening;
  }

  isAlive(): boolean {
    return this.#session?.isAlive() ?? false;
  }

  async exec(command: string, opts: CallOptions & { format?: OutputFormat } = {}): Promise<ExecResult> {
    const ctx = this.#ctx('exec');
    const started = performance.now();
    const prepared = prepareCommand(command, opts.format);
    const request = build(ctx, () => buildCommand(prepared.command, prepared.format));
    const reply = await this.#call(request, ctx, this.#deadline(opts, 'exec'));
    return execResult(reply, prepared, ctx, started);
  }

  async plan(source: NodeSource, method: ConfigMethod, opts: CallOptions = {}): Promise<Plan> {
    const ctx = this.#ctx('plan');
    const load = build(ctx, () => buildLoad(resolveLoadRequest(source, method, ctx)));
    const deadline = this.#deadline(opts, 'plan');
    return this.#inCandidate('private', ctx, deadline, async () => {
      const base = activeCommitIdentity(await this.#call(RPC.commitInformation, ctx, deadline));
      const loaded = await this.#call(load, ctx, deadline);
      const diff = diffText(await this.#call(RPC.diff, ctx, deadline));
      const check = checkResult(await this.#send(RPC.commitCheck, ctx, deadline), warningMessages(loaded));
      return { diff, diffHash: diffHash(diff), base, check, statements: diffStatements(diff) };
    });
  }

  async apply(source: NodeSource, opts: ApplyOptions): Promise<ApplyResult> {
    const ctx = this.#ctx('apply');
    const load = build(ctx, () => buildLoad(resolveLoadRequest(source, opts.method, ctx)));
    // Junos counts commit confirmed in whole minutes: round up, so the device never reverts sooner than asked.
    const confirmMinutes = Math.ceil((opts.confirmSeconds ?? 0) / 60);
    const commit = build(ctx, () => buildCommit({ confirmMinutes, comment: opts.comment }));
    const confirmed = confirmMinutes > 0;
    const deadline = this.#deadline(opts, 'apply');
    return this.#inCandidate(confirmed ? 'exclusive' : 'private', ctx, deadline, async () => {
      const loaded = await this.#call(load, ctx, deadline);
      const diff = diffText(await this.#call(RPC.diff, ctx, deadline));
      if (diffHash(diff) !== opts.expectDiffHash) throw new StaleError(ctx);
      return this.#commitDiff(diff, commit, confirmed, warningMessages(loaded), ctx, deadline);
    });
  }

  async confirm(opts: CallOptions & { comment?: string } = {}): Promise<void> {
    const ctx = this.#ctx('confirm');
    const commit = build(ctx, () => buildCommit({ comment: opts.comment }));
    const deadline = this.#deadline(opts, 'apply');
    // A plain commit confirms; the lock keeps anyone's uncommitted edits out of it.
    await this.#inCandidate('exclusive', ctx, deadline, () => this.#call(commit, ctx, deadline));
  }

  async rollback(index: number, opts: CallOptions & { comment?: string } = {}): Promise<ApplyResult> {
    const ctx = this.#ctx('rollback');
    const load = build(ctx, () => buildLoad(resolveLoadRequest({ type: 'rollback', index }, 'override', ctx)));
    const commit = build(ctx, () => buildCommit({ comment: opts.comment }));
    const deadline = this.#deadline(opts, 'apply');
    return this.#inCandidate('private', ctx, deadline, async () => {
      const loaded = await this.#call(load, ctx, deadline);
      const diff = diffText(await this.#call(RPC.diff, ctx, deadline));
      return this.#commitDiff(diff, commit, false, warningMessages(loaded), ctx, deadline);
    });
  }

  undoLastCommit(opts: CallOptions & { comment?: string } = {}): Promise<ApplyResult> {
    return this.rollback(1, opts);
  }

  async facts(opts: CallOptions = {}): Promise<Facts> {
    const ctx = this.#ctx('facts');
    const deadline = this.#deadline(opts, 'read');
    // Three RPCs in flight at once on the one session; replies come back in order.
    const [software, chassis, uptime] = await Promise.all([
      this.#send(RPC.softwareInformation, ctx, deadline),
      this.#send(RPC.chassisInventory, ctx, deadline),
      this.#send(RPC.uptimeInformation, ctx, deadline),
    ]);
    // Dual-RE devices answer with data for one RE plus an error for the other: data wins.
    const sw = softwareFacts(software);
    if (sw === undefined) throw replyError(software, ctx, 'the device returned no software-information');
    return buildFacts(sw, chassisSerial(chassis), uptimeSeconds(uptime));
  }

  /** Reads the commit history (no candidate, no lock: it works while another session holds one). */
  async commitStatus(change: ChangeCommits, opts: CallOptions = {}): Promise<CommitStatus> {
    const ctx = this.#ctx('commit history');
    return commitStatusOf(await this.#call(RPC.commitInformation, ctx, this.#deadline(opts, 'read')), change);
  }

  async commitHistory(opts: CallOptions = {}): Promise<readonly DeviceCommit[]> {
    const ctx = this.#ctx('commit history');
    return commitHistoryOf(await this.#call(RPC.commitInformation, ctx, this.#deadline(opts, 'read')));
  }

  async runningConfig(opts: CallOptions = {}): Promise<string> {
    const ctx = this.#ctx('running config');
    const reply = await this.#call(RPC.runningConfig, ctx, this.#deadline(opts, 'read'));
    const config = configurationText(reply);
    if (config === undefined) throw new RejectedError(ctx, ['the device returned no configuration text']);
    return config;
  }

  async close(options: CloseOptions = {}): Promise<void> {
    const session = this.#session;
    this.#session = undefined;
    await session?.close({ awaitReply: options.exiting !== true });
  }

  async #openSession(opts: CallOptions): Promise<void> {
    const timeoutMs = opts.timeoutMs ?? this.#timeouts.open;
    const { host, port, credentials, name } = this.node;
    this.#session = await this.#connect({
      label: name,
      host,
      port: port ?? NETCONF_PORT,
      username: credentials.username,
      password: credentials.password,
      connectTimeoutMs: timeoutMs,
      helloTimeoutMs: timeoutMs,
      ...(this.#keepaliveIntervalMs === undefined ? {} : { keepaliveIntervalMs: this.#keepaliveIntervalMs }),
      ...(opts.signal === undefined ? {} : { signal: opts.signal }),
    });
  }

  /** Commits unless the diff is empty (nothing to commit is not an error, and not a commit). */
  async #commitDiff(
    diff: string,
    commit: string,
    confirmed: boolean,
    warnings: string[],
    ctx: DriverErrorContext,
    deadline: Deadline,
  ): Promise<ApplyResult> {
    if (normaliseDiff(diff) === '') return { committed: false, commitId: undefined, diff, pendingConfirm: false, warnings };
    const reply = await this.#call(commit, ctx, deadline);
    const commitId = commitRevision(reply) ?? (await this.#activeCommitAfterCommit(ctx, deadline));
    return { committed: true, commitId, diff, pendingConfirm: confirmed, warnings: [...warnings, ...warningMessages(reply)] };
  }

  /** Best effort: the commit already succeeded, so failing to read its identity must not turn it into a failure. */
  async #activeCommitAfterCommit(ctx: DriverErrorContext, deadline: Deadline): Promise<string | undefined> {
    try {
      return activeCommitIdentity(await this.#call(RPC.commitInformation, ctx, deadline));
    } catch (err) {
      if (err instanceof DriverError) return undefined;
      throw err;
    }
  }

  /** Runs `body` holding the candidate in `mode`, one candidate operation at a time, released in finally. */
  #inCandidate<T>(mode: CandidateMode, ctx: DriverErrorContext, deadline: Deadline, body: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      for (const request of ENTER[mode]) await this.#call(request, ctx, deadline);
      try {
        return await body();
      } finally {
        await this.#releaseCandidate(mode);
      }
    };
    const result = this.#candidateQueue.then(run, run);
    this.#candidateQueue = result.catch(() => undefined);
    return result;
  }

  /**
   * Never throws: a release that fails (or a session already gone) ends the session, and Junos
   * discards a private candidate and drops a lock with the session. The caller's outcome stands.
   */
  async #releaseCandidate(mode: CandidateMode): Promise<void> {
    const session = this.#session;
    if (session === undefined || !session.isAlive()) return;
    try {
      for (const request of LEAVE[mode]) {
        const reply = await session.rpc(request, { timeoutMs: CLEANUP_TIMEOUT_MS, operation: 'release the candidate' });
        if (reply.errors.length > 0) throw errorFromRpcErrors(reply.errors, this.#ctx('release the candidate'));
      }
    } catch {
      session.kill('the candidate could not be released; closing the session discards it');
    }
  }

  /** Sends one RPC; device errors stay data in the reply. */
  #send(request: string, ctx: DriverErrorContext, deadline: Deadline): Promise<RpcReply> {
    const session = this.#session;
    if (session === undefined) {
      return Promise.reject(new ConnectionLostError(ctx, 'the session is not open: call open() first', { requestSent: false }));
    }
    try {
      return session.rpc(request, deadline.rpc(ctx));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Sends one RPC and throws the classified DriverError when the reply holds an error-severity entry. */
  async #call(request: string, ctx: DriverErrorContext, deadline: Deadline): Promise<RpcReply> {
    const reply = await this.#send(request, ctx, deadline);
    if (reply.errors.length > 0) throw errorFromRpcErrors(reply.errors, ctx);
    return reply;
  }

  #deadline(opts: CallOptions, kind: keyof MethodTimeouts): Deadline {
    return methodDeadline(opts, this.#timeouts, kind);
  }

  #ctx(operation: string): DriverErrorContext {
    return { node: this.node.name, operation };
  }
}

function execResult(reply: RpcReply, prepared: PreparedCommand, ctx: DriverErrorContext, started: number): ExecResult {
  const textErrors = bareTextErrors(reply);
  if (textErrors.length > 0) throw new RejectedError(ctx, textErrors);
  const { output, format } = commandOutput(reply, prepared.format);
  return { output, format, warnings: warningMessages(reply), durationMs: Math.round(performance.now() - started) };
}

function replyError(reply: RpcReply, ctx: DriverErrorContext, fallback: string): DriverError {
  return reply.errors.length > 0 ? errorFromRpcErrors(reply.errors, ctx) : new RejectedError(ctx, [fallback]);
}

/** Runs a pure request builder; text XML cannot carry becomes UnsupportedError before any IO. */
function build<T>(ctx: DriverErrorContext, make: () => T): T {
  try {
    return make();
  } catch (err) {
    if (err instanceof NonXmlCharError) {
      const codePoint = `U+${err.codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
      throw new UnsupportedError({ ...ctx, cause: err }, `the character ${codePoint} (position ${err.index}) in text sent to the device`);
    }
    throw err;
  }
}

export function createJunosDriver(node: LabNode, options: JunosDriverOptions = {}): JunosDriver {
  return new JunosDriver(node, options);
}
