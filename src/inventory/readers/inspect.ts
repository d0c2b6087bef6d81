/**
 * `containerlab inspect --format json` output (docs/containerlab-inventory.md §3.1):
 * - since 0.68 keyed by lab: `{"<lab>": [entry…], …}` (one key per lab with `--all`); `{}` when nothing runs;
 * - before 0.68: `{"containers": [entry…]}`;
 * - `--details`: the same grouping (or a bare array before 0.68) of Docker-style containers with `Labels`.
 * Summary entries carry the long name only, addresses with `/prefix` or `N/A`, no user labels.
 */
import { dirname, resolve } from 'node:path';
import * as z from 'zod';

import { absolutePath, parseMgmtAddress, shortNameFromContainer } from '../clab-names.js';
import type { LabDraft, NodeDraft, ReaderResult } from '../draft.js';
import { fileWarning, type ReaderWarning } from '../warnings.js';
import { firstIssue } from '../zod-field.js';

const summarySchema = z.object({
  lab_name: z.string().optional(),
  labPath: z.string().optional(),
  absLabPath: z.string().optional(),
  name: z.string().optional(),
  image: z.string().optional(),
  kind: z.string().optional(),
  group: z.string().optional(),
  state: z.string().optional(),
  ipv4_address: z.string().optional(),
  ipv6_address: z.string().optional(),
});

const detailsSchema = z.object({
  Names: z.array(z.string()).optional(),
  Image: z.string().optional(),
  Labels: z.record(z.string(), z.string()),
  NetworkSettings: z.object({
    IPv4addr: z.string().optional(),
    IPv6addr: z.string().optional(),
  }).optional(),
});

const blank = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

interface Collected {
  dir: string;
  dataDir: string | undefined;
  nodes: NodeDraft[];
}

export function parseInspectJson(text: string, file: string): ReaderResult {
  if (text.trim() === '') return { labs: [], warnings: [fileWarning(file, 'empty', 'empty: expected `containerlab inspect --format json` output; skipped')] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { labs: [], warnings: [fileWarning(file, 'malformed', `invalid JSON (${(err as Error).message})`)] };
  }
  let groups: [string, unknown][];
  if (Array.isArray(json)) groups = [['', json]];
  else if (json !== null && typeof json === 'object') groups = Object.entries(json);
  else return { labs: [], warnings: [fileWarning(file, 'malformed', 'expected an object keyed by lab name')] };
  const warnings: ReaderWarning[] = [];
  const labs = new Map<string, Collected>();
  for (const [key, entries] of groups) {
    if (!Array.isArray(entries)) {
      warnings.push(fileWarning(file, 'malformed', 'expected a list of containers', key));
      continue;
    }
    entries.forEach((entry: unknown, index) => {
      const field = key === '' ? `[${index}]` : `${key}[${index}]`;
      const isDetails = entry !== null && typeof entry === 'object' && 'Labels' in entry;
      const { found, warnings: entryWarnings } = isDetails
        ? detailsEntry(entry, field, file)
        : summaryEntry(entry, key, field, file);
      warnings.push(...entryWarnings);
      if (found === undefined) return;
      const read = found;
      const lab = labs.get(read.lab) ?? { dir: read.dir, dataDir: read.dataDir, nodes: [] };
      // SR-SIM spreads one node over several containers: keep the first per short name.
      if (!lab.nodes.some((n) => n.name === read.node.name)) lab.nodes.push(read.node);
      labs.set(read.lab, lab);
    });
  }
  const drafts: LabDraft[] = [...labs].map(([name, lab]) => ({
    name, origin: 'inspect', source: file, dir: lab.dir, dataDir: lab.dataDir, nodes: lab.nodes,
  }));
  return { labs: drafts, warnings };
}

interface EntryRead {
  /** Undefined when the entry is skipped (tool containers: silently; broken entries: with a warning). */
  readonly found?: { lab: string; dir: string; dataDir: string | undefined; node: NodeDraft };
  readonly warnings: ReaderWarning[];
}

const skip = (warning?: ReaderWarning): EntryRead => ({ warnings: warning === undefined ? [] : [warning] });

