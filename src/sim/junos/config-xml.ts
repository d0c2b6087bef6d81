/**
 * Junos XML and JSON forms of a configuration tree (`<configuration>` as get-configuration returns
 * it and load-configuration accepts it). Keyed statements map to an element with a `<name>` child,
 * names under `interfaces` to `<interface><name>…`, leaves to text elements, flags to empty elements.
 */
import { LEAF_LIST, MULTI_KEYED, NAMED_CHILDREN, isValueList } from './config-schema.js';
import { ConfigSyntaxError, emptyConfig, nodeKey, type ConfigNode } from './config-tree.js';
import { x, type XNode } from './xml.js';

/** Junos statements whose XML element differs from the keyword. */
const XML_NAMES: ReadonlyMap<string, string> = new Map([['802.3ad', 'ieee-802.3ad']]);
const FROM_XML_NAMES: ReadonlyMap<string, string> = new Map([...XML_NAMES].map(([k, v]) => [v, k]));

/** The element name for a keyword; words that are no XML name are made one (lossy, but well-formed). */
function elementName(word: string): string {
  const mapped = XML_NAMES.get(word);
  if (mapped !== undefined) return mapped;
  return /^[A-Za-z_][\w.-]*$/.test(word) ? word : `_${word.replace(/[^\w.-]/g, '_')}`;
}

/** XML elements for the children of `node` (the children of `<configuration>` for the root). */
export function configToXml(node: ConfigNode): XNode[] {
  const out: XNode[] = [];
  const namedElement = node.words.length > 0 ? namedChildElement(node) : undefined;
  for (const c of node.children) {
    const attrs = c.inactive ? { inactive: 'inactive' } : null;
    if (namedElement !== undefined && c.words.length === 1) {
      if (namedElement === node.words[0] && node.words[0] === 'groups') {
        out.push(x('groups', attrs, x('name', null, c.words[0] as string), configToXml(c)));
      } else {
        out.push(x(namedElement, attrs, x('name', null, c.words[0] as string), configToXml(c)));
      }
      continue;
    }
    if (c.kind === 'container' && c.words.length === 1 && c.children.length > 0 && isValueList(c.words[0] as string, node.words[0])) {
      for (const g of c.children) {
        out.push(x(c.words[0] as string, g.inactive ? { inactive: 'inactive' } : null, x('name', null, g.words.join(' ')), configToXml(g)));
      }
      continue;
    }
    const multi = MULTI_KEYED.get(c.words[0] as string);
    if (multi !== undefined && c.words.length === 4) {
      out.push(
        x(
          multi.xml,
          attrs,
          x(multi.xmlKeys[0] as string, null, c.words[1] as string),
          x(multi.xmlKeys[1] as string, null, c.words[3] as string),
          configToXml(c),
        ),
      );
      continue;
    }
    if (c.kind === 'leaf') {
      if (LEAF_LIST.has(c.words[0] as string) || c.values.length > 1) {
        for (const v of c.values) out.push(x(elementName(c.words[0] as string), attrs, v));
      } else {
        out.push(x(elementName(c.words[0] as string), attrs, c.values.join(' ')));
      }
      continue;
    }
    if (c.words.length === 2) {
      out.push(x(elementName(c.words[0] as string), attrs, x('name', null, c.words[1] as string), configToXml(c)));
    } else {
      out.push(x(elementName(c.words.join('-')), attrs, configToXml(c)));
    }
  }
  return out;
}

function namedChildElement(node: ConfigNode): string | undefined {
  const head = node.words[0] as string;
  const el = NAMED_CHILDREN.get(head);
  if (el === undefined) return undefined;
  return node.words.length === 1 || head === 'prefix-list' ? el : undefined;
}

/**
 * A configuration tree from `<configuration>` (the element itself). `replace="replace"`,
 * `delete="delete"`, `inactive="inactive"` and NETCONF `operation=` become load tags.
 */
export function configFromXml(configuration: XNode): ConfigNode {
  const root = emptyConfig();
  // Junos accepts `<groups><name>g</name>…</groups>` repeated at the top.
  fillFromXml(root, configuration.children);
  return root;
}

function tagOf(el: XNode): ConfigNode['tag'] {
  const op = el.attrs['operation'];
  if (el.attrs['delete'] === 'delete' || op === 'delete' || op === 'remove') return 'delete';
  if (el.attrs['replace'] === 'replace' || op === 'replace') return 'replace';
  return undefined;
}

