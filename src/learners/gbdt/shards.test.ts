// Tests of row shards: the two-thread model is the one-thread model byte for byte (a real worker
// thread over shared memory), and a sharded tree's rows, counts and sums add up.
import { describe, expect, it } from 'vitest';
import { trainGbdt } from './boosting.js';
import { Rng } from './random.js';
import { serializeGbdt } from './serialize.js';
import { numeric } from './test-support/test-data.js';
import type { GbdtParams } from './types.js';

function dataset(n: number, seed: number) {
  const rng = new Rng(seed);
  const features = Array.from({ length: 13 }, (_, f) => numeric(`f${f}`, Array.from({ length: n }, () => (f === 12 && rng.nextFloat() < 0.1 ? NaN : rng.nextFloat()))));
  const score = (i: number) => features[0].values[i] + features[1].values[i] - 0.5 * features[5].values[i];
  return { data: { nRows: n, features }, score };
}

describe('row shards', () => {
  // 20,000 rows: one shard (in cache, no worker). 60,000 and 130,001: two shards, the second on the worker.
  it.each([20_000, 60_000, 130_001])('trains the byte-identical model with threads 1 and 2 (%i rows)', (n) => {
    const { data, score } = dataset(n, 2);
    const y = Float64Array.from({ length: n }, (_, i) => (score(i) > 0.8 ? 1 : 0));
    const p: GbdtParams = { loss: 'logloss', maxIter: 3, learningRate: 0.1, maxLeaves: 8, minSamplesLeaf: 20, minHessianLeaf: 1e-3, l2: 0, maxBins: 255, seed: 3 };
    const a = serializeGbdt(trainGbdt(data, y, { ...p, threads: 1 }));
    const b = serializeGbdt(trainGbdt(data, y, { ...p, threads: 2 }));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it.each([
    ['softmax with row and column subsamples', { loss: 'softmax', nClasses: 3, rowSubsample: 0.7, colSubsample: 0.8 }],
    ['squared error with weights', { loss: 'squared', sampleWeight: true }],
    ['huber (gradients on the calling thread)', { loss: 'huber' }],
  ] as const)('trains the byte-identical model with threads 1 and 2: %s', (_, extra) => {
    const n = 70_000;
    const { data, score } = dataset(n, 5);
    const y = Float64Array.from({ length: n }, (_, i) => (extra.loss === 'softmax' ? Math.max(0, Math.min(2, Math.floor(score(i) * 2))) : score(i) * 10));
    const w = 'sampleWeight' in extra ? Float64Array.from({ length: n }, (_, i) => 0.5 + (i % 3)) : undefined;
    const p = { maxIter: 3, learningRate: 0.1, maxLeaves: 8, minSamplesLeaf: 20, minHessianLeaf: 1e-3, l2: 1, maxBins: 64, seed: 9, ...extra, sampleWeight: w } as GbdtParams;
    const a = serializeGbdt(trainGbdt(data, y, { ...p, threads: 1 }));
    const b = serializeGbdt(trainGbdt(data, y, { ...p, threads: 2 }));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});
