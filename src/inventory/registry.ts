/**
 * LabRegistry: the live inventory over configured lab paths. Labs come and go (deploy, destroy,
 * `clab-bot sim`), so it reloads when the files change: fs.watch on every directory involved
 * (debounced), plus an interval check of file mtimes and directory listings for filesystems
 * where watching is unreliable. A reload never throws; a lab whose file fails to parse (maybe
 * caught mid-write) keeps its previous read, with a warning, until the file parses again.
 */
import type { LabSearch } from './no-labs.js';
import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

import { asClabBotError, type ClabBotError } from '../errors.js';
import { loadResolved, type Inventory, type TextSource } from './load.js';
import { resolveCredentialOverrides, type CredentialOverrides, type ResolvedOverrides } from './overrides.js';
import { InventorySnapshot } from './snapshot.js';
import { naturalOrder } from '../util/name-order.js';

export interface LabRegistryOptions {
  /** Environment for topology `${VAR}`, `CLAB_LABDIR_BASE` and `env:` secrets (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Settings overrides; secret references are read once, in the constructor. */
  readonly overrides?: CredentialOverrides;
  /** Directory `file:` secret paths are relative to. */
  readonly baseDir?: string;
  /** Extra text sources, asked for on every load (e.g. fresh `containerlab inspect` output). */
  readonly texts?: () => readonly TextSource[] | Promise<readonly TextSource[]>;
  /** `texts` is `containerlab inspect` (said in "no labs found"). */
  readonly inspect?: boolean;
  /** Quiet time after a file event before checking (default 250 ms). */
  readonly debounceMs?: number;
  /** Interval of the mtime check; 0 turns it off (default 5000 ms). */
  readonly pollIntervalMs?: number;
  /** Use fs.watch (default true). */
  readonly watch?: boolean;
  /** Called after every load that changed something. */
  readonly onReload?: (inventory: Inventory) => void;
  /** Called when a load fails unexpectedly (a bug, not a bad file); the previous inventory stays. */
  readonly onError?: (error: ClabBotError) => void;
}

/** What the rest of the bot reads of an inventory: the lab files here (LabRegistry) or the agents' (FleetInventory). */
export type InventoryView = Pick<LabRegistry, 'load' | 'inventory' | 'labs' | 'nodes' | 'warnings' | 'search' | 'close'>;

const sameItems = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((item, i) => item === b[i]);

export class LabRegistry extends InventorySnapshot {
  readonly #paths: readonly string[];
  readonly #options: LabRegistryOptions;
  readonly #env: NodeJS.ProcessEnv;
  readonly #overrides: ResolvedOverrides;
  #files: readonly string[] = [];
  #dirs: readonly string[] = [];
  #signature = '';
  #generation = 0;
  #loading: Promise<void> | undefined;
  #again = false;
  #closed = false;
  #debounce: NodeJS.Timeout | undefined;
  #poll: NodeJS.Timeout | undefined;
  readonly #watchers = new Map<string, FSWatcher>();

