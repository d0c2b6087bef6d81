import { setMaxListeners } from 'node:events';
import { CancelledError, TimeoutError } from '../drivers/errors.js';
import type { LabNode } from '../inventory/types.js';
import { statusForError, toOutcomeError, type NodeOutcome } from './outcome.js';
import type { Scheduler } from './scheduler.js';

export interface FanOutOptions<T> {
  readonly signal?: AbortSignal;
  /** Per node, from the moment its work starts (not while queued). */
  readonly perNodeTimeoutMs?: number;
  /** Whole request: nodes not finished by then end as cancelled. */
  readonly deadlineMs?: number;
  /** Called as each node finishes, in completion order: front ends stream results from here. */
  readonly onOutcome?: (outcome: NodeOutcome<T>, done: number, total: number) => void;
  /** Maps a thrown error to a status; defaults to failed/stale/cancelled by error type. */
  readonly statusFor?: (err: unknown) => NodeOutcome<T>['status'];
}

/**
 * The one fan-out for exec, plan, apply and rollback: runs `work` for every node through the
 * scheduler, never throws, and returns one outcome per node in the order of `nodes`.
 * One slow node never holds the others; cancellation stops queued work and aborts running work.
 */
export async function fanOut<T>(
  scheduler: Scheduler,
  nodes: readonly LabNode[],
  work: (node: LabNode, signal: AbortSignal) => Promise<T>,
  opts: FanOutOptions<T> = {},
): Promise<NodeOutcome<T>[]> {
  const request = new AbortController();
  // Every node's queue wait, timeout and driver call listen on it (removed as each settles): not a leak.
  setMaxListeners(0, request.signal);
  const onAbort = () => request.abort(opts.signal?.reason ?? new Error('cancelled'));
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) onAbort();
  const deadline = opts.deadlineMs ? setTimeout(() => request.abort(new Error('deadline')), opts.deadlineMs) : undefined;
  let done = 0;

  const one = async (node: LabNode): Promise<NodeOutcome<T>> => {
    const queuedAt = new Date();
    let startedAt = queuedAt;
    let t0 = performance.now();
    let outcome: NodeOutcome<T>;
    try {
      const value = await scheduler.run(
        node,
        () => {
          startedAt = new Date();
          t0 = performance.now();
          return withNodeTimeout(node, request.signal, opts.perNodeTimeoutMs, work);
        },
        request.signal,
      );
      outcome = { node, status: 'ok', value, error: undefined, durationMs: performance.now() - t0, startedAt };
    } catch (raw) {
      const err = request.signal.aborted && !(raw instanceof TimeoutError) ? asCancelled(node, raw, request.signal) : raw;
      const status = opts.statusFor?.(err) ?? statusForError(err);
      outcome = { node, status, value: undefined, error: toOutcomeError(err), durationMs: performance.now() - t0, startedAt };
    }
    done += 1;
    opts.onOutcome?.(outcome, done, nodes.length);
    return outcome;
  };

  try {
    return await Promise.all(nodes.map(one));
  } finally {
    if (deadline) clearTimeout(deadline);
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

function asCancelled(node: LabNode, raw: unknown, signal: AbortSignal): unknown {
  if (raw instanceof CancelledError) return raw;
  const why = signal.reason instanceof Error && signal.reason.message === 'deadline' ? 'request deadline' : 'work';
  return new CancelledError({ node: node.name, operation: why === 'request deadline' ? 'the request (deadline reached)' : 'the request', cause: raw });
}

async function withNodeTimeout<T>(
  node: LabNode,
  parent: AbortSignal,
  timeoutMs: number | undefined,
  work: (node: LabNode, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (!timeoutMs) return work(node, parent);
  const ctl = new AbortController();
  const onParent = () => ctl.abort(parent.reason);
  parent.addEventListener('abort', onParent, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new TimeoutError({ node: node.name, operation: 'the request' }, timeoutMs);
      ctl.abort(err);
      reject(err);
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(node, ctl.signal), timedOut]);
  } finally {
    clearTimeout(timer);
    parent.removeEventListener('abort', onParent);
  }
}
