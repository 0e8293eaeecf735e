// Tests of row shards: the two-thread model is the one-thread model byte for byte (a real worker
// thread over shared memory), and a sharded tree's rows, counts and sums add up.
import { describe, expect, it } from 'vitest';
import { binDataset, fitBinMapper } from './binning.js';
import { trainGbdt } from './boosting.js';
import { HIST_STRIDE, histogramLayout } from './histogram.js';
import { Rng } from './random.js';
import { allocateShardArrays, RowShards, SIDE } from './shards.js';
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
  // 20,000 rows: in cache, so on one thread whatever threads says. 60,000 and 130,001: the second shard on the worker.
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

  /** Shards over shared memory for `threads`, with gradients set. */
  function shardsFor(threads: number, n: number): { shards: RowShards; layout: ReturnType<typeof histogramLayout> } {
    const { data, score } = dataset(n, 7);
    const mapper = fitBinMapper(data, 255, 1);
    const layout = histogramLayout(mapper.nBins);
    const y = Float64Array.from({ length: n }, (_, i) => (score(i) > 0.8 ? 1 : 0));
    const { arrays, memory } = allocateShardArrays(n, layout, 1, y, undefined, threads, (bytes) => binDataset(mapper, data, bytes).columns);
    return { shards: new RowShards(arrays, memory, { loss: 'logloss' }, 16, threads), layout };
  }

  it('runs the second shard on a worker thread with the results of one thread', () => {
    const n = 80_000;
    const one = shardsFor(1, n);
    const two = shardsFor(2, n);
    try {
      expect(one.shards.parallel).toBe(false);
      expect(two.shards.parallel).toBe(true);
      const features = Int32Array.from({ length: 13 }, (_, f) => f);
      const out = [one, two].map(({ shards, layout }) => {
        const sums = new Float64Array(2);
        shards.gradients();
        shards.startTree(0, null, sums);
        const hist = new Float64Array(HIST_STRIDE * layout.totalBins);
        shards.root(0, 1 << 16, features, hist);
        const goLeft = new Uint8Array(256).fill(1, 0, 100);
        const child = new Float64Array(HIST_STRIDE * layout.totalBins);
        shards.split(Int32Array.of(0, shards.bound, shards.bound, n), 3, goLeft, SIDE.left, features, child);
        return { sums: Array.from(sums), hist: Array.from(hist), child: Array.from(child), mids: Array.from(shards.mids), rows: Array.from(shards.arrays.indices) };
      });
      expect(out[1]).toEqual(out[0]);
      expect(out[0].mids[0]).toBeGreaterThan(0);
    } finally {
      one.shards.close();
      two.shards.close();
    }
  });

  it('reports an error thrown on the worker thread instead of waiting for it', () => {
    const { shards } = shardsFor(2, 80_000);
    try {
      expect(shards.parallel).toBe(true);
      const sums = new Float64Array(2);
      shards.startTree(0, null, sums);
      // Shard 0 has no rows here; shard 1 splits on a feature that does not exist.
      expect(() => shards.split(Int32Array.of(0, 0, 40_000, 80_000), 99, new Uint8Array(256), SIDE.none, new Int32Array(0), null)).toThrow(/training worker thread failed: RangeError: split on feature 99, of 13/);
    } finally {
      shards.close();
    }
  });
});
