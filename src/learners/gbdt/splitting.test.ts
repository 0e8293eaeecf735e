import { describe, expect, it } from 'vitest';
import { buildHistogram, countUnit, gatherGradients, HIST_STRIDE, packColumns, histogramLayout } from './histogram.js';
import { Rng } from './random.js';
import { emptySplit, findBestSplit, partitionInPlace, partitionWithGradients, splitScratch, type SplitConstraints, type SplitInfo } from './splitting.js';

interface Node {
  columns: Uint8Array[];
  nBins: Int32Array;
  isCategorical: Uint8Array;
  grad: Float64Array;
  hess: Float64Array;
}

function fastSplit(node: Node, c: SplitConstraints): SplitInfo {
  const n = node.grad.length;
  const layout = histogramLayout(node.nBins);
  let g = 0;
  let h = 0;
  for (let i = 0; i < n; i++) {
    g += node.grad[i];
    h += node.hess[i];
  }
  const unit = countUnit(h, n);
  const gh = new Float64Array(2 * n);
  gatherGradients(node.grad, node.hess, null, 0, n, gh, unit);
  const hist = new Float64Array(HIST_STRIDE * layout.totalBins);
  const features = Int32Array.from(node.columns, (_, f) => f);
  buildHistogram(packColumns(node.columns, n), layout, features, gh, null, 0, n, hist);
  const out = emptySplit();
  findBestSplit(hist, layout, node.nBins, node.isCategorical, features, g, h, n, unit, c, splitScratch(), out);
  return out;
}

/** The obvious version: try every numeric threshold with missing values left and right, sum rows directly. */
function slowBestNumericGain(node: Node, c: SplitConstraints): number {
  const n = node.grad.length;
  let G = 0;
  let H = 0;
  for (let i = 0; i < n; i++) {
    G += node.grad[i];
    H += node.hess[i];
  }
  let best = 0;
  node.columns.forEach((col, f) => {
    const nb = node.nBins[f];
    for (let t = 0; t < nb; t++) {
      for (const missLeft of [false, true]) {
        let gl = 0;
        let hl = 0;
        let cl = 0;
        for (let i = 0; i < n; i++) {
          const left = col[i] === nb ? missLeft : col[i] <= t;
          if (left) {
            gl += node.grad[i];
            hl += node.hess[i];
            cl++;
          }
        }
        const cr = n - cl;
        const hr = H - hl;
        if (cl < c.minSamplesLeaf || cr < c.minSamplesLeaf || hl < c.minHessianLeaf || hr < c.minHessianLeaf) continue;
        const gr = G - gl;
        const gain = (gl * gl) / (hl + c.l2) + (gr * gr) / (hr + c.l2) - (G * G) / (H + c.l2);
        best = Math.max(best, gain);
      }
    }
  });
  return best;
}

function randomNode(n: number, seed: number): Node {
  const rng = new Rng(seed);
  const nBins = Int32Array.of(4, 30, 2);
  const columns = Array.from(nBins, (nb) => Uint8Array.from({ length: n }, () => rng.nextInt(nb + 1)));
  const grad = Float64Array.from({ length: n }, (_, i) => (columns[1][i] > 12 ? 1 : -1) + rng.nextFloat() - 0.5);
  const hess = Float64Array.from({ length: n }, () => 0.1 + rng.nextFloat());
  return { columns, nBins, isCategorical: new Uint8Array(3), grad, hess };
}

const loose: SplitConstraints = { l2: 0, minSamplesLeaf: 1, minHessianLeaf: 0, maxCatThreshold: 32 };

