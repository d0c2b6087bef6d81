/**
 * Cisco IOS and IOS-XE (IOL, vIOS, CSR1000v, Catalyst 8000v/9000v) over the SSH CLI. IOS has no
 * candidate configuration, and the driver says so: the plan is computed (ios-config.ts) from
 * `show running-config` and the lines, and the lines are typed one by one under `configure
 * terminal`. Where the configuration `archive` is set up, each apply first saves the running
 * configuration (`archive config`), a confirmed apply uses `configure terminal revert timer N`
 * (IOS's commit confirmed, confirmed by `configure confirm`), and rollback N is `configure replace`
 * of the Nth newest archive. Without an archive path those capabilities are off and the plan says
 * why.
 */
import type {
  ApplyOptions,
  ApplyResult,
  CallOptions,
  ConfigMethod,
  NodeSource,
  DriverCapabilities,
  DriverTraits,
  Facts,
  OutputFormat,
  Plan,
} from '../contract.js';
import type { Deadline } from '../deadline.js';
import { diffHash } from '../diff-hash.js';
import { LockedError, RejectedError, StaleError, UnsupportedError, type DriverErrorContext } from '../errors.js';
import type { LabNode } from '../../inventory/types.js';
import { CiscoCliDriver, failureLines, type SshCliDriverOptions } from './cli-driver.js';
import { configLines, type ConfigLine } from './config-input.js';
import { diffStatements } from './diff-statements.js';
import { iosDiff, mergeLines, parseIosConfig, type IosNode } from './ios-config.js';
import { uptimeSeconds } from './iosxr-driver.js';
import { IOS } from './platform.js';

/** `configure terminal revert timer` takes 1 to 120 minutes. */
const MAX_REVERT_MINUTES = 120;

const base = {
  privateCandidate: false,
  deviceFiles: false,
  configMethods: Object.freeze(['merge'] as ConfigMethod[]),
  execFormats: Object.freeze(['text'] as OutputFormat[]),
};
/** With an archive path configured. */
export const IOS_CAPABILITIES: DriverCapabilities = Object.freeze({ ...base, commitConfirmed: true, rollback: true });
/** Without one: no revert timer, no configuration replace. */
const IOS_NO_ARCHIVE: DriverCapabilities = Object.freeze({ ...base, commitConfirmed: false, rollback: false });

export const IOS_TRAITS: DriverTraits = Object.freeze({
  maxConfirmSeconds: MAX_REVERT_MINUTES * 60,
  // `archive` / `maximum` keeps at most 14 configurations.
  maxRollback: 14,
  commitHistoryCommand: 'show archive',
  configHint: 'IOS configuration lines (as in show running-config), typed under configure terminal: IOS has no candidate',
  confirmIsCommit: false,
});

export const NO_CANDIDATE_WARNING =
  'IOS has no candidate configuration: this diff is computed from show running-config and the lines, which the device applies one by one';
export const NO_ARCHIVE_WARNING =
  'commit confirmed and rollback are unavailable on this node: the configuration archive is not set up (configure `archive` with ` path flash:archive`), so an approved change applies without a revert timer';

interface Archive {
  /** Archive files, newest first. */
  readonly files: readonly string[];
}

export class IosDriver extends CiscoCliDriver {
  readonly traits = IOS_TRAITS;
  /** Known after open: whether `archive` has a path (revert timer and configure replace work). */
  #archive: boolean | undefined;

  constructor(node: LabNode, options: SshCliDriverOptions = {}) {
    super(node, IOS, options);
  }

  get capabilities(): DriverCapabilities {
    return this.#archive === false ? IOS_NO_ARCHIVE : IOS_CAPABILITIES;
  }

  override async open(opts: CallOptions = {}): Promise<void> {
    const wasAlive = this.isAlive();
    await super.open(opts);
    if (!wasAlive) this.#archive = (await this.#archives(this.ctx('open'), this.deadline(opts, 'open'))) !== undefined;
  }

  async facts(opts: CallOptions = {}): Promise<Facts> {
    const deadline = this.deadline(opts, 'read');
    const version = await this.serial(() => this.run('show version', this.ctx('facts'), deadline));
    const uptime = /^(\S+) uptime is (.+)$/m.exec(version);
    return {
      hostname: uptime?.[1] ?? this.node.name,
      model: /^cisco (\S+).*processor/im.exec(version)?.[1] ?? 'IOS',
      version: /Version ([^,\s]+)/.exec(version)?.[1] ?? '',
      serial: /Processor board ID (\S+)/.exec(version)?.[1] ?? '',
      uptimeSeconds: uptime === null ? undefined : uptimeSeconds(uptime[2] as string),
      vendor: 'cisco',
    };
  }

