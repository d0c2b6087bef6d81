import { existsSync } from 'node:fs';
/**
 * `clab-<lab>/topology-data.json` (containerlab's `auto.tmpl` export): the deployed lab, with mgmt
 * addresses, resolved kinds, groups and every container label. Both the current shape (≥0.71:
 * ssh-pub-keys, port-bindings) and the older docs shape are read; only the fields both share matter.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import * as z from 'zod';

import { absolutePath, containerName, labDataDirName, parseMgmtAddress } from '../clab-names.js';
import type { LabDraft, NodeDraft, ReaderResult } from '../draft.js';
import { fileWarning, readText, type ReaderWarning } from '../warnings.js';
import { firstIssue } from '../zod-field.js';

const topSchema = z.object({
  name: z.string().min(1),
  type: z.string().optional(),
  clab: z.object({
    config: z.object({
      prefix: z.string().optional(),
      'config-path': z.string().optional(),
    }).optional(),
  }).optional(),
  nodes: z.record(z.string(), z.unknown()).optional(),
});

const nodeSchema = z.object({
  shortname: z.string().optional(),
  longname: z.string().optional(),
  group: z.string().optional(),
  kind: z.string().optional(),
  image: z.string().optional(),
  'mgmt-ipv4-address': z.string().optional(),
  'mgmt-ipv6-address': z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

const blank = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

export const EMPTY_DEPLOY_FILE = 'empty: containerlab writes it empty when a deploy starts (deploy running or failed); skipped';

export function parseTopologyData(text: string, file: string): ReaderResult {
  if (text.trim() === '') return { labs: [], warnings: [fileWarning(file, 'empty', EMPTY_DEPLOY_FILE)] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { labs: [], warnings: [fileWarning(file, 'malformed', `invalid JSON (${(err as Error).message})`)] };
  }
  const top = topSchema.safeParse(json);
  if (!top.success) {
    const { field, reason } = firstIssue(top.error);
    return { labs: [], warnings: [fileWarning(file, 'malformed', reason, field)] };
  }
  const data = top.data;
  const entries = Object.entries(data.nodes ?? {});
  if (entries.length === 0) {
    // A template failure leaves only {"name","type"}.
    return { labs: [], warnings: [fileWarning(file, 'content', 'no nodes in the file (the export template may have failed); skipped', 'nodes')] };
  }
  const warnings: ReaderWarning[] = [];
  const nodes: NodeDraft[] = [];
  let topoFile: string | undefined;
  for (const [key, raw] of entries) {
    const parsed = nodeSchema.safeParse(raw);
    if (!parsed.success) {
      const { field, reason } = firstIssue(parsed.error, ['nodes', key]);
      warnings.push(fileWarning(file, 'malformed', `${reason}; node skipped`, field));
      continue;
    }
    const n = parsed.data;
    const labels = n.labels ?? {};
    const kind = blank(n.kind) ?? blank(labels['clab-node-kind']);
    if (kind === undefined) {
      warnings.push(fileWarning(file, 'malformed', 'no kind; node skipped', `nodes.${key}.kind`));
      continue;
    }
    const name = blank(n.shortname) ?? key;
    const mgmtIpv4 = parseMgmtAddress(n['mgmt-ipv4-address'], 4);
    const mgmtIpv6 = parseMgmtAddress(n['mgmt-ipv6-address'], 6);
    if (mgmtIpv4 === null) warnings.push(fileWarning(file, 'malformed', 'not an IPv4 address; ignored', `nodes.${key}.mgmt-ipv4-address`));
    if (mgmtIpv6 === null) warnings.push(fileWarning(file, 'malformed', 'not an IPv6 address; ignored', `nodes.${key}.mgmt-ipv6-address`));
    topoFile ??= absolutePath(labels['clab-topo-file']);
    nodes.push({
      name,
      longName: blank(n.longname) ?? blank(labels['clab-node-longname']) ?? containerName(data.clab?.config?.prefix, data.name, name),
      kind: kind.toLowerCase(),
      mgmtIpv4: mgmtIpv4 ?? undefined,
      mgmtIpv6: mgmtIpv6 ?? undefined,
      labels,
      group: blank(n.group),
      image: blank(n.image),
      declaredCredentials: undefined,
    });
  }
  // Normally the file sits in clab-<lab>/; a loose copy elsewhere says nothing about the lab directory.
  const folder = dirname(file);
  const inLabDir = basename(folder) === labDataDirName(data.name);
  const configPath = absolutePath(data.clab?.config?.['config-path']);
  const lab: LabDraft = {
    name: data.name,
    origin: 'topology-data',
    source: file,
    dir: labDirectory(topoFile, configPath, inLabDir, folder),
    dataDir: inLabDir ? folder : undefined,
    nodes,
  };
  return { labs: [lab], warnings };
}

export async function readTopologyData(file: string): Promise<ReaderResult> {
  const read = await readText(file);
  if (!read.ok) return { labs: [], warnings: read.missing ? [] : [read.warning] };
  return withStaleness(parseTopologyData(read.text, file), file);
}

/**
 * Checks a parsed file against its topology file: a topology changed after the deploy, or gone,
 * means the data may be stale (containerlab keeps the lab directory after `destroy`). A warning only.
 */
export async function withStaleness(result: ReaderResult, file: string): Promise<ReaderResult> {
  const lab = result.labs[0];
  const topoFile = lab?.nodes.map((n) => absolutePath(n.labels['clab-topo-file'])).find((p) => p !== undefined);
  if (topoFile === undefined) return result;
  const stale = await stalenessOf(file, topoFile);
  return stale === undefined ? result : { labs: result.labs, warnings: [...result.warnings, fileWarning(file, 'stale', stale)] };
}

async function stalenessOf(dataFile: string, topoFile: string): Promise<string | undefined> {
  const data = await stat(dataFile).catch(() => undefined);
  if (data === undefined) return undefined;
  const topo = await stat(topoFile).catch((err: NodeJS.ErrnoException) => err);
  if (topo instanceof Error) {
    return topo.code === 'ENOENT' ? `possibly stale: its topology file ${topoFile} no longer exists (lab destroyed?)` : undefined;
  }
  // 1 s of slack: deploy writes the data file after reading the topology, mtimes can share a second.
  return topo.mtimeMs > data.mtimeMs + 1000
    ? `possibly stale: ${basename(topoFile)} changed after the lab was deployed (redeploy to refresh)`
    : undefined;
}

/**
 * The lab's directory (where `config --file` paths start): the recorded topology's folder when it
 * exists here; otherwise, for a file in clab-<lab>/, that folder's parent, so a lab directory
 * mounted at another path (a container, a copied lab) still finds its config files.
 */
function labDirectory(topoFile: string | undefined, configPath: string | undefined, inLabDir: boolean, folder: string): string {
  const recorded = topoFile !== undefined ? dirname(topoFile) : configPath;
  if (recorded !== undefined && (existsSync(recorded) || !inLabDir)) return recorded;
  return inLabDir ? dirname(folder) : folder;
}
