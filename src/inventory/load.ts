/**
 * loadInventory: configured paths → labs and nodes, never throwing for a bad lab file.
 *
 * One lab may be seen by several sources; the most trusted wins whole (DESIGN.md §4: a deployed lab
 * wins): topology-data.json > `containerlab inspect` JSON > *.clab.yml. The others only fill what the
 * winner lacks (topology credentials, group, image; user labels under an inspect summary). For a lab
 * read from a topology or inspect output, its `clab-<lab>/topology-data.json` is looked up too, so
 * pointing at a topology file finds the deployed lab. Credentials then come from
 * `clab-<lab>/nornir-simple-inventory.yml` when present (node-resolve.ts has the precedence).
 */
import { basename, dirname, join } from 'node:path';

import { suggest, didYouMean } from '../util/suggest.js';
import { labDataDir } from './clab-names.js';
import { detectSource } from './detect.js';
import { discover, NORNIR_INVENTORY, TOPOLOGY_DATA, type Candidate } from './discover.js';
import { ORIGIN_PREFERENCE, type LabDraft, type NodeDraft, type ReaderResult } from './draft.js';
import { kindNames, resolveKind } from './kinds.js';
import { resolveNode } from './node-resolve.js';
import { resolveCredentialOverrides, type CredentialOverrides, type ResolvedOverrides } from './overrides.js';
import { parseClabYml, readClabYml } from './readers/clab-yml.js';
import { parseInspectJson } from './readers/inspect.js';
import { parseNornirInventory, readNornirInventory, type NornirResult } from './readers/nornir.js';
import { parseTopologyData, readTopologyData, withStaleness } from './readers/topology-data.js';
import type { InventoryWarning, Lab, LabNode } from './types.js';
import { fileWarning, readText, type ReaderWarning } from './warnings.js';
import { naturalOrder } from '../util/name-order.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Source text that is not a file, e.g. the output of `containerlab inspect --all --format json`. */
export interface TextSource {
  /** Names the source in warnings and in `LabNode.source` (e.g. `containerlab inspect`). */
  readonly source: string;
  readonly text: string;
}

export interface LoadOptions {
  /** Environment for `${VAR}` in topologies, `CLAB_LABDIR_BASE` and `env:` secrets (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Per-lab / kind / node credentials and host/port from settings. */
  readonly overrides?: CredentialOverrides;
  /** Extra sources given as text (detected by content like files). */
  readonly texts?: readonly TextSource[];
  /** Directory `file:` secret paths are relative to (default: the working directory). */
  readonly baseDir?: string;
}

export interface Inventory {
  /** Sorted by name. */
  readonly labs: readonly Lab[];
  /** Every lab's nodes, by lab then natural node name order. */
  readonly nodes: readonly LabNode[];
  readonly warnings: readonly InventoryWarning[];
}

export async function loadInventory(paths: readonly string[], options: LoadOptions = {}): Promise<Inventory> {
  const env = options.env ?? process.env;
  const overrides = resolveCredentialOverrides(options.overrides, {
    env, ...(options.baseDir === undefined ? {} : { baseDir: options.baseDir }),
  });
  const loaded = await loadResolved(paths, { env, overrides, texts: options.texts ?? [] });
  return loaded.inventory;
}

/** What the registry needs beyond the inventory: what to watch, and which files failed to parse. */
export interface DetailedLoad {
  readonly inventory: Inventory;
  /** Every file read or looked for (a lab directory's topology-data.json may appear later). */
  readonly files: readonly string[];
  readonly dirs: readonly string[];
  /** Files that failed to parse (possibly caught mid-write). */
  readonly malformed: ReadonlySet<string>;
}

export interface ResolvedLoadOptions {
  readonly env: Env;
  readonly overrides: ResolvedOverrides;
  readonly texts: readonly TextSource[];
}


