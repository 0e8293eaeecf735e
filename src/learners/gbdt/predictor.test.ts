// Tests of prediction on the flat node table against a one-node-at-a-time walk.
import { describe, expect, it } from 'vitest';
import { trainGbdt } from './boosting.js';
import { featureGain, leafOf, predictionColumns, predictRaw } from './predictor.js';
import { Rng } from './random.js';
import { dataset, mixedData, numeric, params } from './test-support/test-data.js';
import type { GbdtDataset, GbdtModel } from './types.js';

/** The obvious prediction: walk every tree for every row, one node at a time. */
function slowPredict(model: GbdtModel, data: GbdtDataset): Float64Array {
  const cols = predictionColumns(model, data);
  const out = new Float64Array(data.nRows * model.nOutputs);
  for (let i = 0; i < data.nRows; i++) {
    for (let c = 0; c < model.nOutputs; c++) out[i * model.nOutputs + c] = model.baseScore[c];
    for (let t = 0; t < model.nTrees; t++) out[i * model.nOutputs + (t % model.nOutputs)] += model.nodeValue[leafOf(model, cols, i, model.treeOffsets[t])];
  }
  return out;
}

describe('prediction', () => {
  it('walks numeric models four rows at a time exactly like the one-node-at-a-time walk, missing values included', () => {
    const rng = new Rng(3);
    const n = 1003; // not a multiple of the block or of four
    const a = Array.from({ length: n }, () => (rng.nextFloat() < 0.1 ? NaN : rng.nextFloat()));
    const b = Array.from({ length: n }, () => rng.nextFloat());
    const y = Float64Array.from({ length: n }, (_, i) => ((a[i] > 0.5 || Number.isNaN(a[i])) !== b[i] > 0.3 ? 1 : 0));
    const data = dataset([numeric('a', a), numeric('b', b)]);
    const model = trainGbdt(data, y, params({ maxIter: 10, maxLeaves: 12 }));
    expect(model.nodeMissingLeft.some((v, i) => v === 1 && model.nodeFeature[i] === 0)).toBe(true);
    // A second dataset without any missing value takes the NaN-free walk.
    const clean = dataset([numeric('a', a.map((v) => (Number.isNaN(v) ? 0.7 : v))), numeric('b', b)]);
    for (const d of [data, clean]) {
      const fast = predictRaw(model, d);
      const slow = slowPredict(model, d);
      for (let i = 0; i < n; i++) expect(fast[i]).toBe(slow[i]);
    }
  });

  it('walks models with categorical splits like the one-node-at-a-time walk', () => {
    const { data, yClass } = mixedData(500, 31);
    const model = trainGbdt(data, yClass, params({ loss: 'softmax', nClasses: 3, maxIter: 5 }));
    expect(Array.from(predictRaw(model, data))).toEqual(Array.from(slowPredict(model, data)));
  });

  it('writes into a given output array and rejects one that is too short', () => {
    const { data, y } = mixedData(50, 32);
    const model = trainGbdt(data, y, params({ maxIter: 3 }));
    const out = new Float64Array(50);
    expect(predictRaw(model, data, out)).toBe(out);
    expect(() => predictRaw(model, data, new Float64Array(10))).toThrow(/length 10/);
  });

  it('credits split gains to the features that carry the signal', () => {
    const { data, y } = mixedData(800, 33);
    const noise = new Rng(1);
    const withNoise = dataset([...data.features, numeric('noise', Array.from({ length: 800 }, () => noise.nextFloat()))]);
    const gains = featureGain(trainGbdt(withNoise, y, params({ maxIter: 10, minSamplesLeaf: 20 })));
    expect(gains.length).toBe(4);
    expect(gains[0]).toBeGreaterThan(gains[3]);
    expect(gains[2]).toBeGreaterThan(gains[3]);
  });
});