function fillFromXml(parent: ConfigNode, elements: readonly XNode[]): void {
  const namedEl = parent.words.length > 0 ? namedChildElement(parent) : undefined;
  for (const el of elements) {
    const name = FROM_XML_NAMES.get(el.name) ?? el.name;
    const tag = tagOf(el);
    const inactive = el.attrs['inactive'] === 'inactive';
    const nameEl = el.children.find((c) => c.name === 'name');
    const rest = el.children.filter((c) => c !== nameEl);
    let node: ConfigNode;
    if (parent.words.length === 0 && el.name === 'groups' && nameEl !== undefined) {
      let groups = parent.children.find((c) => nodeKey(c) === 'groups');
      if (groups === undefined) {
        groups = { words: ['groups'], kind: 'container', values: [], children: [], inactive: false };
        parent.children.push(groups);
      }
      node = { words: [nameEl.text.trim()], kind: 'container', values: [], children: [], inactive };
      fillFromXml(node, rest);
      groups.children.push(node);
      if (tag !== undefined) node.tag = tag;
      continue;
    }
    if (nameEl !== undefined && isValueList(el.name, parent.words[0])) {
      let list = parent.children.find((c) => c.kind === 'container' && nodeKey(c) === el.name);
      if (list === undefined) {
        list = { words: [el.name], kind: 'container', values: [], children: [], inactive: false };
        parent.children.push(list);
      }
      node = { words: [nameEl.text.trim()], kind: 'container', values: [], children: [], inactive };
      fillFromXml(node, rest);
      if (tag !== undefined) node.tag = tag;
      list.children.push(node);
      continue;
    }
    if (namedEl !== undefined && el.name === namedEl && nameEl !== undefined) {
      node = { words: [nameEl.text.trim()], kind: 'container', values: [], children: [], inactive };
      fillFromXml(node, rest);
    } else if ([...MULTI_KEYED.values()].some((m) => m.xml === el.name && el.children.some((c) => c.name === m.xmlKeys[0]))) {
      const m = [...MULTI_KEYED.values()].find((mk) => mk.xml === el.name) as { words: readonly string[]; xmlKeys: readonly string[] };
      const k1 = el.children.find((c) => c.name === m.xmlKeys[0])?.text.trim() ?? '';
      const k2 = el.children.find((c) => c.name === m.xmlKeys[1])?.text.trim() ?? '';
      node = { words: [m.words[0] as string, k1, m.words[1] as string, k2], kind: 'container', values: [], children: [], inactive };
      fillFromXml(node, el.children.filter((c) => !m.xmlKeys.includes(c.name)));
    } else if (nameEl !== undefined) {
      node = { words: [name, nameEl.text.trim()], kind: 'container', values: [], children: [], inactive };
      fillFromXml(node, rest);
    } else if (el.children.length > 0) {
      node = { words: [name], kind: 'container', values: [], children: [], inactive };
      fillFromXml(node, el.children);
    } else if (el.text.trim() !== '') {
      const existing = parent.children.find((c) => c.kind === 'leaf' && nodeKey(c) === name);
      if (existing !== undefined) {
        existing.values.push(el.text.trim());
        continue;
      }
      node = { words: [name], kind: 'leaf', values: [el.text.trim()], children: [], inactive };
    } else {
      node = { words: [name], kind: 'container', values: [], children: [], inactive };
    }
    if (tag !== undefined) node.tag = tag;
    parent.children.push(node);
  }
}

/** Junos JSON (`format="json"`) of a tree: `{"configuration": {…}}`. */
export function configToJson(tree: ConfigNode, attributes: Record<string, string> = {}): Record<string, unknown> {
  const body = jsonObject(configToXml(tree));
  if (Object.keys(attributes).length > 0) body['@'] = attributes;
  return { configuration: body };
}

function jsonObject(elements: readonly XNode[]): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  for (const el of elements) {
    const inactive = el.attrs['inactive'] === 'inactive';
    let value = jsonValue(el);
    // Junos JSON metadata: `"@": {"inactive": true}` inside an object, `"@name": {…}` beside a leaf.
    if (inactive && typeof value === 'object' && value !== null && !Array.isArray(value)) value = { '@': { inactive: true }, ...value };
    else if (inactive) obj[`@${el.name}`] = { inactive: true };
    const isList = el.children.some((c) => c.name === 'name') || elements.filter((e) => e.name === el.name).length > 1;
    if (isList) {
      const list = (obj[el.name] as unknown[] | undefined) ?? [];
      list.push(value);
      obj[el.name] = list;
    } else {
      obj[el.name] = value;
    }
  }
  return obj;
}

function jsonValue(el: XNode): unknown {
  if (el.children.length > 0) return jsonObject(el.children);
  if (el.text === '') return [null];
  return el.text;
}

/** A configuration tree from Junos JSON (`{"configuration": {…}}` or the inner object). */
export function configFromJson(text: string): ConfigNode {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigSyntaxError([{ severity: 'error', message: `JSON parse error: ${(err as Error).message}` }]);
  }
  const obj = (parsed as Record<string, unknown>)['configuration'] ?? parsed;
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new ConfigSyntaxError([{ severity: 'error', message: 'JSON configuration must be an object' }]);
  }
  return configFromXml(x('configuration', null, jsonToElements(obj as Record<string, unknown>)));
}

function jsonToElements(obj: Record<string, unknown>): XNode[] {
  const out: XNode[] = [];
  const inactiveAttr = (meta: unknown): Record<string, string> | null =>
    typeof meta === 'object' && meta !== null && (meta as Record<string, unknown>)['inactive'] === true ? { inactive: 'inactive' } : null;
  for (const [k, v] of Object.entries(obj)) {
    if (k.startsWith('@')) continue;
    const leafAttrs = inactiveAttr(obj[`@${k}`]);
    const items = Array.isArray(v) && !(v.length === 1 && v[0] === null) ? v : [v];
    for (const item of items) {
      if (item === null || (Array.isArray(item) && item.length === 1 && item[0] === null)) out.push(x(k, leafAttrs));
      else if (typeof item === 'object') {
        const o = item as Record<string, unknown>;
        out.push(x(k, inactiveAttr(o['@']), jsonToElements(o)));
      } else out.push(x(k, leafAttrs, String(item)));
    }
  }
  return out;
}
