// Tests of histogram building against the obvious per-row sums, and conservation laws.
import { describe, expect, it } from 'vitest';
import { binCount, buildHistogram, buildRootHistogram, countUnit, gatherGradients, HIST_STRIDE, packColumns, histogramLayout, rootOrder, subtractHistogram } from './histogram.js';
import { Rng } from './random.js';

/** The obvious version: one pass per row and feature, no gathering, no second copy. */
function slowHistogram(columns: Uint8Array[], nBins: Int32Array, grad: Float64Array, hess: Float64Array, rows: number[]): number[][][] {
  return columns.map((col, f) => {
    const h = Array.from({ length: nBins[f] + 1 }, () => [0, 0, 0]);
    for (const r of rows) {
      h[col[r]][0] += grad[r];
      h[col[r]][1] += hess[r];
      h[col[r]][2] += 1;
    }
    return h;
  });
}

function randomSetup(n: number, seed: number) {
  const rng = new Rng(seed);
  // Fifteen features: three packed groups of four (a pass of two groups, a pass of one), three single ones.
  const nBins = Int32Array.of(3, 255, 17, 1, 40, 9, 2, 120, 16, 5, 255, 33, 7, 64, 11);
  const columns = Array.from(nBins, (nb) => Uint8Array.from({ length: n }, () => rng.nextInt(nb + 1)));
  const grad = Float64Array.from({ length: n }, () => rng.nextFloat() - 0.5);
  const hess = Float64Array.from({ length: n }, () => rng.nextFloat());
  const unit = countUnit(hess.reduce((a, b) => a + b, 0), n);
  return { rng, nBins, columns, cols: packColumns(columns, n), grad, hess, unit, layout: histogramLayout(nBins), features: Int32Array.from(nBins, (_, f) => f) };
}

/**
 * A bin's [gradient sum, hessian sum, row count], decoded from its two slots. The hessian sum
 * shares its slot with count * unit, so it is compared to HESSIAN_DIGITS decimals below.
 */
const HESSIAN_DIGITS = 6;

function decoded(hist: Float64Array, j: number, unit: number): [number, number, number] {
  const c = binCount(hist[j + 1], unit);
  return [hist[j], hist[j + 1] - c * unit, c];
}

function fastHistogram(s: ReturnType<typeof randomSetup>, indices: Uint32Array | null, start: number, end: number, features = s.features): Float64Array {
  const gh = new Float64Array(2 * end);
  gatherGradients(s.grad, s.hess, indices, start, end, gh, s.unit);
  const hist = new Float64Array(HIST_STRIDE * s.layout.totalBins).fill(99);
  buildHistogram(s.cols, s.layout, features, gh, indices, start, end, hist);
  return hist;
}

function expectSame(s: ReturnType<typeof randomSetup>, hist: Float64Array, slow: number[][][], features = s.features): void {
  for (const f of features) {
    for (let b = 0; b <= s.nBins[f]; b++) {
      const [g, h, c] = decoded(hist, HIST_STRIDE * (s.layout.offsets[f] + b), s.unit);
      expect(g).toBeCloseTo(slow[f][b][0], 9);
      expect(h).toBeCloseTo(slow[f][b][1], HESSIAN_DIGITS);
      expect(c).toBe(slow[f][b][2]);
    }
  }
}

