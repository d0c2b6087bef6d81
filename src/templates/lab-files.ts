/**
 * What templates read about a lab beyond the inventory: its links (containerlab's
 * `clab-<lab>/topology-data.json`) and each node's `env:` (the topology file, merged
 * defaults → kind → group → node as containerlab does). Read when a template is rendered, so an
 * inventory without templates never pays for them. A file that is missing or unreadable gives
 * no links / no env (a lab known only from `containerlab inspect` has neither).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { expandEnv } from '../inventory/env-expand.js';
import type { LabNode } from '../inventory/types.js';
import { parseYamlText } from '../inventory/yaml-text.js';

/** One end of a link as a node sees it. */
export interface NodeLink {
  readonly interface: string;
  readonly peer: string;
  readonly peer_interface: string;
  /** Addresses containerlab assigned to this end (extended link form), null when not set. */
  readonly ipv4: string | null;
  readonly ipv6: string | null;
}

export interface LabFiles {
  /** Links by node name, in topology order. */
  readonly links: ReadonlyMap<string, readonly NodeLink[]>;
  /** env by node name. */
  readonly env: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

const endpointSchema = z.object({
  node: z.string(),
  interface: z.string(),
  ipv4: z.string().optional(),
  ipv6: z.string().optional(),
});
// Since 0.71 the ends sit in an `endpoints` wrapper; the older docs shape has `a`/`z` at the top.
const linkSchema = z.union([
  z.object({ endpoints: z.object({ a: endpointSchema, z: endpointSchema }) }),
  z.object({ a: endpointSchema, z: endpointSchema }),
]);
const dataSchema = z.object({ links: z.array(z.unknown()).optional() });

/** Links of `topology-data.json` text, by node name (both shapes; a malformed link is skipped). */
export function linksOf(text: string): Map<string, NodeLink[]> {
  const out = new Map<string, NodeLink[]>();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return out;
  }
  const data = dataSchema.safeParse(json);
  if (!data.success) return out;
  for (const raw of data.data.links ?? []) {
    const link = linkSchema.safeParse(raw);
    if (!link.success) continue;
    const ends = 'endpoints' in link.data ? link.data.endpoints : link.data;
    const add = (self: z.infer<typeof endpointSchema>, peer: z.infer<typeof endpointSchema>) => {
      const list = out.get(self.node) ?? [];
      list.push({ interface: self.interface, peer: peer.node, peer_interface: peer.interface, ipv4: self.ipv4 ?? null, ipv6: self.ipv6 ?? null });
      out.set(self.node, list);
    };
    add(ends.a, ends.z);
    add(ends.z, ends.a);
  }
  return out;
}

const envMap = z.record(z.string(), z.union([z.string(), z.null()])).nullable().optional();
const defSchema = z.object({ kind: z.string().nullable().optional(), group: z.string().nullable().optional(), env: envMap }).nullable().optional();
const topoSchema = z.object({
  topology: z.object({
    defaults: defSchema,
    kinds: z.record(z.string(), defSchema).nullable().optional(),
    groups: z.record(z.string(), defSchema).nullable().optional(),
    nodes: z.record(z.string(), defSchema).nullable().optional(),
  }),
});

/** env of every node of a topology file's text, merged as containerlab merges maps (later levels win). */
export function envOf(text: string, processEnv: Readonly<Record<string, string | undefined>>): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  const expanded = expandEnv(text, processEnv);
  if (!expanded.ok) return out;
  const yaml = parseYamlText(expanded.text);
  if (!yaml.ok) return out;
  const topo = topoSchema.safeParse(yaml.value);
  if (!topo.success) return out;
  const { defaults, kinds, groups, nodes } = topo.data.topology;
  for (const [name, def] of Object.entries(nodes ?? {})) {
    const group = def?.group ?? defaults?.group ?? undefined;
    const kind = def?.kind ?? (group === undefined ? undefined : groups?.[group]?.kind) ?? defaults?.kind ?? undefined;
    const levels = [defaults, kind === undefined ? undefined : kinds?.[kind], group === undefined ? undefined : groups?.[group], def];
    const merged: Record<string, string> = {};
    for (const level of levels) for (const [k, v] of Object.entries(level?.env ?? {})) merged[k] = v ?? '';
    out.set(name, merged);
  }
  return out;
}

/** The lab files of the labs `nodes` belong to, read once per lab. */
export function readLabFiles(nodes: readonly LabNode[], processEnv: Readonly<Record<string, string | undefined>> = process.env): Map<string, LabFiles> {
  const byLab = new Map<string, LabFiles>();
  for (const node of nodes) {
    if (byLab.has(node.lab)) continue;
    const data = node.labels['clab-node-lab-dir'] !== undefined ? join(node.labels['clab-node-lab-dir'], '..', 'topology-data.json') : join(node.labDir, `clab-${node.lab}`, 'topology-data.json');
    const topoFile = node.labels['clab-topo-file'] ?? (node.source.endsWith('.yml') || node.source.endsWith('.yaml') ? node.source : undefined);
    byLab.set(node.lab, {
      links: linksOf(readIfThere(data) ?? readIfThere(join(node.labDir, `clab-${node.lab}`, 'topology-data.json')) ?? ''),
      env: topoFile === undefined ? new Map() : envOf(readIfThere(topoFile) ?? '', processEnv),
    });
  }
  return byLab;
}

function readIfThere(file: string): string | undefined {
  try {
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}
