// The boosting loop: base score, gradients from the loss, one tree per output per round,
// row and column subsampling, early stopping on a validation set. Only this module knows the loss.
import { binDataset, fitBinMapper, type BinMapper, type BinnedData } from './binning.js';
import { TreeGrower, type GrownTree } from './grower.js';
import { CACHE_RESIDENT_ROWS, histogramLayout, packColumns, rootOrder, wantsRootOrder, type HistogramColumns, type RootOrder } from './histogram.js';
import { makeLoss, type Loss } from './losses.js';
import { kernelsAvailable } from './kernels.js';
import { allocateShardArrays, RowShards } from './shards.js';
import { addGrownTreeBinned, ModelBuilder } from './predictor.js';
import { Rng } from './random.js';
import type { GbdtDataset, GbdtModel, GbdtParams, TrainGbdtOptions } from './types.js';

/**
 * Sets in cache train on the row shards and their WebAssembly kernels from this many rows x
 * outputs on (and KERNEL_MIN_ROWS rows), on the cache-resident path below it. Fixed settings (100
 * trees, 31 leaves), median seconds, cache path / kernels: binary 20 numeric columns: 10,000 rows
 * 0.33 / 0.39, 16,000 0.43 / 0.45, 20,000 0.51 / 0.46, 30,000 0.60 / 0.57; letter_recognition (26
 * outputs): 4,000 rows 1.27 / 1.09, 8,000 2.33 / 1.81, 16,000 4.4 / 2.9; its 3 first classes
 * (1,833 rows) 0.095 / 0.123; adult 0.35 / 0.28, bank_marketing 0.35 / 0.23.
 */
const KERNEL_MIN_WORK = 20_000;
const KERNEL_MIN_ROWS = 2_048;

/** Default cap on categories on one side of a categorical split (LightGBM max_cat_threshold). */
const DEFAULT_MAX_CAT_THRESHOLD = 32;

export function checkParams(data: GbdtDataset, y: Float64Array, p: GbdtParams): void {
  const fail = (msg: string): never => {
    throw new Error(`invalid gbdt parameters: ${msg}`);
  };
  if (y.length !== data.nRows) fail(`y has ${y.length} values, the data ${data.nRows} rows`);
  if (data.nRows < 1) fail('no rows to train on');
  if (!(Number.isInteger(p.maxIter) && p.maxIter >= 1)) fail(`maxIter must be a positive integer, got ${p.maxIter}`);
  if (!(p.learningRate > 0)) fail(`learningRate must be > 0, got ${p.learningRate}`);
  if (!(Number.isInteger(p.maxLeaves) && p.maxLeaves >= 2)) fail(`maxLeaves must be an integer >= 2, got ${p.maxLeaves}`);
  if (p.maxDepth !== undefined && !(Number.isInteger(p.maxDepth) && p.maxDepth >= 1)) fail(`maxDepth must be a positive integer, got ${p.maxDepth}`);
  if (!(p.minSamplesLeaf >= 1)) fail(`minSamplesLeaf must be >= 1, got ${p.minSamplesLeaf}`);
  if (!(p.minHessianLeaf >= 0)) fail(`minHessianLeaf must be >= 0, got ${p.minHessianLeaf}`);
  if (!(p.l2 >= 0)) fail(`l2 must be >= 0, got ${p.l2}`);
  if (p.rowSubsample !== undefined && !(p.rowSubsample > 0 && p.rowSubsample <= 1)) fail(`rowSubsample must be in (0, 1], got ${p.rowSubsample}`);
  if (p.colSubsample !== undefined && !(p.colSubsample > 0 && p.colSubsample <= 1)) fail(`colSubsample must be in (0, 1], got ${p.colSubsample}`);
  if (p.threads !== undefined && p.threads !== 1 && p.threads !== 2) fail(`threads must be 1 or 2, got ${p.threads}`);
  if (p.sampleWeight && p.sampleWeight.length !== data.nRows) fail(`sampleWeight has ${p.sampleWeight.length} values, the data ${data.nRows} rows`);
  if (p.loss === 'logloss') {
    for (let i = 0; i < y.length; i++) if (y[i] !== 0 && y[i] !== 1) fail(`logloss labels must be 0 or 1, row ${i} has ${y[i]}`);
  } else if (p.loss === 'softmax') {
    const k = p.nClasses ?? 0;
    for (let i = 0; i < y.length; i++) if (!(Number.isInteger(y[i]) && y[i] >= 0 && y[i] < k)) fail(`softmax labels must be integers in [0, ${k}), row ${i} has ${y[i]}`);
  } else {
    for (let i = 0; i < y.length; i++) if (!Number.isFinite(y[i])) fail(`targets must be finite numbers, row ${i} has ${y[i]}`);
  }
}

