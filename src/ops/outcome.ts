import { ClabBotError, asClabBotError } from '../errors.js';
import { DriverError } from '../drivers/errors.js';
import type { LabNode } from '../inventory/types.js';

/** How one node's part of a request ended. `unknown`: contact lost mid-change, the device state is not known. */
export type NodeStatus = 'ok' | 'failed' | 'stale' | 'skipped' | 'unknown' | 'cancelled';
export const NODE_STATUSES: readonly NodeStatus[] = ['ok', 'failed', 'stale', 'skipped', 'unknown', 'cancelled'];

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

/**
 * How many items have each status. With `every`, each status it lists is present (0 when no item
 * has it), in its order; without, only the statuses that occur, in the order they first occur.
 */
export function countByStatus<S extends string>(items: readonly { readonly status: S }[], every: readonly S[]): Record<S, number>;
export function countByStatus<S extends string>(items: readonly { readonly status: S }[]): Partial<Record<S, number>>;
export function countByStatus<S extends string>(items: readonly { readonly status: S }[], every: readonly S[] = []): Partial<Record<S, number>> {
  const counts: Partial<Record<S, number>> = {};
  for (const s of every) counts[s] = 0;
  for (const { status } of items) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
