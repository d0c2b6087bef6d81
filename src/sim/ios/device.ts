/**
 * The IOS device model behind the simulator's shells: the running configuration (changed line by
 * line, IOS has no candidate), the configuration archive (a ring of `maximum` files under the
 * archive path), the revert timer of `configure terminal revert timer N` / `configure replace …
 * time N`, and the fault knobs.
 */
import type { SimClock, SimTimer } from '../clock.js';
import { cloneTree, parseConfig, renderTree, type ConfigNode } from '../cisco/config-tree.js';
import type { CiscoFaults } from '../cisco/serve.js';
import type { OspfNeighborSpec } from '../cisco/show-common.js';

export interface IosFaults extends CiscoFaults {
  /** While set, every configuration line is refused with `% <message>` and nothing changes. */
  commitError: string | null;
  /** While set, another user holds configuration mode exclusively. */
  busy: string | null;
}

export interface IosDeviceOptions {
  readonly hostname: string;
  readonly version: string;
  readonly serial: string;
  readonly username: string;
  readonly password: string;
  /** 15 lands at `#`; 1 at `>`, and `enable` asks for `enableSecret`. */
  readonly privilege: 1 | 15;
  readonly enableSecret: string;
  readonly initialConfig: string;
  readonly neighbors: readonly OspfNeighborSpec[];
  readonly clock: SimClock;
  faults: IosFaults;
}

export class IosDevice {
  readonly opts: IosDeviceOptions;
  readonly clock: SimClock;
  readonly bootedAt: number;
  running: ConfigNode[];
  /** Archive ring slots (1-based index = slot), each a file name; and the files' contents. */
  readonly slots = new Map<number, string>();
  readonly files = new Map<string, string>();
  #archived = 0;
  /** The revert timer: the configuration to restore when it runs out. */
  pending: { timer: SimTimer; restore: ConfigNode[] } | undefined;
  /** Changes to the running configuration, newest first (for tests). */
  readonly changes: { readonly kind: string; readonly time: number }[] = [];

  constructor(opts: IosDeviceOptions) {
    this.opts = opts;
    this.clock = opts.clock;
    this.bootedAt = opts.clock.now();
    this.running = parseConfig(opts.initialConfig);
  }

  get faults(): IosFaults {
    return this.opts.faults;
  }

  hostname(): string {
    return this.running.find((n) => n.line.startsWith('hostname '))?.line.slice(9) ?? this.opts.hostname;
  }

  runningText(): string {
    const body = renderTree(this.running, 'ios');
    const text = [...body, 'end'].join('\n');
    return `Building configuration...\n\nCurrent configuration : ${text.length} bytes\n!\n${text}\n`;
  }

  /** `archive` / `path` and `maximum` from the running configuration; undefined when there is no path. */
  archiveSettings(): { path: string; maximum: number } | undefined {
    const archive = this.running.find((n) => n.line === 'archive');
    const path = archive?.children.find((c) => c.line.startsWith('path '))?.line.slice(5);
    if (path === undefined) return undefined;
    const max = Number(archive?.children.find((c) => c.line.startsWith('maximum '))?.line.slice(8) ?? 10);
    return { path, maximum: Math.min(14, Math.max(1, max)) };
  }

  nextArchiveName(): string | undefined {
    const s = this.archiveSettings();
    return s === undefined ? undefined : `${s.path}-${this.#archived + 1}`;
  }

  /** `archive config`: saves running as the next file of the ring; the file name, or undefined without a path. */
  archiveNow(): string | undefined {
    const s = this.archiveSettings();
    if (s === undefined) return undefined;
    this.#archived++;
    const name = `${s.path}-${this.#archived}`;
    const slot = ((this.#archived - 1) % s.maximum) + 1;
    const old = this.slots.get(slot);
    if (old !== undefined) this.files.delete(old);
    this.slots.set(slot, name);
    this.files.set(name, this.runningText());
    return name;
  }

  /** The slot of the newest archive, for `<- Most Recent`. */
  newestSlot(): number | undefined {
    const s = this.archiveSettings();
    return s === undefined || this.#archived === 0 ? undefined : ((this.#archived - 1) % s.maximum) + 1;
  }

  /** Starts the revert timer: unless confirmed within `minutes`, running goes back to `restore`. */
  startRevert(minutes: number, restore: ConfigNode[]): void {
    this.pending?.timer.cancel();
    const timer = this.clock.setTimer(() => {
      this.pending = undefined;
      this.running = restore;
      this.changes.unshift({ kind: 'revert timer', time: this.clock.now() });
    }, minutes * 60_000);
    this.pending = { timer, restore: cloneTree(restore) };
  }

  confirmRevert(): boolean {
    if (this.pending === undefined) return false;
    this.pending.timer.cancel();
    this.pending = undefined;
    return true;
  }

  close(): void {
    this.pending?.timer.cancel();
    this.pending = undefined;
  }
}
