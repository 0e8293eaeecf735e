// End-to-end tests of the boosting loop on hand-made and small seeded datasets.
import { describe, expect, it } from 'vitest';
import { trainGbdt, trainGbdtWithScores } from './boosting.js';
import { predictRaw, transformRaw } from './predictor.js';
import { serializeGbdt } from './serialize.js';
import { categorical, dataset, mixedData, numeric, params } from './test-support/test-data.js';

describe('boosting on hand-made data', () => {
  it('learns a perfectly separable set exactly', () => {
    const x = Array.from({ length: 40 }, (_, i) => i);
    const y = Float64Array.from(x, (v) => (v >= 17 ? 1 : 0));
    const data = dataset([numeric('x', x)]);
    const model = trainGbdt(data, y, params({ maxIter: 20, maxLeaves: 2 }));
    const p = transformRaw(model, predictRaw(model, data), 'logloss');
    for (let i = 0; i < 40; i++) expect(p[i] > 0.5 ? 1 : 0).toBe(y[i]);
    // The first stump cuts between 16 and 17 (midpoint edge 16.5).
    expect(model.nodeFeature[0]).toBe(0);
    expect(model.nodeThreshold[0]).toBe(16.5);
    expect(predictRaw(model, dataset([numeric('x', [16.4, 16.6])]))[0]).toBeLessThan(0);
  });

  it('routes missing values at prediction the way training learned', () => {
    // Missing x behaves like large x (label 1).
    const x = [1, 2, 3, 4, NaN, NaN, 10, 11, 12, 13];
    const y = Float64Array.of(0, 0, 0, 0, 1, 1, 1, 1, 1, 1);
    const data = dataset([numeric('x', x)]);
    const model = trainGbdt(data, y, params({ maxIter: 5, maxLeaves: 2 }));
    const raw = predictRaw(model, dataset([numeric('x', [NaN, 0, 20])]));
    expect(raw[0]).toBeGreaterThan(0);
    expect(raw[1]).toBeLessThan(0);
    expect(raw[2]).toBeGreaterThan(0);
  });

  it('splits a categorical column into the groups of categories that behave alike', () => {
    const codes = Array.from({ length: 200 }, (_, i) => i % 5);
    const y = Float64Array.from(codes, (c) => (c === 1 || c === 4 ? 1 : 0));
    const data = dataset([categorical('c', codes, 5)]);
    const model = trainGbdt(data, y, params({ maxIter: 10, maxLeaves: 2 }));
    expect(model.nodeCatStart[0]).toBeGreaterThanOrEqual(0);
    const raw = predictRaw(model, dataset([categorical('c', [0, 1, 2, 3, 4, -1, 9], 10)]));
    expect(Array.from(raw.subarray(0, 5), (r) => (r > 0 ? 1 : 0))).toEqual([0, 1, 0, 0, 1]);
  });

  it('predicts on raw values exactly what the training loop tracked on bins', () => {
    const { data, y, yReg, yClass } = mixedData(600, 3);
    for (const [loss, target, extra] of [
      ['logloss', y, {}],
      ['squared', yReg, { rowSubsample: 0.7, colSubsample: 0.67 }],
      ['huber', yReg, {}],
      ['softmax', yClass, { nClasses: 3, maxDepth: 3 }],
    ] as const) {
      const { model, raw } = trainGbdtWithScores(data, target, params({ loss, maxIter: 8, minSamplesLeaf: 5, l2: 1, ...extra }));
      const pred = predictRaw(model, data);
      expect(pred.length).toBe(raw.length);
      for (let i = 0; i < raw.length; i++) expect(pred[i]).toBeCloseTo(raw[i], 9);
      expect(model.nTrees).toBe(8 * model.nOutputs);
    }
  });

  it('fits the mixed data well for every loss', () => {
    const { data, y, yReg, yClass } = mixedData(1500, 4);
    const test = mixedData(500, 5);
    const bin = trainGbdt(data, y, params({ maxIter: 40, learningRate: 0.2, minSamplesLeaf: 10 }));
    const p = predictRaw(bin, test.data);
    const acc = p.reduce((s, r, i) => s + ((r > 0 ? 1 : 0) === test.y[i] ? 1 : 0), 0) / 500;
    expect(acc).toBeGreaterThan(0.85);
    const reg = trainGbdt(data, yReg, params({ loss: 'squared', maxIter: 60, learningRate: 0.2, minSamplesLeaf: 10 }));
    const r = predictRaw(reg, test.data);
    let sse = 0;
    let sst = 0;
    const mean = test.yReg.reduce((a, b) => a + b, 0) / 500;
    for (let i = 0; i < 500; i++) {
      sse += (r[i] - test.yReg[i]) ** 2;
      sst += (test.yReg[i] - mean) ** 2;
    }
    expect(1 - sse / sst).toBeGreaterThan(0.8);
    const soft = trainGbdt(data, yClass, params({ loss: 'softmax', nClasses: 3, maxIter: 30, minSamplesLeaf: 10 }));
    const probs = transformRaw(soft, predictRaw(soft, test.data), 'softmax');
    let ok = 0;
    for (let i = 0; i < 500; i++) {
      const row = Array.from(probs.subarray(3 * i, 3 * i + 3));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      if (row.indexOf(Math.max(...row)) === test.yClass[i]) ok++;
    }
    expect(ok / 500).toBeGreaterThan(0.8);
  });

  it('respects maxLeaves and maxDepth', () => {
    const { data, yReg } = mixedData(800, 6);
    const model = trainGbdt(data, yReg, params({ loss: 'squared', maxIter: 3, maxLeaves: 5 }));
    for (let t = 0; t < model.nTrees; t++) {
      let leaves = 0;
      for (let n = model.treeOffsets[t]; n < model.treeOffsets[t + 1]; n++) if (model.nodeFeature[n] < 0) leaves++;
      expect(leaves).toBe(5);
    }
    const shallow = trainGbdt(data, yReg, params({ loss: 'squared', maxIter: 3, maxLeaves: 31, maxDepth: 2 }));
    for (let t = 0; t < shallow.nTrees; t++) expect(shallow.treeOffsets[t + 1] - shallow.treeOffsets[t]).toBeLessThanOrEqual(7);
  });

  it('is deterministic: same data, parameters and seed give identical bytes; another seed differs', () => {
    const { data, y } = mixedData(500, 7);
    const p = params({ maxIter: 10, rowSubsample: 0.6, colSubsample: 0.67 });
    const a = serializeGbdt(trainGbdt(data, y, p));
    const b = serializeGbdt(trainGbdt(data, y, p));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const c = serializeGbdt(trainGbdt(data, y, { ...p, seed: 8 }));
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
  });

  it('stops early when the validation loss stops improving and keeps the best rounds', () => {
    // Pure noise labels: validation loss cannot improve for long.
    const { data } = mixedData(400, 8);
    const noise = Float64Array.from({ length: 400 }, (_, i) => ((i * 7919) % 13) % 2);
    const val = mixedData(200, 9);
    const valY = Float64Array.from({ length: 200 }, (_, i) => ((i * 104729) % 11) % 2);
    const seen: number[] = [];
    const model = trainGbdt(data, noise, params({ maxIter: 200, learningRate: 0.5, earlyStopping: { patience: 5, tolerance: 0 } }), {
      validation: { data: val.data, y: valY },
      onIteration: (it, max, vl) => {
        expect(max).toBe(200);
        expect(vl).toBeTypeOf('number');
        seen.push(it);
      },
    });
    expect(seen.length).toBeLessThan(200);
    expect(model.bestIteration).toBe(seen.length - 5);
    expect(model.nTrees).toBe(model.bestIteration);
  });

  it('gives weighted rows more say', () => {
    // Two identical x values with opposite labels: the heavier row wins the leaf.
    const data = dataset([numeric('x', [1, 1, 2, 2])]);
    const y = Float64Array.of(0, 1, 0, 1);
    const model = trainGbdt(data, y, params({ maxIter: 5, sampleWeight: Float64Array.of(1, 9, 1, 9) }));
    expect(predictRaw(model, data)[0]).toBeGreaterThan(0);
  });

  it('rejects invalid parameters and labels with a clear message', () => {
    const data = dataset([numeric('x', [1, 2])]);
    expect(() => trainGbdt(data, Float64Array.of(0, 2), params())).toThrow(/logloss labels must be 0 or 1/);
    expect(() => trainGbdt(data, Float64Array.of(0, 1), params({ maxLeaves: 1 }))).toThrow(/maxLeaves/);
    expect(() => trainGbdt(data, Float64Array.of(0, 1), params({ loss: 'softmax', nClasses: 2 }))).toThrow(/nClasses/);
  });
});
