import { randomBytes } from 'node:crypto';
import type {
  ApplyOptions,
  ApplyResult,
  CallOptions,
  ChangeCommits,
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
import { Deadline, type MethodTimeouts } from '../deadline.js';
import { diffHash, normaliseDiff } from '../diff-hash.js';
import { LockedError, RejectedError, StaleError, UnsupportedError, type DriverErrorContext } from '../errors.js';
import type { JsonRpcClient, JsonRpcClientOptions } from '../http/json-rpc-client.js';
import { connectClient } from '../http/http-session.js';
import { HttpDriver } from '../http/http-driver.js';
import { kindSpec, resolveKind } from '../../inventory/kinds.js';
import { tlsFromLabel } from '../http/endpoint.js';
import type { LabNode } from '../../inventory/types.js';
import { eosCommitStatus } from './commit-status.js';
import { configLines } from './config-lines.js';
import {
  commitTimer,
  eapiError,
  eosFacts,
  MAX_COMMIT_TIMER_SECONDS,
  resultWarnings,
  runCmdsParams,
  canonicalSessionDiff,
  textOutput,
  type EapiFormat,
} from './eapi.js';
import { filterOutput, prepareExec } from './exec-command.js';
import { eosStatements } from './statements.js';

export const EOS_CAPABILITIES: DriverCapabilities = Object.freeze({
  commitConfirmed: true,
  // A configuration session is private to whoever opened it until committed.
  privateCandidate: true,
  rollback: true,
  deviceFiles: false,
  configMethods: Object.freeze(['merge', 'replace', 'override'] as ConfigMethod[]),
  execFormats: Object.freeze(['text', 'json'] as OutputFormat[]),
});

export const EOS_TRAITS: DriverTraits = Object.freeze({
  maxConfirmSeconds: MAX_COMMIT_TIMER_SECONDS,
  maxRollback: 10,
  commitHistoryCommand: 'show configuration sessions detail',
  configHint: 'EOS configuration lines (as in show running-config)',
});

export const EAPI_PATH = '/command-api';
/** Every session and checkpoint the bot makes starts with this, so it can find its own. */
export const BOT_PREFIX = 'clab-bot-';

const DEFAULT_TIMEOUTS: MethodTimeouts = { open: 15_000, exec: 60_000, plan: 120_000, apply: 300_000, read: 60_000 };
/** Aborting a session must not wait on a spent method budget. */
const CLEANUP_TIMEOUT_MS = 10_000;

export interface EosDriverOptions {
  readonly timeouts?: Partial<MethodTimeouts>;
  /** https (default: the kind's eAPI service, https) or plain http (`protocol http` on the device). */
  readonly tls?: boolean;
  /**
   * Verify the device certificate. Default false: cEOS and vEOS serve a self-signed certificate
   * (as pyeapi, the bot accepts it unless told to verify); set true with `ca` for a lab CA.
   */
  readonly tlsVerify?: boolean;
  readonly ca?: string;
  /** Kept-alive connections per node; default 2. */
  readonly maxSockets?: number;
}

interface Staged {
  readonly session: string;
  readonly diff: string;
  /** The change as set-form statements, for config_deny rules. */
  readonly statements: string[];
  readonly warnings: string[];
}

/**
 * Arista EOS over eAPI (JSON-RPC `runCmds` on /command-api). Exec runs as typed after `enable`;
 * configuration goes through a named configuration session per change and node
 * (`clab-bot-<change>-<node>-<suffix>`): stage, `show session-config named S diffs`, then abort
 * (plan) or commit, with `commit timer` for a confirmed commit (apply). Before each commit the
 * running configuration is saved as a checkpoint `clab-bot-<time>-<suffix>`; rollback N stages
 * the checkpoint of the Nth most recent bot commit in a session (`copy checkpoint:X session-config`)
 * and commits it. Sessions that a failed call could not abort are aborted on the next call.
 */
export class EosDriver extends HttpDriver implements Driver {
  readonly capabilities = EOS_CAPABILITIES;
  readonly traits = EOS_TRAITS;
  readonly #options: EosDriverOptions;
  /** Sessions an earlier call failed to abort. */
  readonly #orphans = new Set<string>();

  constructor(node: LabNode, options: EosDriverOptions = {}) {
    super(node, DEFAULT_TIMEOUTS, options.timeouts);
    this.#options = options;
  }

  async exec(command: string, opts: CallOptions & { format?: OutputFormat } = {}): Promise<ExecResult> {
    const ctx = this.ctx('exec');
    const started = performance.now();
    const prepared = prepareExec(command, opts.format, ctx);
    // autoComplete off: the command arrives expanded by the permission check (`sh ip bgp sum` →
    // `show ip bgp summary`), and EOS then runs exactly that; a prefix the check did not expand is
    // refused by the device rather than expanded into something nobody checked.
    const results = await this.#run(['enable', prepared.command], prepared.format, ctx, this.deadline(opts, 'exec'), { once: true });
    const result = results[1];
    const output = prepared.format === 'json' ? JSON.stringify(result ?? {}, null, 2) : filterOutput(textOutput(result), prepared.filters);
    return { output, format: prepared.format, warnings: resultWarnings(results), durationMs: Math.round(performance.now() - started) };
  }

  async plan(source: NodeSource, method: ConfigMethod, opts: CallOptions = {}): Promise<Plan> {
    const ctx = this.ctx('plan');
    const deadline = this.deadline(opts, 'plan');
    return this.#config(ctx, deadline, async () => {
      const stage = await this.#stageCommands(source, method, ctx, deadline);
      const staged = await this.#stage(this.#sessionName('plan'), stage, ctx, deadline);
      await this.#abort(staged.session);
      return {
        diff: staged.diff,
        diffHash: diffHash(staged.diff),
        base: undefined,
        check: { ok: true, warnings: staged.warnings, errors: [] },
        statements: staged.statements,
      };
    });
  }

  async apply(source: NodeSource, opts: ApplyOptions): Promise<ApplyResult> {
    const ctx = this.ctx('apply');
    const deadline = this.deadline(opts, 'apply');
    const confirmSeconds = Math.max(0, opts.confirmSeconds ?? 0);
    if (confirmSeconds > MAX_COMMIT_TIMER_SECONDS) {
      throw new UnsupportedError(ctx, `a commit timer of ${opts.confirmSeconds} seconds (EOS takes at most 24 hours)`);
    }
    return this.#config(ctx, deadline, async () => {
      const stage = await this.#stageCommands(source, opts.method, ctx, deadline);
      const change = /#(\d+)/.exec(opts.comment ?? '')?.[1];
      return this.#commitStaged(this.#sessionName(change ?? 'apply'), stage, opts.expectDiffHash, confirmSeconds, ctx, deadline);
    });
  }

  async confirm(opts: CallOptions & { comment?: string } = {}): Promise<void> {
    const ctx = this.ctx('confirm');
    const deadline = this.deadline(opts, 'apply');
    await this.#config(ctx, deadline, async () => {
      // Asked of the device, not remembered: a commit timer may have expired, or another driver instance committed.
      const pending = await this.#pendingTimerSessions(ctx, deadline);
      if (pending.length === 0)
        throw new RejectedError(ctx, ['no configuration session of the bot is waiting for confirmation (its commit timer may have expired)']);
      // Confirming is a commit too: it is numbered like one, so rollback N counts as on Junos.
      await this.#checkpoint(ctx, deadline);
      for (const session of pending) await this.#run(['enable', `configure session ${session} commit`], 'json', ctx, deadline, { once: true });
    });
  }

  async rollback(index: number, opts: CallOptions & { comment?: string } = {}): Promise<ApplyResult> {
    const ctx = this.ctx('rollback');
    const deadline = this.deadline(opts, 'apply');
    return this.#config(ctx, deadline, async () => {
      const stage = await this.#stageCommands({ type: 'rollback', index }, 'override', ctx, deadline);
      const session = this.#sessionName('rollback');
      return this.#commitStaged(session, stage, undefined, 0, ctx, deadline);
    });
  }

  undoLastCommit(opts: CallOptions & { comment?: string } = {}): Promise<ApplyResult> {
    return this.rollback(1, opts);
  }

  /** The state of the change's configuration session (committed, commit timer running, staged only). */
  async commitStatus(change: ChangeCommits, opts: CallOptions = {}): Promise<CommitStatus> {
    const ctx = this.ctx('configuration sessions');
    const results = await this.#run(['enable', 'show configuration sessions detail'], 'json', ctx, this.deadline(opts, 'read'));
    return eosCommitStatus(results[1], BOT_PREFIX, change.changeId);
  }

  async facts(opts: CallOptions = {}): Promise<Facts> {
    const ctx = this.ctx('facts');
    const results = await this.#run(['show version', 'show hostname'], 'json', ctx, this.deadline(opts, 'read'));
    return eosFacts(results[0], results[1]);
  }

  async runningConfig(opts: CallOptions = {}): Promise<string> {
    const ctx = this.ctx('running config');
    const results = await this.#run(['enable', 'show running-config'], 'text', ctx, this.deadline(opts, 'read'));
    return textOutput(results[1]);
  }

  protected async connect(opts: CallOptions): Promise<JsonRpcClient> {
    const { host, port, credentials, name, kind } = this.node;
    const spec = resolveKind(kind) ?? kindSpec('arista_ceos');
    const service = spec.services.find((s) => s.protocol === 'eapi');
    const tls = this.#options.tls ?? tlsFromLabel(this.node, this.ctx('open')) ?? service?.tls ?? true;
    const options: JsonRpcClientOptions = {
      label: name,
      host,
      port: port ?? (tls ? 443 : 80),
      tls,
      path: EAPI_PATH,
      username: credentials.username,
      password: credentials.password,
      contentType: 'application/json-rpc',
      tlsVerify: this.#options.tlsVerify ?? false,
      maxSockets: this.#options.maxSockets ?? 2,
      ...(this.#options.ca === undefined ? {} : { ca: this.#options.ca }),
    };
    const ctx = this.ctx('open');
    const deadline = this.deadline(opts, 'open');
    return connectClient(options, async (client) => {
      const reply = await client.call('runCmds', runCmdsParams(['show hostname'], 'json', false), deadline.rpc(ctx));
      if (!reply.ok) throw eapiError(reply.error, ctx);
    });
  }

  /** Runs cmds in one request; the results align with cmds. Device errors throw (RejectedError with the failing command's messages). */
  async #run(
    cmds: readonly string[],
    format: EapiFormat,
    ctx: DriverErrorContext,
    deadline: Deadline,
    o: { autoComplete?: boolean; showCommand?: boolean; once?: boolean } = {},
  ): Promise<unknown[]> {
    const client = this.session.client(ctx);
    const params = runCmdsParams(cmds, format, o.autoComplete ?? false);
    // Requests that change something (o.once) are never sent twice by the transport.
    const reply = await client.call('runCmds', params, deadline.rpc(ctx), { retryStaleSocket: o.once !== true });
    if (!reply.ok) throw eapiError(reply.error, ctx, { showCommand: o.showCommand ?? false });
    if (!Array.isArray(reply.result) || reply.result.length !== cmds.length) {
      throw new RejectedError(ctx, [`the device answered ${Array.isArray(reply.result) ? reply.result.length : 'no'} results for ${cmds.length} commands`]);
    }
    return reply.result as unknown[];
  }

  /** What to stage for a source: the commands after `configure session S`. */
  async #stageCommands(source: NodeSource, method: ConfigMethod, ctx: DriverErrorContext, deadline: Deadline): Promise<string[]> {
    if (source.type === 'device-file') throw new UnsupportedError(ctx, 'loading a file stored on the device');
    if (source.type === 'rollback') {
      if (!Number.isInteger(source.index) || source.index < 0) throw new UnsupportedError(ctx, `rollback ${source.index}`);
      if (source.index === 0) return ['copy running-config session-config'];
      const checkpoints = await this.#botCheckpoints(ctx, deadline);
      const name = checkpoints[source.index - 1];
      if (name === undefined) {
        throw new RejectedError(ctx, [
          `there is no rollback ${source.index}: the bot keeps the configuration from before each of its commits, and ${checkpoints.length} ${checkpoints.length === 1 ? 'is' : 'are'} saved on this device`,
        ]);
      }
      return [`copy checkpoint:${name} session-config`];
    }
    if (method === 'set') throw new UnsupportedError(ctx, 'the set method (EOS configuration is CLI lines: use merge, or replace for a whole configuration)');
    if (source.format === 'xml' || source.format === 'set') throw new UnsupportedError(ctx, `${source.format} configuration text (EOS takes CLI lines)`);
    const lines = configLines(source.content, ctx);
    return method === 'merge' ? lines : ['rollback clean-config', ...lines];
  }

  /**
   * Opens session `name`, stages `commands` in it, reads its diff. On failure the session is
   * aborted before the error is thrown; on success the caller must commit or abort it.
   */
  async #stage(name: string, commands: readonly string[], ctx: DriverErrorContext, deadline: Deadline): Promise<Staged> {
    try {
      const staged = await this.#run(['enable', `configure session ${name}`, ...commands, 'end'], 'json', ctx, deadline, { showCommand: true, once: true });
      const read = ['enable', `show session-config named ${name} diffs`, `show session-config named ${name}`, 'show running-config'];
      const [, diff, session, running] = await this.#run(read, 'text', ctx, deadline);
      return {
        session: name,
        diff: canonicalSessionDiff(textOutput(diff), this.#nodeLabel()),
        statements: eosStatements(textOutput(running), textOutput(session)),
        warnings: resultWarnings(staged),
      };
    } catch (err) {
      // Whatever failed (even `configure session` itself, or a lost connection), no session stays behind.
      await this.#abort(name);
      throw err;
    }
  }

  async #commitStaged(
    name: string,
    commands: readonly string[],
    expectDiffHash: string | undefined,
    confirmSeconds: number,
    ctx: DriverErrorContext,
    deadline: Deadline,
  ): Promise<ApplyResult> {
    const staged = await this.#stage(name, commands, ctx, deadline);
    // Set once the commit request may have reached the device: then the session is left as the commit left it.
    let committing = false;
    try {
      if (expectDiffHash !== undefined && diffHash(staged.diff) !== expectDiffHash) throw new StaleError(ctx);
      if (normaliseDiff(staged.diff) === '') {
        return { committed: false, commitId: undefined, diff: staged.diff, pendingConfirm: false, warnings: staged.warnings };
      }
      await this.#checkpoint(ctx, deadline);
      const commit = confirmSeconds > 0 ? `configure session ${name} commit timer ${commitTimer(confirmSeconds)}` : `configure session ${name} commit`;
      committing = true;
      const results = await this.#run(['enable', commit], 'json', ctx, deadline, { once: true }).catch((err: unknown) => {
        // The device refused the commit (an answer, not a lost one): nothing was applied.
        if (err instanceof RejectedError || err instanceof LockedError) committing = false;
        throw err;
      });
      return {
        committed: true,
        commitId: name,
        diff: staged.diff,
        pendingConfirm: confirmSeconds > 0,
        warnings: [...staged.warnings, ...resultWarnings(results)],
      };
    } finally {
      // Anything but a commit that went through (or whose outcome is unknown) leaves no session behind.
      if (!committing) await this.#abort(name);
    }
  }

  /** Saves the running configuration as the newest bot checkpoint (what rollback 1 restores). */
  async #checkpoint(ctx: DriverErrorContext, deadline: Deadline): Promise<void> {
    // Milliseconds in the name: a commit and its confirm may fall in the same second, and the names order them.
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-').replace('Z', '');
    await this.#run(['enable', `copy running-config checkpoint:${BOT_PREFIX}${stamp}-${randomBytes(3).toString('hex')}`], 'json', ctx, deadline);
  }

  /** The bot's checkpoints, newest first. */
  async #botCheckpoints(ctx: DriverErrorContext, deadline: Deadline): Promise<string[]> {
    const results = await this.#run(['enable', 'show configuration checkpoints'], 'json', ctx, deadline);
    const list = (results[1] as { checkpoints?: Record<string, { fileDate?: number }> } | undefined)?.checkpoints ?? {};
    return Object.entries(list)
      .filter(([name]) => name.startsWith(BOT_PREFIX))
      // The names carry the bot's own timestamp; the device's file date breaks ties only.
      .sort(([a, x], [b, y]) => b.localeCompare(a) || (y.fileDate ?? 0) - (x.fileDate ?? 0))
      .map(([name]) => name);
  }

  async #pendingTimerSessions(ctx: DriverErrorContext, deadline: Deadline): Promise<string[]> {
    const results = await this.#run(['enable', 'show configuration sessions detail'], 'json', ctx, deadline);
    const sessions = (results[1] as { sessions?: Record<string, { state?: string }> } | undefined)?.sessions ?? {};
    return Object.entries(sessions)
      .filter(([name, s]) => name.startsWith(BOT_PREFIX) && s.state === 'pendingCommitTimer')
      .map(([name]) => name);
  }

  /** Aborts a session; never throws. One that cannot be aborted now is retried on the next call. */
  async #abort(name: string): Promise<void> {
    const ctx = this.ctx('abort the configuration session');
    try {
      await this.#run(['enable', `configure session ${name} abort`], 'json', ctx, new Deadline(CLEANUP_TIMEOUT_MS));
      this.#orphans.delete(name);
    } catch (err) {
      if (err instanceof RejectedError && /does not exist/i.test(err.message)) this.#orphans.delete(name);
      else this.#orphans.add(name);
    }
  }

  /** Runs configuration work one at a time, after aborting sessions left behind by failed calls. */
  #config<T>(ctx: DriverErrorContext, deadline: Deadline, body: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      for (const orphan of [...this.#orphans]) await this.#abort(orphan);
      deadline.rpc(ctx);
      return body();
    };
    return this.session.serial(run);
  }

  /** `clab-bot-<change>-<node>-<random>`: unique per change and node, and never reused after a retry. */
  #sessionName(change: string): string {
    return `${BOT_PREFIX}${change}-${this.#nodeLabel()}-${randomBytes(3).toString('hex')}`;
  }

  /** The node's name as it may appear in a session name. */
  #nodeLabel(): string {
    return this.node.name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 32);
  }
}

export function createEosDriver(node: LabNode, options: EosDriverOptions = {}): EosDriver {
  return new EosDriver(node, options);
}
