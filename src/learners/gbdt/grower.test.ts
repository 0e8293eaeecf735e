// Tests of the tree grower: node bookkeeping against the rows each node owns.
import { describe, expect, it } from 'vitest';
import { binDataset, fitBinMapper } from './binning.js';
import { TreeGrower } from './grower.js';
import { packColumns } from './histogram.js';
import { Rng } from './random.js';
import { mixedData } from './test-support/test-data.js';

describe('tree grower', () => {
  const { data, y } = mixedData(3000, 41);
  const mapper = fitBinMapper(data, 255, 1);
  const binned = binDataset(mapper, data);
  const params = { maxLeaves: 9, minSamplesLeaf: 10, minHessianLeaf: 0, l2: 1, maxCatThreshold: 32, shrinkage: 0.5 };

  function gradients(seed: number): { grad: Float64Array; hess: Float64Array } {
    const rng = new Rng(seed);
    return { grad: Float64Array.from(y, (v) => v - 0.5 + 0.3 * (rng.nextFloat() - 0.5)), hess: Float64Array.from(y, () => 0.2 + rng.nextFloat()) };
  }

  it('keeps every node consistent: counts match row slices, children add up to parents, leaf values from exact sums', () => {
    const grower = new TreeGrower(packColumns(binned.columns, 3000, false).cols, 3000, mapper.nBins, mapper.isCategorical, params);
    // Several trees in a row: each has its own count unit.
    for (let seed = 1; seed <= 3; seed++) {
      const { grad, hess } = gradients(seed);
      const t = grower.grow(grad, hess, null, Int32Array.of(0, 1, 2));
      let leaves = 0;
      for (let nd = 0; nd < t.nNodes; nd++) {
        expect(t.count[nd]).toBe(t.end[nd] - t.start[nd]);
        let g = 0;
        let h = 0;
        for (let i = t.start[nd]; i < t.end[nd]; i++) {
          g += grad[grower.indices[i]];
          h += hess[grower.indices[i]];
        }
        expect(t.cover[nd]).toBeCloseTo(h, 9);
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
        for (let i = t.start[t.left[nd]]; i < t.end[t.left[nd]]; i++) expect(goLeft[col[grower.indices[i]]]).toBe(1);
        for (let i = t.start[t.right[nd]]; i < t.end[t.right[nd]]; i++) expect(goLeft[col[grower.indices[i]]]).toBe(0);
      }
      expect(leaves).toBe(9);
    }
  });

  it('grows on a row subsample only', () => {
    const grower = new TreeGrower(packColumns(binned.columns, 3000, false).cols, 3000, mapper.nBins, mapper.isCategorical, params);
    const { grad, hess } = gradients(4);
    const rows = new Rng(5).sampleSorted(3000, 1000);
    const t = grower.grow(grad, hess, rows, Int32Array.of(0, 1, 2));
    expect(t.count[0]).toBe(1000);
    const seen = Array.from(grower.indices.subarray(0, 1000)).sort((a, b) => a - b);
    expect(seen).toEqual(Array.from(rows));
  });
});
