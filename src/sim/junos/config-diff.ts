/** `show | compare`: the difference between two configuration trees in Junos' diff form. */
import { findChild, nodeKey, ordered, type ConfigNode } from './config-model.js';
import { quoteWord, renderLines } from './config-render.js';

/** Same statements, values and activation, in any order: what an empty `show | compare` means, without rendering it. */
export function configEquals(a: ConfigNode, b: ConfigNode): boolean {
  if (a === b) return true; // trees share untouched subtrees (config-merge.ts)
  if (a.kind !== b.kind || a.inactive !== b.inactive || a.children.length !== b.children.length) return false;
  if (a.values.length !== b.values.length || a.values.some((v, i) => v !== b.values[i])) return false;
  for (const cb of b.children) {
    const ca = findChild(a, nodeKey(cb));
    if (ca === undefined || !configEquals(ca, cb)) return false;
  }
  return true;
}

/**
 * Differences from `from` to `to` in Junos `show | compare` form: `[edit …]` headers, then `+`/`-`
 * lines (`!` for activation changes) indented as in the configuration. '' when equal.
 */
export function diffConfig(from: ConfigNode, to: ConfigNode): string {
  const out: string[] = [];
  diffLevel(from, to, [], out);
  return out.length === 0 ? '' : out.join('\n') + '\n';
}

function diffLevel(a: ConfigNode, b: ConfigNode, path: string[], out: string[]): void {
  let headerShown = false;
  const emit = (marker: string, lines: string[]): void => {
    if (!headerShown) {
      out.push(path.length === 0 ? '[edit]' : `[edit ${path.map(quoteWord).join(' ')}]`);
      headerShown = true;
    }
    for (const l of lines) out.push(`${marker}  ${l}`);
  };
  const lines = (n: ConfigNode, asInactive?: boolean): string[] => {
    const copy = asInactive === undefined ? n : { ...n, inactive: asInactive };
    const acc: string[] = [];
    renderLines(copy, 0, acc);
    return acc;
  };
  for (const nb of ordered(b)) {
    const na = findChild(a, nodeKey(nb));
    if (na === undefined) {
      emit('+', lines(nb));
      continue;
    }
    if (na === nb) continue; // a subtree the change did not touch
    if (na.kind !== nb.kind || (nb.kind === 'leaf' && na.values.join('\u0000') !== nb.values.join('\u0000'))) {
      emit('-', lines(na));
      emit('+', lines(nb));
      continue;
    }
    if (na.inactive !== nb.inactive) {
      const head = (nb.inactive ? 'inactive: ' : 'active: ') + nb.words.map(quoteWord).join(' ');
      emit('!', [nb.kind === 'container' && nb.children.length > 0 ? `${head} { ... }` : `${head};`]);
    }
    if (nb.kind === 'container') {
      const before = out.length;
      diffLevel(na, nb, [...path, ...nb.words], out);
      if (out.length > before) headerShown = false;
    }
  }
  for (const na of ordered(a)) {
    if (findChild(b, nodeKey(na)) === undefined) emit('-', lines(na));
  }
}
