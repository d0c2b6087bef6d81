import type { NodeFactsRow } from '../ops/node-facts.js';
import { redactText } from '../redact/index.js';
import { nodeKey } from '../model/node-ref.js';

/** `45s`, `12m`, `3h05m`, `2d4h`: an age or an uptime in the fewest words that still say it. */
export function shortSpan(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86_400)}d${Math.floor((s % 86_400) / 3600)}h`;
}

/** The READ column: when the facts were read, and whether they are stale or the node could not be reached now. */
export function readWhen(row: NodeFactsRow): string {
  if (row.readAt === undefined || row.ageSeconds === undefined) return row.error ? 'never (unreachable)' : 'never';
  const when = row.from === 'device' ? 'now' : `${shortSpan(row.ageSeconds)} ago`;
  const marks = [...(row.stale ? ['stale'] : []), ...(row.error ? ['unreachable'] : [])];
  return marks.length === 0 ? when : `${when} (${marks.join(', ')})`;
}

/** The table's rows: lab, node, model, version, serial, uptime (as read), read. */
export function factsCells(row: NodeFactsRow): string[] {
  const f = row.facts;
  const dash = (v: string | undefined) => (v === undefined || v === '' ? '-' : v);
  return [
    row.node.lab,
    row.node.name,
    dash(f?.model),
    dash(f?.version),
    dash(f?.serial),
    f?.uptimeSeconds === undefined ? '-' : shortSpan(f.uptimeSeconds),
    readWhen(row),
  ];
}

export const FACTS_HEADERS = ['LAB', 'NODE', 'MODEL', 'VERSION', 'SERIAL', 'UPTIME', 'READ'];

/** One line per node whose read failed: the error, and which facts are shown instead. */
export function factsErrorLines(rows: readonly NodeFactsRow[]): string[] {
  return rows
    .filter((r) => r.error !== undefined)
    .map((r) => {
      const shown = r.facts === undefined ? 'no facts were ever read' : `showing the facts read ${shortSpan(r.ageSeconds ?? 0)} ago`;
      return `${nodeKey(r.node)}: ${redactText(r.error!.message)} (${shown})`;
    });
}

/** The line under the table: how many were read now, and what stale means here. */
export function factsSummary(rows: readonly NodeFactsRow[], maxAgeMinutes: number): string {
  const read = rows.filter((r) => r.from === 'device').length;
  const stale = rows.filter((r) => r.stale).length;
  const failed = rows.filter((r) => r.error !== undefined).length;
  const parts = [`${read} of ${rows.length} read now`, `${rows.filter((r) => r.from === 'cache').length} from the stored facts`];
  if (stale > 0) parts.push(`${stale} stale (older than ${maxAgeMinutes} min; --refresh reads them again)`);
  if (failed > 0) parts.push(`${failed} unreachable`);
  return parts.join(', ');
}
