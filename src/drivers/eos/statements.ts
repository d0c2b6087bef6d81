/**
 * An EOS plan as set-form statements (Plan.statements), for the policy's config_deny rules: the
 * running and the session configuration compared line by line within their sections, as
 * `set <section…> <line>` for a line the change adds and `delete <section…> <line>` for one it
 * removes (a removed section: its own line only). A changed value shows as both, the removed and
 * the added line, so a rule naming either matches.
 */

interface Node {
  readonly words: string[];
  readonly children: Node[];
}

/** Indentation-structured EOS configuration text (`!` lines, `end` and blank lines ignored). */
function parse(text: string): Node[] {
  const root: Node = { words: [], children: [] };
  const stack: { indent: number; node: Node }[] = [{ indent: -1, node: root }];
  for (const raw of text.split(/\r?\n/)) {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('!') || trimmed === 'end') continue;
    const indent = raw.length - raw.trimStart().length;
    while ((stack[stack.length - 1]?.indent ?? -1) >= indent) stack.pop();
    const node: Node = { words: trimmed.split(/\s+/), children: [] };
    (stack[stack.length - 1]?.node ?? root).children.push(node);
    stack.push({ indent, node });
  }
  return root.children;
}

function compare(before: readonly Node[], after: readonly Node[], path: readonly string[], out: string[]): void {
  const key = (n: Node): string => n.words.join(' ');
  const old = new Map(before.map((n) => [key(n), n]));
  const now = new Map(after.map((n) => [key(n), n]));
  for (const [k, n] of old) {
    if (!now.has(k)) out.push(['delete', ...path, ...n.words].join(' '));
  }
  for (const [k, n] of now) {
    const was = old.get(k);
    if (was === undefined) {
      if (n.children.length === 0) out.push(['set', ...path, ...n.words].join(' '));
      else compare([], n.children, [...path, ...n.words], out);
    } else {
      compare(was.children, n.children, [...path, ...n.words], out);
    }
  }
}

export function eosStatements(running: string, session: string): string[] {
  const out: string[] = [];
  compare(parse(running), parse(session), [], out);
  return out;
}
