/**
 * A Cisco plan diff (IOS-XR's `show commit changes diff` form, which the IOS plan uses too: `+`
 * added, `-` removed, three spaces for context, one space of indent per level) → set-form
 * statements for config_deny rules (Plan.statements): `set <section…> <line>` for each added
 * line that is a setting (a new section: its settings), `delete <section…> <line>` for a removed
 * line (a removed section: its own line only).
 */

interface DiffLine {
  readonly mark: '+' | '-' | ' ';
  readonly depth: number;
  readonly text: string;
}

function parse(diff: string): DiffLine[] {
  const out: DiffLine[] = [];
  for (const raw of diff.split('\n')) {
    const m = /^([+\- ])  ( *)(\S.*)$/.exec(raw);
    if (m === null) continue;
    const text = (m[3] as string).trim();
    if (text === '!' || text === 'end') continue;
    out.push({ mark: m[1] as DiffLine['mark'], depth: (m[2] as string).length, text });
  }
  return out;
}

export function diffStatements(diff: string): string[] {
  const lines = parse(diff);
  const out: string[] = [];
  const path: string[] = [];
  const removedAt: number[] = [];
  lines.forEach((l, i) => {
    path.length = l.depth;
    while (removedAt.length > 0 && (removedAt[removedAt.length - 1] as number) >= l.depth) removedAt.pop();
    const next = lines[i + 1];
    const opens = next !== undefined && next.depth > l.depth;
    if (l.mark === '-' && removedAt.length === 0) {
      out.push(['delete', ...path, l.text].join(' '));
      removedAt.push(l.depth);
    } else if (l.mark === '+' && !opens) {
      out.push(['set', ...path, l.text].join(' '));
    }
    path.push(l.text);
  });
  return out;
}

/** True when the diff changes nothing (no `+` or `-` line). */
export function diffIsEmpty(diff: string): boolean {
  return parse(diff).every((l) => l.mark === ' ');
}
