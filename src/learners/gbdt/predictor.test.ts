// Tests of prediction on the flat node table against a slow, obvious walk written from the model's documented layout.
import { describe, expect, it } from 'vitest';
import { trainGbdt } from './boosting.js';
import { featureGain, predictRaw } from './predictor.js';
import { Rng } from './random.js';
import { categorical, dataset, mixedData, numeric, params } from './test-support/test-data.js';
import type { GbdtDataset, GbdtModel } from './types.js';

/**
 * The obvious prediction, from types.ts alone: every row walks every tree one node at a time,
 * reading the raw value from the dataset (numeric NaN and categorical code -1 are missing).
 */
function referenceScores(model: GbdtModel, data: GbdtDataset): Float64Array {
  const k = model.nOutputs;
  const out = new Float64Array(data.nRows * k);
  for (let i = 0; i < data.nRows; i++) {
    for (let c = 0; c < k; c++) out[i * k + c] = model.baseScore[c];
    for (let t = 0; t < model.nTrees; t++) {
      let node = model.treeOffsets[t];
      while (model.nodeFeature[node] >= 0) {
        const feature = data.features[model.nodeFeature[node]];
        const x = feature.values[i];
        let left: boolean;
        if (feature.kind === 'numeric' ? Number.isNaN(x) : x < 0) left = model.nodeMissingLeft[node] === 1;
        else if (model.nodeCatStart[node] >= 0) {
          const word = Math.floor(x / 32);
          left = word < model.nodeCatWords[node] && (model.catBitsets[model.nodeCatStart[node] + word] & (1 << x % 32)) !== 0;
        } else left = x <= model.nodeThreshold[node];
        node = left ? model.nodeLeft[node] : model.nodeRight[node];
      }
      out[i * k + (t % k)] += model.nodeValue[node];
    }
  }
  return out;
}

/** Fails at the first score that differs in any bit (Object.is tells -0 from 0 and compares NaN). */
function expectSameScores(fast: Float64Array, slow: Float64Array): void {
  expect(fast.length).toBe(slow.length);
  for (let i = 0; i < fast.length; i++) if (!Object.is(fast[i], slow[i])) expect({ index: i, score: fast[i] }).toEqual({ index: i, score: slow[i] });
}

/** Two numeric columns; `a` is missing in 10% of the rows whose block has missing values at all. */
function numericData(n: number, seed: number, missingFrom: number): { data: GbdtDataset; y: Float64Array; yClass: Float64Array } {
  const rng = new Rng(seed);
  const a = Array.from({ length: n }, (_, i) => (i >= missingFrom && rng.nextFloat() < 0.1 ? NaN : rng.nextFloat()));
  const b = Array.from({ length: n }, () => rng.nextFloat() * 100 - 50);
  const y = Float64Array.from({ length: n }, (_, i) => ((a[i] > 0.5 || Number.isNaN(a[i])) !== b[i] > 10 ? 1 : 0));
  const yClass = Float64Array.from({ length: n }, (_, i) => (Number.isNaN(a[i]) ? 2 : a[i] + b[i] / 100 > 0.6 ? 1 : 0));
  return { data: dataset([numeric('a', a), numeric('b', b)]), y, yClass };
}

/** The same trees with each tree's nodes after the root in reverse order: every right child then comes before its left child. */
function reversedLayout(model: GbdtModel): GbdtModel {
  const nNodes = model.nodeFeature.length;
  const to = new Int32Array(nNodes);
  for (let t = 0; t < model.nTrees; t++) {
    const a = model.treeOffsets[t];
    const b = model.treeOffsets[t + 1];
    to[a] = a;
    for (let nd = a + 1; nd < b; nd++) to[nd] = a + b - nd;
  }
  const move = <T extends Int32Array | Float64Array | Uint8Array>(src: T, map: (v: number) => number = (v) => v): T => {
    const dst = src.slice() as T;
    for (let nd = 0; nd < nNodes; nd++) dst[to[nd]] = map(src[nd]);
    return dst;
  };
  const child = (c: number): number => (c < 0 ? c : to[c]);
  return {
    ...model,
    nodeFeature: move(model.nodeFeature),
    nodeThreshold: move(model.nodeThreshold),
    nodeMissingLeft: move(model.nodeMissingLeft),
    nodeLeft: move(model.nodeLeft, child),
    nodeRight: move(model.nodeRight, child),
    nodeValue: move(model.nodeValue),
    nodeCover: move(model.nodeCover),
    nodeGain: move(model.nodeGain),
    nodeCatStart: move(model.nodeCatStart),
    nodeCatWords: move(model.nodeCatWords),
  };
}

