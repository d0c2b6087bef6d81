/** Configuration trees printed as Junos prints them: curly-brace text and `| display set`. */
import { ordered, type ConfigNode } from './config-model.js';

const PLAIN_WORD = /^[A-Za-z0-9._\-/:*@,+=^~%!?][A-Za-z0-9._\-/:*@,+=^~%!?[\]]*$/;

/** Quotes a word when Junos would: spaces, specials, or empty. */
export function quoteWord(w: string): string {
  if (PLAIN_WORD.test(w)) return w;
  return `"${w.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function header(node: ConfigNode): string {
  return (node.inactive ? 'inactive: ' : '') + node.words.map(quoteWord).join(' ');
}

/** Leaves Junos marks `## SECRET-DATA` when it prints them. */
const SECRET_LEAVES = new Set(['encrypted-password', 'authentication-key', 'secret', 'pre-shared-key', 'simple-password']);

/** The statement's lines at indentation 0 (children indented by 4 per level). */
export function renderLines(node: ConfigNode, indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  if (node.kind === 'leaf') {
    const vals = node.values.map(quoteWord);
    const body = vals.length > 1 ? `[ ${vals.join(' ')} ]` : (vals[0] ?? '');
    const secret = SECRET_LEAVES.has(node.words[0] as string) ? ' ## SECRET-DATA' : '';
    out.push(`${pad}${header(node)}${body === '' ? '' : ' ' + body};${secret}`);
    return;
  }
  if (node.children.length === 0) {
    out.push(`${pad}${header(node)};`);
    return;
  }
  out.push(`${pad}${header(node)} {`);
  for (const c of ordered(node)) renderLines(c, indent + 4, out);
  out.push(`${pad}}`);
}

/** Curly-brace text of a tree (its children; the root itself has no header). Ends with a newline, or '' when empty. */
export function renderConfigText(tree: ConfigNode): string {
  const out: string[] = [];
  for (const c of ordered(tree)) renderLines(c, 0, out);
  return out.length === 0 ? '' : out.join('\n') + '\n';
}

/** `| display set` form: one `set` per leaf or empty container, then `deactivate` lines. */
export function renderSetCommands(tree: ConfigNode, prefix: readonly string[] = []): string {
  const sets: string[] = [];
  const deactivates: string[] = [];
  const walk = (node: ConfigNode, path: string[]): void => {
    for (const c of ordered(node)) {
      const p = [...path, ...c.words.map(quoteWord)];
      if (c.kind === 'leaf') {
        for (const v of c.values) sets.push(`set ${[...p, quoteWord(v)].join(' ')}`);
      } else if (c.children.length === 0) {
        sets.push(`set ${p.join(' ')}`);
      } else {
        walk(c, p);
      }
      if (c.inactive) deactivates.push(`deactivate ${p.join(' ')}`);
    }
  };
  walk(tree, prefix.map(quoteWord));
  const lines = [...sets, ...deactivates];
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}
