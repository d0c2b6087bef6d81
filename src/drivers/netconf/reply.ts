import { attr, child, children, elementNames, isNode, parseXml, text, type XmlNode } from './xml-tree.js';

export type RpcErrorSeverity = 'error' | 'warning';

/**
 * One device error or warning, from a NETCONF `<rpc-error>` (RFC 6241 §4.3) or a Junoscript
 * `<xnm:error>` / `<xnm:warning>`. Fields are as the device sent them, messages trimmed.
 */
export interface RpcError {
  readonly severity: RpcErrorSeverity;
  readonly message: string;
  /** error-type: transport | rpc | protocol | application. */
  readonly type: string | undefined;
  /** error-tag (RFC 6241 Appendix A): in-use, lock-denied, access-denied, operation-failed, … */
  readonly tag: string | undefined;
  /** error-path, or the xnm edit-path (`[edit interfaces ge-0/0/1]`). */
  readonly path: string | undefined;
  /** error-info children (bad-element, session-id, source-daemon, …) plus xnm statement/source-daemon. */
  readonly info: Readonly<Record<string, string>>;
}

/** A parsed `<rpc-reply>`. Failure is decided by `errors`, never by the presence of `<ok/>`. */
export interface RpcReply {
  readonly messageId: string | undefined;
  /** The rpc-reply element's content, namespace prefixes removed. */
  readonly body: XmlNode;
  /** Every error-severity rpc-error / xnm:error found at any depth. */
  readonly errors: readonly RpcError[];
  /** Every warning-severity rpc-error / xnm:warning found at any depth. */
  readonly warnings: readonly RpcError[];
  /** An `<ok/>` directly under rpc-reply. Alone it does not mean a requested result was returned. */
  readonly ok: boolean;
  /** The document as received (for `format="xml"` command output). */
  readonly raw: string;
}

/** The document is not an rpc-reply (malformed XML or another root element). */
export class ReplyParseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReplyParseError';
  }
}

/** Parses one NETCONF message expected to be an `<rpc-reply>`. Throws ReplyParseError otherwise. */
export function parseRpcReply(document: string): RpcReply {
  let tree: XmlNode;
  try {
    tree = parseXml(document);
  } catch (cause) {
    throw new ReplyParseError(`malformed XML in reply: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  const root = rootElement(tree);
  if (root === undefined || root.name !== 'rpc-reply') {
    throw new ReplyParseError(`expected <rpc-reply>, got ${root === undefined ? 'no element' : `<${root.name}>`}`);
  }
  const body = isNode(root.value) ? root.value : root.value === undefined ? {} : { '#text': String(root.value) };
  const all = collectErrors(body);
  return {
    messageId: attr(body, 'message-id'),
    body,
    errors: all.filter((e) => e.severity === 'error'),
    warnings: all.filter((e) => e.severity === 'warning'),
    ok: child(body, 'ok') !== undefined,
    raw: document,
  };
}

/** The single root element of a parsed document (leftover whitespace text ignored). */
export function rootElement(tree: XmlNode): { name: string; value: unknown } | undefined {
  const names = elementNames(tree);
  const name = names[0];
  if (name === undefined || names.length > 1) return undefined;
  return { name, value: tree[name] };
}

/** Finds errors and warnings at any depth: inside load-configuration-results, commit-results, or siblings. */
export function collectErrors(body: XmlNode): RpcError[] {
  const found: RpcError[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (!isNode(node)) return;
    for (const key of elementNames(node)) {
      for (const item of children(node, key)) {
        if (key === 'rpc-error') found.push(fromRpcError(item));
        else if ((key === 'error' || key === 'warning') && isXnmMessage(item)) found.push(fromXnm(item, key));
        else visit(item);
      }
    }
  };
  visit(body);
  return found;
}

function fromRpcError(node: unknown): RpcError {
  const severity = trimmed(child(node, 'error-severity'));
  const info: Record<string, string> = {};
  for (const infoNode of children(node, 'error-info')) {
    for (const key of elementNames(infoNode)) {
      const value = trimmed(child(infoNode, key));
      if (value !== undefined) info[key] = value;
    }
  }
  return {
    // A missing or unknown severity counts as an error: never report success on doubt.
    severity: severity === 'warning' ? 'warning' : 'error',
    message: trimmed(child(node, 'error-message')) ?? '',
    type: trimmed(child(node, 'error-type')),
    tag: trimmed(child(node, 'error-tag')),
    path: trimmed(child(node, 'error-path')),
    info,
  };
}

/** Junoscript errors carry `<message>`; a data element that happens to be named `error` does not. */
function isXnmMessage(node: unknown): boolean {
  return child(node, 'message') !== undefined;
}

function fromXnm(node: unknown, key: 'error' | 'warning'): RpcError {
  const info: Record<string, string> = {};
  for (const field of ['source-daemon', 'statement', 'line-number', 'column', 'token'] as const) {
    const value = trimmed(child(node, field));
    if (value !== undefined) info[field] = value;
  }
  return {
    severity: key === 'warning' ? 'warning' : 'error',
    message: trimmed(child(node, 'message')) ?? '',
    type: undefined,
    tag: undefined,
    path: trimmed(child(node, 'edit-path')),
    info,
  };
}

function trimmed(node: unknown): string | undefined {
  const value = text(node);
  return value === undefined ? undefined : value.trim();
}

/** A one-line rendering of an error with where it applies, e.g. `[edit interfaces ge-0/0/1] unit 2: Only unit 0 is valid`. */
export function describeRpcError(error: RpcError): string {
  const where = [error.path, error.info['statement']].filter((part) => part !== undefined && part !== '').join(' ');
  const bad = error.info['bad-element'];
  const suffix = bad !== undefined && bad !== '' && !error.message.includes(bad) ? ` (near '${bad}')` : '';
  const message = `${error.message || error.tag || 'unspecified error'}${suffix}`;
  return where === '' ? message : `${where}: ${message}`;
}

/**
 * The XML between `<rpc-reply …>` and `</rpc-reply>` exactly as sent, for callers that want the
 * device's own XML (command `format="xml"`). Empty for `<rpc-reply/>`.
 */
export function replyInnerXml(raw: string): string {
  const open = /<(?:[A-Za-z_][\w.-]*:)?rpc-reply\b(?:[^>"']|"[^"]*"|'[^']*')*>/.exec(raw);
  if (open === null || open[0].endsWith('/>')) return '';
  const start = open.index + open[0].length;
  const close = raw.lastIndexOf('</');
  if (close < start) return '';
  return raw.slice(start, close);
}
