// Tests of two-thread histogram building (a real worker thread over shared memory).
import { describe, expect, it } from 'vitest';
import { trainGbdt } from './boosting.js';
import { buildHistogram, HIST_STRIDE, histogramLayout, packColumns } from './histogram.js';
import { ParallelHistogramBuilder } from './parallel.js';
import { Rng } from './random.js';
import { serializeGbdt } from './serialize.js';
import { numeric } from './test-support/test-data.js';

describe('two-thread histogram building', () => {
  it('starts its worker from the TypeScript sources and sums exactly what one thread sums', () => {
    const n = 30_000;
    const nf = 12;
    const rng = new Rng(1);
    const buffer = new SharedArrayBuffer(n * nf);
    const columns = Array.from({ length: nf }, (_, f) => {
      const col = new Uint8Array(buffer, f * n, n);
      for (let i = 0; i < n; i++) col[i] = rng.nextInt(64);
      return col;
    });
    const layout = histogramLayout(new Int32Array(nf).fill(63));
    const { cols, buffer: packed } = packColumns(columns, n, true);
    const p = new ParallelHistogramBuilder(cols, { columns: buffer, packed: packed as SharedArrayBuffer }, n, layout, 2);
    try {
      expect(p.parallel).toBe(true);
      for (let i = 0; i < 2 * n; i++) p.gh[i] = rng.nextFloat() - 0.3;
      for (let i = 0; i < n; i++) p.indices[i] = n - 1 - i;
      const features = Int32Array.from({ length: nf }, (_, f) => f);
      for (const useIndices of [false, true]) {
        const one = new Float64Array(HIST_STRIDE * layout.totalBins);
        buildHistogram(cols, layout, features, p.gh, useIndices ? p.indices : null, 0, n, one);
        p.build(features, useIndices, 0, n, p.slots[1]);
        expect(Array.from(p.slots[1])).toEqual(Array.from(one));
      }
    } finally {
      p.close();
    }
  });

  // 20,000 rows: roots from the grouped order; 60,000: roots by the row pass and pairs moved with the rows (histogram.ts CACHE_RESIDENT_ROWS).
  it.each([20_000, 60_000])('trains the byte-identical model with threads 1 and 2 (%i rows)', (n) => {
    const rng = new Rng(2);
    const features = Array.from({ length: 12 }, (_, f) => numeric(`f${f}`, Array.from({ length: n }, () => rng.nextFloat())));
    const y = Float64Array.from({ length: n }, (_, i) => (features[0].values[i] + features[1].values[i] > 1 ? 1 : 0));
    const data = { nRows: n, features };
    const p = { loss: 'logloss', maxIter: 3, learningRate: 0.1, maxLeaves: 8, minSamplesLeaf: 20, minHessianLeaf: 1e-3, l2: 0, maxBins: 255, seed: 3 } as const;
    const a = serializeGbdt(trainGbdt(data, y, { ...p, threads: 1 }));
    const b = serializeGbdt(trainGbdt(data, y, { ...p, threads: 2 }));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});
