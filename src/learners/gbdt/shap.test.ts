// Tests of TreeSHAP against Shapley values computed by definition.
import { describe, expect, it } from 'vitest';
import { trainGbdt } from './boosting.js';
import { goesLeft, predictionColumns, predictRaw } from './predictor.js';
import { shapRow } from './shap.js';
import { mixedData, params } from './test-support/test-data.js';
import type { GbdtModel } from './types.js';

/** Path-dependent expectation of one tree when only the features in `known` are known. */
function expectation(model: GbdtModel, x: number[], known: Set<number>, n: number): number {
  const f = model.nodeFeature[n];
  if (f < 0) return model.nodeValue[n];
  const l = model.nodeLeft[n];
  const r = model.nodeRight[n];
  if (known.has(f)) return expectation(model, x, known, goesLeft(model, n, x[f]) ? l : r);
  return (model.nodeCover[l] * expectation(model, x, known, l) + model.nodeCover[r] * expectation(model, x, known, r)) / model.nodeCover[n];
}

/** Shapley values by definition: every subset of the other features, weighted |S|!(M-|S|-1)!/M!. */
function bruteForceShap(model: GbdtModel, x: number[], output: number): number[] {
  const m = model.nFeatures;
  const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  const value = (known: Set<number>): number => {
    let s = 0;
    for (let t = output; t < model.nTrees; t += model.nOutputs) s += expectation(model, x, known, model.treeOffsets[t]);
    return s;
  };
  const phi = new Array<number>(m).fill(0);
  for (let i = 0; i < m; i++) {
    for (let mask = 0; mask < 1 << m; mask++) {
      if ((mask >> i) & 1) continue;
      const s = new Set<number>();
      for (let j = 0; j < m; j++) if ((mask >> j) & 1) s.add(j);
      const weight = (fact(s.size) * fact(m - s.size - 1)) / fact(m);
      const without = value(s);
      s.add(i);
      phi[i] += weight * (value(s) - without);
    }
  }
  return phi;
}

describe('TreeSHAP', () => {
  it('matches the Shapley values computed by definition on small trees that reuse features', () => {
    const { data, yReg } = mixedData(300, 11);
    const model = trainGbdt(data, yReg, params({ loss: 'squared', maxIter: 3, maxLeaves: 10, minSamplesLeaf: 5 }));
    const cols = predictionColumns(model, data);
    for (const row of [0, 1, 2, 17, 40]) {
      const x = cols.map((c) => c[row]);
      const fast = shapRow(model, data, row);
      const slow = bruteForceShap(model, x, 0);
      for (let f = 0; f < model.nFeatures; f++) expect(fast[f]).toBeCloseTo(slow[f], 9);
    }
  });

  it('sums to the raw prediction for every output', () => {
    const { data, yClass } = mixedData(400, 12);
    const model = trainGbdt(data, yClass, params({ loss: 'softmax', nClasses: 3, maxIter: 6, maxLeaves: 12, minSamplesLeaf: 3 }));
    const raw = predictRaw(model, data);
    const nf = model.nFeatures;
    for (const row of [0, 5, 99, 123]) {
      const phi = shapRow(model, data, row);
      expect(phi.length).toBe((nf + 1) * 3);
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let f = 0; f <= nf; f++) s += phi[c * (nf + 1) + f];
        expect(s).toBeCloseTo(raw[row * 3 + c], 9);
      }
    }
  });
});
