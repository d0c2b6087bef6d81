/**
 * Cisco IOS-XR (XRd, XRv9k, 8000) over the SSH CLI. Configuration goes through XR's own
 * candidate, a configuration session: `configure exclusive` (the lock), the lines, `show commit
 * changes diff` as the plan, then `abort` (plan: nothing is left behind) or `commit` (apply:
 * `commit confirmed <seconds>`, confirmed later by an empty `commit`). Rollback is the device's
 * `rollback configuration last N`. The commit id XR assigns is read from `show configuration
 * commit list 1` and reported.
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
import { CiscoCliDriver, cliComment, failureLines, type SshCliDriverOptions } from './cli-driver.js';
import { configLines } from './config-input.js';
import { diffIsEmpty, diffStatements } from './diff-statements.js';
import { IOSXR } from './platform.js';

/** XR takes `commit confirmed` from 30 to 65535 seconds. */
export const XR_MAX_CONFIRM_SECONDS = 65_535;
const XR_MIN_CONFIRM_SECONDS = 30;

export const IOSXR_CAPABILITIES: DriverCapabilities = Object.freeze({
  commitConfirmed: true,
  privateCandidate: true,
  rollback: true,
  deviceFiles: false,
  configMethods: Object.freeze(['merge'] as ConfigMethod[]),
  execFormats: Object.freeze(['text'] as OutputFormat[]),
});

export const IOSXR_TRAITS: DriverTraits = Object.freeze({
  maxConfirmSeconds: XR_MAX_CONFIRM_SECONDS,
  // The commit database keeps the last 100 commits by default.
  maxRollback: 100,
  commitHistoryCommand: 'show configuration commit list',
  configHint: 'IOS-XR configuration lines (as in show running-config), committed with commit confirmed',
  confirmIsCommit: false,
});

/** The plan diff without XR's banner lines: what the approver sees and the hash binds. */
function cleanDiff(output: string): string {
  const lines = output.split('\n').filter((l) => !/^Building configuration\.\.\.$/.test(l));
  return diffIsEmpty(lines.join('\n')) ? '' : `${lines.join('\n').trim()}\n`;
}

export class IosXrDriver extends CiscoCliDriver {
  readonly capabilities = IOSXR_CAPABILITIES;
  readonly traits = IOSXR_TRAITS;

  constructor(node: LabNode, options: SshCliDriverOptions = {}) {
    super(node, IOSXR, options);
  }

  async facts(opts: CallOptions = {}): Promise<Facts> {
    const ctx = this.ctx('facts');
    const deadline = this.deadline(opts, 'read');
    const [version, inventory] = await this.serial(async () => [
      await this.run('show version', ctx, deadline),
      await this.run('show inventory', ctx, deadline),
    ]);
    const uptime = /^(\S+) uptime is (.+)$/m.exec(version);
    return {
      hostname: uptime?.[1] ?? this.node.name,
      model: /^cisco (.+?) processor/m.exec(version)?.[1] ?? /^cisco (.+)$/m.exec(version)?.[1] ?? 'IOS-XR',
      version: /Version\s+:?\s*(\S+)/.exec(version)?.[1] ?? '',
      serial: /SN: (\S+)/.exec(inventory)?.[1] ?? '',
      uptimeSeconds: uptime === undefined || uptime === null ? undefined : uptimeSeconds(uptime[2] as string),
      vendor: 'cisco',
    };
  }

  async plan(source: NodeSource, method: ConfigMethod, opts: CallOptions = {}): Promise<Plan> {
    const ctx = this.ctx('plan');
    const deadline = this.deadline(opts, 'plan');
    this.#checkMethod(source, method, ctx);
    return this.serial(async () => {
      const diff = await this.#stage(source, ctx, deadline);
      await this.#abort(ctx, deadline);
      return { diff, diffHash: diffHash(diff), base: undefined, check: { ok: true, warnings: [], errors: [] }, statements: diffStatements(diff) };
    });
  }

  async apply(source: NodeSource, opts: ApplyOptions): Promise<ApplyResult> {
    const ctx = this.ctx('apply');
    const deadline = this.deadline(opts, 'apply');
    this.#checkMethod(source, opts.method, ctx);
    const confirmSeconds = Math.max(0, opts.confirmSeconds ?? 0);
    if (confirmSeconds > XR_MAX_CONFIRM_SECONDS)
      throw new UnsupportedError(ctx, `a commit confirmed of ${confirmSeconds} seconds (IOS-XR takes at most ${XR_MAX_CONFIRM_SECONDS})`);
    return this.serial(async () => {
      const diff = await this.#stage(source, ctx, deadline);
      if (diffHash(diff) !== opts.expectDiffHash) {
        await this.#abort(ctx, deadline);
        throw new StaleError(ctx);
      }
      if (diff === '') {
        await this.#abort(ctx, deadline);
        return { committed: false, commitId: undefined, diff, pendingConfirm: false, warnings: [] };
      }
      const comment = cliComment(opts.comment);
      const seconds = confirmSeconds > 0 ? Math.max(XR_MIN_CONFIRM_SECONDS, confirmSeconds) : 0;
      const command =
        seconds > 0 ? `commit confirmed ${seconds}${comment === '' ? '' : ` comment ${comment}`}` : comment === '' ? 'commit' : `commit comment ${comment}`;
      await this.#commit(command, ctx, deadline);
      const commitId = await this.#lastCommitId(ctx, deadline);
      return { committed: true, commitId, diff, pendingConfirm: seconds > 0, warnings: [] };
    });
  }

