import { nodeKey } from '../model/node-ref.js';
import { DRIFT_STATUSES, driftStatusOf, type DriftStatus, type DriftValue } from '../ops/drift-ops.js';
import type { NodeOutcome } from '../ops/outcome.js';

const when = (iso: string) => `${iso.replace('T', ' ').slice(0, 19)} UTC`;

const STATUS_WORDS: Record<DriftStatus, string> = {
  'in-sync': 'in sync',
  drifted: 'drifted',
  'no-baseline': 'no baseline',
  unreachable: 'unreachable',
};

/** Said under every drift report: the diff is of stored (masked) texts. */
export const DRIFT_MASKED_NOTE = 'secrets are masked in the diff';

/** One node's headline: `dc1/r1  drifted from version 3 (manual, 2026-12-07 01:02:03 UTC by alice)`. */
export function driftHeadline(o: NodeOutcome<DriftValue>): string {
  const key = nodeKey(o.node);
  const v = o.value;
  if (v === undefined) return `${key}  unreachable: ${o.error?.message ?? 'the running configuration could not be read'}`;
  switch (v.status) {
    case 'no-baseline':
      return `${key}  no baseline: save one with \`backup ${o.node.name}\``;
    case 'in-sync':
      return `${key}  in sync with version ${v.baseline.version} (${v.baseline.reason})`;
    case 'drifted':
      return `${key}  drifted from version ${v.baseline.version} (${v.baseline.reason}, ${when(v.baseline.takenAt)} by ${v.baseline.takenBy})`;
    default:
      return v satisfies never;
  }
}

/** The device's own record of the last commit the bot did not make, when it keeps one. */
export function lastCommitLine(v: Extract<DriftValue, { status: 'drifted' }>): string {
  const c = v.lastCommit;
  if (c === undefined) return 'last commit on the device: not recorded (the device keeps no commit log, or every commit in it is the bot\'s)';
  return `last commit on the device: by ${c.user}${c.client ? ` via ${c.client}` : ''} at ${c.time}${c.comment ? `: ${c.comment}` : ''}`;
}

/** `drift: 1 drifted, 2 in sync, 0 no baseline, 0 unreachable`. */
export function driftSummary(outcomes: readonly NodeOutcome<DriftValue>[]): string {
  const counts = new Map<DriftStatus, number>(DRIFT_STATUSES.map((s) => [s, 0]));
  for (const o of outcomes) counts.set(driftStatusOf(o), (counts.get(driftStatusOf(o)) ?? 0) + 1);
  return `drift: ${DRIFT_STATUSES.map((s) => `${counts.get(s)} ${STATUS_WORDS[s]}`).join(', ')}; ${DRIFT_MASKED_NOTE}`;
}
