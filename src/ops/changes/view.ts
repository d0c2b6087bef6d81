import type { ApprovalRecord, ChangeNodeRecord, ChangeRecord, EventRecord } from '../../model/change.js';
import { nodeKey } from '../../model/node-ref.js';
import type { HashedSource, SourceView } from '../../model/config-source.js';
import { changeRef, type FailingNode } from './errors.js';
import { OPEN_STATES } from './state-machine.js';
import type { ChangeNodeView, ChangeView } from './types.js';

/** The command that shows a node's commit history, from its driver; undefined when the node is gone. */
export type HistoryCommandOf = (node: ChangeNodeRecord) => string | undefined;

/** Builds the renderers' view of a change from its stored rows (pure). */
export function toChangeView(
  change: ChangeRecord,
  nodes: readonly ChangeNodeRecord[],
  approvals: readonly ApprovalRecord[],
  events: readonly EventRecord[],
  historyCommandOf: HistoryCommandOf = () => undefined,
): ChangeView {
  const failing = failingNodes(nodes);
  return {
    id: change.id,
    ref: changeRef(change.id),
    requestId: change.requestId,
    state: change.state,
    open: OPEN_STATES.includes(change.state),
    reason: change.reason,
    requester: person(change.requesterId, change.requesterName),
    approvals: approvals.map((a) => ({ approver: person(a.approverId, a.approverName), at: a.at })),
    requiredApprovals: change.requiredApprovals,
    approvable: change.state === 'planned' && failing.length === 0,
    failing,
    nothingToChange: nothingToChange(nodes),
    source: sourceView(change.source),
    method: change.method,
    confirmMinutes: change.confirmMinutes,
    check: change.checkCommand,
    comment: change.comment,
    rollbackOf: change.rollbackOf,
    targets: nodes.map((n) => ({
      lab: n.lab,
      node: n.name,
      key: nodeKey(n),
      historyCommand: historyCommandOf(n),
      plan: {
        status: n.planStatus,
        diff: n.diff,
        diffHash: n.diffHash,
        base: n.base,
        check: n.check,
        error: n.planError,
        commitConfirmed: n.commitConfirmed,
        at: n.plannedAt,
      },
      apply: { status: n.applyStatus, commitId: n.commitId, commits: n.commits, error: n.applyError, beforeConfigSaved: n.hasBeforeConfig, at: n.appliedAt },
    })),
    channel: change.channel,
    thread:
      change.channel !== undefined && change.threadTs !== undefined
        ? { channel: change.channel, threadTs: change.threadTs, rootTs: change.rootTs, decisionTs: change.decisionTs }
        : undefined,
    createdAt: change.createdAt,
    updatedAt: change.updatedAt,
    expiresAt: change.expiresAt,
    version: change.version,
    events: events.map((e) => ({ from: e.from, to: e.to, actor: person(e.actorId, e.actorName), at: e.at, detail: e.detail })),
  };
}

/** Nodes that block approval: plan not there yet, plan failed, or commit check failed. */
function failingNodes(nodes: readonly ChangeNodeRecord[]): FailingNode[] {
  const out: FailingNode[] = [];
  for (const n of nodes) {
    const node = nodeKey(n);
    if (n.planStatus === 'pending') out.push({ node, reason: 'not planned yet' });
    else if (n.planStatus === 'failed') out.push({ node, reason: n.planError?.message ?? 'plan failed' });
    else if (n.check !== undefined && !n.check.ok) out.push({ node, reason: `commit check failed: ${n.check.errors.join('; ') || 'no reason given'}` });
  }
  return out;
}

/** Every node planned cleanly and none has anything to change. */
function nothingToChange(nodes: readonly ChangeNodeRecord[]): boolean {
  return nodes.length > 0 && nodes.every((n) => n.planStatus === 'ok' && n.check?.ok !== false && (n.diff ?? '').trim() === '');
}

function person(id: string, name: string | undefined): { id: string; name?: string } {
  return name === undefined ? { id } : { id, name };
}

/** The model → view mapping of a source: the text itself stays out of every view. */
function sourceView(source: HashedSource): SourceView {
  switch (source.type) {
    case 'text':
      return { type: 'text', sha256: source.sha256, ...textSize(source.content), format: source.format };
    case 'template':
      return {
        type: 'template',
        path: source.path,
        sha256: source.sha256,
        format: source.format,
        rendered: Object.fromEntries(Object.entries(source.rendered).map(([key, r]) => [key, { sha256: r.sha256, ...textSize(r.content) }])),
      };
    case 'device-file':
      return { type: 'device-file', path: source.path };
    case 'rollback':
      return { type: 'rollback', index: source.index };
    default:
      return source satisfies never;
  }
}

function textSize(content: string): { bytes: number; lines: number } {
  return { bytes: Buffer.byteLength(content, 'utf8'), lines: content === '' ? 0 : content.replace(/\n$/, '').split('\n').length };
}

/**
 * Where to look when a commit's outcome is unknown, in each node's own words: "run `show system
 * commit` on dc1/r1; run `info from state /system configuration commit` on dc1/leaf1". Nodes no
 * longer in the inventory get "check the commit history of …".
 */
export function commitHistoryHint(targets: readonly Pick<ChangeNodeView, 'key' | 'historyCommand'>[]): string {
  const byCommand = new Map<string | undefined, string[]>();
  for (const t of targets) byCommand.set(t.historyCommand, [...(byCommand.get(t.historyCommand) ?? []), t.key]);
  return [...byCommand]
    .map(([cmd, keys]) => (cmd === undefined ? `check the commit history of ${keys.join(', ')}` : `run \`${cmd}\` on ${keys.join(', ')}`))
    .join('; ');
}

/**
 * What guards an approved commit, in the words every renderer shows next to Approve: the commit
 * confirmed timer, or that there is none. A node whose driver cannot commit confirmed (IOS
 * without an archive, a plain Linux host) applies plainly, and the approver must read that
 * here rather than a promise of a revert timer the device will never run.
 */
export function commitSafety(change: Pick<ChangeView, 'confirmMinutes' | 'targets'>): string {
  if (change.confirmMinutes === 0) return 'plain commit (no commit confirmed)';
  const plain = change.targets.filter((t) => t.plan.commitConfirmed === false).map((t) => t.key);
  const timed = `commit confirmed ${change.confirmMinutes} min`;
  if (plain.length === 0) return timed;
  if (plain.length === change.targets.length) return `plain commit: no revert timer on ${plain.join(', ')}`;
  return `${timed}, but a plain commit with no revert timer on ${plain.join(', ')}`;
}
