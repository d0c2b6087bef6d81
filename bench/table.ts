/** Plain-text tables and number formats for the benchmark report. */

/** Right-aligns every column but the first; the header row is underlined. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** 0.95 s / 87 ms. */
export function dur(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return 'n/a';
  if (!Number.isFinite(ms)) return 'never';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

export function ratio(slow: number | undefined, fast: number): string {
  return slow === undefined ? 'n/a' : `${(slow / fast).toFixed(1)}×`;
}

export function num(value: number, digits = 1): string {
  return value.toFixed(digits);
}
