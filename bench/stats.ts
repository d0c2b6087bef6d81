/** Small statistics for the benchmarks. */

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100) of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Least-squares slope of y over x. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const mx = mean(xs);
  const my = mean(ys);
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i]! - my);
    den += (x - mx) ** 2;
  });
  return den === 0 ? 0 : num / den;
}

/** Mean of each phase over the nodes that report it (PyEZ per-node timings). */
export function phaseMeans(rows: readonly { readonly phases?: Record<string, number> }[]): Record<string, number> {
  const sums = new Map<string, number[]>();
  for (const row of rows) for (const [k, v] of Object.entries(row.phases ?? {})) sums.set(k, [...(sums.get(k) ?? []), v]);
  return Object.fromEntries([...sums].map(([k, v]) => [k, mean(v)]));
}

export const mb = (bytes: number): number => bytes / (1024 * 1024);
