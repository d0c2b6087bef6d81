/**
 * Linux nodes (containerlab kind `linux`): FRR routers and plain hosts, reached through Docker exec
 * or SSH (transport.ts). On an FRR node `show ...` runs in vtysh and configuration goes through
 * plan/apply/confirm/rollback (frr-changes.ts); other programs run as argv when the policy allowed
 * them. A node without FRR is exec only, and its capabilities say so.
 */
import type {
  ApplyOptions, ApplyResult, CallOptions, ConfigMethod, NodeSource, Driver, DriverCapabilities, DriverTraits, ExecResult, Facts, OutputFormat, Plan,
} from '../contract.js';
import { ConnectionLostError, RejectedError, UnsupportedError, type DriverErrorContext } from '../errors.js';
import { Deadline, methodDeadline, type MethodTimeouts } from '../deadline.js';
import type { LabNode } from '../../inventory/types.js';
import { FrrChanges } from './frr-changes.js';
import { ShellWordError, splitCommand } from './shell-words.js';
import type { LinuxTransport, RunResult } from './transport.js';
import { applyFilters, isVtyshCommand, parseVtyshCommand, stripRunningBanner, VTYSH, vtyshErrors } from './vtysh.js';

/** FRR: vtysh exec with json, config by merge/override with a snapshot-based confirm timer and rollback. */
export const FRR_CAPABILITIES: DriverCapabilities = Object.freeze({
  commitConfirmed: true,
  privateCandidate: false,
  rollback: true,
  deviceFiles: false,
  configMethods: Object.freeze(['merge', 'override', 'replace'] as ConfigMethod[]),
  execFormats: Object.freeze(['text', 'json'] as OutputFormat[]),
});

/** A linux node without FRR: programs only. */
export const LINUX_CAPABILITIES: DriverCapabilities = Object.freeze({
  commitConfirmed: false,
  privateCandidate: false,
  rollback: false,
  deviceFiles: false,
  configMethods: Object.freeze([] as ConfigMethod[]),
  execFormats: Object.freeze(['text'] as OutputFormat[]),
});

/** FRR keeps the bot's snapshots on the node; the confirm timer is a process there (no device limit beyond a day here). */
export const LINUX_TRAITS: DriverTraits = Object.freeze({
  maxConfirmSeconds: 24 * 60 * 60,
  maxRollback: 50,
  commitHistoryCommand: 'show running-config',
  configHint: 'FRR vtysh configuration, indented as in show running-config',
});

const DEFAULT_TIMEOUTS: MethodTimeouts = { open: 15_000, exec: 60_000, plan: 60_000, apply: 120_000, read: 30_000 };

/** Image names that say FRR (quay.io/frrouting/frr, frrouting/frr-debian, ...). */
const FRR_IMAGE = /(^|\/)frr(outing)?([/:@-]|$)/i;

export function imageSaysFrr(image: string | undefined): boolean {
  return image !== undefined && FRR_IMAGE.test(image);
}

export interface LinuxDriverDeps {
  /** Picks and builds the transport for the node (Docker or SSH), not yet open. */
  readonly transport: (node: LabNode, opts: { timeoutMs: number; signal?: AbortSignal }) => Promise<LinuxTransport>;
  readonly timeouts?: Partial<MethodTimeouts>;
}

export class LinuxDriver implements Driver {
  readonly node: LabNode;
  readonly traits = LINUX_TRAITS;
  readonly #deps: LinuxDriverDeps;
  readonly #timeouts: MethodTimeouts;
  #transport: LinuxTransport | undefined;
  #opening: Promise<void> | undefined;
  /** Known once open: from the image name, else from asking vtysh. */
  #frr: boolean;
  #changes: FrrChanges | undefined;

  constructor(node: LabNode, deps: LinuxDriverDeps) {
    this.node = node;
    this.#deps = deps;
    this.#timeouts = { ...DEFAULT_TIMEOUTS, ...deps.timeouts };
    this.#frr = imageSaysFrr(node.image);
  }

  /** FRR capabilities when the node runs FRR (known from the image before open, else after it). */
  get capabilities(): DriverCapabilities {
    return this.#frr ? FRR_CAPABILITIES : LINUX_CAPABILITIES;
  }

  /** The transport in use once open (for messages and tests). */
  get transportName(): string | undefined {
    return this.#transport?.name;
  }

