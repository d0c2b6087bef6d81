/**
 * Where words go in the hierarchy: splitting a statement's words into levels by the schema
 * (`unit 0`, `area 0.0.0.0`, leaf `host-name r1`), Junos' spelling normalisation, and finding,
 * creating and deleting statements by their word path.
 */
import {
  CONTAINERS,
  KEYED,
  KEYED_EXCEPT,
  KEYED_ONLY_UNDER,
  LEAF_LIST,
  MULTI_KEYED,
  NAMED_CHILDREN,
  NAMED_EXCEPT,
  UNIT_DEFAULT_CONTEXTS,
  VALUE_LISTS,
  isValueList,
} from './config-schema.js';
import { container, findChild, leaf, nodeKey, putChild, removeChild, type ConfigNode } from './config-model.js';

export type Step = { kind: 'container'; words: string[] } | { kind: 'leaf'; words: string[]; values: string[] };

function isKeyed(word: string, next: string | undefined, parentHead: string | undefined): boolean {
  if (!KEYED.has(word) || next === undefined) return false;
  if (KEYED_EXCEPT.get(word)?.has(next)) return false;
  const only = KEYED_ONLY_UNDER.get(word);
  return only === undefined || (parentHead !== undefined && only.has(parentHead));
}

function isNamedPosition(parent: readonly string[]): boolean {
  const head = parent[0];
  if (head === undefined) return false;
  if (VALUE_LISTS.get(head) === 'any') return parent.length === 1;
  if (!NAMED_CHILDREN.has(head)) return false;
  return parent.length === 1 || KEYED.has(head);
}

/**
 * The next hierarchy step of a statement starting at words[i]. `block`: the statement ends in a
 * block (text `{ … }`, or a path for `edit`/`show`), so nothing in it is a leaf.
 */
export function nextStep(words: readonly string[], i: number, parent: readonly string[], block: boolean): { step: Step; used: number } {
  const w = words[i] as string;
  const next = words[i + 1];
  const rest = words.length - i;
  if (isNamedPosition(parent) && !NAMED_EXCEPT.has(w)) return { step: { kind: 'container', words: [w] }, used: 1 };
  if (isValueList(w, parent[0])) return { step: { kind: 'container', words: [w] }, used: 1 };
  const multi = MULTI_KEYED.get(w);
  if (multi !== undefined && rest >= 4 && words[i + 2] === multi.words[1]) {
    return { step: { kind: 'container', words: words.slice(i, i + 4) }, used: 4 };
  }
  if (isKeyed(w, next, parent[0])) return { step: { kind: 'container', words: [w, next as string] }, used: 2 };
  if (rest === 1) return { step: { kind: 'container', words: [w] }, used: 1 };
  if (rest === 2 && !block) {
    if (CONTAINERS.has(w)) return { step: { kind: 'container', words: [w] }, used: 1 };
    return { step: { kind: 'leaf', words: [w], values: [next as string] }, used: 2 };
  }
  if (LEAF_LIST.has(w) || (block && rest === 2)) {
    return { step: { kind: 'container', words: [w, next as string] }, used: 2 };
  }
  return { step: { kind: 'container', words: [w] }, used: 1 };
}

