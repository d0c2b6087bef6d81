import type { Framing } from './framing.js';
import { rootElement } from './reply.js';
import { child, children, parseXml, text } from './xml-tree.js';
import { escapeXmlText } from './xml-text.js';

export const NETCONF_BASE_NS = 'urn:ietf:params:xml:ns:netconf:base:1.0';
export const CAP_BASE_1_0 = 'urn:ietf:params:netconf:base:1.0';
export const CAP_BASE_1_1 = 'urn:ietf:params:netconf:base:1.1';

/** What this client announces: both base versions, so chunked framing is used whenever the server allows it. */
export const DEFAULT_CLIENT_CAPABILITIES: readonly string[] = [
  CAP_BASE_1_0,
  CAP_BASE_1_1,
  'urn:ietf:params:netconf:capability:candidate:1.0',
  'urn:ietf:params:netconf:capability:confirmed-commit:1.0',
  'urn:ietf:params:netconf:capability:validate:1.0',
];

export interface ServerHello {
  readonly capabilities: readonly string[];
  readonly sessionId: string | undefined;
}

export function buildClientHello(capabilities: readonly string[]): string {
  const caps = capabilities.map((c) => `<capability>${escapeXmlText(c)}</capability>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><hello xmlns="${NETCONF_BASE_NS}"><capabilities>${caps}</capabilities></hello>`;
}

/** Parses the server's hello; comments, declarations and blank lines before `<hello>` are skipped. Throws if it is not a hello. */
export function parseServerHello(document: string): ServerHello {
  const root = rootElement(parseXml(document));
  if (root === undefined || root.name !== 'hello') {
    throw new Error(`expected <hello>, got ${root === undefined ? 'no element' : `<${root.name}>`}`);
  }
  const capabilities = children(child(root.value, 'capabilities'), 'capability')
    .map((c) => text(c)?.trim())
    .filter((c): c is string => c !== undefined && c !== '');
  if (capabilities.length === 0) throw new Error('the hello lists no capabilities');
  const sessionId = text(child(root.value, 'session-id'))?.trim();
  return { capabilities, sessionId: sessionId === '' ? undefined : sessionId };
}

/**
 * RFC 6242 §4.1: chunked framing only when both peers list base:1.1. Capabilities may carry
 * query parameters, so compare the part before `?`.
 */
export function negotiateFraming(client: readonly string[], server: readonly string[]): Framing {
  const has = (list: readonly string[], uri: string) => list.some((c) => c.split('?')[0] === uri);
  return has(client, CAP_BASE_1_1) && has(server, CAP_BASE_1_1) ? 'chunked' : 'eom';
}
