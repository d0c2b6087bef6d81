/**
 * A `*.clab.yml` topology, resolved the way containerlab does it (docs/containerlab-inventory.md §1):
 * env expansion of the raw text, then per node `node → group → kind → defaults` for scalars, per-key
 * merge of maps (labels), `mgmt-ipv4/6` from the node only, and one credentials pair from the most
 * specific level that sets one. Used when a lab is not deployed (no topology-data.json).
 */
import { isIP } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import * as z from 'zod';

import { containerName, labDataDir } from '../clab-names.js';
import type { DeclaredCredentials, NodeDraft, ReaderResult } from '../draft.js';
import { expandEnv } from '../env-expand.js';
import { fileWarning, readText, type ReaderWarning } from '../warnings.js';
import { parseYamlText } from '../yaml-text.js';
import { firstIssue } from '../zod-field.js';

type Env = Readonly<Record<string, string | undefined>>;

// Scalars arrive as source text (yaml-text.ts); null means "not set", like Go's zero value.
const str = z.string().nullable().optional();

const nodeDefSchema = z.object({
  kind: str,
  group: str,
  type: str,
  image: str,
  'mgmt-ipv4': str,
  'mgmt-ipv6': str,
  labels: z.record(z.string(), z.string().nullable()).nullable().optional(),
  credentials: z.object({ username: str, password: str, 'identity-file': str }).nullable().optional(),
  // Legacy top-level credentials, still mapped into `credentials` by containerlab.
  username: str,
  password: str,
}).nullable();

type NodeDef = z.infer<typeof nodeDefSchema>;

const topologySchema = z.object({
  name: z.string().min(1),
  prefix: z.string().nullable().optional(),
  topology: z.object({
    defaults: nodeDefSchema.optional(),
    kinds: z.record(z.string(), nodeDefSchema).nullable().optional(),
    groups: z.record(z.string(), nodeDefSchema).nullable().optional(),
    nodes: z.record(z.string(), nodeDefSchema).nullable().optional(),
  }),
});

type TopologyFile = z.infer<typeof topologySchema>;

const set = (value: string | null | undefined): string | undefined => (value === undefined || value === null || value === '' ? undefined : value);

/** containerlab's Topology getters (CL:types/topology.go), over the parsed file. */
class Topology {
  private readonly defaults: NonNullable<NodeDef>;
  private readonly kinds: Readonly<Record<string, NodeDef>>;
  private readonly groups: Readonly<Record<string, NodeDef>>;

  constructor(topo: TopologyFile['topology']) {
    this.defaults = topo.defaults ?? {};
    this.kinds = topo.kinds ?? {};
    this.groups = topo.groups ?? {};
  }

  /** node.kind → groups[node.group].kind → groups[defaults.group].kind → defaults.kind (not lower-cased). */
  kindOf(node: NodeDef): string | undefined {
    return set(node?.kind)
      ?? set(this.group(set(node?.group))?.kind)
      ?? set(this.group(set(this.defaults.group))?.kind)
      ?? set(this.defaults.kind);
  }

  /** node.group → kinds[kind].group → defaults.group. */
  groupOf(node: NodeDef): string | undefined {
    const kind = this.kindOf(node);
    return set(node?.group) ?? set(this.kind(kind)?.group) ?? set(this.defaults.group);
  }

  /** The four levels, most specific first. `kinds:` is keyed by the kind exactly as written (no aliases). */
  levels(node: NodeDef): (NodeDef | undefined)[] {
    return [node, this.group(this.groupOf(node)), this.kind(this.kindOf(node)), this.defaults];
  }

  scalar(node: NodeDef, pick: (def: NonNullable<NodeDef>) => string | null | undefined): string | undefined {
    for (const level of this.levels(node)) {
      const value = level === null || level === undefined ? undefined : set(pick(level));
      if (value !== undefined) return value;
    }
    return undefined;
  }

  /** MergeStringMaps(defaults, kind, group, node): later levels win per key. */
  labels(node: NodeDef): Record<string, string> {
    const merged: Record<string, string> = {};
    for (const level of this.levels(node).reverse()) {
      for (const [key, value] of Object.entries(level?.labels ?? {})) merged[key] = value ?? '';
    }
    return merged;
  }

  /** The pair from the most specific level that sets a username or a password; levels are not merged. */
  credentials(node: NodeDef): DeclaredCredentials | undefined {
    for (const level of this.levels(node)) {
      if (level === null || level === undefined) continue;
      const username = set(level.credentials?.username) ?? set(level.username);
      const password = set(level.credentials?.password) ?? set(level.password);
      if (username !== undefined || password !== undefined) {
        return { ...(username === undefined ? {} : { username }), ...(password === undefined ? {} : { password }) };
      }
    }
    return undefined;
  }

