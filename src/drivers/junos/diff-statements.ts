/**
 * A Junos `show | compare` diff (what the driver's plan returns) as set-form statements, the
 * semantics of `show | compare | display set`: one `set PATH VALUE` per added or changed leaf, one
 * `delete PATH` per removed leaf or removed subtree (its root only). Vendor-neutral policy rules
 * (config_deny) match these, so a change cannot dodge a rule by the format it was written in
 * (curly braces, set commands or XML all load into the same diff).
 *
 *   [edit system]                          set system host-name r1-new
 *   -  host-name r1;                  →    delete system host-name r1
 *   +  host-name r1-new;                   set system login user eve class super-user
 *   +  login { user eve { class super-user; } }
 */
export function diffStatements(diff: string): string[] {
  const out: string[] = [];
  let edit: string[] = [];
  /** Open blocks: their words, and whether the block itself was added or removed as a whole. */
  let stack: { words: string[]; sign: Sign; empty: boolean }[] = [];
  for (const raw of diff.split('\n')) {
    const header = /^\[edit(?:\s+(.*))?\]\s*$/.exec(raw.trim());
    if (header !== null) {
      edit = words(header[1] ?? '');
      stack = [];
      continue;
    }
    const sign: Sign = raw.startsWith('+') ? '+' : raw.startsWith('-') ? '-' : raw.startsWith('!') ? '!' : ' ';
    const body = stripComment((sign === ' ' ? raw : raw.slice(1)).trim()).replace(/^(inactive|protect):\s*/, '');
    if (body === '') continue;
    const path = (): string[] => [...edit, ...stack.flatMap((b) => b.words)];
    const removedAbove = stack.some((b) => b.sign === '-');
    const addedAbove = stack.some((b) => b.sign === '+');
    if (body === '}') {
      const block = stack.pop();
      if (block !== undefined && block.empty && block.sign === '+' && !stack.some((b) => b.sign === '-')) {
        out.push(statement('set', [...path(), ...block.words]));
      }
      continue;
    }
    for (const b of stack) b.empty = false;
    if (body.endsWith('{')) {
      const blockWords = words(body.slice(0, -1));
      if (sign === '-' && !removedAbove) out.push(statement('delete', [...path(), ...blockWords]));
      stack.push({ words: blockWords, sign: sign === ' ' && addedAbove ? '+' : sign === '!' ? '+' : sign, empty: true });
      continue;
    }
    if (removedAbove) continue;
    const leaf = body.endsWith(';') ? body.slice(0, -1) : body;
    const effective = sign === ' ' ? (addedAbove ? '+' : ' ') : sign;
    if (effective === ' ') continue; // context line, unchanged
    for (const expanded of expandList(words(leaf))) {
      out.push(statement(effective === '-' ? 'delete' : 'set', [...path(), ...expanded]));
    }
  }
  return out;
}

type Sign = '+' | '-' | '!' | ' ';

function statement(verb: 'set' | 'delete', path: readonly string[]): string {
  return [verb, ...path.map(quote)].join(' ');
}

/** Junos set form quotes values holding spaces or specials. */
function quote(word: string): string {
  return /^[A-Za-z0-9._:/@*+=,-]+$/.test(word) ? word : `"${word.replace(/"/g, '\\"')}"`;
}

function stripComment(text: string): string {
  return text.replace(/\/\*.*?\*\//g, '').replace(/\s+#.*$/, '').trim();
}

/** `members [ a b ]` → `members a`, `members b` (set form has one statement per list value). */
function expandList(ws: string[]): string[][] {
  const open = ws.indexOf('[');
  if (open < 0) return [ws];
  const close = ws.lastIndexOf(']');
  const head = ws.slice(0, open);
  const items = ws.slice(open + 1, close < 0 ? undefined : close);
  return items.map((item) => [...head, item]);
}

/** Words of a Junos statement: double quotes group (backslash escapes inside), `[` `]` stand alone. */
function words(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '"') {
      let value = '';
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i];
        i++;
      }
      i++;
      out.push(value);
    } else if (ch === '[' || ch === ']') {
      out.push(ch);
      i++;
    } else {
      let value = '';
      while (i < text.length && !/[\s"[\]]/.test(text[i] ?? '')) value += text[i++];
      out.push(value);
    }
  }
  return out;
}
