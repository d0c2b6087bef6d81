/**
 * Which files a list of configured paths stands for.
 *
 * A directory D is scanned on two levels, D itself and each D/<sub>/ (hidden folders and
 * node_modules skipped), for:
 * - `*.clab.yml` / `*.clab.yaml` topology files (other YAML names only when given as a file);
 * - `clab-<lab>/topology-data.json` lab directories (their nornir file is found per lab later);
 * - loose `*topology-data*.json` files (a saved export).
 * D may itself be a `clab-<lab>` directory. A path to a file is read by its content (detect.ts).
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';

import { fileWarning, type ReaderWarning } from './warnings.js';
import { compareNames } from '../util/name-order.js';

export type CandidateHint = 'topology-data' | 'clab-yml' | 'auto';

export interface Candidate {
  readonly file: string;
  readonly hint: CandidateHint;
}

export interface Discovery {
  readonly candidates: readonly Candidate[];
  /** Directories looked at: the registry watches them for new or changed labs. */
  readonly dirs: readonly string[];
  readonly warnings: readonly ReaderWarning[];
}

export const TOPOLOGY_DATA = 'topology-data.json';
export const NORNIR_INVENTORY = 'nornir-simple-inventory.yml';
const TOPOLOGY_FILE = /\.clab\.ya?ml$/;
/** A saved or copied export outside its lab directory (`topology-data.json`, `lab1.topology-data.json`). */
const LOOSE_TOPOLOGY_DATA = /topology-data[^/]*\.json$/;

const isLabDataDir = (name: string): boolean => name.startsWith('clab-') && name.length > 'clab-'.length;

async function entryIsDir(dir: string, entry: Dirent): Promise<boolean> {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  const target = await stat(join(dir, entry.name)).catch(() => undefined);
  return target?.isDirectory() ?? false;
}

async function entryIsFile(dir: string, entry: Dirent): Promise<boolean> {
  if (entry.isFile()) return true;
  if (!entry.isSymbolicLink()) return false;
  const target = await stat(join(dir, entry.name)).catch(() => undefined);
  return target?.isFile() ?? false;
}

export async function discover(paths: readonly string[]): Promise<Discovery> {
  const candidates = new Map<string, Candidate>();
  const dirs = new Set<string>();
  const warnings: ReaderWarning[] = [];
  const add = (file: string, hint: CandidateHint) => {
    if (!candidates.has(file)) candidates.set(file, { file, hint });
  };

  /** Adds the lab directory's topology-data.json; false when it has none. */
  const scanLabDataDir = async (dir: string): Promise<boolean> => {
    dirs.add(dir);
    const names = await readdir(dir).catch(() => [] as string[]);
    if (!names.includes(TOPOLOGY_DATA)) return false;
    add(join(dir, TOPOLOGY_DATA), 'topology-data');
    return true;
  };

  const scan = async (dir: string, depth: number) => {
    dirs.add(dir);
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // A sub-folder removed mid-scan is not worth a warning; a configured one is.
      if (depth === 0 || code !== 'ENOENT') warnings.push(fileWarning(dir, 'unreadable', `cannot list directory (${code ?? 'error'})`));
      return;
    }
    entries.sort((a, b) => compareNames(a.name, b.name, false));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (TOPOLOGY_FILE.test(entry.name) && await entryIsFile(dir, entry)) add(full, 'clab-yml');
      else if (LOOSE_TOPOLOGY_DATA.test(entry.name) && await entryIsFile(dir, entry)) add(full, 'topology-data');
      else if (await entryIsDir(dir, entry)) {
        if (isLabDataDir(entry.name)) await scanLabDataDir(full);
        else if (depth === 0 && entry.name !== 'node_modules') await scan(full, 1);
      }
    }
  };

  for (const given of paths) {
    const path = resolve(given);
    const info = await stat(path).catch((err: NodeJS.ErrnoException) => err);
    if (info instanceof Error) {
      warnings.push(fileWarning(path, 'unreadable', info.code === 'ENOENT' ? 'configured lab path does not exist' : `cannot read (${info.code ?? 'error'})`));
      continue;
    }
    if (info.isDirectory()) {
      // A `clab-<lab>` directory given directly is that lab; otherwise a folder of labs.
      if (!(isLabDataDir(basename(path)) && await scanLabDataDir(path))) await scan(path, 0);
    } else {
      add(path, 'auto');
    }
  }
  return { candidates: [...candidates.values()], dirs: [...dirs], warnings };
}
