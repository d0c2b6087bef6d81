import { ClabBotError, asClabBotError } from '../errors.js';
import { DriverError } from '../drivers/errors.js';
import type { LabNode } from '../inventory/types.js';

/** How one node's part of a request ended. `unknown`: contact lost mid-change, the device state is not known. */
export type NodeStatus = 'ok' | 'failed' | 'stale' | 'skipped' | 'unknown' | 'cancelled';

export interface OutcomeError {
  readonly code: string;
  readonly message: string;
  readonly deviceErrors: readonly string[];
}

export interface NodeOutcome<T> {
  readonly node: LabNode;
  readonly status: NodeStatus;
  readonly value: T | undefined;
  readonly error: OutcomeError | undefined;
  readonly durationMs: number;
  readonly startedAt: Date;
}

/** The one place a thrown error becomes per-node data. Unknown errors keep their message and are flagged internal. */
export function toOutcomeError(err: unknown): OutcomeError {
  if (err instanceof DriverError) return { code: err.code, message: err.message, deviceErrors: err.deviceErrors };
  const e: ClabBotError = asClabBotError(err);
  return { code: e.code, message: e.message, deviceErrors: [] };
}

export function statusForError(err: unknown): NodeStatus {
  if (err instanceof DriverError) {
    switch (err.code) {
      case 'stale':
        return 'stale';
      case 'cancelled':
        return 'cancelled';
      default:
        return 'failed';
    }
  }
  return 'failed';
}

export function summarize(outcomes: readonly NodeOutcome<unknown>[]): Record<NodeStatus, number> {
  const counts: Record<NodeStatus, number> = { ok: 0, failed: 0, stale: 0, skipped: 0, unknown: 0, cancelled: 0 };
  for (const o of outcomes) counts[o.status] += 1;
  return counts;
}
