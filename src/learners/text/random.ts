// A small seeded generator (mulberry32): every random choice of training derives from the seed.

export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = (seed ^ 0x6d2b79f5) >>> 0;
  }
  /** Uniform in [0, 2^32). */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Uniform integer in [0, n). */
  below(n: number): number {
    return this.nextUint32() % n;
  }
  /** Fisher-Yates shuffle of a[0, length) in place. */
  shuffle<T>(a: Int32Array | T[], length = a.length): void {
    for (let i = length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