describe('numeric split finding', () => {
  for (const [seed, c] of [
    [1, loose],
    [2, { l2: 1, minSamplesLeaf: 20, minHessianLeaf: 5, maxCatThreshold: 32 }],
    [3, { l2: 10, minSamplesLeaf: 3, minHessianLeaf: 0, maxCatThreshold: 32 }],
  ] as const) {
    it(`finds the same best gain as trying every threshold and missing direction (case ${seed})`, () => {
      const node = randomNode(300, seed);
      const split = fastSplit(node, c);
      expect(split.gain).toBeCloseTo(slowBestNumericGain(node, c), 8);
      // The stated sums of each side are those of the rows the split sends there.
      let gl = 0;
      let cl = 0;
      for (let i = 0; i < 300; i++) {
        if (split.goLeft[node.columns[split.feature][i]]) {
          gl += node.grad[i];
          cl++;
        }
      }
      expect(split.countLeft).toBe(cl);
      expect(split.gradLeft).toBeCloseTo(gl, 9);
      expect(split.countLeft + split.countRight).toBe(300);
    });
  }

  it('splits a hand-made column where a person would: between bins 1 and 2', () => {
    // Bins 0,1 carry gradient -1 and bins 2,3 carry +1: the only perfect cut is after bin 1.
    const col = Uint8Array.of(0, 1, 1, 0, 2, 3, 2, 3);
    const grad = Float64Array.of(-1, -1, -1, -1, 1, 1, 1, 1);
    const split = fastSplit({ columns: [col], nBins: Int32Array.of(4), isCategorical: new Uint8Array(1), grad, hess: new Float64Array(8).fill(1) }, loose);
    expect(split.feature).toBe(0);
    expect(split.binThreshold).toBe(1);
    // Gain = 4^2/4 + 4^2/4 - 0 = 8.
    expect(split.gain).toBeCloseTo(8, 12);
    expect([split.countLeft, split.countRight]).toEqual([4, 4]);
  });

  it('learns where missing values go: with the rows whose gradients they resemble', () => {
    // Missing rows (bin 2) have negative gradients like bin 0: they must go left with it.
    const col = Uint8Array.of(0, 0, 1, 1, 2, 2);
    const grad = Float64Array.of(-1, -1, 1, 1, -1, -1);
    const split = fastSplit({ columns: [col], nBins: Int32Array.of(2), isCategorical: new Uint8Array(1), grad, hess: new Float64Array(6).fill(1) }, loose);
    expect(split.binThreshold).toBe(0);
    expect(split.missingLeft).toBe(true);
    expect(Array.from(split.goLeft.subarray(0, 3))).toEqual([1, 0, 1]);
    const right = fastSplit({ columns: [col], nBins: Int32Array.of(2), isCategorical: new Uint8Array(1), grad: Float64Array.of(-1, -1, 1, 1, 1, 1), hess: new Float64Array(6).fill(1) }, loose);
    expect(right.missingLeft).toBe(false);
  });

  it('refuses splits that leave fewer rows than minSamplesLeaf on a side', () => {
    const col = Uint8Array.of(0, 1, 1, 1, 1, 1);
    const grad = Float64Array.of(-5, 1, 1, 1, 1, 1);
    const node = { columns: [col], nBins: Int32Array.of(2), isCategorical: new Uint8Array(1), grad, hess: new Float64Array(6).fill(1) };
    expect(fastSplit(node, loose).feature).toBe(0);
    expect(fastSplit(node, { ...loose, minSamplesLeaf: 2 }).feature).toBe(-1);
  });
});