/** Mgmt addresses of one container; `fields` name them in warnings (`x[0].ipv4_address`). */
function addresses(v4: string | undefined, v6: string | undefined, file: string, fields: readonly [string, string],
  warnings: ReaderWarning[]) {
  const ipv4 = parseMgmtAddress(v4, 4);
  const ipv6 = parseMgmtAddress(v6, 6);
  if (ipv4 === null) warnings.push(fileWarning(file, 'malformed', 'not an IPv4 address; ignored', fields[0]));
  if (ipv6 === null) warnings.push(fileWarning(file, 'malformed', 'not an IPv6 address; ignored', fields[1]));
  return { mgmtIpv4: ipv4 ?? undefined, mgmtIpv6: ipv6 ?? undefined };
}

function summaryEntry(entry: unknown, key: string, field: string, file: string): EntryRead {
  const parsed = summarySchema.safeParse(entry);
  if (!parsed.success) {
    const issue = firstIssue(parsed.error);
    return skip(fileWarning(file, 'malformed', `${issue.reason}; container skipped`, `${field}.${issue.field}`));
  }
  const e = parsed.data;
  // Tool containers (sshx, gotty, …) carry the lab label but no node kind: not lab nodes.
  const kind = blank(e.kind);
  if (kind === undefined) return skip();
  const lab = blank(e.lab_name) ?? (key === 'containers' || key === '' ? undefined : key);
  if (lab === undefined) return skip(fileWarning(file, 'malformed', 'no lab name; container skipped', `${field}.lab_name`));
  const longName = blank(e.name);
  if (longName === undefined) return skip(fileWarning(file, 'malformed', 'no container name; skipped', `${field}.name`));
  const topoFile = absolutePath(e.absLabPath) ?? (blank(e.labPath) === undefined ? undefined : resolve(e.labPath as string));
  const name = shortNameFromContainer(longName, lab);
  const group = blank(e.group);
  const warnings: ReaderWarning[] = [];
  const addr = addresses(e.ipv4_address, e.ipv6_address, file, [`${field}.ipv4_address`, `${field}.ipv6_address`], warnings);
  const labels: Record<string, string> = {
    containerlab: lab, 'clab-node-name': name, 'clab-node-longname': longName, 'clab-node-kind': kind.toLowerCase(),
    ...(group === undefined ? {} : { 'clab-node-group': group }),
    ...(topoFile === undefined ? {} : { 'clab-topo-file': topoFile }),
  };
  const node: NodeDraft = {
    name, longName, kind: kind.toLowerCase(), ...addr, labels, group, image: blank(e.image), declaredCredentials: undefined,
  };
  return { found: { lab, dir: topoFile === undefined ? dirname(resolve(file)) : dirname(topoFile), dataDir: undefined, node }, warnings };
}

function detailsEntry(entry: unknown, field: string, file: string): EntryRead {
  const parsed = detailsSchema.safeParse(entry);
  if (!parsed.success) {
    const issue = firstIssue(parsed.error);
    return skip(fileWarning(file, 'malformed', `${issue.reason}; container skipped`, `${field}.${issue.field}`));
  }
  const e = parsed.data;
  const labels = e.Labels;
  if (labels['tool-type'] !== undefined) return skip();
  const lab = blank(labels['containerlab']);
  const kind = blank(labels['clab-node-kind']);
  if (lab === undefined || kind === undefined) return skip();
  const name = blank(labels['clab-root-node-name']) ?? blank(labels['clab-node-name']);
  const longName = blank(labels['clab-root-node-longname']) ?? blank(labels['clab-node-longname']) ?? e.Names?.[0]?.replace(/^\//, '');
  if (name === undefined || longName === undefined) {
    return skip(fileWarning(file, 'malformed', 'no clab-node-name label; container skipped', `${field}.Labels`));
  }
  const warnings: ReaderWarning[] = [];
  const addr = addresses(e.NetworkSettings?.IPv4addr, e.NetworkSettings?.IPv6addr, file,
    [`${field}.NetworkSettings.IPv4addr`, `${field}.NetworkSettings.IPv6addr`], warnings);
  const topoFile = absolutePath(labels['clab-topo-file']);
  const nodeDir = absolutePath(labels['clab-node-lab-dir']);
  const node: NodeDraft = {
    name, longName, kind: kind.toLowerCase(), ...addr, labels, group: blank(labels['clab-node-group']),
    image: blank(e.Image), declaredCredentials: undefined,
  };
  return {
    found: {
      lab,
      dir: topoFile === undefined ? dirname(resolve(file)) : dirname(topoFile),
      dataDir: nodeDir === undefined ? undefined : dirname(nodeDir),
      node,
    },
    warnings,
  };
}