/** A hand-written one-tree numeric model over features x0 and x1 with five nodes (per-node arrays). */
function fiveNodeTree(t: { base: number; feature: number[]; threshold: number[]; missingLeft: number[]; left: number[]; right: number[]; value: number[] }): GbdtModel {
  return {
    formatVersion: 1,
    nOutputs: 1,
    nFeatures: 2,
    featureNames: ['x0', 'x1'],
    featureKinds: ['numeric', 'numeric'],
    baseScore: Float64Array.of(t.base),
    nTrees: 1,
    bestIteration: 1,
    treeOffsets: Int32Array.of(0, 5),
    nodeFeature: Int32Array.from(t.feature),
    nodeThreshold: Float64Array.from(t.threshold),
    nodeMissingLeft: Uint8Array.from(t.missingLeft),
    nodeLeft: Int32Array.from(t.left),
    nodeRight: Int32Array.from(t.right),
    nodeValue: Float64Array.from(t.value),
    nodeCover: new Float64Array(5),
    nodeGain: new Float64Array(5),
    nodeCatStart: new Int32Array(5).fill(-1),
    nodeCatWords: new Int32Array(5),
    catBitsets: new Uint32Array(0),
  };
}

describe('prediction', () => {
  it('scores numeric models bit for bit like the reference walk, in blocks with and without missing values', () => {
    // 1003 rows: neither a multiple of the block nor of the rows walked side by side; the first
    // 600 rows have no missing value, so their blocks take the walk without the NaN test.
    const { data, y } = numericData(1003, 4, 600);
    const model = trainGbdt(data, y, params({ maxIter: 10, maxLeaves: 12 }));
    expect(model.nodeMissingLeft.some((v, i) => v === 1 && model.nodeFeature[i] === 0)).toBe(true);
    expect(model.nodeMissingLeft.some((v, i) => v === 0 && model.nodeFeature[i] === 0)).toBe(true);
    expectSameScores(predictRaw(model, data), referenceScores(model, data));
    // Every row count from 1 to 20 exercises the tail of a block.
    for (let n = 1; n <= 20; n++) {
      const part: GbdtDataset = { nRows: n, features: data.features.map((f) => ({ ...f, values: f.values.slice(590, 590 + n) }) as typeof f) };
      expectSameScores(predictRaw(model, part), referenceScores(model, part));
    }
  });

  it('scores multiclass numeric models output by output like the reference walk', () => {
    const { data, yClass } = numericData(700, 4, 0);
    const model = trainGbdt(data, yClass, params({ loss: 'softmax', nClasses: 3, maxIter: 6, maxLeaves: 9 }));
    expect(model.nOutputs).toBe(3);
    expectSameScores(predictRaw(model, data), referenceScores(model, data));
  });

  it('sends values equal to a threshold left, and infinities and -0 where the comparison says', () => {
    const { data, y } = numericData(400, 5, 0);
    const model = trainGbdt(data, y, params({ maxIter: 5, maxLeaves: 8 }));
    const thresholds = Array.from(model.nodeThreshold.filter((_, i) => model.nodeFeature[i] === 1));
    const b = [...thresholds, ...thresholds.map((t) => t + 1e-9), Infinity, -Infinity, -0, 0, NaN];
    const edge = dataset([numeric('a', b.map((_, i) => (i % 3 === 0 ? NaN : i / b.length))), numeric('b', b)]);
    expectSameScores(predictRaw(model, edge), referenceScores(model, edge));
  });

  it('scores models with categorical splits like the reference walk, unseen and missing categories included', () => {
    const { data, yClass } = mixedData(500, 31);
    const model = trainGbdt(data, yClass, params({ loss: 'softmax', nClasses: 3, maxIter: 5 }));
    expect(model.nodeCatStart.some((s) => s >= 0)).toBe(true);
    expectSameScores(predictRaw(model, data), referenceScores(model, data));
    const codes = [0, 1, 2, 3, 4, 5, -1, 6, 31, 32, 33, 64, 1000];
    const unseen = dataset([numeric('a', codes.map((c) => c / 2)), numeric('b', codes.map((c) => (c % 7) * 3)), categorical('c', codes, 6)]);
    expectSameScores(predictRaw(model, unseen), referenceScores(model, unseen));
  });

  it('scores a model whose right children come before their left children like the reference walk, categorical splits included', () => {
    const { data, yClass } = mixedData(500, 34);
    const model = trainGbdt(data, yClass, params({ loss: 'softmax', nClasses: 3, maxIter: 5 }));
    const reversed = reversedLayout(model);
    expect(reversed.nodeRight.some((r, i) => r >= 0 && r !== reversed.nodeLeft[i] + 1)).toBe(true);
    const codes = [0, 1, 2, 3, 4, 5, -1, 6, 31, 32, 33, 64, 1000];
    const unseen = dataset([numeric('a', codes.map((c) => (c === 3 ? NaN : c / 2))), numeric('b', codes.map((c) => (c % 7) * 3)), categorical('c', codes, 6)]);
    for (const d of [data, unseen]) {
      expectSameScores(predictRaw(reversed, d), referenceScores(reversed, d));
      expectSameScores(predictRaw(reversed, d), predictRaw(model, d));
    }
  });

  it('walks a numeric model whose right children do not follow their left children', () => {
    // Hand-written: root splits x0 at 0.5 (missing right), its right child comes first in the table.
    const model = fiveNodeTree({ base: 0.25, feature: [0, -1, 1, -1, -1], threshold: [0.5, 0, 2, 0, 0], missingLeft: [0, 0, 1, 0, 0], left: [2, -1, 3, -1, -1], right: [1, -1, 4, -1, -1], value: [0, 1, 0, 2, 3] });
    const data = dataset([numeric('x0', [0, 0.5, 0.6, NaN, 0.1, 0.2]), numeric('x1', [1, 3, 0, 0, NaN, 2])]);
    expect(Array.from(predictRaw(model, data))).toEqual([2.25, 3.25, 1.25, 1.25, 2.25, 2.25]);
    expectSameScores(predictRaw(model, data), referenceScores(model, data));
  });

  it('walks a numeric model whose children sit before their parent in the table to the full depth', () => {
    // Hand-written: root 0 splits x0 at 0 into 3 (leaf) and 4; node 4 splits x1 at 0 into 1 and 2.
    const model = fiveNodeTree({ base: 0, feature: [0, -1, -1, -1, 1], threshold: [0, 0, 0, 0, 0], missingLeft: [1, 0, 0, 0, 0], left: [3, -1, -1, -1, 1], right: [4, -1, -1, -1, 2], value: [0, 10, 20, 30, 40] });
    const x0 = [-1, 1, 1, NaN, 1, 1, 1, 1, 1];
    const x1 = [0, -1, 1, 5, NaN, 0, 0, 2, -2];
    const data = dataset([numeric('x0', x0), numeric('x1', x1)]);
    expect(Array.from(predictRaw(model, data))).toEqual([30, 10, 20, 30, 20, 10, 10, 20, 10]);
    expectSameScores(predictRaw(model, data), referenceScores(model, data));
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