/** y: length nRows; 0/1 for logloss, 0..nClasses-1 for softmax, real numbers otherwise. */
export function trainGbdt(data: GbdtDataset, y: Float64Array, params: GbdtParams, options: TrainGbdtOptions = {}): GbdtModel {
  return trainGbdtWithScores(data, y, params, options).model;
}

/**
 * trainGbdt, also returning the training rows' raw scores as the loop tracked them
 * (Float64Array of length nRows * nOutputs; all rounds, before early-stopping truncation).
 */
export function trainGbdtWithScores(data: GbdtDataset, y: Float64Array, params: GbdtParams, options: TrainGbdtOptions = {}): { model: GbdtModel; raw: Float64Array } {
  checkParams(data, y, params);
  const loss = makeLoss(params.loss, params.nClasses, params.huberAlpha);
  const mapper = fitBinMapper(data, params.maxBins, params.seed);
  // Sets beyond the cache are cut in two row shards (shards.ts), their arrays in one memory where
  // WebAssembly kernels run their per-row steps (kernels.ts); with two threads a worker runs the
  // second shard over the same memory. Sets in cache with enough work take the shards and their
  // kernels too (see KERNEL_MIN_WORK), on one thread: at the fixed benchmark settings a second
  // thread did not pay there (measured wall s, one / two threads: adult 0.37 / 0.45-0.49,
  // bank_marketing 0.33 / 0.35-0.40, california_housing 0.20 / 0.22-0.24, letter 4.33 / 4.23-4.52).
  const n = data.nRows;
  const k = loss.nOutputs;
  const inCache = n <= CACHE_RESIDENT_ROWS;
  const sharded = !inCache || (n >= KERNEL_MIN_ROWS && n * k >= KERNEL_MIN_WORK && kernelsAvailable());
  const layout = histogramLayout(mapper.nBins);
  let binned: BinnedData;
  let cols: HistogramColumns;
  let state: BoostState;
  let shards: RowShards | null = null;
  if (sharded) {
    const threads = inCache ? 1 : (params.threads ?? 1);
    const { arrays, memory } = allocateShardArrays(n, layout, k, y, params.sampleWeight, threads, (bytes) => binDataset(mapper, data, bytes).columns);
    binned = { nRows: n, nFeatures: mapper.nFeatures, columns: arrays.cols.columns };
    cols = arrays.cols;
    state = { raw: arrays.raw, grad: arrays.grad, hess: arrays.hess, y: arrays.y, w: arrays.w };
    shards = new RowShards(arrays, memory, { loss: params.loss, nClasses: params.nClasses, huberAlpha: params.huberAlpha }, 2 * params.maxLeaves, threads);
  } else {
    binned = binDataset(mapper, data);
    cols = packColumns(binned.columns, n);
    state = {
      raw: new Float64Array(n * k),
      grad: Array.from({ length: k }, () => new Float64Array(n)),
      hess: Array.from({ length: k }, () => new Float64Array(n)),
      y,
      w: params.sampleWeight,
    };
  }
  const order = wantsRootOrder(n, mapper.nFeatures) ? rootOrder(binned.columns, layout, n) : null;
  try {
    return boost(data, params, options, loss, mapper, binned, cols, state, shards, order);
  } finally {
    shards?.close();
  }
}

/** The boosting loop's per-row arrays (shared memory when a worker runs a row shard). */
interface BoostState {
  /** Float64Array of length n * k: output-major raw scores of the training rows (output c of row i at c * n + i). */
  raw: Float64Array;
  /** Per output, Float64Array of length n: this round's gradients and hessians. */
  grad: Float64Array[];
  hess: Float64Array[];
  y: Float64Array;
  w: Float64Array | undefined;
}