  async plan(source: NodeSource, method: ConfigMethod, opts: CallOptions = {}): Promise<Plan> {
    const ctx = this.ctx('plan');
    const deadline = this.deadline(opts, 'plan');
    return this.serial(async () => {
      const planned = await this.#plan(source, method, ctx, deadline);
      const warnings = [NO_CANDIDATE_WARNING, ...(this.#archive === false ? [NO_ARCHIVE_WARNING] : [])];
      return {
        diff: planned.diff,
        diffHash: diffHash(planned.diff),
        base: undefined,
        check: { ok: true, warnings, errors: [] },
        statements: diffStatements(planned.diff),
      };
    });
  }

  async apply(source: NodeSource, opts: ApplyOptions): Promise<ApplyResult> {
    const ctx = this.ctx('apply');
    const deadline = this.deadline(opts, 'apply');
    const confirmSeconds = Math.max(0, opts.confirmSeconds ?? 0);
    if (confirmSeconds > MAX_REVERT_MINUTES * 60)
      throw new UnsupportedError(ctx, `a revert timer of ${confirmSeconds} seconds (IOS takes at most ${MAX_REVERT_MINUTES} minutes)`);
    return this.serial(async () => {
      const planned = await this.#plan(source, opts.method, ctx, deadline);
      if (diffHash(planned.diff) !== opts.expectDiffHash) throw new StaleError(ctx);
      if (planned.diff === '') return { committed: false, commitId: undefined, diff: planned.diff, pendingConfirm: false, warnings: [] };
      if (planned.replaceWith !== undefined) {
        await this.#replace(planned.replaceWith, ctx, deadline);
        return { committed: true, commitId: planned.replaceWith, diff: planned.diff, pendingConfirm: false, warnings: [] };
      }
      const lines = planned.lines ?? [];
      const saved = this.#archive === true ? await this.#archiveNow(ctx, deadline) : undefined;
      const minutes = saved !== undefined && confirmSeconds > 0 ? Math.max(1, Math.ceil(confirmSeconds / 60)) : 0;
      const warnings = saved === undefined && confirmSeconds > 0 ? [NO_ARCHIVE_WARNING] : [];
      await this.run(minutes > 0 ? `configure terminal revert timer ${minutes}` : 'configure terminal', ctx, deadline).catch((err: unknown) => {
        if (err instanceof RejectedError && /locked/i.test(err.message)) throw new LockedError(ctx, err.deviceErrors.join(' '));
        throw err;
      });
      try {
        await this.typeLines(lines, ctx, deadline);
      } catch (err) {
        await this.run('end', ctx, deadline).catch(() => this.discardChannel());
        // Lines before the refused one are already in the running configuration: put back the saved one.
        if (saved !== undefined) await this.#replace(saved, ctx, deadline).catch(() => undefined);
        throw await this.#leftBehind(err, planned.running, ctx, deadline);
      }
      await this.run('end', ctx, deadline);
      return { committed: true, commitId: saved, diff: planned.diff, pendingConfirm: minutes > 0, warnings };
    });
  }

  async confirm(opts: CallOptions & { comment?: string } = {}): Promise<void> {
    const ctx = this.ctx('confirm');
    await this.serial(async () => {
      const output = await this.raw('configure confirm', ctx, this.deadline(opts, 'apply'));
      const failed = failureLines(this.platform, output);
      if (failed.length > 0)
        throw new RejectedError(ctx, [...failed, 'no revert timer is running (it may have run out and the device restored the archived configuration)']);
    });
  }

  async rollback(index: number, opts: CallOptions & { comment?: string } = {}): Promise<ApplyResult> {
    const ctx = this.ctx('rollback');
    const deadline = this.deadline(opts, 'apply');
    return this.serial(async () => {
      const planned = await this.#plan({ type: 'rollback', index }, 'override', ctx, deadline);
      await this.#replace(planned.replaceWith as string, ctx, deadline);
      return { committed: true, commitId: planned.replaceWith, diff: planned.diff, pendingConfirm: false, warnings: [] };
    });
  }

  /**
   * A refused apply, told as it is: when lines typed before the refusal are still in the running
   * configuration (no archive to restore, or the restore failed), the error says which.
   */
  async #leftBehind(err: unknown, before: readonly IosNode[], ctx: DriverErrorContext, deadline: Deadline): Promise<unknown> {
    if (!(err instanceof RejectedError)) return err;
    const now = await this.run('show running-config', ctx, deadline).catch(() => undefined);
    const left = now === undefined ? ['(the running configuration could not be read back)'] : iosDiff(before, parseIosConfig(now));
    if (left.length === 0) return err;
    const why = this.#archive === true ? 'and restoring the archive failed' : 'and no archive is set up to restore';
    const lines = left.map((l) => l.trim().replace(/\s+/g, ' ')).join('; ');
    return new RejectedError(ctx, [...err.deviceErrors, `the lines typed before it stay in the running configuration (IOS has no candidate ${why}): ${lines}`]);
  }

  async #plan(
    source: NodeSource,
    method: ConfigMethod,
    ctx: DriverErrorContext,
    deadline: Deadline,
  ): Promise<{ diff: string; running: IosNode[]; lines?: ConfigLine[]; replaceWith?: string }> {
    if (source.type === 'device-file') throw new UnsupportedError(ctx, 'loading a file stored on the device');
    const running = parseIosConfig(await this.run('show running-config', ctx, deadline));
    if (source.type === 'rollback') {
      const archive = this.#archive === true ? await this.#archives(ctx, deadline) : undefined;
      if (archive === undefined)
        throw new UnsupportedError(ctx, `rollback ${source.index} without a configuration archive (configure \`archive\` with \` path flash:archive\`)`);
      const file = archive.files[source.index - 1];
      if (!Number.isInteger(source.index) || source.index < 1 || file === undefined) {
        throw new RejectedError(ctx, [
          `there is no rollback ${source.index}: ${archive.files.length} archived configuration${archive.files.length === 1 ? ' is' : 's are'} saved on this device (show archive)`,
        ]);
      }
      const saved = parseIosConfig(await this.run(`more ${file}`, ctx, deadline));
      return { diff: toDiff(iosDiff(running, saved)), running, replaceWith: file };
    }
    if (method !== 'merge') throw new UnsupportedError(ctx, `the ${method} method (IOS configuration lines merge into the running configuration: use merge)`);
    if (source.format === 'xml' || source.format === 'set') throw new UnsupportedError(ctx, `${source.format} configuration text (IOS takes CLI lines)`);
    const lines = configLines(source.content, ctx);
    return { diff: toDiff(iosDiff(running, mergeLines(running, lines))), running, lines };
  }