  private group(name: string | undefined): NodeDef | undefined {
    return name === undefined ? undefined : this.groups[name];
  }

  private kind(name: string | undefined): NodeDef | undefined {
    return name === undefined ? undefined : this.kinds[name];
  }
}

const GIT_MAGIC = /__git(Branch|Hash)__/;

export function parseClabYml(text: string, file: string, env: Env): ReaderResult {
  const fail = (cause: 'empty' | 'malformed' | 'content', reason: string, field?: string): ReaderResult =>
    ({ labs: [], warnings: [fileWarning(file, cause, reason, field)] });
  if (text.trim() === '') return fail('empty', 'empty topology file; skipped');
  if (text.includes('{{')) {
    return fail('content', 'Go template syntax ({{ }}) cannot be rendered here; deploy the lab so clab-<lab>/topology-data.json describes it');
  }
  const expanded = expandEnv(text, env);
  if (!expanded.ok) return fail('malformed', expanded.reason, `line ${expanded.line}`);
  const yaml = parseYamlText(expanded.text);
  if (!yaml.ok) return fail('malformed', yaml.reason);
  const parsed = topologySchema.safeParse(yaml.value);
  if (!parsed.success) {
    const { field, reason } = firstIssue(parsed.error);
    return fail('malformed', reason, field);
  }
  const config = parsed.data;
  const lab = config.name;
  if (GIT_MAGIC.test(lab)) {
    return fail(
      'content',
      'the lab name uses __gitBranch__/__gitHash__, which only containerlab resolves; deploy the lab so clab-<lab>/topology-data.json gives its name',
      'name',
    );
  }
  // A null prefix is Go's nil *string: the default prefix.
  const prefix = config.prefix ?? undefined;
  const topo = new Topology(config.topology);
  const topoFile = resolve(file);
  const dir = dirname(topoFile);
  const dataDir = labDataDir(dir, lab, env);
  const warnings: ReaderWarning[] = [];
  const nodes: NodeDraft[] = [];
  for (const [name, def] of Object.entries(config.topology.nodes ?? {})) {
    const field = `topology.nodes.${name}`;
    const written = topo.kindOf(def);
    if (written === undefined) {
      warnings.push(fileWarning(file, 'malformed', 'no kind on the node, its group or defaults; node skipped', `${field}.kind`));
      continue;
    }
    const kind = written.toLowerCase();
    const group = topo.groupOf(def);
    const type = topo.scalar(def, (d) => d.type);
    const longName = containerName(prefix, lab, name);
    const mgmtIpv4 = address(def?.['mgmt-ipv4'], 4, file, `${field}.mgmt-ipv4`, warnings);
    const mgmtIpv6 = address(def?.['mgmt-ipv6'], 6, file, `${field}.mgmt-ipv6`, warnings);
    // The labels every node container gets from containerlab (addDefaultLabels), over the user's.
    const labels: Record<string, string> = {
      ...topo.labels(def),
      containerlab: lab,
      'clab-node-name': name,
      'clab-node-longname': longName,
      'clab-node-kind': kind,
      'clab-node-type': type ?? '',
      'clab-node-group': group ?? '',
      'clab-node-lab-dir': join(dataDir, name),
      'clab-topo-file': topoFile,
    };
    nodes.push({
      name,
      longName,
      kind,
      mgmtIpv4,
      mgmtIpv6,
      labels,
      group,
      image: topo.scalar(def, (d) => d.image),
      declaredCredentials: topo.credentials(def),
    });
  }
  if (nodes.length === 0) {
    if (warnings.length === 0) warnings.push(fileWarning(file, 'content', 'no nodes defined', 'topology.nodes'));
    return { labs: [], warnings };
  }
  return { labs: [{ name: lab, origin: 'clab-yml', source: topoFile, dir, dataDir, nodes }], warnings };
}

function address(value: string | null | undefined, family: 4 | 6, file: string, field: string, warnings: ReaderWarning[]): string | undefined {
  const v = set(value);
  if (v === undefined) return undefined;
  if (isIP(v) === family) return v;
  warnings.push(fileWarning(file, 'malformed', `not an IPv${family} address; ignored`, field));
  return undefined;
}

export async function readClabYml(file: string, env: Env): Promise<ReaderResult> {
  const read = await readText(file);
  if (!read.ok) return { labs: [], warnings: read.missing ? [] : [read.warning] };
  return parseClabYml(read.text, file, env);
}
