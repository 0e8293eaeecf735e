// Tests of the WebAssembly kernels: the same sums and partitions as the JavaScript kernels, so
// models trained with either are the same byte for byte.
import { afterEach, describe, expect, it } from 'vitest';
import { binDataset, fitBinMapper } from './binning.js';
import { trainGbdt } from './boosting.js';
import { buildHistogram, gatherGradients, HIST_STRIDE, histogramLayout } from './histogram.js';
import { buildPositionHistogram, gatherPairsWasm, gatherRowBins, gatherWasm, kernelsFor, partitionPositions } from './kernels.js';
import { Rng } from './random.js';
import { serializeGbdt } from './serialize.js';
import { allocateShardArrays } from './shards.js';
import { partitionWithGradients } from './splitting.js';
import { categorical, numeric } from './test-support/test-data.js';
import type { GbdtParams } from './types.js';

function dataset(n: number, nFeatures: number, seed: number) {
  const rng = new Rng(seed);
  const features = Array.from({ length: nFeatures }, (_, f) =>
    f % 5 === 4
      ? categorical(`c${f}`, Array.from({ length: n }, () => (rng.nextFloat() < 0.05 ? -1 : Math.floor(rng.nextFloat() * 7))), 7)
      : numeric(`f${f}`, Array.from({ length: n }, () => (rng.nextFloat() < 0.05 ? NaN : rng.nextFloat() * rng.nextFloat()))),
  );
  return { data: { nRows: n, features }, score: (i: number) => (features[0].values[i] || 0) + (features[1].values[i] || 0) - 0.5 * (features[2].values[i] || 0) };
}

const saved = process.env.LATHE_GBDT_KERNELS;
afterEach(() => {
  if (saved === undefined) delete process.env.LATHE_GBDT_KERNELS;
  else process.env.LATHE_GBDT_KERNELS = saved;
});

