import { createHash } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import type { ApplyOptions, ApplyResult, ConfigMethod, NodeSource, Driver, DriverCapabilities, ExecResult, Facts, Plan } from '../../src/drivers/contract.js';
import { RejectedError, StaleError, UnreachableError } from '../../src/drivers/errors.js';
import type { LabNode } from '../../src/inventory/types.js';

/**
 * A device for tests of the change lifecycle that do not need NETCONF: its configuration is a
 * list of set-style lines; a plan's diff is the lines the source would add (`+ line`). It keeps
 * what a test asserts on (commits, confirms, rollbacks) and lets a test script failures.
 * The real-protocol tests use the Junos simulator instead (test/integration/changes/junos-sim.test.ts).
 */
export class ScriptedDevice {
  lines: string[];
  /** Configurations before each commit, newest last (rollback N restores history[len - N]). */
  readonly history: string[][] = [];
  readonly commits: { comment: string | undefined; confirmMinutes: number }[] = [];
  confirms = 0;
  rollbacks = 0;
  /** Set: open() fails with UnreachableError. */
  unreachable = false;
  /** exec of this command fails (a failing --check). */
  failingCommand: string | undefined;
  /** What exec returns (default `ran COMMAND`): e.g. a many-megabyte output. */
  execOutput: ((command: string) => string) | undefined;
  /** Runs inside apply, after the diff matched and before the commit lands (block, crash, throw). */
  beforeCommit: (() => Promise<void>) | undefined;
  /** Each commit appends a JSON line here (lets several processes count commits on one device). */
  journal: string | undefined;

  constructor(readonly name: string, lines: readonly string[] = []) {
    this.lines = [...lines];
  }

  running(): string {
    return this.lines.join('\n');
  }

  /** The diff `source` would make, '' when nothing changes. */
  diffFor(source: NodeSource): string {
    const target = this.#target(source);
    const removed = this.lines.filter((l) => !target.includes(l)).map((l) => `- ${l}`);
    const added = target.filter((l) => !this.lines.includes(l)).map((l) => `+ ${l}`);
    return [...removed, ...added].join('\n');
  }

  #target(source: NodeSource): string[] {
    switch (source.type) {
      case 'text': {
        const add = source.content.split('\n').map((l) => l.trim()).filter((l) => l !== '');
        return [...this.lines, ...add.filter((l) => !this.lines.includes(l))];
      }
      case 'rollback':
        return source.index === 0 ? [...this.lines] : [...(this.history[this.history.length - source.index] ?? this.lines)];
      case 'device-file':
        return [...this.lines];
      default:
        return source satisfies never;
    }
  }

  commit(source: NodeSource, comment: string | undefined, confirmMinutes: number): void {
    const target = this.#target(source);
    this.history.push([...this.lines]);
    this.lines = target;
    this.commits.push({ comment, confirmMinutes });
    if (this.journal) appendFileSync(this.journal, `${JSON.stringify({ device: this.name, pid: process.pid, comment })}\n`);
  }
}

export const SCRIPTED_CAPABILITIES: DriverCapabilities = {
  commitConfirmed: true,
  privateCandidate: true,
  rollback: true,
  deviceFiles: false,
  configMethods: ['merge', 'set'],
  execFormats: ['text'],
};

export function hashOf(diff: string): string {
  return createHash('sha256').update(diff, 'utf8').digest('hex');
}

/** A Driver over a ScriptedDevice. `capabilities` may be overridden (a driver without commit confirmed). */
export function scriptedDriver(node: LabNode, device: ScriptedDevice, capabilities: DriverCapabilities = SCRIPTED_CAPABILITIES): Driver {
  const ctx = (operation: string) => ({ node: node.name, operation });
  let open = false;
  return {
    node,
    capabilities,
    // Numbers and words like Junos: the lifecycle tests read them as the core would.
    traits: { maxConfirmSeconds: 65_535 * 60, maxRollback: 49, commitHistoryCommand: 'show system commit', configHint: 'set-style lines' },
    async open() {
      if (device.unreachable) throw new UnreachableError(ctx('open'), 'connect ECONNREFUSED');
      open = true;
    },
    isAlive: () => open,
    async exec(command: string): Promise<ExecResult> {
      if (command === device.failingCommand) throw new RejectedError(ctx('exec'), [`syntax error, expecting <command>: ${command}`]);
      return { output: device.execOutput?.(command) ?? `ran ${command}`, format: 'text', warnings: [], durationMs: 1 };
    },
    async plan(source: NodeSource, _method: ConfigMethod): Promise<Plan> {
      if (device.unreachable) throw new UnreachableError(ctx('plan'), 'connect ECONNREFUSED');
      const diff = device.diffFor(source);
      const invalid = diff.split('\n').filter((l) => l.includes('invalid'));
      return {
        diff,
        diffHash: hashOf(diff),
        base: String(device.commits.length),
        check: { ok: invalid.length === 0, warnings: [], errors: invalid.map((l) => `syntax error: ${l.slice(2)}`) },
      };
    },
    async apply(source: NodeSource, opts: ApplyOptions): Promise<ApplyResult> {
      const diff = device.diffFor(source);
      if (hashOf(diff) !== opts.expectDiffHash) throw new StaleError(ctx('apply'));
      if (diff === '') return { committed: false, commitId: undefined, diff, pendingConfirm: false, warnings: [] };
      await device.beforeCommit?.();
      device.commit(source, opts.comment, (opts.confirmSeconds ?? 0) / 60);
      return { committed: true, commitId: String(device.commits.length), diff, pendingConfirm: (opts.confirmSeconds ?? 0) > 0, warnings: [] };
    },
    async confirm() {
      // As on Junos, the confirm is a commit of its own: it takes a rollback slot (same configuration).
      device.confirms += 1;
      device.history.push([...device.lines]);
    },
    async rollback(index: number, opts: { comment?: string } = {}): Promise<ApplyResult> {
      device.rollbacks += 1;
      const source: NodeSource = { type: 'rollback', index };
      const diff = device.diffFor(source);
      device.commit(source, opts.comment, 0);
      return { committed: true, commitId: String(device.commits.length), diff, pendingConfirm: false, warnings: [] };
    },
    undoLastCommit(opts: { comment?: string } = {}): Promise<ApplyResult> {
      return this.rollback(1, opts);
    },
    async facts(): Promise<Facts> {
      return { hostname: node.name, model: 'scripted', version: '1', serial: 'S1', uptimeSeconds: 1, vendor: 'test' };
    },
    async runningConfig() {
      return device.running();
    },
    async close() {
      open = false;
    },
  };
}