/** Junos spellings: `area 0` is `area 0.0.0.0`; `interface ge-0/0/0` under OSPF is unit 0. */
export function normalizeWords(words: readonly string[], context: readonly string[]): string[] {
  const out: string[] = [];
  const seen = [...context];
  for (const w of words) {
    const prev = out.length > 0 ? out[out.length - 1] : context[context.length - 1];
    let v = w;
    if (prev === 'area' && /^\d+$/.test(w)) {
      const n = Number(w);
      v = [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
    } else if (
      prev === 'interface' &&
      seen.some((s) => UNIT_DEFAULT_CONTEXTS.has(s)) &&
      !w.includes('.') &&
      w !== 'all' &&
      /^[a-z]+[-\w/:]*$/.test(w)
    ) {
      v = `${w}.0`;
    }
    out.push(v);
    seen.push(v);
  }
  return out;
}

/** Creates (or reuses) the child for one step; a leaf step replaces the value. Returns the child. */
export function applyStep(node: ConfigNode, step: Step): ConfigNode {
  const key = step.words.join(' ');
  const existing = findChild(node, key);
  if (step.kind === 'leaf') {
    if (existing !== undefined && existing.kind === 'leaf' && LEAF_LIST.has(step.words[0] as string)) {
      for (const v of step.values) if (!existing.values.includes(v)) existing.values.push(v);
      return existing;
    }
    const l = leaf(step.words, [...step.values]);
    if (existing !== undefined) l.inactive = existing.inactive;
    putChild(node, l);
    return l;
  }
  if (existing !== undefined && existing.kind === 'container') return existing;
  const c = container(step.words);
  if (step.words.length === 1 && CONTAINERS.has(step.words[0] as string) && existing?.kind === 'leaf') {
    for (const v of existing.values) c.children.push(container([v]));
  }
  putChild(node, c);
  return c;
}

/** Creates the statement named by the full word path (a `set` command without the verb). */
export function setPath(tree: ConfigNode, words: readonly string[]): void {
  let node = tree;
  let i = 0;
  while (i < words.length) {
    const existing = matchExisting(node, words, i);
    if (existing !== undefined && existing.node.kind === 'container' && i + existing.used < words.length) {
      node = existing.node;
      i += existing.used;
      continue;
    }
    const { step, used } = nextStep(words, i, node.words, false);
    i += used;
    node = applyStep(node, step);
  }
}

/** The longest existing child whose words equal words[i…]. */
function matchExisting(node: ConfigNode, words: readonly string[], i: number): { node: ConfigNode; used: number } | undefined {
  for (let k = Math.min(4, words.length - i); k >= 1; k--) {
    const c = findChild(node, words.slice(i, i + k).join(' '));
    if (c !== undefined) return { node: c, used: k };
  }
  return undefined;
}

interface Located {
  readonly parent: ConfigNode;
  readonly node: ConfigNode;
  /** Words after a leaf's keyword (`delete … export p1` names one value). */
  readonly values: string[];
  /** Every node from the root down to `parent`. */
  readonly ancestors: readonly ConfigNode[];
}

/** Finds an existing statement by its full word path; undefined when absent. */
export function locate(tree: ConfigNode, words: readonly string[]): Located | undefined {
  let node = tree;
  const ancestors: ConfigNode[] = [tree];
  let i = 0;
  while (i < words.length) {
    const m = matchExisting(node, words, i);
    if (m === undefined) return undefined;
    if (i + m.used === words.length) return { parent: node, node: m.node, values: [], ancestors };
    if (m.node.kind === 'leaf') {
      const values = words.slice(i + m.used);
      return values.every((v) => m.node.values.includes(v)) ? { parent: node, node: m.node, values, ancestors } : undefined;
    }
    node = m.node;
    ancestors.push(node);
    i += m.used;
  }
  return undefined;
}

/** Deletes a located statement; plain containers left empty by it go too (`delete routing-options static`). */
export function deleteLocated(found: Located): void {
  if (found.values.length > 0 && found.node.kind === 'leaf' && found.node.values.length > 1) {
    found.node.values = found.node.values.filter((v) => !found.values.includes(v));
    if (found.node.values.length > 0) return;
  }
  removeChild(found.parent, nodeKey(found.node));
  for (let k = found.ancestors.length - 1; k >= 1; k--) {
    const n = found.ancestors[k] as ConfigNode;
    if (n.children.length > 0 || n.words.length !== 1 || n.inactive) break;
    removeChild(found.ancestors[k - 1] as ConfigNode, nodeKey(n));
  }
}

/** Splits a path into its hierarchy levels (each level's words), following existing statements first. */
export function levelsOf(tree: ConfigNode, words: readonly string[]): string[][] {
  const levels: string[][] = [];
  let node = tree;
  let i = 0;
  while (i < words.length) {
    const m = matchExisting(node, words, i);
    if (m !== undefined && m.node.kind === 'container') {
      levels.push(m.node.words);
      node = m.node;
      i += m.used;
      continue;
    }
    const { step, used } = nextStep(words, i, node.words, true);
    levels.push(step.words);
    node = container(step.words);
    i += used;
  }
  return levels;
}

/** `edit PATH`: creates the missing containers and returns the path in its normalised form. */
export function createPath(tree: ConfigNode, words: readonly string[]): string[] {
  let node = tree;
  for (const level of levelsOf(tree, words)) node = applyStep(node, { kind: 'container', words: level });
  return levelsOf(tree, words).flat();
}

/**
 * The node at a hierarchy path (`show configuration protocols ospf`, filters). Words are matched
 * against existing statements; undefined when absent.
 */
export function findPath(tree: ConfigNode, words: readonly string[]): ConfigNode | undefined {
  if (words.length === 0) return tree;
  return locate(tree, normalizeWords(words, []))?.node;
}

/** Splits a path into its hierarchy levels, e.g. for `[edit …]` (levels that do not exist follow the schema). */
export function pathLevels(tree: ConfigNode, words: readonly string[]): string[][] {
  return levelsOf(tree, normalizeWords(words, []));
}