export async function loadResolved(paths: readonly string[], options: ResolvedLoadOptions): Promise<DetailedLoad> {
  const { env } = options;
  const discovery = await discover(paths);
  const warnings: ReaderWarning[] = [...discovery.warnings];
  const drafts: LabDraft[] = [];
  const nornirFiles: { file: string; result: NornirResult }[] = [];
  const files = new Set<string>();
  const dirs = new Set<string>(discovery.dirs);
  const take = (result: ReaderResult) => {
    drafts.push(...result.labs);
    warnings.push(...result.warnings);
  };

  for (const candidate of discovery.candidates) {
    files.add(candidate.file);
    const nornir = await readCandidate(candidate, env, take, warnings);
    if (nornir !== undefined) nornirFiles.push({ file: candidate.file, result: nornir });
  }
  for (const { source, text } of options.texts) {
    const kind = detectSource(text, source);
    if (kind === 'topology-data') take(parseTopologyData(text, source));
    else if (kind === 'inspect') take(parseInspectJson(text, source));
    else if (kind === 'clab-yml') take(parseClabYml(text, source, env));
    else warnings.push(fileWarning(source, 'content', 'not topology-data.json, inspect JSON or a topology file; ignored'));
  }

  // Labs known from a topology or inspect output: is there a deployed topology-data.json for them?
  for (const draft of [...drafts]) {
    if (draft.origin === 'topology-data') continue;
    const dataDir = draft.dataDir ?? labDataDir(draft.dir, draft.name, env);
    const file = join(dataDir, TOPOLOGY_DATA);
    dirs.add(draft.dir);
    dirs.add(dataDir);
    if (files.has(file)) continue;
    files.add(file);
    take(await readTopologyData(file));
  }

  const winners = chooseLabs(drafts, warnings);
  const nornirByLab = await nornirFor(winners, nornirFiles, env, files, warnings);

  const labs: Lab[] = [];
  for (const { lab, others } of winners) {
    const nornir = nornirByLab.get(lab.name)?.hosts;
    const nodes = lab.nodes
      .map((draft) => enrich(draft, lab, others))
      .map((draft) => {
        const resolved = resolveNode(draft, lab, { overrides: options.overrides, nornir });
        warnings.push(...resolved.warnings);
        return resolved.node;
      })
      .sort((a, b) => naturalOrder(a.name, b.name));
    warnings.push(...unknownKinds(lab, nodes));
    labs.push({ name: lab.name, dir: lab.dir, source: lab.source, nodes });
  }
  labs.sort((a, b) => naturalOrder(a.name, b.name));
  return {
    inventory: { labs, nodes: labs.flatMap((lab) => lab.nodes), warnings },
    files: [...files],
    dirs: [...dirs],
    malformed: new Set(warnings.filter((w) => w.cause === 'malformed').map((w) => w.file)),
  };
}

/** Reads one discovered file into `take`; returns a nornir inventory given as a path. */
async function readCandidate(candidate: Candidate, env: Env, take: (r: ReaderResult) => void,
  warnings: ReaderWarning[]): Promise<NornirResult | undefined> {
  const { file, hint } = candidate;
  if (hint === 'topology-data') take(await readTopologyData(file));
  else if (hint === 'clab-yml') take(await readClabYml(file, env));
  else {
    const read = await readText(file);
    if (!read.ok) {
      warnings.push(read.warning);
      return undefined;
    }
    const kind = detectSource(read.text, file);
    if (kind === 'topology-data') take(await withStaleness(parseTopologyData(read.text, file), file));
    else if (kind === 'inspect') take(parseInspectJson(read.text, file));
    else if (kind === 'clab-yml') take(parseClabYml(read.text, file, env));
    else if (kind === 'nornir') return parseNornirInventory(read.text, file);
    else if (read.text.trim() === '') warnings.push(fileWarning(file, 'empty', 'empty file; ignored'));
    else {
      warnings.push(fileWarning(file, 'content',
        'not a containerlab file (topology, topology-data.json, inspect JSON or nornir-simple-inventory.yml); ignored'));
    }
  }
  return undefined;
}

