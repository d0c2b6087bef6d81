import { XMLParser } from 'fast-xml-parser';

/**
 * Parsed XML as fast-xml-parser returns it: elements are keys (namespace prefixes removed),
 * attributes are `@name`, mixed or attributed text is `#text`, a repeated element is an array.
 * The helpers below hide the single-versus-array difference so parsers never guess.
 */
export type XmlNode = { readonly [key: string]: unknown };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  // nc:, junos:, xnm: and default namespaces all read the same (devices with `rfc-compliant` prefix every tag).
  removeNSPrefix: true,
  // Keep diff and command output byte for byte; trim only for display.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  commentPropName: false,
  // Numeric character references (&#60;) as well as the five XML entities.
  htmlEntities: true,
  maxNestedTags: 512,
});

/** Parses a document; a UTF-8 BOM, XML declarations, comments and blank lines before the root are ignored. Throws on malformed XML. */
export function parseXml(text: string): XmlNode {
  const parsed: unknown = parser.parse(stripProlog(text), true);
  if (!isNode(parsed)) throw new Error('not an XML document');
  return parsed;
}

/**
 * Removes what devices put before the root element: a BOM, `<?xml …?>` (not always first:
 * it may follow the previous message's trailing newline) and `<!-- … -->` banners.
 */
export function stripProlog(text: string): string {
  let rest = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (;;) {
    const trimmed = rest.trimStart();
    if (trimmed.startsWith('<?')) {
      const end = trimmed.indexOf('?>');
      if (end < 0) return trimmed;
      rest = trimmed.slice(end + 2);
    } else if (trimmed.startsWith('<!--')) {
      const end = trimmed.indexOf('-->');
      if (end < 0) return trimmed;
      rest = trimmed.slice(end + 3);
    } else {
      return trimmed;
    }
  }
}

export function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every `name` child of `node` (zero, one or many), as an array. */
export function children(node: unknown, name: string): unknown[] {
  if (!isNode(node)) return [];
  const value = node[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The first `name` child, or undefined. */
export function child(node: unknown, name: string): unknown {
  return children(node, name)[0];
}

/** Follows a path of element names, taking the first match at each step. */
export function path(node: unknown, ...names: readonly string[]): unknown {
  let current = node;
  for (const name of names) {
    current = child(current, name);
    if (current === undefined) return undefined;
  }
  return current;
}

/** The text of an element (a leaf string, or `#text` of an element with attributes or children). */
export function text(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (isNode(node)) {
    const value = node['#text'];
    return typeof value === 'string' ? value : isEmptyElement(node) ? '' : undefined;
  }
  return undefined;
}

/** An attribute value; namespace prefixes are removed, so `junos:seconds` is `seconds`. */
export function attr(node: unknown, name: string): string | undefined {
  if (!isNode(node)) return undefined;
  const value = node[`@${name}`];
  return typeof value === 'string' ? value : undefined;
}

/** Names of the child elements (not attributes, not text). */
export function elementNames(node: unknown): string[] {
  if (!isNode(node)) return [];
  return Object.keys(node).filter((key) => !key.startsWith('@') && key !== '#text');
}

/** Depth-first: every element named `name` at any depth below `node`. */
export function findAll(node: unknown, name: string): unknown[] {
  const found: unknown[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!isNode(value)) return;
    for (const key of elementNames(value)) {
      if (key === name) found.push(...children(value, key));
      visit(value[key]);
    }
  };
  visit(node);
  return found;
}

function isEmptyElement(node: XmlNode): boolean {
  return elementNames(node).length === 0;
}