  async confirm(opts: CallOptions & { comment?: string } = {}): Promise<void> {
    const ctx = this.ctx('confirm');
    const deadline = this.deadline(opts, 'apply');
    await this.serial(async () => {
      await this.#configure(ctx, deadline);
      // An empty commit confirms the pending commit confirmed; with none pending XR has nothing to commit.
      const output = await this.raw('commit', ctx, deadline);
      const failed = failureLines(this.platform, output);
      const nothing = /No configuration changes to commit/.test(output);
      await this.#abort(ctx, deadline);
      if (nothing) throw new RejectedError(ctx, ['no commit confirmed is waiting for confirmation (its timer may have run out and the device rolled it back)']);
      if (failed.length > 0) throw new RejectedError(ctx, failed);
    });
  }

  async rollback(index: number, opts: CallOptions & { comment?: string } = {}): Promise<ApplyResult> {
    const ctx = this.ctx('rollback');
    const deadline = this.deadline(opts, 'apply');
    if (!Number.isInteger(index) || index < 1 || index > IOSXR_TRAITS.maxRollback)
      throw new UnsupportedError(ctx, `rollback ${index} (IOS-XR rolls back 1 to ${IOSXR_TRAITS.maxRollback} commits)`);
    return this.serial(async () => {
      const diff = await this.#stage({ type: 'rollback', index }, ctx, deadline);
      await this.#abort(ctx, deadline);
      await this.run(`rollback configuration last ${index}`, ctx, deadline);
      const commitId = await this.#lastCommitId(ctx, deadline);
      return { committed: true, commitId, diff, pendingConfirm: false, warnings: [] };
    });
  }

  #checkMethod(source: NodeSource, method: ConfigMethod, ctx: DriverErrorContext): void {
    if (source.type === 'device-file') throw new UnsupportedError(ctx, 'loading a file stored on the device');
    if (source.type === 'text' && method !== 'merge')
      throw new UnsupportedError(ctx, `the ${method} method (IOS-XR configuration lines merge into the running configuration: use merge)`);
    if (source.type === 'text' && (source.format === 'xml' || source.format === 'set'))
      throw new UnsupportedError(ctx, `${source.format} configuration text (IOS-XR takes CLI lines)`);
  }

  /** Opens an exclusive configuration session and loads `source` into it; returns the plan diff. The session stays open. */
  async #stage(source: NodeSource, ctx: DriverErrorContext, deadline: Deadline): Promise<string> {
    const lines = source.type === 'text' ? configLines(source.content, ctx) : undefined;
    if (source.type === 'rollback' && (!Number.isInteger(source.index) || source.index < 1))
      throw new UnsupportedError(ctx, `rollback ${source.index} (IOS-XR rolls back 1 or more commits)`);
    await this.#configure(ctx, deadline, true);
    try {
      if (lines !== undefined) await this.typeLines(lines, ctx, deadline);
      else if (source.type === 'rollback') await this.run(`load rollback changes last ${source.index}`, ctx, deadline);
      await this.run('root', ctx, deadline);
      return cleanDiff(await this.run('show commit changes diff', ctx, deadline));
    } catch (err) {
      await this.#abort(ctx, deadline);
      throw err;
    }
  }

  async #configure(ctx: DriverErrorContext, deadline: Deadline, exclusive = false): Promise<void> {
    const output = await this.raw(exclusive ? 'configure exclusive' : 'configure', ctx, deadline);
    const failed = failureLines(this.platform, output);
    if (failed.length > 0) {
      if (/lock/i.test(failed.join(' '))) throw new LockedError(ctx, failed.join(' '));
      throw new RejectedError(ctx, failed);
    }
  }

  /** Commits the open session; a refusal reads `show configuration failed` for the reason, discards the session and throws. */
  async #commit(command: string, ctx: DriverErrorContext, deadline: Deadline): Promise<void> {
    const output = await this.raw(command, ctx, deadline);
    const failed = failureLines(this.platform, output);
    if (failed.length === 0) {
      await this.#abort(ctx, deadline);
      return;
    }
    const detail = await this.raw('show configuration failed', ctx, deadline).catch(() => '');
    await this.#abort(ctx, deadline);
    const reasons = detail.split('\n').filter((l) => l.startsWith('!!%')).map((l) => l.slice(3).trim());
    if (/locked/i.test(failed.join(' '))) throw new LockedError(ctx, failed.join(' '));
    throw new RejectedError(ctx, [...failed, ...reasons]);
  }

  /** Leaves configuration mode discarding the session's changes; a channel that cannot is dropped (the device discards the session with it). */
  async #abort(ctx: DriverErrorContext, deadline: Deadline): Promise<void> {
    try {
      await this.raw('abort', ctx, deadline);
      if (!/#$/.test(this.prompt) || /\(config/.test(this.prompt)) this.discardChannel();
    } catch {
      this.discardChannel();
    }
  }

  async #lastCommitId(ctx: DriverErrorContext, deadline: Deadline): Promise<string | undefined> {
    const list = await this.run('show configuration commit list 1', ctx, deadline).catch(() => '');
    return /^1\s+(\S+)/m.exec(list)?.[1];
  }
}

/** `1 week, 2 days, 3 hours, 4 minutes` → seconds. */
export function uptimeSeconds(words: string): number | undefined {
  const units: Record<string, number> = { year: 31_536_000, week: 604_800, day: 86_400, hour: 3_600, minute: 60, second: 1 };
  let total = 0;
  let any = false;
  for (const m of words.matchAll(/(\d+)\s+(year|week|day|hour|minute|second)s?/g)) {
    total += Number(m[1]) * (units[m[2] as string] ?? 0);
    any = true;
  }
  return any ? total : undefined;
}

export function createIosXrDriver(node: LabNode, options: SshCliDriverOptions = {}): IosXrDriver {
  return new IosXrDriver(node, options);
}