  /** Throws SettingsError when an override's secret reference cannot be read. */
  constructor(paths: readonly string[], options: LabRegistryOptions = {}) {
    super();
    this.#paths = [...paths];
    this.#options = options;
    this.#env = options.env ?? process.env;
    this.#overrides = resolveCredentialOverrides(options.overrides, {
      env: this.#env, ...(options.baseDir === undefined ? {} : { baseDir: options.baseDir }),
    });
  }

  /** Loads now (joining a load in progress) and starts watching; resolves with the fresh inventory. */
  async load(): Promise<Inventory> {
    if (this.#closed) return this.current;
    if (this.#loading === undefined) {
      this.#loading = this.#loadUntilSettled().finally(() => {
        this.#loading = undefined;
      });
    } else {
      this.#again = true;
    }
    await this.#loading;
    this.#startPolling();
    return this.current;
  }


  /** Where labs are looked for (for "no labs found"). */
  search(): LabSearch {
    return { paths: this.#paths, inspect: this.#options.inspect === true };
  }

  /** Increases with every load that changed the inventory's files (for callers caching selections). */
  get generation(): number {
    return this.#generation;
  }

  /** Stops watching and polling. The last inventory stays readable. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#debounce);
    clearInterval(this.#poll);
    for (const watcher of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
  }

  async #loadUntilSettled(): Promise<void> {
    // Bounded: a file rewritten non-stop is picked up by the next event or interval check instead.
    for (let round = 0; round < 5; round++) {
      this.#again = false;
      await this.#loadOnce();
      if (!this.#again || this.#closed) return;
    }
  }

  async #loadOnce(): Promise<void> {
    try {
      // Taken before reading: a change made while the load runs then shows as a difference below.
      const before = await this.#computeSignature();
      const texts = (await this.#options.texts?.()) ?? [];
      const loaded = await loadResolved(this.#paths, { env: this.#env, overrides: this.#overrides, texts });
      const inventory = this.#keepLastGood(loaded.inventory, loaded.malformed);
      const sameSet = sameItems(this.#files, loaded.files) && sameItems(this.#dirs, loaded.dirs);
      this.#files = loaded.files;
      this.#dirs = loaded.dirs;
      this.#signature = await this.#computeSignature();
      if (sameSet && before !== this.#signature) this.#again = true;
      this.current = inventory;
      this.#generation++;
      this.#syncWatchers();
      this.#options.onReload?.(inventory);
    } catch (err) {
      this.#options.onError?.(asClabBotError(err));
    }
  }

  /**
   * A lab whose source failed to parse keeps its previous read, rather than vanishing or falling
   * back to a less trusted source (the topology file, without addresses).
   */
  #keepLastGood(fresh: Inventory, malformed: ReadonlySet<string>): Inventory {
    const kept = this.current.labs.filter((old) =>
      malformed.has(old.source) && !fresh.labs.some((lab) => lab.name === old.name && lab.source === old.source));
    if (kept.length === 0) return fresh;
    const keptNames = new Set(kept.map((lab) => lab.name));
    const labs = [...fresh.labs.filter((lab) => !keptNames.has(lab.name)), ...kept].sort((a, b) => naturalOrder(a.name, b.name));
    const warnings = [
      ...fresh.warnings,
      ...kept.map((lab) => ({
        file: lab.source,
        message: `${lab.source}: lab ${lab.name} kept from the previous read until the file parses again`,
      })),
    ];
    return { labs, nodes: labs.flatMap((lab) => lab.nodes), warnings };
  }

  /** mtime and size of every file involved, plus the relevant names in every directory involved. */
  async #computeSignature(): Promise<string> {
    const parts: string[] = [];
    // The configured paths themselves: a lab folder deleted and created again has no other trace.
    for (const path of this.#paths) {
      const info = await stat(path).catch(() => undefined);
      parts.push(info === undefined ? `${path}:-` : `${path}:${info.isDirectory() ? 'dir' : info.mtimeMs}`);
    }
    for (const file of this.#files) {
      const info = await stat(file).catch(() => undefined);
      parts.push(info === undefined ? `${file}:-` : `${file}:${info.mtimeMs}:${info.size}`);
    }
    for (const dir of this.#dirs) {
      const names = await readdir(dir).catch(() => [] as string[]);
      const relevant = names.filter((n) => n.startsWith('clab-') || /\.clab\.ya?ml$/.test(n) || /topology-data[^/]*\.json$/.test(n)
        || n === 'nornir-simple-inventory.yml' || !n.includes('.'));
      parts.push(`${dir}/[${relevant.sort().join(',')}]`);
    }
    return parts.join('\n');
  }

  async #checkForChanges(): Promise<void> {
    if (this.#closed || this.#loading !== undefined) {
      if (this.#loading !== undefined) this.#again = true;
      return;
    }
    const now = await this.#computeSignature();
    if (now !== this.#signature && !this.#closed) await this.load();
  }

  #schedule(): void {
    if (this.#closed) return;
    clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => {
      void this.#checkForChanges();
    }, this.#options.debounceMs ?? 250);
    this.#debounce.unref();
  }

  #startPolling(): void {
    const every = this.#options.pollIntervalMs ?? 5000;
    if (this.#closed || this.#poll !== undefined || every <= 0) return;
    this.#poll = setInterval(() => {
      void this.#checkForChanges();
    }, every);
    this.#poll.unref();
  }

  /** One watcher per directory involved (explicit files: their folder); dropped ones are closed. */
  #syncWatchers(): void {
    if (this.#closed || this.#options.watch === false) return;
    const wanted = new Set([...this.#dirs, ...this.#files.map((file) => dirname(file))]);
    for (const [dir, watcher] of this.#watchers) {
      if (!wanted.has(dir)) {
        watcher.close();
        this.#watchers.delete(dir);
      }
    }
    for (const dir of wanted) {
      if (this.#watchers.has(dir)) continue;
      try {
        const watcher = watch(dir, { persistent: false }, () => this.#schedule());
        // A watched folder deleted (lab destroyed with --cleanup): drop it; the next load re-adds what exists.
        watcher.on('error', () => {
          watcher.close();
          this.#watchers.delete(dir);
          this.#schedule();
        });
        this.#watchers.set(dir, watcher);
      } catch {
        // Folder missing (not deployed yet): the interval check notices when it appears.
      }
    }
  }
}
