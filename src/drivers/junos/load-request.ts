import { XMLValidator } from 'fast-xml-parser';
import type { ConfigMethod, NodeSource } from '../contract.js';
import { UnsupportedError, type DriverErrorContext } from '../errors.js';
import { stripProlog } from '../netconf/xml-tree.js';

export type LoadFormat = 'text' | 'set' | 'xml';

/** What load-configuration must do, resolved from a NodeSource and a method (no IO). */
export type LoadRequest =
  | { readonly kind: 'inline'; readonly action: LoadAction; readonly format: LoadFormat; readonly content: string }
  | { readonly kind: 'url'; readonly action: LoadAction; readonly format: LoadFormat; readonly url: string }
  | { readonly kind: 'rollback'; readonly index: number };

/** load-configuration `action` values (Junos XML API). */
export type LoadAction = 'merge' | 'override' | 'replace' | 'set';

/** Method → load action. Set-style content always loads with action="set" (Junos accepts nothing else for it). */
export const LOAD_ACTION: Readonly<Record<ConfigMethod, LoadAction>> = {
  merge: 'merge',
  override: 'override',
  replace: 'replace',
  set: 'set',
};

/** Junos keeps rollback 0 (active) to 49. */
export const MAX_ROLLBACK = 49;

/** First words of set-style lines, as PyEZ recognises them (utils/config.py). */
const SET_VERBS = new Set(['set', 'delete', 'rename', 'insert', 'activate', 'deactivate', 'annotate', 'copy', 'protect', 'unprotect']);

/**
 * The format of inline configuration: XML when the first meaningful line starts with `<`,
 * set-style when it starts with a set verb, curly-brace text otherwise.
 */
export function detectLoadFormat(content: string): LoadFormat {
  for (const raw of content.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('/*') || line.startsWith('*')) continue;
    if (line.startsWith('<')) return 'xml';
    const first = line.split(/\s+/, 1)[0] ?? '';
    return SET_VERBS.has(first) ? 'set' : 'text';
  }
  return 'text';
}

/** Resolves source + method into a load request; throws UnsupportedError for combinations Junos cannot load. */
export function resolveLoadRequest(source: NodeSource, method: ConfigMethod, ctx: DriverErrorContext): LoadRequest {
  switch (source.type) {
    case 'rollback':
      if (!Number.isInteger(source.index) || source.index < 0 || source.index > MAX_ROLLBACK) {
        throw new UnsupportedError(ctx, `rollback ${source.index} (Junos keeps rollback 0 to ${MAX_ROLLBACK})`);
      }
      return { kind: 'rollback', index: source.index };
    case 'device-file': {
      if (source.path.trim() === '') throw new UnsupportedError(ctx, 'loading a device file with an empty path');
      const format: LoadFormat = method === 'set' ? 'set' : /\.xml$/i.test(source.path) ? 'xml' : 'text';
      return { kind: 'url', action: actionFor(format, method, ctx), format, url: source.path };
    }
    case 'text': {
      const format = inlineFormat(source.content, source.format, method, ctx);
      const content = format === 'xml' ? checkedConfigurationXml(source.content, ctx) : source.content;
      return { kind: 'inline', action: actionFor(format, method, ctx), format, content };
    }
    default:
      return source satisfies never;
  }
}

function inlineFormat(content: string, declared: LoadFormat | undefined, method: ConfigMethod, ctx: DriverErrorContext): LoadFormat {
  if (method === 'set') {
    if (declared !== undefined && declared !== 'set') {
      throw new UnsupportedError(ctx, `method set with ${declared === 'xml' ? 'XML' : 'curly-brace'} configuration (use merge, override or replace)`);
    }
    return 'set';
  }
  return declared ?? detectLoadFormat(content);
}

function actionFor(format: LoadFormat, method: ConfigMethod, ctx: DriverErrorContext): LoadAction {
  if (format !== 'set') return LOAD_ACTION[method];
  if (method === 'override' || method === 'replace') {
    throw new UnsupportedError(ctx, `method ${method} with set-style lines (use method set or merge)`);
  }
  return 'set';
}

/**
 * User XML is embedded as XML, so it must be one well-formed `<configuration>` element: then its
 * tags balance and it cannot close the enclosing RPC. `]]>` is refused because an attribute may
 * legally hold it and it would end a base:1.0 message; DOCTYPE is refused (entity expansion).
 */
export function checkedConfigurationXml(content: string, ctx: DriverErrorContext): string {
  const body = stripProlog(content).trimEnd();
  if (body.includes(']]>')) throw new UnsupportedError(ctx, 'XML configuration containing "]]>" (write > as &gt;)');
  if (/<!DOCTYPE/i.test(body)) throw new UnsupportedError(ctx, 'XML configuration with a DOCTYPE');
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    throw new UnsupportedError(ctx, `malformed XML configuration (line ${valid.err.line}: ${valid.err.msg})`);
  }
  const root = /^<([A-Za-z_][\w.:-]*)/.exec(body)?.[1];
  if (root === undefined || root.replace(/^[\w.-]+:/, '') !== 'configuration' || !isSingleRoot(body)) {
    throw new UnsupportedError(ctx, 'XML configuration that is not a single <configuration> element');
  }
  return body;
}

/** True when the document's first element closes at the very end (no sibling roots). */
function isSingleRoot(body: string): boolean {
  let depth = 0;
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)(?:[^>"']|"[^"]*"|'[^']*')*?(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g;
  for (let m = tag.exec(body); m !== null; m = tag.exec(body)) {
    if (m[2] === undefined) continue;
    if (m[1] === '/') depth -= 1;
    else if (m[3] !== '/') depth += 1;
    if (depth === 0) return body.slice(m.index + m[0].length).trim() === '';
  }
  return false;
}
