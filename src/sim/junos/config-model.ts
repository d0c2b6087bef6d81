/**
 * The Junos configuration tree: one node per statement, with the helpers every other config module
 * shares (lookup by key, clone, insert/remove keeping display order). Pure data, no parsing.
 */
import { ClabBotError } from '../../errors.js';
import { TOP_LEVEL_ORDER } from './config-schema.js';

export interface ConfigNode {
  /** The words naming this statement in its parent: ['system'], ['unit', '0'], ['host-name']. */
  words: string[];
  /** 'container' holds children (none: a flag such as `ssh;`); 'leaf' holds values (`host-name r1;`). */
  kind: 'container' | 'leaf';
  values: string[];
  children: ConfigNode[];
  inactive: boolean;
  /** Load-time tag (`replace:` / `delete:`, or the XML attributes); never present in a stored tree. */
  tag?: 'replace' | 'delete';
}

/** One problem found while loading, shaped like a Junos rpc-error. */
export interface ConfigIssue {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly badElement?: string;
  /** Hierarchy words for `[edit …]`. */
  readonly path?: readonly string[];
  readonly line?: number;
}

/** The configuration text or commands were rejected; `issues` are the device-style errors. */
export class ConfigSyntaxError extends ClabBotError {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super('sim_config_syntax', `configuration rejected: ${issues.map((i) => i.message + (i.badElement ? ` (${i.badElement})` : '')).join('; ')}`);
  }
}

export type LoadMethod = 'merge' | 'replace' | 'override' | 'update';

// ---------------------------------------------------------------------------------------------
// nodes

export function emptyConfig(): ConfigNode {
  return { words: [], kind: 'container', values: [], children: [], inactive: false };
}

export function container(words: string[]): ConfigNode {
  return { words, kind: 'container', values: [], children: [], inactive: false };
}

export function leaf(words: string[], values: string[]): ConfigNode {
  return { words, kind: 'leaf', values, children: [], inactive: false };
}

export function nodeKey(node: ConfigNode): string {
  return node.words.length === 1 ? (node.words[0] as string) : node.words.join(' ');
}

/**
 * Key → position of each children array with many entries, so a lookup is O(1) and loading a
 * configuration with thousands of siblings (interfaces, terms) stays linear. Appends (`push`) are
 * picked up by length; every other in-place change of a children array goes through putChild,
 * removeChild or replaceChildAt, which keep the index right. Arrays built anew need nothing.
 */
interface ChildIndex {
  readonly positions: Map<string, number>;
  covered: number;
}
const INDEX_FROM = 16;
const indexes = new WeakMap<readonly ConfigNode[], ChildIndex>();

function positionOf(children: readonly ConfigNode[], key: string): number {
  if (children.length < INDEX_FROM) return children.findIndex((c) => nodeKey(c) === key);
  let idx = indexes.get(children);
  if (idx === undefined || idx.covered > children.length) {
    idx = { positions: new Map(), covered: 0 };
    indexes.set(children, idx);
  }
  for (; idx.covered < children.length; idx.covered++) {
    const k = nodeKey(children[idx.covered] as ConfigNode);
    if (!idx.positions.has(k)) idx.positions.set(k, idx.covered);
  }
  const pos = idx.positions.get(key);
  if (pos === undefined) return -1;
  if (nodeKey(children[pos] as ConfigNode) === key) return pos;
  // Changed behind the index's back: answer by scanning, rebuild on the next lookup.
  indexes.delete(children);
  return children.findIndex((c) => nodeKey(c) === key);
}

export function findChild(parent: ConfigNode, key: string): ConfigNode | undefined {
  const i = positionOf(parent.children, key);
  return i < 0 ? undefined : parent.children[i];
}

export function cloneConfig(node: ConfigNode): ConfigNode {
  const copy: ConfigNode = {
    words: [...node.words],
    kind: node.kind,
    values: [...node.values],
    children: node.children.map(cloneConfig),
    inactive: node.inactive,
  };
  if (node.tag !== undefined) copy.tag = node.tag;
  return copy;
}

/** Inserts or replaces a child; top-level hierarchies keep Junos display order. */
export function putChild(parent: ConfigNode, node: ConfigNode): void {
  const i = positionOf(parent.children, nodeKey(node));
  if (i >= 0) parent.children[i] = node; // same key: the index stays right
  else parent.children.push(node);
}

export function removeChild(parent: ConfigNode, key: string): boolean {
  const i = positionOf(parent.children, key);
  if (i < 0) return false;
  parent.children.splice(i, 1);
  indexes.delete(parent.children);
  return true;
}

/** Replaces the child at position i (its key may change). */
export function replaceChildAt(parent: ConfigNode, i: number, node: ConfigNode): void {
  parent.children[i] = node;
  indexes.delete(parent.children);
}

/** Children in display order: the root follows TOP_LEVEL_ORDER, every other level keeps insertion order. */
export function ordered(node: ConfigNode): ConfigNode[] {
  if (node.words.length > 0) return node.children;
  const rank = (n: ConfigNode): number => {
    const i = TOP_LEVEL_ORDER.indexOf(n.words[0] ?? '');
    return i < 0 ? TOP_LEVEL_ORDER.length : i;
  };
  return [...node.children].sort((a, b) => rank(a) - rank(b));
}
