import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { BackupsRepo, BackupSummary, BackupVersion, SaveOutcome } from '../db/backups-repo.js';
import { ClabBotError, UsageError } from '../errors.js';
import type { LabNode } from '../inventory/types.js';
import { nodeKey, type NodeRef } from '../model/node-ref.js';
import { learnSecrets } from '../redact/index.js';
import type { DeviceAccess, StreamOptions } from './device-ops.js';
import { fanOut } from './fan-out.js';
import type { NodeOutcome } from './outcome.js';

/** What `backup` produced, for the renderers. Every text in it is redacted (it comes from the database). */
export type BackupResult =
  | { readonly action: 'save'; readonly outcomes: readonly NodeOutcome<SaveOutcome>[] }
  | { readonly action: 'list'; readonly node: NodeRef; readonly versions: readonly BackupSummary[] }
  | { readonly action: 'show'; readonly backup: BackupVersion }
  | { readonly action: 'diff'; readonly node: NodeRef; readonly from: BackupSummary; readonly to: BackupSummary; readonly diff: string }
  | { readonly action: 'export'; readonly dir: string; readonly files: readonly ExportedFile[]; readonly missing: readonly NodeRef[] };

export interface ExportedFile extends NodeRef {
  readonly version: number;
  readonly path: string;
  readonly bytes: number;
}

/** Said wherever a stored configuration is shown or written. */
export const SECRETS_MASKED_NOTE = 'secrets are masked in backups: enter them again before loading a backup onto a device';

/** A node has no backup (yet), or not the version asked for. */
export class BackupNotFoundError extends ClabBotError {
  constructor(node: NodeRef, version?: number) {
    super(
      'backup_not_found',
      version === undefined ? `${nodeKey(node)} has no backup yet` : `${nodeKey(node)} has no backup version ${version}`,
      { hint: version === undefined ? `save one with \`backup ${node.name}\`` : `list the versions with \`backup list ${node.name}\`` },
    );
  }
}

/**
 * `backup SELECTOR`: reads each node's running configuration and saves it as a new version when
 * it changed. The raw text is only learnt for value masking (so its secrets are masked in any
 * later output too) and handed to the repository, which stores it redacted.
 */
export function backupNodes(
  access: DeviceAccess,
  backups: BackupsRepo,
  nodes: readonly LabNode[],
  save: { readonly takenBy: string; readonly reason: string; readonly keep: number; readonly keepDays?: number | undefined },
  opts: StreamOptions<SaveOutcome> = {},
): Promise<NodeOutcome<SaveOutcome>[]> {
  return fanOut(
    access.scheduler,
    nodes,
    async (node, signal) => {
      const running = await access.withDriver(node, (d) => d.runningConfig({ signal }), { signal });
      learnSecrets(running);
      return backups.save({ lab: node.lab, name: node.name, content: running, secrets: [node.credentials.password], ...save });
    },
    opts,
  );
}

/** `backup list|show|diff` name one node: a selector matching several is refused with their names. */
export function oneNode(nodes: readonly LabNode[], action: string): LabNode {
  if (nodes.length === 1) return nodes[0]!;
  const names = nodes.slice(0, 5).map(nodeKey).join(', ');
  throw new UsageError(`backup ${action} takes one node; the selector matches ${nodes.length}: ${names}${nodes.length > 5 ? ', …' : ''}`, {
    hint: `name one node, e.g. backup ${action} ${nodes[0]?.name ?? 'router1'}`,
  });
}

export async function showBackup(backups: BackupsRepo, node: NodeRef, version: number | undefined): Promise<BackupVersion> {
  const found = await backups.get(node, version);
  if (found === undefined) throw new BackupNotFoundError(node, version);
  return found;
}

/**
 * `backup diff NODE [V1] [V2]`: no version, the newest two; one, that version against the newest;
 * two, the first against the second. A unified diff of the stored (redacted) texts.
 */
export async function diffBackups(backups: BackupsRepo, node: NodeRef, versions: readonly number[]): Promise<Extract<BackupResult, { action: 'diff' }>> {
  let from: BackupVersion;
  let to: BackupVersion;
  if (versions.length === 0) {
    const [newest, previous] = await backups.list(node);
    if (newest === undefined) throw new BackupNotFoundError(node);
    if (previous === undefined) {
      throw new UsageError(`${nodeKey(node)} has only one backup (version ${newest.version}), so there is nothing to compare yet`, {
        hint: `see it with \`backup show ${node.name}\``,
      });
    }
    from = await showBackup(backups, node, previous.version);
    to = await showBackup(backups, node, newest.version);
  } else {
    from = await showBackup(backups, node, versions[0]);
    to = await showBackup(backups, node, versions[1]);
  }
  return { action: 'diff', node, from: summary(from), to: summary(to), diff: unifiedDiff(node, from, to) };
}

/** A unified diff of two versions, headed `lab/node version N (time)`; empty when they are the same. */
export function unifiedDiff(node: NodeRef, from: BackupVersion, to: BackupVersion): string {
  if (from.sha256 === to.sha256) return '';
  const label = (v: BackupVersion) => `${nodeKey(node)} version ${v.version}`;
  return createTwoFilesPatch(label(from), label(to), from.content, to.content, from.takenAt, to.takenAt, { context: 3 })
    .replace(/^=+\n/m, '')
    .replace(/^Index:.*\n/m, '');
}

/**
 * `backup export SELECTOR --dir DIR`: the newest version of each node to DIR/<lab>/<node>.cfg,
 * the layout `containerlab save` writes. Nodes without a backup are reported, not invented.
 */
export async function exportBackups(backups: BackupsRepo, nodes: readonly LabNode[], dir: string, cwd: string): Promise<Extract<BackupResult, { action: 'export' }>> {
  const root = resolve(cwd, dir);
  const files: ExportedFile[] = [];
  const missing: NodeRef[] = [];
  for (const node of nodes) {
    const newest = await backups.get(node);
    if (newest === undefined) {
      missing.push({ lab: node.lab, name: node.name });
      continue;
    }
    const labDir = join(root, node.lab);
    mkdirSync(labDir, { recursive: true });
    const path = join(labDir, `${node.name}.cfg`);
    writeFileSync(path, newest.content, { mode: 0o600 });
    files.push({ lab: node.lab, name: node.name, version: newest.version, path, bytes: newest.bytes });
  }
  return { action: 'export', dir: root, files, missing };
}

function summary(v: BackupVersion): BackupSummary {
  const { content: _content, ...rest } = v;
  return rest;
}
