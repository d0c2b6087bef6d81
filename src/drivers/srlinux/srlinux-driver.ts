import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type {
  ApplyOptions,
  ApplyResult,
  CallOptions,
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
import { LockedError, RejectedError, StaleError, UnsupportedError, type DriverError, type DriverErrorContext } from '../errors.js';
import { labCaFile, tlsFromLabel, tlsVerifyFromLabel } from '../http/endpoint.js';
import type { JsonRpcClient, JsonRpcClientOptions, JsonRpcErrorObject } from '../http/json-rpc-client.js';
import { connectClient } from '../http/http-session.js';
import { HttpDriver } from '../http/http-driver.js';
import { resolveKind } from '../../inventory/kinds.js';
import type { LabNode } from '../../inventory/types.js';
import { commandsFor, InputError, type SrlCommand } from './config-input.js';

export const SRLINUX_CAPABILITIES: DriverCapabilities = Object.freeze({
  commitConfirmed: true,
  // Every set/validate/diff works on a private candidate that only that request sees.
  privateCandidate: true,
  rollback: true,
  deviceFiles: false,
  configMethods: Object.freeze(['merge', 'set', 'override'] as ConfigMethod[]),
  execFormats: Object.freeze(['text', 'json'] as OutputFormat[]),
});

export const SRLINUX_TRAITS: DriverTraits = Object.freeze({
  // confirm-timeout is in seconds; a day is plenty for a lab and keeps typos from pinning a commit.
  maxConfirmSeconds: 24 * 3600,
  // SR Linux keeps 10 checkpoints by default (system configuration max-checkpoints).
  maxRollback: 10,
  commitHistoryCommand: 'info from state system configuration commit',
  configHint: 'SR Linux `set / ...` lines (info flat) or JSON',
});

export const JSONRPC_PATH = '/jsonrpc';
/** Every checkpoint the bot makes starts with this, so it can find its own. */
export const CHECKPOINT_PREFIX = 'clab-bot-';

const DEFAULT_TIMEOUTS: MethodTimeouts = { open: 15_000, exec: 60_000, plan: 120_000, apply: 300_000, read: 60_000 };

export interface SrlinuxDriverOptions {
  readonly timeouts?: Partial<MethodTimeouts>;
  /** https or plain http; default the kind's JSON-RPC service (https). */
  readonly tls?: boolean;
  /**
   * Verify the device certificate (default true). Containerlab signs SR Linux certificates with its
   * lab CA, which the driver trusts from clab-<lab>/.tls/ca/ca.pem when that file exists.
   */
  readonly tlsVerify?: boolean;
  /** A CA file (PEM) to trust instead of the lab's own. */
  readonly caFile?: string;
  /** Kept-alive connections per node; default 2. */
  readonly maxSockets?: number;
}

/**
 * Nokia SR Linux over JSON-RPC (POST /jsonrpc, basic auth, one kept-alive pool per node). Every
 * set/validate/diff runs on a private candidate that the request itself creates and drops, so plan
 * changes nothing. Before each commit the driver saves a checkpoint named `clab-bot-…`; rollback N
 * loads the Nth newest of them into a candidate and commits it.
 */
export class SrlinuxDriver extends HttpDriver implements Driver {
  readonly capabilities = SRLINUX_CAPABILITIES;
  readonly traits = SRLINUX_TRAITS;
  readonly #options: SrlinuxDriverOptions;

  constructor(node: LabNode, options: SrlinuxDriverOptions = {}) {
    super(node, DEFAULT_TIMEOUTS, options.timeouts);
    this.#options = options;
  }

  async exec(command: string, opts: CallOptions & { format?: OutputFormat } = {}): Promise<ExecResult> {
    const ctx = this.ctx('exec');
    const started = performance.now();
    const format = opts.format ?? 'text';
    if (format === 'xml') throw new UnsupportedError(ctx, 'XML output (SR Linux answers in text or JSON)');
    if (command.trim() === '') throw new RejectedError(ctx, ['no command given']);
    // Sent once: an exec may be a tools command that acts on the device.
    const [result] = await this.#call('cli', { commands: [command], 'output-format': format }, ctx, this.deadline(opts, 'exec'), true);
    // `| as json` makes the device answer JSON whatever was asked.
    const asJson = format === 'json' || (typeof result === 'object' && result !== null && !isTextResult(result));
    return {
      output: asJson ? JSON.stringify(result ?? {}, null, 2) : textOf(result),
      format: asJson ? 'json' : 'text',
      warnings: [],
      durationMs: Math.round(performance.now() - started),
    };
  }

  async plan(source: NodeSource, method: ConfigMethod, opts: CallOptions = {}): Promise<Plan> {
    const ctx = this.ctx('plan');
    const deadline = this.deadline(opts, 'plan');
    return this.#serial(async () => {
      const base = await this.#newestCommit(ctx, deadline);
      if (source.type === 'rollback') {
        const diff = await this.#checkpointDiff(await this.#rollbackTarget(source.index, ctx, deadline), ctx, deadline);
        return { diff, diffHash: diffHash(diff), base, check: { ok: true, warnings: [], errors: [] } };
      }
      const commands = this.#commands(source, method, ctx);
      const diff = await this.#diff(commands, ctx, deadline);
      const validated = await this.#send('validate', { commands }, ctx, deadline);
      const check = validated.ok
        ? { ok: true, warnings: [], errors: [] }
        : { ok: false, warnings: [], errors: [validated.error.message] };
      return { diff, diffHash: diffHash(diff), base, check };
    });
  }

  async apply(source: NodeSource, opts: ApplyOptions): Promise<ApplyResult> {
    const ctx = this.ctx('apply');
    const deadline = this.deadline(opts, 'apply');
    const confirmSeconds = Math.max(0, Math.ceil(opts.confirmSeconds ?? 0));
    return this.#serial(async () => {
      if (source.type === 'rollback') {
        const name = await this.#rollbackTarget(source.index, ctx, deadline);
        const diff = await this.#checkpointDiff(name, ctx, deadline);
        if (diffHash(diff) !== opts.expectDiffHash) throw new StaleError(ctx);
        return this.#commitCheckpoint(name, diff, opts.comment, ctx, deadline);
      }
      const commands = this.#commands(source, opts.method, ctx);
      const diff = await this.#diff(commands, ctx, deadline);
      if (diffHash(diff) !== opts.expectDiffHash) throw new StaleError(ctx);
      if (normaliseDiff(diff) === '') return { committed: false, commitId: undefined, diff, pendingConfirm: false, warnings: [] };
      await this.#checkpoint(opts.comment, ctx, deadline);
      await this.#call('set', { commands, ...(confirmSeconds > 0 ? { 'confirm-timeout': confirmSeconds } : {}) }, ctx, deadline, true);
      const commitId = await this.#newestCommit(ctx, deadline).catch(() => undefined);
      return { committed: true, commitId, diff, pendingConfirm: confirmSeconds > 0, warnings: [] };
    });
  }

  async confirm(opts: CallOptions & { comment?: string } = {}): Promise<void> {
    const ctx = this.ctx('confirm');
    const deadline = this.deadline(opts, 'apply');
    await this.#serial(async () => {
      // Accepting is counted like a commit (as on Junos), so a checkpoint keeps rollback N in step.
      await this.#checkpoint(opts.comment, ctx, deadline);
      await this.#call('set', { commands: [{ action: 'update', path: '/system/configuration/confirmed-accept', datastore: 'tools' }] }, ctx, deadline, true);
    });
  }

  async rollback(index: number, opts: CallOptions & { comment?: string } = {}): Promise<ApplyResult> {
    const ctx = this.ctx('rollback');
    const deadline = this.deadline(opts, 'apply');
    return this.#serial(async () => {
      const name = await this.#rollbackTarget(index, ctx, deadline);
      const diff = await this.#checkpointDiff(name, ctx, deadline);
      return this.#commitCheckpoint(name, diff, opts.comment, ctx, deadline);
    });
  }

  undoLastCommit(opts: CallOptions & { comment?: string } = {}): Promise<ApplyResult> {
    return this.rollback(1, opts);
  }

  async facts(opts: CallOptions = {}): Promise<Facts> {
    const ctx = this.ctx('facts');
    const paths = [
      '/system/name/host-name',
      '/platform/chassis/type',
      '/system/information/version',
      '/platform/chassis/serial-number',
      '/system/information/last-booted',
      '/system/information/current-datetime',
    ];
    const r = await this.#call('get', { commands: paths.map((path) => ({ path, datastore: 'state' })) }, ctx, this.deadline(opts, 'read'));
    const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
    const booted = Date.parse(str(r[4]));
    const now = Date.parse(str(r[5]));
    return {
      hostname: str(r[0]),
      model: str(r[1]),
      version: str(r[2]),
      serial: str(r[3]),
      uptimeSeconds: Number.isFinite(booted) && Number.isFinite(now) ? Math.max(0, Math.floor((now - booted) / 1000)) : undefined,
      vendor: 'Nokia',
    };
  }

  async runningConfig(opts: CallOptions = {}): Promise<string> {
    const ctx = this.ctx('running config');
    const [result] = await this.#call('cli', { commands: ['info flat from running'], 'output-format': 'text' }, ctx, this.deadline(opts, 'read'));
    return textOf(result);
  }

  protected async connect(opts: CallOptions): Promise<JsonRpcClient> {
    const { host, port, credentials, name, kind } = this.node;
    const service = resolveKind(kind)?.services.find((s) => s.protocol === 'json-rpc');
    const ctx = this.ctx('open');
    const tls = this.#options.tls ?? tlsFromLabel(this.node, ctx) ?? service?.tls ?? true;
    const tlsVerify = this.#options.tlsVerify ?? tlsVerifyFromLabel(this.node, ctx) ?? true;
    const caFile = this.#options.caFile ?? labCaFile(this.node);
    let ca: string | undefined;
    if (tls && caFile !== undefined) {
      try {
        ca = readFileSync(caFile, 'utf8');
      } catch (err) {
        throw new UnsupportedError({ ...ctx, cause: err }, `reading the CA file ${caFile} (${(err as Error).message})`);
      }
    }
    const options: JsonRpcClientOptions = {
      label: name,
      host,
      port: port ?? (tls ? (service?.tls === true ? service.port : 443) : 80),
      tls,
      path: JSONRPC_PATH,
      username: credentials.username,
      password: credentials.password,
      tlsVerify,
      maxSockets: this.#options.maxSockets ?? 2,
      ...(ca === undefined ? {} : { ca }),
    };
    const deadline = this.deadline(opts, 'open');
    return connectClient(options, async (client) => {
      const reply = await client.call('get', { commands: [{ path: '/system/name/host-name', datastore: 'state' }] }, deadline.rpc(ctx));
      if (!reply.ok) throw srlError(reply.error, ctx);
    });
  }

  #commands(source: NodeSource, method: ConfigMethod, ctx: DriverErrorContext): SrlCommand[] {
    if (source.type === 'device-file') throw new UnsupportedError(ctx, 'loading a file from the device');
    if (source.type !== 'text') throw new UnsupportedError(ctx, `configuration source ${source.type}`);
    if (source.format === 'xml') throw new UnsupportedError(ctx, 'XML configuration (SR Linux takes `set / ...` lines or JSON)');
    try {
      return commandsFor(source.content, method);
    } catch (err) {
      if (err instanceof InputError) throw new RejectedError({ ...ctx, cause: err }, [err.message]);
      throw err;
    }
  }

  async #diff(commands: SrlCommand[], ctx: DriverErrorContext, deadline: Deadline): Promise<string> {
    const result = await this.#call('diff', { commands, 'output-format': 'text', 'yang-models': 'srl' }, ctx, deadline);
    // The diff is the first entry (string or {text}); all-blank means no change.
    return result.map(textOf).join('');
  }

  /** The bot's checkpoint for rollback `index` (1 = the one saved before the newest bot commit). */
  async #rollbackTarget(index: number, ctx: DriverErrorContext, deadline: Deadline): Promise<string | undefined> {
    if (!Number.isInteger(index) || index < 0) throw new UnsupportedError(ctx, `rollback ${index}`);
    if (index === 0) return undefined;
    const names = await this.#botCheckpoints(ctx, deadline);
    const name = names[index - 1];
    if (name === undefined) {
      throw new RejectedError(ctx, [
        `there is no rollback ${index}: the bot saves a checkpoint before each of its commits, and ${names.length} ${names.length === 1 ? 'is' : 'are'} on this device`,
      ]);
    }
    return name;
  }

  /** The diff from running to checkpoint `name` ('' for rollback 0, the running configuration itself). */
  async #checkpointDiff(name: string | undefined, ctx: DriverErrorContext, deadline: Deadline): Promise<string> {
    if (name === undefined) return '';
    const result = await this.#call(
      'cli',
      { commands: ['enter candidate private', `load checkpoint name ${cliQuote(name)}`, 'diff', 'discard now'], 'output-format': 'text' },
      ctx,
      deadline,
    );
    return textOf(result[2]);
  }

  async #commitCheckpoint(
    name: string | undefined,
    diff: string,
    comment: string | undefined,
    ctx: DriverErrorContext,
    deadline: Deadline,
  ): Promise<ApplyResult> {
    if (name === undefined || normaliseDiff(diff) === '') return { committed: false, commitId: undefined, diff, pendingConfirm: false, warnings: [] };
    await this.#checkpoint(comment, ctx, deadline);
    const commit = comment === undefined || comment === '' ? 'commit now' : `commit now comment ${cliQuote(comment)}`;
    await this.#call(
      'cli',
      { commands: ['enter candidate private', `load checkpoint name ${cliQuote(name)}`, commit], 'output-format': 'text' },
      ctx,
      deadline,
      true,
    );
    const commitId = await this.#newestCommit(ctx, deadline).catch(() => undefined);
    return { committed: true, commitId, diff, pendingConfirm: false, warnings: [] };
  }

  /** Saves the running configuration as the newest bot checkpoint (what rollback 1 restores). */
  async #checkpoint(comment: string | undefined, ctx: DriverErrorContext, deadline: Deadline): Promise<void> {
    const name = `${CHECKPOINT_PREFIX}${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
    const words = ['/tools system configuration generate-checkpoint', 'name', cliQuote(name)];
    if (comment !== undefined && comment !== '') words.push('comment', cliQuote(comment));
    await this.#call('cli', { commands: [words.join(' ')], 'output-format': 'text' }, ctx, deadline, true);
  }

  /** The bot's checkpoints, newest first (SR Linux numbers checkpoints newest = 0). */
  async #botCheckpoints(ctx: DriverErrorContext, deadline: Deadline): Promise<string[]> {
    const [result] = await this.#call('get', { commands: [{ path: '/system/configuration/checkpoint[id=*]', datastore: 'state' }] }, ctx, deadline);
    return entries(result, 'checkpoint')
      .map((c) => ({ id: Number(c['id']), name: typeof c['name'] === 'string' ? c['name'] : '' }))
      .filter((c) => c.name.startsWith(CHECKPOINT_PREFIX))
      .sort((a, b) => a.id - b.id)
      .map((c) => c.name);
  }

  /** Identity of the running configuration: the newest commit's id, when the device lists commits. */
  async #newestCommit(ctx: DriverErrorContext, deadline: Deadline): Promise<string | undefined> {
    const [result] = await this.#call('get', { commands: [{ path: '/system/configuration/commit[id=*]', datastore: 'state' }] }, ctx, deadline);
    const ids = entries(result, 'commit').map((c) => Number(c['id'])).filter(Number.isFinite);
    return ids.length === 0 ? undefined : `commit ${Math.max(...ids)}`;
  }

  #serial<T>(body: () => Promise<T>): Promise<T> {
    return this.session.serial(body);
  }

  /** `once`: the request changes something (a commit, a tools command), so it is never sent twice. */
  async #send(method: string, params: unknown, ctx: DriverErrorContext, deadline: Deadline, once = false) {
    return this.session.client(ctx).call(method, params, deadline.rpc(ctx), once ? { retryStaleSocket: false } : {});
  }

  /** One request; a JSON-RPC error becomes the typed driver error with the device's message. */
  async #call(method: string, params: unknown, ctx: DriverErrorContext, deadline: Deadline, once = false): Promise<unknown[]> {
    const reply = await this.#send(method, params, ctx, deadline, once);
    if (!reply.ok) throw srlError(reply.error, ctx);
    if (!Array.isArray(reply.result)) throw new RejectedError(ctx, [`${method} answered with a result that is not a list`]);
    return reply.result;
  }
}

/** A JSON-RPC error → the driver error tree; the device's message is kept verbatim. */
export function srlError(error: JsonRpcErrorObject, ctx: DriverErrorContext): DriverError {
  if (/locked by|exclusive candidate|commit confirmed \S+ is in progress|another commit/i.test(error.message)) return new LockedError(ctx, error.message);
  return new RejectedError(ctx, [error.message]);
}

function isTextResult(v: object): boolean {
  const keys = Object.keys(v);
  return keys.length === 1 && keys[0] === 'text' && typeof (v as { text?: unknown }).text === 'string';
}

/** Text output: a raw string or {"text": ...} (both occur); anything else as JSON. */
export function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && typeof (v as { text?: unknown }).text === 'string') return (v as { text: string }).text;
  if (v === undefined || (typeof v === 'object' && v !== null && Object.keys(v).length === 0)) return '';
  return JSON.stringify(v, null, 2);
}

/** Entries of a list read with a wildcard key: `{"commit": [...]}`, with or without a module prefix. */
function entries(result: unknown, list: string): Record<string, unknown>[] {
  if (typeof result !== 'object' || result === null) return [];
  const found = Object.entries(result).find(([k]) => k === list || k.endsWith(`:${list}`))?.[1];
  return Array.isArray(found) ? found.filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null) : [];
}

/** A CLI word: bare when safe, else double-quoted with \" and \\ escaped. */
export function cliQuote(s: string): string {
  return /^[A-Za-z0-9_./:@+-]+$/.test(s) ? s : `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function createSrlinuxDriver(node: LabNode, options: SrlinuxDriverOptions = {}): SrlinuxDriver {
  return new SrlinuxDriver(node, options);
}
