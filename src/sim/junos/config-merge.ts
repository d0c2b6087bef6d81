/**
 * `load merge|replace|override|update` semantics, and replaying a private candidate onto a newer
 * running config. Trees are values: a result shares every subtree the load did not touch with
 * `base` and `patch` (path copying), so loading a small change into a 2 MB configuration copies
 * only the levels on its path, and nothing here modifies its inputs.
 */
import { LEAF_LIST } from './config-schema.js';
import { cloneConfig, findChild, nodeKey, putChild, removeChild, type ConfigNode, type LoadMethod } from './config-model.js';
import { configEquals } from './config-diff.js';

function hasTags(node: ConfigNode): boolean {
  return node.tag !== undefined || node.children.some(hasTags);
}

/** The statement without load tags (`delete:` children dropped); the node itself when it has none. */
function stripTags(node: ConfigNode): ConfigNode {
  if (!hasTags(node)) return node;
  const copy = cloneConfig(node);
  const walk = (n: ConfigNode): void => {
    delete n.tag;
    n.children = n.children.filter((c) => c.tag !== 'delete');
    n.children.forEach(walk);
  };
  walk(copy);
  return copy;
}

/**
 * Loads `patch` into `base` as `load <method>` does and returns the new tree:
 * - merge: statements are added or replace leaf values; containers merge.
 * - replace: as merge, but statements tagged `replace:` replace the whole statement.
 * - override / update: the result is exactly the patch.
 * `delete:` tags remove the statement in merge and replace.
 */
export function mergeConfig(base: ConfigNode, patch: ConfigNode, method: LoadMethod): ConfigNode {
  if (method === 'override' || method === 'update') return stripTags(patch);
  return mergeLevel(base, patch, method === 'replace');
}

/** A copy of `target`'s level (children array copied, children shared) with `patch` merged in. */
function mergeLevel(target: ConfigNode, patch: ConfigNode, honourReplace: boolean): ConfigNode {
  const result: ConfigNode = { words: target.words, kind: target.kind, values: target.values, children: [...target.children], inactive: target.inactive };
  for (const p of patch.children) {
    const key = nodeKey(p);
    if (p.tag === 'delete') {
      removeChild(result, key);
      continue;
    }
    const existing = findChild(result, key);
    if (existing === undefined || existing.kind !== p.kind || (p.tag === 'replace' && honourReplace)) {
      putChild(result, stripTags(p));
      continue;
    }
    let merged: ConfigNode;
    if (p.kind === 'leaf') {
      const values = LEAF_LIST.has(p.words[0] as string) ? [...existing.values, ...p.values.filter((v) => !existing.values.includes(v))] : [...p.values];
      merged = { words: existing.words, kind: 'leaf', values, children: existing.children, inactive: existing.inactive };
    } else {
      merged = mergeLevel(existing, p, honourReplace);
    }
    if (p.inactive) merged.inactive = true;
    putChild(result, merged);
  }
  return result;
}

/**
 * Replays the changes between `base` and `mine` onto `current` (a private candidate committed
 * after someone else changed the running configuration).
 */
export function rebaseConfig(base: ConfigNode, mine: ConfigNode, current: ConfigNode): ConfigNode {
  const result = cloneConfig(current);
  rebaseInto(base, mine, result);
  return result;
}

function rebaseInto(base: ConfigNode, mine: ConfigNode, target: ConfigNode): void {
  for (const m of mine.children) {
    const key = nodeKey(m);
    const b = findChild(base, key);
    if (b === undefined) {
      putChild(target, m);
    } else if (!configEquals(b, m)) {
      const t = findChild(target, key);
      if (m.kind === 'container' && b.kind === 'container' && t !== undefined && t.kind === 'container') {
        rebaseInto(b, m, t);
        t.inactive = m.inactive;
      } else {
        putChild(target, m);
      }
    }
  }
  for (const b of base.children) {
    if (findChild(mine, nodeKey(b)) === undefined) removeChild(target, nodeKey(b));
  }
}
