// Small statistics for benchmark figures.

export interface Distribution {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** Min, median and max of one figure over the rounds: how every result is reported. */
export interface Spread {
  min: number;
  median: number;
  max: number;
}

/** The value below which `fraction` of the sorted values lie (nearest rank). */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(fraction * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export function summarize(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? Number.NaN };
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median =
    sorted.length % 2 === 1 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { min: sorted[0] ?? Number.NaN, median: sorted.length ? median : Number.NaN, max: sorted.at(-1) ?? Number.NaN };
}

/** "min / median / max" with `digits` decimals. */
export function formatSpread(value: Spread, digits = 0): string {
  return [value.min, value.median, value.max].map((n) => n.toFixed(digits)).join(' / ');
}
