import { createTwoFilesPatch } from 'diff';
import { BACKUP_ORIGIN, configHash, redactConfig, type BackupsRepo, type BackupSummary, type SaveOutcome } from '../db/backups-repo.js';
import type { DeviceCommit } from '../drivers/contract.js';
import { ClabBotError } from '../errors.js';
import type { LabNode } from '../inventory/types.js';
import { nodeKey, type NodeRef } from '../model/node-ref.js';
import { learnSecrets } from '../redact/index.js';
import type { DeviceAccess, StreamOptions } from './device-ops.js';
import { fanOut } from './fan-out.js';
import type { NodeOutcome } from './outcome.js';

/**
 * One node's drift: its running configuration against its baseline, the newest saved version
 * (a backup, the configuration after the bot's last commit, or an adopted drift, whichever is
 * newest). Texts are redacted, like everything stored.
 */
export type DriftValue =
  | { readonly status: 'in-sync'; readonly baseline: BackupSummary }
  | {
      readonly status: 'drifted';
      readonly baseline: BackupSummary;
      /** Unified diff, baseline → running (redacted). */
      readonly diff: string;
      /** configHash of the redacted running configuration: Adopt takes exactly this one. */
      readonly runningSha256: string;
      /** The newest entry of the device's commit log that the bot did not make, when the device keeps one. */
      readonly lastCommit: DeviceCommit | undefined;
    }
  | { readonly status: 'no-baseline' };

export type DriftStatus = DriftValue['status'] | 'unreachable';
export const DRIFT_STATUSES: readonly DriftStatus[] = ['in-sync', 'drifted', 'no-baseline', 'unreachable'];

/** Commits the bot makes carry comments starting so (ops/changes/apply-node.ts commitComment, undo, rollback). */
const BOT_COMMIT = /^clab-bot\b/;

/** A node's drift status for counts and lines: a node that could not be read is `unreachable`. */
export function driftStatusOf(o: NodeOutcome<DriftValue>): DriftStatus {
  return o.value?.status ?? 'unreachable';
}

/**
 * `drift SELECTOR`: reads each node's running configuration and compares it, redacted and without
 * the device's commit stamps (configHash), with the node's baseline. A node without a baseline is
 * not contacted. A drifted node's own commit log is read for who changed it and when.
 */
export function checkDrift(
  access: DeviceAccess,
  backups: BackupsRepo,
  nodes: readonly LabNode[],
  opts: StreamOptions<DriftValue> = {},
): Promise<NodeOutcome<DriftValue>[]> {
  return fanOut(
    access.scheduler,
    nodes,
    async (node, signal): Promise<DriftValue> => {
      const baseline = await backups.get(node);
      if (baseline === undefined) return { status: 'no-baseline' };
      const { content: _text, ...summary } = baseline;
      return access.withDriver(
        node,
        async (driver) => {
          const raw = await driver.runningConfig({ signal });
          learnSecrets(raw);
          const running = await redactConfig(raw, [node.credentials.password]);
          const runningSha256 = configHash(running);
          if (runningSha256 === baseline.sha256) return { status: 'in-sync', baseline: summary };
          const history = driver.commitHistory === undefined ? [] : await driver.commitHistory({ signal }).catch(() => []);
          return {
            status: 'drifted',
            baseline: summary,
            diff: driftDiff(node, summary, baseline.content, running),
            runningSha256,
            lastCommit: history.find((c) => !BOT_COMMIT.test(c.comment)),
          };
        },
        { signal },
      );
    },
    opts,
  );
}

/** A unified diff headed `lab/node version N (origin)` → `lab/node running`. */
function driftDiff(node: NodeRef, baseline: BackupSummary, from: string, to: string): string {
  return createTwoFilesPatch(`${nodeKey(node)} version ${baseline.version} (${baseline.reason})`, `${nodeKey(node)} running`, from, to, baseline.takenAt, 'now', {
    context: 3,
  })
    .replace(/^=+\n/m, '')
    .replace(/^Index:.*\n/m, '');
}

/** Adopt was pressed on a drift report, but the node has changed again since. */
export class DriftMovedError extends ClabBotError {
  constructor(node: NodeRef) {
    super('drift_moved', `${nodeKey(node)} changed again since that drift report, so it was not adopted`, {
      hint: `run \`drift ${node.name}\` and adopt from the new report`,
    });
  }
}

/**
 * Adopt: the node's running configuration becomes its baseline (a backup version with origin
 * `adopted by WHO`), but only if it is still the one the drift report showed (`expectSha256`).
 */
export async function adoptDrift(
  access: DeviceAccess,
  backups: BackupsRepo,
  node: LabNode,
  expectSha256: string,
  save: { readonly who: string; readonly keep: number; readonly keepDays?: number | undefined },
  signal?: AbortSignal,
): Promise<SaveOutcome> {
  const raw = await access.withDriver(node, (d) => d.runningConfig(signal === undefined ? {} : { signal }), signal === undefined ? {} : { signal });
  learnSecrets(raw);
  const secrets = [node.credentials.password];
  if (configHash(await redactConfig(raw, secrets)) !== expectSha256) throw new DriftMovedError(node);
  const origin = BACKUP_ORIGIN.adopted(save.who);
  return backups.save({ lab: node.lab, name: node.name, content: raw, secrets, takenBy: save.who, reason: origin, keep: save.keep, keepDays: save.keepDays });
}

/** Restore needs a load that replaces the whole configuration; a driver without one cannot undo additions. */
export class RestoreUnsupportedError extends ClabBotError {
  constructor(node: NodeRef) {
    super('restore_unsupported', `${nodeKey(node)}: its driver cannot replace the whole configuration (override), so a restore could not undo what was added`, {
      hint: `see the baseline with \`backup show ${node.name}\` and undo the drift with \`config\` by hand`,
    });
  }
}

/** The load method that restores a baseline on this node: override, when its driver has it. */
export async function restoreMethod(access: DeviceAccess, node: LabNode, signal?: AbortSignal): Promise<'override'> {
  const opts = signal === undefined ? {} : { signal };
  const can = await access.withDriver(node, async (d) => d.capabilities.configMethods.includes('override'), opts);
  if (!can) throw new RestoreUnsupportedError(node);
  return 'override';
}