interface Chosen {
  readonly lab: LabDraft;
  /** Less trusted sources of the same lab, most trusted first. */
  readonly others: readonly LabDraft[];
}

function chooseLabs(drafts: readonly LabDraft[], warnings: ReaderWarning[]): Chosen[] {
  const byName = new Map<string, LabDraft[]>();
  for (const draft of drafts) byName.set(draft.name, [...(byName.get(draft.name) ?? []), draft]);
  const chosen: Chosen[] = [];
  for (const [name, all] of byName) {
    // Stable sort: among equally trusted sources the first found (sorted paths) wins.
    const ranked = [...all].sort((a, b) => ORIGIN_PREFERENCE.indexOf(a.origin) - ORIGIN_PREFERENCE.indexOf(b.origin));
    const [lab, ...others] = ranked as [LabDraft, ...LabDraft[]];
    for (const other of others) {
      if (other.origin === lab.origin && other.source !== lab.source) {
        warnings.push(fileWarning(other.source, 'content', `lab "${name}" is also read from ${lab.source}, which is used; this one is ignored`));
      }
    }
    chosen.push({ lab, others: others.filter((o) => o.source !== lab.source) });
  }
  return chosen;
}

/** Fills what the winning source lacks from the other sources of the same node. */
function enrich(draft: NodeDraft, lab: LabDraft, others: readonly LabDraft[]): NodeDraft {
  const same = others.map((o) => o.nodes.find((n) => n.name === draft.name)).filter((n): n is NodeDraft => n !== undefined);
  if (same.length === 0) return draft;
  const first = <T>(pick: (n: NodeDraft) => T | undefined): T | undefined => same.map(pick).find((v) => v !== undefined);
  return {
    ...draft,
    declaredCredentials: draft.declaredCredentials ?? first((n) => n.declaredCredentials),
    group: draft.group ?? first((n) => n.group),
    image: draft.image ?? first((n) => n.image),
    // inspect summaries carry no user labels; the topology's are what the containers have.
    labels: lab.origin === 'inspect' ? { ...first((n) => n.labels), ...draft.labels } : draft.labels,
  };
}

async function nornirFor(winners: readonly Chosen[], given: readonly { file: string; result: NornirResult }[], env: Env,
  files: Set<string>, warnings: ReaderWarning[]): Promise<Map<string, NornirResult>> {
  const byLab = new Map<string, NornirResult>();
  for (const { file, result } of given) {
    warnings.push(...result.warnings);
    const folder = basename(dirname(file));
    if (!folder.startsWith('clab-')) {
      warnings.push(fileWarning(file, 'content', 'cannot tell which lab this nornir inventory is for: it must sit in clab-<lab>/; ignored'));
      continue;
    }
    byLab.set(folder.slice('clab-'.length), result);
  }
  for (const { lab } of winners) {
    if (byLab.has(lab.name)) continue;
    const file = join(lab.dataDir ?? labDataDir(lab.dir, lab.name, env), NORNIR_INVENTORY);
    files.add(file);
    const result = await readNornirInventory(file);
    warnings.push(...result.warnings);
    byLab.set(lab.name, result);
  }
  return byLab;
}

function unknownKinds(lab: LabDraft, nodes: readonly LabNode[]): ReaderWarning[] {
  const byKind = new Map<string, string[]>();
  for (const node of nodes) {
    if (resolveKind(node.kind) !== undefined) continue;
    byKind.set(node.kind, [...(byKind.get(node.kind) ?? []), node.name]);
  }
  return [...byKind].map(([kind, names]) => {
    const hint = didYouMean(suggest(kind, kindNames()));
    return fileWarning(lab.source, 'content',
      `kind "${kind}" is not a containerlab kind clab-bot knows${hint ? ` (${hint})` : ''}; ${names.join(', ')} listed without a driver`);
  });
}