describe('categorical split finding', () => {
  it('groups categories by their gradients, whatever their codes', () => {
    // Categories 1 and 3 have negative gradients, 0 and 2 positive: the best partition is {1,3} | {0,2}.
    const n = 400;
    const col = Uint8Array.from({ length: n }, (_, i) => i % 4);
    const grad = Float64Array.from(col, (c) => (c === 1 || c === 3 ? -1 : 1));
    const split = fastSplit({ columns: [col], nBins: Int32Array.of(4), isCategorical: Uint8Array.of(1), grad, hess: new Float64Array(n).fill(1) }, loose);
    expect(split.feature).toBe(0);
    expect(split.isCategorical).toBe(true);
    const left = [0, 1, 2, 3].filter((c) => split.goLeft[c] === 1);
    expect(left.sort()).toEqual(split.goLeft[1] ? [1, 3] : [0, 2]);
    expect(split.countLeft).toBe(200);
  });

  it('is never better than the best of all partitions tried by brute force', () => {
    const rng = new Rng(5);
    const n = 500;
    const col = Uint8Array.from({ length: n }, () => rng.nextInt(6));
    const grad = Float64Array.from(col, (c) => [0.5, -1, 2, -0.3, 0.1, -2][c] + rng.nextFloat() - 0.5);
    const hess = new Float64Array(n).fill(1);
    const split = fastSplit({ columns: [col], nBins: Int32Array.of(5), isCategorical: Uint8Array.of(1), grad, hess }, loose);
    let best = 0;
    const G = grad.reduce((a, b) => a + b, 0);
    for (let mask = 1; mask < 63; mask++) {
      let gl = 0;
      let hl = 0;
      for (let i = 0; i < n; i++) {
        if ((mask >> col[i]) & 1) {
          gl += grad[i];
          hl += hess[i];
        }
      }
      const l2 = 10; // categorical gains carry the extra CAT_L2
      const gain = (gl * gl) / (hl + l2) + ((G - gl) * (G - gl)) / (n - hl + l2) - (G * G) / (n + l2);
      best = Math.max(best, gain);
    }
    expect(split.gain).toBeGreaterThan(0);
    expect(split.gain).toBeLessThanOrEqual(best + 1e-9);
    // Sorting by gradient ratio is optimal for this loss: the heuristic reaches the brute-force best.
    expect(split.gain).toBeCloseTo(best, 6);
  });
});

describe('partition of sample indices', () => {
  it('partitions in place: every row exactly once, left rows first', () => {
    const rng = new Rng(9);
    for (const n of [0, 1, 2, 7, 100]) {
      const col = Uint8Array.from({ length: n }, () => rng.nextInt(4));
      for (const left of [[], [0], [1, 3], [0, 1, 2, 3]]) {
        const goLeft = new Uint8Array(256);
        for (const b of left) goLeft[b] = 1;
        // Positions 0 and n + 1 lie outside the slice and must not change.
        const indices = Uint32Array.from([99, ...Array.from({ length: n }, (_, i) => i), 99]);
        const mid = partitionInPlace(indices, 1, n + 1, col, goLeft);
        expect([indices[0], indices[n + 1]]).toEqual([99, 99]);
        const rows = Array.from(indices.subarray(1, n + 1));
        expect([...rows].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(mid - 1).toBe(rows.filter((r) => goLeft[col[r]]).length);
        rows.forEach((r, i) => expect(goLeft[col[r]]).toBe(i < mid - 1 ? 1 : 0));
      }
    }
  });

  it('moves the gradient pair of each row along with it', () => {
    const col = Uint8Array.of(3, 0, 2, 1, 0, 3, 2);
    const goLeft = new Uint8Array(256);
    goLeft[0] = 1;
    goLeft[2] = 1;
    // Positions 0 and 8 lie outside the slice and must not change.
    const indices = Uint32Array.of(99, 0, 1, 2, 3, 4, 5, 6, 99);
    const gh = Float64Array.from({ length: 18 }, (_, o) => (o === 0 || o === 1 || o >= 16 ? -1 : indices[o >> 1] * 10 + (o & 1)));
    const mid = partitionWithGradients(indices, gh, 1, 8, col, goLeft, new Uint32Array(7), new Float64Array(14));
    expect(mid).toBe(5);
    expect(Array.from(indices)).toEqual([99, 1, 2, 4, 6, 0, 3, 5, 99]);
    expect(Array.from(gh)).toEqual([-1, -1, ...[1, 2, 4, 6, 0, 3, 5].flatMap((r) => [r * 10, r * 10 + 1]), -1, -1]);
  });
});
