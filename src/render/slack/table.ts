import type { MessageBlock } from './block-types.js';
import { section } from './blocks.js';
import { MESSAGE_BUDGET } from './limits.js';
import type { MessageBudget } from './message-budget.js';
import { clip, escapeCode } from './mrkdwn.js';

export interface TableResult {
  /** Data rows that made it into the message (the caller says where the rest are). */
  readonly shownRows: number;
}

/**
 * A monospace table (code-block sections of at most one section's size) added to `budget` row
 * chunk by row chunk while it fits, keeping `reserve` free. Cells are clipped to `maxCell`.
 */
export function addTable(
  budget: MessageBudget,
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  opts: { readonly maxRows: number; readonly maxCell?: number; readonly reserve?: { readonly blocks?: number; readonly chars?: number } },
): TableResult {
  const maxCell = opts.maxCell ?? 60;
  const cells = rows.slice(0, opts.maxRows).map((r) => r.map((c) => clip(c.replace(/\s+/g, ' '), maxCell)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const head = [line(headers), line(widths.map((w) => '-'.repeat(w)))];

  let shown = 0;
  let chunk: string[] = [...head];
  const room = MESSAGE_BUDGET.sectionChars - 8;
  const flush = (): boolean => {
    const block: MessageBlock = section(`\`\`\`\n${escapeCode(chunk.join('\n'))}\n\`\`\``);
    return budget.tryAdd([block], opts.reserve);
  };
  let pending = 0;
  for (const r of cells) {
    const next = escapeCode([...chunk, line(r)].join('\n'));
    if (next.length > room && pending > 0) {
      if (!flush()) return { shownRows: shown };
      shown += pending;
      chunk = [];
      pending = 0;
    }
    chunk.push(line(r));
    pending += 1;
  }
  if (pending > 0 || shown === 0) {
    if (flush()) shown += pending;
  }
  return { shownRows: shown };
}
