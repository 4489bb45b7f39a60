/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) so that a seed always yields the same shop.
 * Math.random is never used: the demo data must be byte-identical for a given seed.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const splitmix = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix();
    this.b = splitmix();
    this.c = splitmix();
    this.d = splitmix();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks from `[item, weight]` pairs; weights need not sum to one. */
  weighted<T>(table: WeightedTable<T>): T {
    let r = this.next() * table.total;
    for (const [item, weight] of table.entries) {
      r -= weight;
      if (r < 0) return item;
    }
    return table.entries[table.entries.length - 1]![0];
  }

  /** `n` digits as a string, leading zeros allowed. */
  digits(n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += String.fromCharCode(48 + Math.floor(this.next() * 10));
    return out;
  }

  /** `n` characters from `alphabet`. */
  chars(n: number, alphabet: string): string {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }
}

export interface WeightedTable<T> {
  entries: ReadonlyArray<readonly [T, number]>;
  total: number;
}

export function weights<T>(entries: ReadonlyArray<readonly [T, number]>): WeightedTable<T> {
  return { entries, total: entries.reduce((sum, [, w]) => sum + w, 0) };
}
