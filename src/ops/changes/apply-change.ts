import type { ApplyStatus, StoredError } from '../../model/change.js';
import { nodeKey, type NodeRef } from '../../model/node-ref.js';
import { sourceForNode } from '../../model/config-source.js';
import type { Driver } from '../../drivers/contract.js';
import type { LabNode } from '../../inventory/types.js';
import { BACKUP_ORIGIN } from '../../db/backups-repo.js';
import { learnSecrets, redactObject, redactText } from '../../redact/index.js';
import { fanOut } from '../fan-out.js';
import { countByStatus, statusForError, type NodeOutcome } from '../outcome.js';
import type { Scheduler } from '../scheduler.js';
import { applyOnNode, commitComment, type NodeApplyValue } from './apply-node.js';
import { CommitOutcomeUnknownError, NodeUnavailableError } from './errors.js';
import { applyStatusOf, finalState } from './final-state.js';
import { describeApplyOutcome, storedError } from './node-results.js';
import { Heartbeat, type LeaseOwner } from './lease.js';
import type { ChangeTransitions } from './transitions.js';
import type { ChangeView, Person } from './types.js';

/** Runs `fn` with the node's pooled driver (drivers/pool.ts SessionPool.withDriver has this shape). */
export type WithDriver = <T>(node: LabNode, fn: (driver: Driver) => Promise<T>, opts?: { signal?: AbortSignal }) => Promise<T>;

/**
 * Saves a node's running configuration as a backup version (db/backups-repo.ts: redacted, only
 * when changed, with retention) under `origin` (BACKUP_ORIGIN). Absent: commits save no backups.
 */
export type SaveBackup = (node: LabNode, running: string, origin: string, takenBy: string) => Promise<unknown>;

export interface ApplyDeps {
  readonly transitions: ChangeTransitions;
  readonly scheduler: Scheduler;
  readonly withDriver: WithDriver;
  /** This process, as the holder of the apply lease (ops/changes/lease.ts). */
  readonly owner: LeaseOwner;
  /** The configuration before and after each commit become backup versions (`before change #N`, `after change #N`). */
  readonly saveBackup?: SaveBackup | undefined;
}

/**
 * approved → applying → (per node, through the fan-out) → committed | partial | failed | stale | unknown.
 * Each node's outcome is stored as it arrives; the change's final state follows from all of them.
 */
/**
 * `checkCommands`: the --check command as authorized for the requester at approval, by `lab/node`,
 * normalised for each node's CLI; ChangeService.approve refuses a change with a check without it.
 */
export async function applyChange(
  deps: ApplyDeps,
  approved: ChangeView,
  actor: Person,
  checkCommands: ReadonlyMap<string, string> | undefined,
): Promise<ChangeView> {
  const { transitions: t } = deps;
  const repo = t.repo;
  const expiry = () => new Date(t.clock().getTime() + deps.owner.ttlMs).toISOString();
  const applying = await t.move(approved, 'applying', actor, { action: 'apply', lease: { ownerId: deps.owner.id, expiresAt: expiry() } });
  // While this process applies, it renews the lease: recovery elsewhere leaves the change alone.
  const heartbeat = new Heartbeat(() => repo.renewLease(applying.id, deps.owner.id, expiry()), deps.owner.ttlMs, () => undefined);
  try {
    return await applyNodes(deps, applying, actor, checkCommands);
  } finally {
    heartbeat.stop();
  }
}

async function applyNodes(
  deps: ApplyDeps,
  applying: ChangeView,
  actor: Person,
  checkCommands: ReadonlyMap<string, string> | undefined,
): Promise<ChangeView> {
  const { transitions: t } = deps;
  const repo = t.repo;
  const change = await t.record(applying.id);
  const nodes = await repo.nodes(change.id);
  const approvers = (await repo.approvals(change.id)).map((a) => a.approverName ?? a.approverId);
  const comment = commitComment(change.id, change.requesterName ?? change.requesterId, approvers, change.comment);
  // Backups around the commit are taken on behalf of whoever set the apply going (the last approver).
  const byWhom = actor.name ?? actor.id;
  const hashes = new Map(nodes.map((n) => [nodeKey(n), n.diffHash ?? '']));

  const statuses = new Map<string, { status: ApplyStatus; error: StoredError | undefined }>();
  const saves: Promise<void>[] = [];
  const record = (ref: NodeRef, status: ApplyStatus, commitId: string | undefined, commits: number, error: StoredError | undefined) => {
    statuses.set(nodeKey(ref), { status, error });
    const saved = repo.saveApply(change.id, { ...ref, status, commitId, commits, error, at: t.now() });
    // Awaited below with the others; the no-op handler keeps an early failure from counting as unhandled meanwhile.
    saved.catch(() => undefined);
    saves.push(saved);
  };

  const present: LabNode[] = [];
  for (const n of nodes) {
    const node = t.resolve(n);
    if (node === undefined) record(n, 'failed', undefined, 0, storedError(new NodeUnavailableError(nodeKey(n))));
    else present.push(node);
  }
  await fanOut(
    deps.scheduler,
    present,
    (node, signal) => {
      const ref: NodeRef = { lab: node.lab, name: node.name };
      return deps.withDriver(
        node,
        (driver) =>
          applyOnNode(driver, {
            changeId: change.id,
            key: nodeKey(ref),
            source: sourceForNode(change.source, nodeKey(ref)),
            method: change.method,
            expectDiffHash: hashes.get(nodeKey(ref)) ?? '',
            confirmMinutes: change.confirmMinutes,
            comment,
            check: change.checkCommand === undefined ? undefined : checkCommands?.get(nodeKey(ref)),
            signal,
            now: t.clock,
            saveBeforeConfig: async (text) => {
              learnSecrets(text);
              await repo.saveBeforeConfig(change.id, ref, redactText(text, { secrets: [node.credentials.password] }));
              await deps.saveBackup?.(node, text, BACKUP_ORIGIN.beforeChange(change.id), byWhom);
            },
            ...(deps.saveBackup === undefined
              ? {}
              : {
                  saveAfterConfig: async (text: string) => {
                    learnSecrets(text);
                    await deps.saveBackup?.(node, text, BACKUP_ORIGIN.afterChange(change.id), byWhom);
                  },
                }),
          }),
        { signal },
      );
    },
    {
      statusFor: (err) => (err instanceof CommitOutcomeUnknownError ? 'unknown' : statusForError(err)),
      onOutcome: (o: NodeOutcome<NodeApplyValue>) => {
        const ref: NodeRef = { lab: o.node.lab, name: o.node.name };
        const problem = o.value?.problem;
        const error = o.error
          ? redactObject(o.error, { secrets: [o.node.credentials.password] })
          : problem
            ? { code: 'check_failed', message: redactText(problem), deviceErrors: [] }
            : undefined;
        record(ref, applyStatusOf(o), o.value?.commitId, o.value?.commits ?? 0, error);
      },
    },
  );
  await Promise.all(saves);

  const all = nodes.map((n) => ({ key: nodeKey(n), ...(statuses.get(nodeKey(n)) ?? { status: 'unknown' as const, error: undefined }) }));
  const to = finalState(all.map((s) => s.status));
  return t.move(applying, to, actor, { action: 'finish', reason: describeApplyOutcome(all), detail: { nodes: countByStatus(all) } });
}
