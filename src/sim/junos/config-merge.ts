/** `load merge|replace|override|update` semantics, and replaying a private candidate onto a newer running config. */
import { LEAF_LIST } from './config-schema.js';
import { cloneConfig, findChild, nodeKey, putChild, removeChild, type ConfigNode, type LoadMethod } from './config-model.js';
import { configEquals } from './config-diff.js';

function stripTags(node: ConfigNode): ConfigNode {
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
  const result = cloneConfig(base);
  mergeInto(result, patch, method === 'replace');
  return result;
}

function mergeInto(target: ConfigNode, patch: ConfigNode, honourReplace: boolean): void {
  for (const p of patch.children) {
    const key = nodeKey(p);
    if (p.tag === 'delete') {
      removeChild(target, key);
      continue;
    }
    const existing = findChild(target, key);
    if (existing === undefined || existing.kind !== p.kind || (p.tag === 'replace' && honourReplace)) {
      putChild(target, stripTags(p));
      continue;
    }
    if (p.kind === 'leaf') {
      if (LEAF_LIST.has(p.words[0] as string)) {
        for (const v of p.values) if (!existing.values.includes(v)) existing.values.push(v);
      } else {
        existing.values = [...p.values];
      }
    } else {
      mergeInto(existing, p, honourReplace);
    }
    if (p.inactive) existing.inactive = true;
  }
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
      putChild(target, cloneConfig(m));
    } else if (!configEquals(b, m)) {
      const t = findChild(target, key);
      if (m.kind === 'container' && b.kind === 'container' && t !== undefined && t.kind === 'container') {
        rebaseInto(b, m, t);
        t.inactive = m.inactive;
      } else {
        putChild(target, cloneConfig(m));
      }
    }
  }
  for (const b of base.children) {
    if (findChild(mine, nodeKey(b)) === undefined) removeChild(target, nodeKey(b));
  }
}