  get isFrr(): boolean {
    return this.#frr;
  }

  async open(opts: CallOptions = {}): Promise<void> {
    if (this.#transport?.isAlive()) return;
    this.#opening ??= this.#open(opts).finally(() => {
      this.#opening = undefined;
    });
    return this.#opening;
  }

  isAlive(): boolean {
    return this.#transport?.isAlive() ?? false;
  }

  async exec(command: string, opts: CallOptions & { format?: OutputFormat } = {}): Promise<ExecResult> {
    const ctx = this.#ctx('exec');
    const started = performance.now();
    const format = opts.format ?? 'text';
    const deadline = this.#deadline(opts, 'exec');
    if (this.#frr && isVtyshCommand(command)) {
      if (format !== 'text' && format !== 'json') throw new UnsupportedError(ctx, `--format ${format} (FRR answers text or json)`);
      const parsed = words(ctx, () => parseVtyshCommand(command, format));
      const result = await this.run([VTYSH, '-c', parsed.command], ctx, deadline);
      if (result.exitCode !== 0) {
        const errors = vtyshErrors(result.stdout, result.stderr);
        if (parsed.json && errors.some((e) => e.includes('Unknown command'))) {
          throw new RejectedError(ctx, [`FRR has no json output for "${command}" (vtysh: ${errors.join('; ')})`]);
        }
        throw new RejectedError(ctx, errors);
      }
      let output = parsed.filters.length > 0 ? applyFilters(result.stdout, parsed.filters) : result.stdout;
      if (parsed.json) {
        const trimmed = output.trim();
        if (!/^[[{]/.test(trimmed)) throw new RejectedError(ctx, [`FRR has no json output for "${command}" (it answered: ${trimmed.split('\n')[0] ?? ''})`]);
        output = trimmed;
      }
      return { output, format, warnings: [], durationMs: Math.round(performance.now() - started) };
    }
    if (format !== 'text') throw new UnsupportedError(ctx, `--format ${format} for programs on a linux node (text only; FRR show commands take json)`);
    const argv = words(ctx, () => splitCommand(command));
    if (argv.length === 0) throw new RejectedError(ctx, ['empty command']);
    const result = await this.run(argv, ctx, deadline);
    if (result.exitCode === 127 && isVtyshCommand(command) && !this.#frr) {
      throw new RejectedError(ctx, [
        `${this.node.name} runs no FRR (vtysh did not answer) and has no program named ${argv[0]}: linux nodes without FRR take programs only`,
      ]);
    }
    if (result.exitCode !== 0) {
      const detail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5);
      throw new RejectedError(ctx, [`${argv[0]} exited with status ${result.exitCode}`, ...detail]);
    }
    const warnings = result.stderr.trim() === '' ? [] : [result.stderr.trim()];
    return { output: result.stdout, format: 'text', warnings, durationMs: Math.round(performance.now() - started) };
  }

  async plan(source: NodeSource, method: ConfigMethod, opts: CallOptions = {}): Promise<Plan> {
    return this.#frrChanges('plan').plan(source, method, this.#deadline(opts, 'plan'));
  }

  async apply(source: NodeSource, opts: ApplyOptions): Promise<ApplyResult> {
    return this.#frrChanges('apply').apply(source, opts, this.#deadline(opts, 'apply'));
  }

  async confirm(opts: CallOptions & { comment?: string } = {}): Promise<void> {
    return this.#frrChanges('confirm').confirm(this.#deadline(opts, 'apply'));
  }

  async rollback(index: number, opts: CallOptions & { comment?: string } = {}): Promise<ApplyResult> {
    return this.#frrChanges('rollback').rollback(index, this.#deadline(opts, 'apply'));
  }

  /** Restores the snapshot saved before this driver's last change (rollback 1). */
  async undoLastCommit(opts: CallOptions & { comment?: string } = {}): Promise<ApplyResult> {
    return this.rollback(1, opts);
  }

  async facts(opts: CallOptions = {}): Promise<Facts> {
    const ctx = this.#ctx('facts');
    const deadline = this.#deadline(opts, 'read');
    const [hostname, uptime, kernel] = await Promise.all([
      this.run(['cat', '/proc/sys/kernel/hostname'], ctx, deadline),
      this.run(['cat', '/proc/uptime'], ctx, deadline),
      this.run(['uname', '-r'], ctx, deadline),
    ]);
    let model = 'Linux';
    let version = kernel.stdout.trim();
    let name = hostname.stdout.trim();
    if (this.#frr) {
      const [show, config] = await Promise.all([
        this.run([VTYSH, '-c', 'show version'], ctx, deadline),
        this.run([VTYSH, '-c', 'show running-config'], ctx, deadline),
      ]);
      const match = /^(FRRouting)\s+(\S+)/m.exec(show.stdout);
      if (match !== null) {
        model = match[1] as string;
        version = match[2] as string;
      }
      // FRR's configured hostname names the router even where the OS hostname is shared (namespaces).
      name = /^hostname\s+(\S+)/m.exec(config.stdout)?.[1] ?? name;
    }
    const seconds = Number(uptime.stdout.trim().split(/\s+/)[0]);
    return {
      hostname: name, model, version, serial: '',
      uptimeSeconds: Number.isFinite(seconds) ? Math.floor(seconds) : undefined, vendor: this.#frr ? 'frr' : 'linux',
    };
  }

  async runningConfig(opts: CallOptions = {}): Promise<string> {
    const ctx = this.#ctx('running config');
    if (!this.#frr) throw new UnsupportedError(ctx, `reading the configuration of ${this.node.name} (a linux node without FRR: exec only)`);
    const result = await this.run([VTYSH, '-c', 'show running-config'], ctx, this.#deadline(opts, 'read'));
    if (result.exitCode !== 0) throw new RejectedError(ctx, vtyshErrors(result.stdout, result.stderr));
    return stripRunningBanner(result.stdout);
  }

  async close(): Promise<void> {
    const transport = this.#transport;
    this.#transport = undefined;
    await transport?.close().catch(() => undefined);
  }

  /** Runs argv on the node within the deadline (shared by exec and the FRR change code). */
  async run(argv: readonly string[], ctx: DriverErrorContext, deadline: Deadline): Promise<RunResult> {
    const transport = this.#transport;
    if (transport === undefined) throw new ConnectionLostError(ctx, 'the session is not open: call open() first', { requestSent: false });
    const budget = deadline.rpc(ctx);
    return transport.run({
      argv,
      timeoutMs: budget.timeoutMs ?? 1,
      operation: ctx.operation,
      ...(budget.signal === undefined ? {} : { signal: budget.signal }),
    });
  }

  async #open(opts: CallOptions): Promise<void> {
    const timeoutMs = opts.timeoutMs ?? this.#timeouts.open;
    const call = { timeoutMs, ...(opts.signal === undefined ? {} : { signal: opts.signal }) };
    const transport = await this.#deps.transport(this.node, call);
    await transport.open(call);
    this.#transport = transport;
    const image = (transport as { image?: string }).image;
    if (imageSaysFrr(image)) this.#frr = true;
    if (!this.#frr) {
      // vtysh answering is FRR too (images that do not say so, or FRR installed on a host).
      const ctx = this.#ctx('open');
      try {
        const probe = await this.run([VTYSH, '-c', 'show version'], ctx, new Deadline(timeoutMs, opts.signal));
        this.#frr = probe.exitCode === 0 && /FRRouting/.test(probe.stdout);
      } catch (err) {
        if (!(err instanceof RejectedError)) throw err;
      }
    }
  }

  #frrChanges(operation: string): FrrChanges {
    if (!this.#frr) {
      throw new UnsupportedError(this.#ctx(operation), `configuration on ${this.node.name}: it runs no FRR (vtysh did not answer), so it is exec only`);
    }
    this.#changes ??= new FrrChanges(this);
    return this.#changes;
  }

  #deadline(opts: CallOptions, kind: keyof MethodTimeouts): Deadline {
    return methodDeadline(opts, this.#timeouts, kind);
  }

  ctx(operation: string): DriverErrorContext {
    return this.#ctx(operation);
  }

  #ctx(operation: string): DriverErrorContext {
    return { node: this.node.name, operation };
  }
}

function words<T>(ctx: DriverErrorContext, make: () => T): T {
  try {
    return make();
  } catch (err) {
    if (err instanceof ShellWordError) throw new RejectedError({ ...ctx, cause: err }, [err.message]);
    throw err;
  }
}
