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
  return node.words.join(' ');
}

export function findChild(parent: ConfigNode, key: string): ConfigNode | undefined {
  return parent.children.find((c) => nodeKey(c) === key);
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
  const key = nodeKey(node);
  const i = parent.children.findIndex((c) => nodeKey(c) === key);
  if (i >= 0) parent.children[i] = node;
  else parent.children.push(node);
}

export function removeChild(parent: ConfigNode, key: string): boolean {
  const i = parent.children.findIndex((c) => nodeKey(c) === key);
  if (i < 0) return false;
  parent.children.splice(i, 1);
  return true;
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
