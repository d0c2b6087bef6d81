/**
 * The links of a lab, read from the files containerlab writes: `clab-<lab>/topology-data.json`
 * (the current `endpoints` wrapper and the older docs shape with `a`/`z` at the top of each link),
 * else the topology file's `links:` (brief `["r1:eth1", "r2:eth1"]` or extended endpoint objects).
 * The inventory readers keep nodes only; links matter to `graph` alone, so they are read here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { labDataDirName } from '../inventory/clab-names.js';
import type { Lab } from '../inventory/types.js';
import type { GraphEndpoint } from './model.js';

export interface TopologyLink {
  readonly a: GraphEndpoint;
  readonly z: GraphEndpoint;
}

export type LinksRead = { readonly ok: true; readonly links: TopologyLink[]; readonly from: string } | { readonly ok: false; readonly why: string };

/** Where the links of this lab are written, best first: the deploy's data, then the topology file. */
function candidates(lab: Pick<Lab, 'name' | 'dir' | 'source'>): string[] {
  const files = [lab.source, join(lab.dir, labDataDirName(lab.name), 'topology-data.json')];
  return [...new Set(files)].filter((f) => f.endsWith('.json') || /\.clab\.ya?ml$/.test(f) || f.endsWith('.yml') || f.endsWith('.yaml'));
}

/** Reads the lab's links; never throws (a lab without readable links is drawn with its nodes only). */
export function readLabLinks(lab: Pick<Lab, 'name' | 'dir' | 'source'>): LinksRead {
  const problems: string[] = [];
  for (const file of candidates(lab)) {
    if (!existsSync(file)) continue;
    try {
      const text = readFileSync(file, 'utf8');
      const links = file.endsWith('.json') ? linksOfTopologyData(JSON.parse(text)) : linksOfTopologyFile(YAML.parse(text));
      if (links !== undefined) return { ok: true, links, from: file };
      problems.push(`${file} has no links`);
    } catch (err) {
      problems.push(`${file}: ${(err as Error).message}`);
    }
  }
  return { ok: false, why: problems[0] ?? 'no topology-data.json or topology file found for it' };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function endpointOf(v: unknown): GraphEndpoint | undefined {
  if (!isObject(v)) return undefined;
  const node = v['node'];
  const iface = v['interface'];
  return typeof node === 'string' && node !== '' ? { node, iface: typeof iface === 'string' ? iface : '' } : undefined;
}

/** topology-data.json: `links: [{endpoints: {a, z}}]` (≥0.71) or `links: [{a, z}]` (older). */
export function linksOfTopologyData(json: unknown): TopologyLink[] | undefined {
  if (!isObject(json) || !Array.isArray(json['links'])) return undefined;
  const out: TopologyLink[] = [];
  for (const raw of json['links']) {
    const holder = isObject(raw) && isObject(raw['endpoints']) ? raw['endpoints'] : raw;
    if (!isObject(holder)) continue;
    const a = endpointOf(holder['a']);
    const z = endpointOf(holder['z']);
    // A single-endpoint link (`peer: dummy`) has no far end to draw.
    if (a !== undefined && z !== undefined) out.push({ a, z });
  }
  return out;
}

/** `a:eth1` → node a, interface eth1; containerlab's special ends (`host:veth0`, `macvlan:en0`) stay as written. */
function briefEndpoint(v: unknown): GraphEndpoint | undefined {
  if (typeof v !== 'string') return endpointOf(v);
  const at = v.indexOf(':');
  if (at <= 0) return undefined;
  return { node: v.slice(0, at), iface: v.slice(at + 1) };
}

/** A topology file: `topology.links[].endpoints` in the brief or the extended form. */
export function linksOfTopologyFile(doc: unknown): TopologyLink[] | undefined {
  const topology = isObject(doc) ? doc['topology'] : undefined;
  if (!isObject(topology) || !Array.isArray(topology['links'])) return undefined;
  const out: TopologyLink[] = [];
  for (const raw of topology['links']) {
    if (!isObject(raw)) continue;
    const endpoints = raw['endpoints'];
    if (Array.isArray(endpoints) && endpoints.length === 2) {
      const a = briefEndpoint(endpoints[0]);
      const z = briefEndpoint(endpoints[1]);
      if (a !== undefined && z !== undefined) out.push({ a, z });
    }
  }
  return out;
}
