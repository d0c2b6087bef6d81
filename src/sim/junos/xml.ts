import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * One XML element, for requests parsed and replies built. Mixed content is not modelled:
 * `text` is the element's own character data (NETCONF and Junos XML never mix text and elements).
 */
export interface XNode {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XNode[];
  readonly text: string;
}

type Child = XNode | string | number | null | undefined | false | readonly Child[];

/** Builds an element: string/number children become its text, null/false are skipped, arrays flatten. */
export function x(name: string, attrs: Record<string, string | number | undefined> | null, ...children: Child[]): XNode {
  const kids: XNode[] = [];
  let text = '';
  const add = (c: Child): void => {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) {
      for (const cc of c as readonly Child[]) add(cc);
    } else if (typeof c === 'string' || typeof c === 'number') {
      text += String(c);
    } else {
      kids.push(c as XNode);
    }
  };
  for (const c of children) add(c);
  const cleanAttrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs ?? {})) if (v !== undefined) cleanAttrs[k] = String(v);
  return { name, attrs: cleanAttrs, children: kids, text };
}

/**
 * Escapes character data (and, with `attribute`, attribute values). Non-ASCII characters become
 * character references: ncclient decodes each read buffer as UTF-8 and fails on a multi-byte
 * character split across reads.
 */
export function escapeXml(text: string, attribute = false): string {
  // One regex pass (a 2 MB configuration is escaped in a few ms); a surrogate pair is one reference.
  return text.replace(attribute ? ESCAPE_ATTRIBUTE : ESCAPE_TEXT, (ch) => {
    if (ch === '&') return '&amp;';
    if (ch === '<') return '&lt;';
    if (ch === '>') return '&gt;';
    if (ch === '"') return '&quot;';
    return `&#x${(ch.codePointAt(0) ?? 0).toString(16)};`;
  });
}

const ESCAPE_TEXT = /[\ud800-\udbff][\udc00-\udfff]|[&<>\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\uffff]/g;
const ESCAPE_ATTRIBUTE = /[\ud800-\udbff][\udc00-\udfff]|[&<>"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\uffff]/g;

/** Serialises one element per line, as Junos does; text content is written verbatim (escaped). */
export function serializeXml(node: XNode): string {
  const attrs = Object.entries(node.attrs)
    .map(([k, v]) => ` ${k}="${escapeXml(v, true)}"`)
    .join('');
  if (node.children.length === 0) {
    return node.text === '' ? `<${node.name}${attrs}/>` : `<${node.name}${attrs}>${escapeXml(node.text)}</${node.name}>`;
  }
  const inner = node.children.map(serializeXml).join('\n');
  return `<${node.name}${attrs}>\n${inner}\n</${node.name}>`;
}

/** First child with that (local) name. */
export function child(node: XNode, name: string): XNode | undefined {
  return node.children.find((c) => c.name === name);
}

/** Text of the first child with that name, trimmed; undefined when absent. */
export function childText(node: XNode, name: string): string | undefined {
  const c = child(node, name);
  return c === undefined ? undefined : c.text.trim();
}

/** True when the child exists (flags such as `<check/>`). */
export function hasChild(node: XNode, name: string): boolean {
  return node.children.some((c) => c.name === name);
}

/**
 * Junos JSON rendering of an element (`| display json`): every element is an array of objects,
 * text becomes `{"data": …}`, an empty element `{"data": [null]}`, attributes go under "attributes".
 */
export function toJunosJson(node: XNode): Record<string, unknown> {
  return { [node.name]: [jsonBody(node)] };
}

function jsonBody(node: XNode): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (Object.keys(node.attrs).length > 0) body['attributes'] = { ...node.attrs };
  if (node.children.length === 0) {
    body['data'] = node.text === '' ? [null] : node.text;
    return body;
  }
  for (const c of node.children) {
    const list = (body[c.name] as unknown[] | undefined) ?? [];
    list.push(jsonBody(c));
    body[c.name] = list;
  }
  return body;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  htmlEntities: false,
});

/** A message that is not well-formed XML. */
export class XmlSyntaxError extends Error {
  constructor(readonly detail: string) {
    super(`malformed XML: ${detail}`);
    this.name = 'XmlSyntaxError';
  }
}

/**
 * Parses one document into its root element. Namespace prefixes are dropped (`nc:rpc` is `rpc`),
 * comments and the XML declaration are skipped.
 */
export function parseXml(text: string): XNode {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlSyntaxError(`${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(text) as unknown[];
  const roots = doc.map(fromOrdered).filter((n): n is XNode => n !== undefined);
  const root = roots[0];
  if (root === undefined) throw new XmlSyntaxError('no root element');
  return root;
}

function fromOrdered(entry: unknown): XNode | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const rec = entry as Record<string, unknown>;
  const name = Object.keys(rec).find((k) => k !== ':@' && k !== '#text');
  if (name === undefined) return undefined;
  const rawAttrs = (rec[':@'] ?? {}) as Record<string, unknown>;
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawAttrs)) attrs[k] = String(v);
  const children: XNode[] = [];
  let text = '';
  for (const c of (rec[name] as unknown[] | undefined) ?? []) {
    const cr = c as Record<string, unknown>;
    if ('#text' in cr) text += String(cr['#text']);
    else {
      const n = fromOrdered(c);
      if (n !== undefined) children.push(n);
    }
  }
  return { name, attrs, children, text };
}
