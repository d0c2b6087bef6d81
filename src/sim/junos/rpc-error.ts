/** Junos-shaped `<rpc-error>` elements, and the failure a simulator RPC handler throws to send them. */
import { ClabBotError } from '../../errors.js';
import type { ConfigIssue } from './config-tree.js';
import { x, type XNode } from './xml.js';

export interface RpcErrorSpec {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** Default 'protocol'. */
  readonly type?: string;
  /** Default 'operation-failed'. */
  readonly tag?: string;
  /** `[edit …]`. */
  readonly path?: string;
  readonly badElement?: string;
  readonly sourceDaemon?: string;
  /** For lock-denied: the session holding the lock (0 when not a NETCONF session). */
  readonly sessionId?: number;
  /** Junos wraps commit-time messages in newlines; keep that shape. */
  readonly padded?: boolean;
}

/** An RPC failed on the device: the reply carries these rpc-errors (inside `wrapper` when given). */
export class RpcFailure extends ClabBotError {
  constructor(
    readonly errors: readonly RpcErrorSpec[],
    readonly wrapper?: 'load-configuration-results' | 'commit-results',
  ) {
    super('sim_rpc_failure', errors.map((e) => e.message).join('; '));
  }
}

/** Element names of the NETCONF namespace; with `rfc-compliant` they carry the `nc:` prefix. */
export type NcName = (local: string) => string;

export function rpcErrorNode(spec: RpcErrorSpec, nc: NcName): XNode {
  const info =
    spec.badElement !== undefined || spec.sessionId !== undefined
      ? x(
          nc('error-info'),
          null,
          spec.sessionId !== undefined ? x(nc('session-id'), null, String(spec.sessionId)) : null,
          spec.badElement !== undefined ? x(nc('bad-element'), null, spec.badElement) : null,
        )
      : null;
  return x(
    nc('rpc-error'),
    null,
    x(nc('error-type'), null, spec.type ?? 'protocol'),
    x(nc('error-tag'), null, spec.tag ?? 'operation-failed'),
    x(nc('error-severity'), null, spec.severity),
    spec.sourceDaemon !== undefined ? x('source-daemon', null, spec.sourceDaemon) : null,
    spec.path !== undefined ? x(nc('error-path'), null, spec.path) : null,
    info,
    x(nc('error-message'), null, spec.padded === true ? `\n${spec.message}\n` : spec.message),
  );
}

/** `[edit a b c]` for a word path. */
export function editPath(words: readonly string[] | undefined): string {
  return words === undefined || words.length === 0 ? '[edit]' : `[edit ${words.join(' ')}]`;
}

/** Config parse issues as rpc-errors, in the shape of Junos' load-configuration errors. */
export function issuesToErrors(issues: readonly ConfigIssue[]): RpcErrorSpec[] {
  return issues.map((i) => {
    const spec: { -readonly [K in keyof RpcErrorSpec]: RpcErrorSpec[K] } = {
      severity: i.severity,
      message: i.message,
    };
    if (i.badElement !== undefined) spec.badElement = i.badElement;
    if (i.path !== undefined) spec.path = editPath(i.path);
    return spec;
  });
}
