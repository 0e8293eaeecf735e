// Tests of the tree grower: node bookkeeping against the rows each node owns, in cache (one
// shard) and beyond it (two row shards, shards.ts).
import { describe, expect, it } from 'vitest';
import { binDataset, fitBinMapper } from './binning.js';
import { TreeGrower } from './grower.js';
import { histogramLayout, packColumns } from './histogram.js';
import { Rng } from './random.js';
import { allocateShardArrays, RowShards } from './shards.js';
import { mixedData } from './test-support/test-data.js';

describe.each([3000, 60_000])('tree grower (%i rows)', (n) => {
  const { data, y } = mixedData(n, 41);
  const mapper = fitBinMapper(data, 255, 1);
  const binned = binDataset(mapper, data);
  const cols = packColumns(binned.columns, n);
  const params = { maxLeaves: 9, minSamplesLeaf: 10, minHessianLeaf: 0, l2: 1, maxCatThreshold: 32, shrinkage: 0.5 };
  const sharded = n > 50_000;

  /** A grower, and the gradient arrays it must be given (the shards' own when sharded). */
  function setup(): { grower: TreeGrower; grad: Float64Array; hess: Float64Array } {
    if (!sharded) return { grower: new TreeGrower(cols, n, mapper.nBins, mapper.isCategorical, params, null), grad: new Float64Array(n), hess: new Float64Array(n) };
    const { arrays, memory } = allocateShardArrays(n, histogramLayout(mapper.nBins), 1, y, undefined, 1, (bytes) => binDataset(mapper, data, bytes).columns);
    const shards = new RowShards(arrays, memory, { loss: 'logloss' }, 2 * params.maxLeaves, 1);
    return { grower: new TreeGrower(arrays.cols, n, mapper.nBins, mapper.isCategorical, params, shards), grad: arrays.grad[0], hess: arrays.hess[0] };
  }

  function fillGradients(grad: Float64Array, hess: Float64Array, seed: number): void {
    const rng = new Rng(seed);
    for (let i = 0; i < n; i++) {
      grad[i] = y[i] - 0.5 + 0.3 * (rng.nextFloat() - 0.5);
      hess[i] = 0.2 + rng.nextFloat();
    }
  }

  /** The positions of the node's rows in the grower's indices, over both shards. */
  function positions(t: { start: Int32Array; end: Int32Array }, nd: number): number[] {
    const out: number[] = [];
    for (let s = 0; s < 2; s++) for (let i = t.start[2 * nd + s]; i < t.end[2 * nd + s]; i++) out.push(i);
    return out;
  }

  it('keeps every node consistent: counts match row slices, children add up to parents, leaf values from exact sums', () => {
    const { grower, grad, hess } = setup();
    // Several trees in a row: each has its own count unit.
    for (let seed = 1; seed <= 3; seed++) {
      fillGradients(grad, hess, seed);
      const t = grower.grow(grad, hess, null, Int32Array.of(0, 1, 2));
      let leaves = 0;
      for (let nd = 0; nd < t.nNodes; nd++) {
        const rows = positions(t, nd).map((i) => grower.indices[i]);
        expect(t.count[nd]).toBe(rows.length);
        let g = 0;
        let h = 0;
        for (const r of rows) {
          g += grad[r];
          h += hess[r];
        }
        // Covers add children's exact sums: equal up to the order of additions.
        expect(Math.abs(t.cover[nd] - h)).toBeLessThanOrEqual(1e-12 * h);
        if (t.feature[nd] < 0) {
          leaves++;
          expect(t.count[nd]).toBeGreaterThanOrEqual(10);
          expect(t.value[nd]).toBeCloseTo((-g / (h + params.l2)) * params.shrinkage, 12);
          continue;
        }
        expect(t.count[t.left[nd]] + t.count[t.right[nd]]).toBe(t.count[nd]);
        // Every row of the left child goes left by the split's bin table, every right row right.
        const goLeft = t.goLeft[nd] as Uint8Array;
        const col = binned.columns[t.feature[nd]];
        for (const i of positions(t, t.left[nd])) expect(goLeft[col[grower.indices[i]]]).toBe(1);
        for (const i of positions(t, t.right[nd])) expect(goLeft[col[grower.indices[i]]]).toBe(0);
      }
      expect(leaves).toBe(9);
      // The leaves own every row once.
      const owned = [];
      for (let nd = 0; nd < t.nNodes; nd++) if (t.feature[nd] < 0) owned.push(...positions(t, nd).map((i) => grower.indices[i]));
      expect(owned.sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    }
  });

  it('grows on a row subsample only', () => {
    const { grower, grad, hess } = setup();
    fillGradients(grad, hess, 4);
    const m = Math.floor(n / 3);
    const rows = new Rng(5).sampleSorted(n, m);
    const t = grower.grow(grad, hess, rows, Int32Array.of(0, 1, 2));
    expect(t.count[0]).toBe(m);
    const seen = Array.from(grower.indices.subarray(0, m)).sort((a, b) => a - b);
    expect(seen).toEqual(Array.from(rows));
  });
});
