export interface Summary {
  n: number;
  median: number;
  p95: number;
  mean: number;
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    n: sorted.length,
    median: at(0.5),
    p95: at(0.95),
    mean: sorted.reduce((s, x) => s + x, 0) / (sorted.length || 1),
  };
}

export const ms = (x: number) => `${x.toFixed(2)} ms`;

export async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const result = await fn();
  return [performance.now() - start, result];
}