describe('histogram building', () => {
  for (const n of [1, 7, 2048, 5001]) {
    it(`matches the obvious per-row sums on all ${n} rows and on a subset of them`, () => {
      const s = randomSetup(n, n);
      expectSame(s, fastHistogram(s, null, 0, n), slowHistogram(s.columns, s.nBins, s.grad, s.hess, Array.from({ length: n }, (_, i) => i)));
      const subset = Array.from({ length: n }, (_, i) => i).filter(() => s.rng.nextFloat() < 0.6);
      const indices = Uint32Array.from([5, 5, 5, ...subset, 9]);
      expectSame(s, fastHistogram(s, indices, 3, 3 + subset.length), slowHistogram(s.columns, s.nBins, s.grad, s.hess, subset));
    });
  }

  it('sums a feature subset (whole packed groups and byte columns in fours and ones) like the obvious per-row sums', () => {
    const n = 3001;
    const s = randomSetup(n, 11);
    // 0-3 is a whole group; 5-8 and 9, 12, 14 go through the byte columns.
    const features = Int32Array.of(0, 1, 2, 3, 5, 6, 7, 8, 9, 12, 14);
    const rows = Array.from({ length: n }, (_, i) => i);
    const indices = Uint32Array.from(rows.filter((r) => r % 3 !== 1));
    for (const [idx, list] of [[null, rows], [indices, Array.from(indices)]] as const) {
      const hist = fastHistogram(s, idx, 0, list.length, features);
      expectSame(s, hist, slowHistogram(s.columns, s.nBins, s.grad, s.hess, list), features);
      // Features outside the list are not touched.
      expect(hist[HIST_STRIDE * s.layout.offsets[4]]).toBe(99);
    }
  });

  it('sums the sparse nodes of a set beyond the cache (bytes, or words gathered a block at a time) like the obvious per-row sums', () => {
    const n = 60_000;
    const s = randomSetup(n, 12);
    const rows = Array.from({ length: n }, (_, i) => i);
    // 300 rows (0.5%, words gathered) and 2,400 rows (4%, byte columns), in increasing order.
    for (const step of [200, 25]) {
      const subset = rows.filter((r) => r % step === 7);
      const indices = Uint32Array.from(subset);
      expectSame(s, fastHistogram(s, indices, 0, subset.length), slowHistogram(s.columns, s.nBins, s.grad, s.hess, subset));
    }
  });

  for (const n of [1, 6, 4099]) {
    it(`sums the all-rows root from the grouped order like the obvious per-row sums (${n} rows)`, () => {
      const s = randomSetup(n, 100 + n);
      const order = rootOrder(s.columns, s.layout, n);
      for (let f = 0; f < s.nBins.length; f++) {
        const rows = Array.from(order.rows.subarray(f * n, (f + 1) * n));
        expect([...rows].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        for (let i = 1; i < n; i++) {
          const [a, b] = [rows[i - 1], rows[i]];
          expect(s.columns[f][a] < s.columns[f][b] || (s.columns[f][a] === s.columns[f][b] && a < b)).toBe(true);
        }
      }
      const gh = new Float64Array(2 * n);
      gatherGradients(s.grad, s.hess, null, 0, n, gh, s.unit);
      const hist = new Float64Array(HIST_STRIDE * s.layout.totalBins).fill(99);
      buildRootHistogram(order, s.layout, s.features, gh, hist);
      expectSame(s, hist, slowHistogram(s.columns, s.nBins, s.grad, s.hess, Array.from({ length: n }, (_, i) => i)));
    });
  }

  it('folds exact row counts into the hessian slot; hessians far below the unit lose their low bits', () => {
    // A 1M-row logloss tree: hessians up to 0.25 sum to at most 250,000, so the unit is 2^19.
    const unit = countUnit(250_000, 1_000_000);
    expect(unit).toBe(2 ** 19);
    const n = 300_000;
    const columns = [Uint8Array.from({ length: n }, (_, i) => i % 2)];
    const layout = histogramLayout(Int32Array.of(1));
    const rng = new Rng(5);
    // Bin 0: confident rows (hessians near 1e-6); bin 1: uncertain ones (near 0.2).
    const hess = Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1e-6 : 0.2) * (0.5 + rng.nextFloat()));
    const grad = Float64Array.from({ length: n }, () => rng.nextFloat() - 0.5);
    const gh = new Float64Array(2 * n);
    gatherGradients(grad, hess, null, 0, n, gh, unit);
    const hist = new Float64Array(HIST_STRIDE * layout.totalBins);
    buildHistogram(packColumns(columns, n), layout, Int32Array.of(0), gh, null, 0, n, hist);
    for (const b of [0, 1]) {
      let h = 0;
      for (let i = b; i < n; i += 2) h += hess[i];
      const [, hb, cb] = decoded(hist, HIST_STRIDE * b, unit);
      expect(cb).toBe(n / 2);
      // The slot is near 2^36, whose steps are 2^-16: 150,000 uncertain rows keep their sum to
      // 1e-7; as many rows near 1e-6 each lose most of theirs (the sum is 0.15), which is why
      // leaf values are renewed from the rows.
      if (b === 1) expect(Math.abs(hb - h) / h).toBeLessThan(1e-7);
      else expect(Math.abs(hb - h)).toBeLessThan(150_000 * 2 ** -17);
    }
  });

  it('refuses a count unit past float precision, and decodes counts through rounding on either side', () => {
    expect(() => countUnit(2 ** 30, 2 ** 24)).toThrow(/past what exact row counts in the histograms allow/);
    expect(countUnit(0, 10)).toBe(1);
    expect(countUnit(0.5, 10)).toBe(2);
    expect(binCount(7 * 1024 - 1e-9, 1024)).toBe(7);
    expect(binCount(7 * 1024 + 511.9, 1024)).toBe(7);
  });

  it('gives every feature the same totals (each row lands in exactly one bin per feature)', () => {
    const s = randomSetup(3001, 1);
    const hist = fastHistogram(s, null, 0, 3001);
    const totals = [0, 1, 2, 3, 4, 5].map((f) => {
      const t = [0, 0, 0];
      for (let b = 0; b <= s.nBins[f]; b++) {
        const d = decoded(hist, HIST_STRIDE * (s.layout.offsets[f] + b), s.unit);
        for (let q = 0; q < 3; q++) t[q] += d[q];
      }
      return t;
    });
    for (let f = 1; f < 6; f++) {
      expect(totals[f][0]).toBeCloseTo(totals[0][0], 9);
      expect(totals[f][1]).toBeCloseTo(totals[0][1], HESSIAN_DIGITS);
      expect(totals[f][2]).toBe(3001);
    }
  });

  it('derives a child by subtraction equal to building it directly (left + right = parent)', () => {
    const s = randomSetup(4000, 2);
    const all = Uint32Array.from({ length: 4000 }, (_, i) => i);
    const left = all.filter((r) => s.columns[1][r] < 100);
    const right = all.filter((r) => s.columns[1][r] >= 100);
    const parent = fastHistogram(s, null, 0, 4000);
    const l = fastHistogram(s, left, 0, left.length);
    const r = fastHistogram(s, right, 0, right.length);
    const derived = new Float64Array(parent.length);
    subtractHistogram(s.layout, s.features, parent, l, derived);
    for (let f = 0; f < 6; f++) {
      for (let b = 0; b <= s.nBins[f]; b++) {
        const j = HIST_STRIDE * (s.layout.offsets[f] + b);
        const d = decoded(derived, j, s.unit);
        const direct = decoded(r, j, s.unit);
        expect(d[0]).toBeCloseTo(direct[0], 9);
        expect(d[1]).toBeCloseTo(direct[1], HESSIAN_DIGITS);
        expect(d[2]).toBe(direct[2]);
      }
    }
  });
});