function boost(
  data: GbdtDataset,
  params: GbdtParams,
  options: TrainGbdtOptions,
  loss: Loss,
  mapper: BinMapper,
  binned: BinnedData,
  cols: HistogramColumns,
  { raw, grad, hess, y, w }: BoostState,
  shards: RowShards | null,
  order: RootOrder | null,
): { model: GbdtModel; raw: Float64Array } {
  const k = loss.nOutputs;
  const n = data.nRows;
  const rng = new Rng(params.seed);
  const base = loss.baseScore(y, w);
  for (let c = 0; c < k; c++) raw.fill(base[c], c * n, (c + 1) * n);

  const val = options.validation;
  if (params.earlyStopping && !val) throw new Error('invalid gbdt parameters: earlyStopping needs options.validation');
  const vBinned = val ? binDataset(mapper, val.data) : null;
  const vn = val ? val.data.nRows : 0;
  /** Float64Array of length vn * k: output-major raw scores of the validation rows. */
  const vRaw = val ? new Float64Array(vn * k) : null;
  if (val && vRaw) {
    if (val.y.length !== vn) throw new Error('invalid gbdt parameters: validation y length differs from its rows');
    for (let c = 0; c < k; c++) vRaw.fill(base[c], c * vn, (c + 1) * vn);
  }

  const grower = new TreeGrower(cols, n, mapper.nBins, mapper.isCategorical, {
    maxLeaves: params.maxLeaves,
    maxDepth: params.maxDepth,
    minSamplesLeaf: params.minSamplesLeaf,
    minHessianLeaf: params.minHessianLeaf,
    l2: params.l2,
    maxCatThreshold: params.maxCatThreshold ?? DEFAULT_MAX_CAT_THRESHOLD,
    shrinkage: params.learningRate,
  }, shards, order);
  const builder = new ModelBuilder(mapper, data.features.map((f) => f.name), k, base);
  const nf = mapper.nFeatures;
  const allFeatures = Int32Array.from({ length: nf }, (_, f) => f);
  const nRowsPerTree = params.rowSubsample !== undefined && params.rowSubsample < 1 ? Math.max(1, Math.floor(n * params.rowSubsample)) : n;
  const nColsPerTree = params.colSubsample !== undefined && params.colSubsample < 1 ? Math.max(1, Math.round(nf * params.colSubsample)) : nf;
  /** Uint8Array of length n: 1 if the row is in this tree's subsample. */
  const inSample = nRowsPerTree < n ? new Uint8Array(n) : null;

  let bestLoss = Infinity;
  let bestIter = 0;
  let done = 0;
  for (let it = 0; it < params.maxIter; it++) {
    if (shards && loss.perRow) shards.gradients();
    else loss.gradients(y, raw, w, grad, hess);
    for (let c = 0; c < k; c++) {
      const rows = nRowsPerTree < n ? rng.sampleSorted(n, nRowsPerTree) : null;
      const features = nColsPerTree < nf ? Int32Array.from(rng.sampleSorted(nf, nColsPerTree)) : allFeatures;
      const tree = grower.grow(grad[c], hess[c], rows, features, c);
      builder.add(tree);
      if (shards) shards.addLeaves(c, tree.nNodes, tree.feature, tree.start, tree.end, tree.value);
      else addLeafValues(tree, grower.indices, raw, c * n);
      if (rows && inSample) addOutOfSample(tree, binned.columns, rows, inSample, raw, c * n);
      if (vBinned && vRaw) addGrownTreeBinned(tree, vBinned.columns, vn, vRaw, c * vn);
    }
    done = it + 1;
    let vLoss: number | undefined;
    if (val && vRaw) vLoss = loss.value(val.y, vRaw, undefined);
    options.onIteration?.(done, params.maxIter, vLoss);
    if (params.earlyStopping && vLoss !== undefined) {
      if (vLoss < bestLoss - params.earlyStopping.tolerance) {
        bestLoss = vLoss;
        bestIter = done;
      } else if (done - bestIter >= params.earlyStopping.patience) break;
    }
  }
  // Row-major for callers, like predictRaw.
  const rowMajor = new Float64Array(n * k);
  for (let c = 0; c < k; c++) for (let i = 0; i < n; i++) rowMajor[i * k + c] = raw[c * n + i];
  return { model: builder.finish(params.earlyStopping ? Math.max(1, bestIter) : done), raw: rowMajor };
}

/** raw[offset + row] += leaf value for every row of the tree's sample (leaves own slices of indices; one shard). */
function addLeafValues(t: GrownTree, indices: Uint32Array, raw: Float64Array, offset: number): void {
  for (let nd = 0; nd < t.nNodes; nd++) {
    if (t.feature[nd] >= 0) continue;
    const v = t.value[nd];
    for (let i = t.start[2 * nd], e = t.end[2 * nd]; i < e; i++) raw[offset + indices[i]] += v;
  }
}

/** Rows left out of the subsample are routed through the tree on their bins. */
function addOutOfSample(t: GrownTree, columns: Uint8Array[], rows: Uint32Array, inSample: Uint8Array, raw: Float64Array, offset: number): void {
  inSample.fill(0);
  for (let i = 0; i < rows.length; i++) inSample[rows[i]] = 1;
  for (let i = 0; i < inSample.length; i++) {
    if (inSample[i]) continue;
    let n = 0;
    let f = t.feature[0];
    while (f >= 0) {
      n = (t.goLeft[n] as Uint8Array)[columns[f][i]] ? t.left[n] : t.right[n];
      f = t.feature[n];
    }
    raw[offset + i] += t.value[n];
  }
}