describe('gbdt WebAssembly kernels', () => {
  // 11 features: two whole groups of four and three single bytes a row; 60,000 rows: two shards.
  const n = 60_000;
  const { data, score } = dataset(n, 11, 4);
  const mapper = fitBinMapper(data, 255, 1);
  const layout = histogramLayout(mapper.nBins);
  const y = Float64Array.from({ length: n }, (_, i) => (score(i) > 0.5 ? 1 : 0));

  function setup() {
    const { arrays, memory } = allocateShardArrays(n, layout, 1, y, undefined, 1, (bytes) => binDataset(mapper, data, bytes).columns);
    const k = kernelsFor(memory.memory);
    if (!k) throw new Error('no WebAssembly kernels on this runtime');
    const rng = new Rng(9);
    for (let i = 0; i < n; i++) {
      arrays.grad[0][i] = rng.nextFloat() - 0.5;
      arrays.hess[0][i] = 0.1 + rng.nextFloat();
    }
    // The room allocateShardArrays leaves for RowShards' blocks: a go-left table and a histogram.
    return { arrays, k, goLeft: memory.u8(256), hist: memory.f64(HIST_STRIDE * layout.totalBins) };
  }

  it.each([
    ['all rows in order, every feature', 1, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
    ['a subsample, a feature subset', 0.6, [0, 1, 2, 3, 5, 6, 9, 10]],
    ['a small node', 0.03, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
  ] as const)('sum the same histograms as the JavaScript kernels: %s', (_, share, list) => {
    const { arrays, k, hist: wasm } = setup();
    const bins = arrays.wasm?.bins;
    if (!bins) throw new Error('no row bins');
    const rows: number[] = [];
    const rng = new Rng(3);
    for (let r = 0; r < n; r++) if (share === 1 || rng.nextFloat() < share) rows.push(r);
    arrays.indices.set(rows);
    const end = rows.length;
    const features = Int32Array.from(list);
    const unit = 2 ** 20;
    const js = new Float64Array(HIST_STRIDE * layout.totalBins);
    const jsGh = new Float64Array(2 * n);
    gatherGradients(arrays.grad[0], arrays.hess[0], arrays.indices, 0, end, jsGh, unit);
    buildHistogram(arrays.cols, layout, features, jsGh, arrays.indices, 0, end, js, n);
    gatherWasm(k, arrays.grad[0], arrays.hess[0], 0, n, arrays.ghScratch, unit);
    gatherPairsWasm(k, arrays.ghScratch, arrays.indices, 0, end, arrays.gh);
    expect(Array.from(arrays.gh.subarray(0, 2 * end))).toEqual(Array.from(jsGh.subarray(0, 2 * end)));
    gatherRowBins(k, bins, arrays.indices, 0, end);
    wasm.fill(-1);
    buildPositionHistogram(k, layout, features, bins.byPosition, bins.stride, arrays.gh, 0, end, wasm);
    for (const f of list) {
      const [a, b] = [HIST_STRIDE * layout.offsets[f], HIST_STRIDE * layout.offsets[f + 1]];
      expect(Array.from(wasm.subarray(a, b))).toEqual(Array.from(js.subarray(a, b)));
    }
  });

  it('partition rows and their bins as the JavaScript partition does', () => {
    const { arrays, k, goLeft: table } = setup();
    const bins = arrays.wasm?.bins;
    if (!bins) throw new Error('no row bins');
    for (let i = 0; i < n; i++) arrays.indices[i] = (i * 7919) % n;
    gatherWasm(k, arrays.grad[0], arrays.hess[0], 0, n, arrays.ghScratch, 1024);
    gatherPairsWasm(k, arrays.ghScratch, arrays.indices, 0, n, arrays.gh);
    gatherRowBins(k, bins, arrays.indices, 0, n);
    const idx = arrays.indices.slice();
    const gh = arrays.gh.slice();
    const goLeft = new Uint8Array(256);
    for (let b = 0; b < 256; b += 3) goLeft[b] = 1;
    table.set(goLeft);
    const [a, b] = [1000, 50_000];
    const midJs = partitionWithGradients(idx, gh, a, b, arrays.cols.columns[3], goLeft, new Uint32Array(n), new Float64Array(2 * n));
    const midWasm = partitionPositions(k, arrays.indices, bins, bins.byPosition, a, b, 3, table, arrays.scratch);
    expect(midWasm).toBe(midJs);
    expect(midJs).toBeGreaterThan(a);
    expect(midJs).toBeLessThan(b);
    expect(Array.from(arrays.indices)).toEqual(Array.from(idx));
    // The pairs stay behind; gathered afresh, they are the ones the JavaScript partition moved.
    gatherPairsWasm(k, arrays.ghScratch, arrays.indices, 0, n, arrays.gh);
    expect(Array.from(arrays.gh)).toEqual(Array.from(gh));
    // Every position's bins are its row's.
    const byPosition = new Uint8Array(bins.byPosition.buffer, bins.byPosition.byteOffset, bins.byPosition.byteLength);
    for (let p = 0; p < n; p += 97) {
      for (let f = 0; f < 11; f++) expect(byPosition[p * bins.stride + f]).toBe(arrays.cols.columns[f][arrays.indices[p]]);
    }
  });

  it.each([
    [1, 'all rows', undefined],
    [2, 'all rows', undefined],
    [1, 'row and column subsamples', 0.8],
    [2, 'row and column subsamples', 0.8],
  ] as const)('train the byte-identical model to the JavaScript kernels (threads %i, %s)', (threads, _, subsample) => {
    const p: GbdtParams = { loss: 'logloss', maxIter: 4, learningRate: 0.1, maxLeaves: 15, minSamplesLeaf: 20, minHessianLeaf: 1e-3, l2: 1, maxBins: 255, seed: 3, rowSubsample: subsample, colSubsample: subsample, threads };
    process.env.LATHE_GBDT_KERNELS = 'js';
    const js = serializeGbdt(trainGbdt(data, y, p));
    delete process.env.LATHE_GBDT_KERNELS;
    const wasm = serializeGbdt(trainGbdt(data, y, p));
    expect(Buffer.from(wasm).equals(Buffer.from(js))).toBe(true);
  });

  it('train the byte-identical model to the JavaScript kernels on rows of more than 64 bytes (70 features)', () => {
    const wide = dataset(n, 70, 8);
    const wy = Float64Array.from({ length: n }, (_, i) => (wide.score(i) > 0.5 ? 1 : 0));
    const p: GbdtParams = { loss: 'logloss', maxIter: 2, learningRate: 0.1, maxLeaves: 7, minSamplesLeaf: 20, minHessianLeaf: 1e-3, l2: 1, maxBins: 255, seed: 3 };
    process.env.LATHE_GBDT_KERNELS = 'js';
    const js = serializeGbdt(trainGbdt(wide.data, wy, p));
    delete process.env.LATHE_GBDT_KERNELS;
    const wasm = serializeGbdt(trainGbdt(wide.data, wy, p));
    expect(Buffer.from(wasm).equals(Buffer.from(js))).toBe(true);
  });

  it('are what sharded training runs on, unless LATHE_GBDT_KERNELS=js', () => {
    const make = () => allocateShardArrays(n, layout, 1, y, undefined, 1, (bytes) => binDataset(mapper, data, bytes).columns).memory;
    expect(make().memory).not.toBeNull();
    process.env.LATHE_GBDT_KERNELS = 'js';
    expect(make().memory).toBeNull();
  });
});