  /** `show archive`: the archived files newest first, or undefined when the archive is not set up. */
  async #archives(ctx: DriverErrorContext, deadline: Deadline): Promise<Archive | undefined> {
    const output = await this.raw('show archive', ctx, deadline);
    if (failureLines(this.platform, output).length > 0 || /not enabled|not configured/i.test(output)) return undefined;
    const rows = [...output.matchAll(/^\s*(\d+)\s+(\S+:\S+)(\s+<- Most Recent)?\s*$/gm)].map((m) => ({
      n: Number(m[1]),
      file: m[2] as string,
      newest: m[3] !== undefined,
    }));
    const at = rows.findIndex((r) => r.newest);
    if (at < 0) return { files: [] };
    // The archive is a ring: newest, then backwards, wrapping around.
    const files = rows.map((_, i) => (rows[(at - i + rows.length) % rows.length] as { file: string }).file);
    return { files };
  }

  /** Saves the running configuration to the archive and returns the file's name. */
  async #archiveNow(ctx: DriverErrorContext, deadline: Deadline): Promise<string> {
    await this.run('archive config', ctx, deadline);
    const archive = await this.#archives(ctx, deadline);
    const file = archive?.files[0];
    if (file === undefined) throw new RejectedError(ctx, ['`archive config` saved nothing (show archive lists no archived configuration)']);
    return file;
  }

  async #replace(file: string, ctx: DriverErrorContext, deadline: Deadline): Promise<void> {
    const output = await this.run(`configure replace ${file} force`, ctx, deadline);
    if (!/Rollback Done|successfully/i.test(output)) throw new RejectedError(ctx, [`\`configure replace ${file}\`: ${output.trim() || 'no answer'}`]);
  }
}

function toDiff(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

export function createIosDriver(node: LabNode, options: SshCliDriverOptions = {}): IosDriver {
  return new IosDriver(node, options);
}
