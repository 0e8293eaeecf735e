// The shipped model: the flat node table built from grown trees, and prediction on raw values.
import type { BinMapper } from './binning.js';
import type { GrownTree } from './grower.js';
import type { GbdtDataset, GbdtLoss, GbdtModel } from './types.js';

/** Version of the node-table layout and of the binary format (serialize.ts). */
export const GBDT_FORMAT_VERSION = 1;

/** Collects trees in the flat layout while boosting runs. */
export class ModelBuilder {
  private readonly treeOffsets: number[] = [0];
  private readonly feature: number[] = [];
  private readonly threshold: number[] = [];
  private readonly missingLeft: number[] = [];
  private readonly left: number[] = [];
  private readonly right: number[] = [];
  private readonly value: number[] = [];
  private readonly cover: number[] = [];
  private readonly gain: number[] = [];
  private readonly catStart: number[] = [];
  private readonly catWords: number[] = [];
  private readonly bitsets: number[] = [];

  constructor(
    private readonly mapper: BinMapper,
    private readonly featureNames: string[],
    private readonly nOutputs: number,
    private readonly baseScore: Float64Array,
  ) {}

  get nTrees(): number {
    return this.treeOffsets.length - 1;
  }

  /** Appends a grown tree, turning bins into real thresholds and category bitsets. */
  add(t: GrownTree): void {
    const base = this.feature.length;
    for (let n = 0; n < t.nNodes; n++) {
      const f = t.feature[n];
      this.feature.push(f);
      this.missingLeft.push(t.missingLeft[n]);
      this.left.push(f >= 0 ? base + t.left[n] : -1);
      this.right.push(f >= 0 ? base + t.right[n] : -1);
      this.value.push(t.value[n]);
      this.cover.push(t.cover[n]);
      this.gain.push(t.gain[n]);
      if (f >= 0 && t.isCategorical[n]) {
        const catToBin = this.mapper.catToBin[f];
        const goLeft = t.goLeft[n] as Uint8Array;
        const words = Math.max(1, Math.ceil(catToBin.length / 32));
        const start = this.bitsets.length;
        for (let w = 0; w < words; w++) this.bitsets.push(0);
        for (let c = 0; c < catToBin.length; c++) if (goLeft[catToBin[c]]) this.bitsets[start + (c >>> 5)] |= 1 << (c & 31);
        this.catStart.push(start);
        this.catWords.push(words);
        this.threshold.push(0);
      } else {
        this.catStart.push(-1);
        this.catWords.push(0);
        if (f >= 0) {
          const edges = this.mapper.edges[f];
          const b = t.binThreshold[n];
          // The last non-missing bin has no upper edge: every number goes left.
          this.threshold.push(b < edges.length ? edges[b] : Infinity);
        } else this.threshold.push(0);
      }
    }
    this.treeOffsets.push(this.feature.length);
  }

  /** The model with the first `iterations` rounds of trees. */
  finish(iterations: number): GbdtModel {
    const nTrees = Math.min(this.nTrees, iterations * this.nOutputs);
    const nNodes = this.treeOffsets[nTrees];
    let nWords = 0;
    for (let i = 0; i < nNodes; i++) if (this.catStart[i] >= 0) nWords = this.catStart[i] + this.catWords[i];
    return {
      formatVersion: GBDT_FORMAT_VERSION,
      nOutputs: this.nOutputs,
      nFeatures: this.mapper.nFeatures,
      featureNames: this.featureNames.slice(),
      featureKinds: Array.from(this.mapper.isCategorical, (c) => (c ? 'categorical' : 'numeric')),
      baseScore: Float64Array.from(this.baseScore),
      nTrees,
      bestIteration: nTrees / this.nOutputs,
      treeOffsets: Int32Array.from(this.treeOffsets.slice(0, nTrees + 1)),
      nodeFeature: Int32Array.from(this.feature.slice(0, nNodes)),
      nodeThreshold: Float64Array.from(this.threshold.slice(0, nNodes)),
      nodeMissingLeft: Uint8Array.from(this.missingLeft.slice(0, nNodes)),
      nodeLeft: Int32Array.from(this.left.slice(0, nNodes)),
      nodeRight: Int32Array.from(this.right.slice(0, nNodes)),
      nodeValue: Float64Array.from(this.value.slice(0, nNodes)),
      nodeCover: Float64Array.from(this.cover.slice(0, nNodes)),
      nodeGain: Float64Array.from(this.gain.slice(0, nNodes)),
      nodeCatStart: Int32Array.from(this.catStart.slice(0, nNodes)),
      nodeCatWords: Int32Array.from(this.catWords.slice(0, nNodes)),
      catBitsets: Uint32Array.from(this.bitsets.slice(0, nWords)),
    };
  }
}

/** Adds a grown tree's values to raw[offset + row] for every row, walking the binned columns. */
export function addGrownTreeBinned(t: GrownTree, columns: Uint8Array[], nRows: number, raw: Float64Array, offset: number): void {
  for (let i = 0; i < nRows; i++) {
    let n = 0;
    let f = t.feature[0];
    while (f >= 0) {
      n = (t.goLeft[n] as Uint8Array)[columns[f][i]] ? t.left[n] : t.right[n];
      f = t.feature[n];
    }
    raw[offset + i] += t.value[n];
  }
}

/**
 * The dataset's columns as Float64Arrays (categorical codes as numbers, missing as NaN), checked
 * against the model's features. Numeric columns are used as they are (no copy).
 */
export function predictionColumns(model: GbdtModel, data: GbdtDataset): Float64Array[] {
  if (data.features.length !== model.nFeatures) throw new Error(`the model has ${model.nFeatures} features, the data ${data.features.length}`);
  const cols: Float64Array[] = [];
  for (let f = 0; f < model.nFeatures; f++) {
    const feat = data.features[f];
    if (feat.kind !== model.featureKinds[f]) throw new Error(`feature ${model.featureNames[f]} must be ${model.featureKinds[f]}, got ${feat.kind}`);
    if (feat.values.length < data.nRows) throw new Error(`feature ${feat.name} has ${feat.values.length} values, expected ${data.nRows}`);
    if (feat.kind === 'numeric') cols.push(feat.values);
    else {
      const c = new Float64Array(data.nRows);
      for (let i = 0; i < data.nRows; i++) c[i] = feat.values[i] >= 0 ? feat.values[i] : NaN;
      cols.push(c);
    }
  }
  return cols;
}

/** The leaf a row reaches in the tree rooted at node `root`. */
export function leafOf(model: GbdtModel, cols: Float64Array[], row: number, root: number): number {
  const feat = model.nodeFeature;
  let n = root;
  let f = feat[n];
  while (f >= 0) {
    n = goesLeft(model, n, cols[f][row]) ? model.nodeLeft[n] : model.nodeRight[n];
    f = feat[n];
  }
  return n;
}

/** Whether value x goes to the left child of internal node n. */
export function goesLeft(model: GbdtModel, n: number, x: number): boolean {
  if (x !== x) return model.nodeMissingLeft[n] === 1;
  const cs = model.nodeCatStart[n];
  if (cs < 0) return x <= model.nodeThreshold[n];
  const w = x >>> 5;
  return x >= 0 && w < model.nodeCatWords[n] && ((model.catBitsets[cs + w] >>> (x & 31)) & 1) === 1;
}

/** Rows per block: each tree is walked for a block of rows while its nodes are hot in cache. */
const BLOCK = 256;

/** Rows walked side by side in the table walk: their node loads overlap instead of waiting on each other. */
const LANES = 8;

/** Raw scores, row-major: length nRows * nOutputs. */
export function predictRaw(model: GbdtModel, data: GbdtDataset, out?: Float64Array): Float64Array {
  const n = data.nRows;
  const k = model.nOutputs;
  const res = out ?? new Float64Array(n * k);
  if (res.length < n * k) throw new Error(`out has length ${res.length}, expected ${n * k}`);
  const cols = predictionColumns(model, data);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) res[i * k + c] = model.baseScore[c];
  const table = walkTable(model);
  if (table) predictTable(model, table, cols, n, res);
  else predictGeneral(model, cols, n, res);
  return res;
}

/**
 * The node table rearranged for branch-free walking: leaves point to themselves with an
 * infinite threshold, so every row of a tree can take the same number of steps (the tree's depth)
 * and LANES rows are walked side by side.
 *
 * The arrays are plain arrays (packed small-integer or packed double elements), not typed arrays:
 * once any ArrayBuffer of a thread has been detached (the server's main thread transfers tables
 * to workers; loading papaparse does it too, so the CLI and the benches), V8 adds a detach check
 * to every typed-array access in that thread's optimized code. The walk is nothing but such
 * loads: on the scale model the same 8-row walk over typed arrays ran at about 490k rows per CPU
 * second before a detach and 330k after; over plain arrays, about 560k in both states.
 */
interface WalkTable {
  /** Packed Smi array of length nNodes: split feature, 0 for leaves. */
  feature: number[];
  /** Packed double array of length nNodes: numeric threshold (raw value), +Infinity for leaves and categorical splits. */
  threshold: number[];
  /** Packed Smi array of length nNodes: left child (right = left + 1), the node itself for leaves. */
  left: number[];
  /** Packed Smi array of length nNodes: 1 = missing values go right (0 for leaves). */
  missingRight: number[];
  /** Packed double array of length nNodes: the node's value (read at leaves). */
  value: number[];
  /** Int32Array of length nTrees: depth of each tree (steps from root to its deepest leaf). */
  depth: Int32Array;
  /** Whether any split is categorical (then every block takes addTreeMixed). */
  hasCategorical: boolean;
  /** Packed Smi array of length nNodes: categories of the node's split (bitset width), 0 if numeric. */
  catWidth: number[];
  /** Packed Smi array of length nNodes: start of the node's directions in catRight, 0 (a 0 entry) if numeric. */
  catBase: number[];
  /**
   * Packed Smi array: catRight[0] = 0 for numeric nodes; per categorical split, 1 at its base (a
   * category past the bitset, never seen in training, goes right), then per category c at
   * base + 1 + c: 1 if c goes right.
   */
  catRight: number[];
}

/** One WalkTable per model with sibling layout, null for the others (general walk). */
const walkTables = new WeakMap<GbdtModel, WalkTable | null>();

/** An empty array whose elements kind is already packed doubles (integers pushed stay doubles). */
function doubleArray(): number[] {
  const a = [0.5];
  a.pop();
  return a;
}

/**
 * The walk table of a model in which every right child directly follows its left child (as the
 * grower writes them), else null.
 */
function walkTable(model: GbdtModel): WalkTable | null {
  const cached = walkTables.get(model);
  if (cached !== undefined) return cached;
  const nNodes = model.nodeFeature.length;
  let siblings = true;
  for (let nd = 0; nd < nNodes && siblings; nd++) {
    if (model.nodeFeature[nd] >= 0 && model.nodeRight[nd] !== model.nodeLeft[nd] + 1) siblings = false;
  }
  if (!siblings) {
    walkTables.set(model, null);
    return null;
  }
  const feature: number[] = [];
  const threshold = doubleArray();
  const left: number[] = [];
  const missingRight: number[] = [];
  const value = doubleArray();
  const catWidth: number[] = [];
  const catBase: number[] = [];
  const catRight = [0];
  for (let nd = 0; nd < nNodes; nd++) {
    const f = model.nodeFeature[nd];
    const leaf = f < 0;
    const cs = model.nodeCatStart[nd];
    const categorical = !leaf && cs >= 0;
    feature.push(leaf ? 0 : f);
    // x > Infinity is false for every x: categorical splits and leaves never go right by threshold.
    threshold.push(leaf || categorical ? Infinity : model.nodeThreshold[nd]);
    catWidth.push(categorical ? 32 * model.nodeCatWords[nd] : 0);
    catBase.push(categorical ? catRight.length : 0);
    if (categorical) {
      catRight.push(1);
      for (let c = 0; c < 32 * model.nodeCatWords[nd]; c++) catRight.push(1 - ((model.catBitsets[cs + (c >>> 5)] >>> (c & 31)) & 1));
    }
    left.push(leaf ? nd : model.nodeLeft[nd]);
    missingRight.push(leaf ? 0 : 1 - model.nodeMissingLeft[nd]);
    value.push(model.nodeValue[nd]);
  }
  const depth = new Int32Array(model.nTrees);
  for (let t = 0; t < model.nTrees; t++) depth[t] = treeDepth(model, model.treeOffsets[t]);
  const hasCategorical = catRight.length > 1;
  const table = { feature, threshold, left, missingRight, value, depth, hasCategorical, catWidth, catBase, catRight };
  walkTables.set(model, table);
  return table;
}

/** Steps from `root` to the deepest leaf below it (children may sit anywhere in the table). */
function treeDepth(model: GbdtModel, root: number): number {
  let deepest = 0;
  /** Pairs (node, its depth) still to visit. */
  const stack = [root, 0];
  while (stack.length > 0) {
    const d = stack.pop() as number;
    const nd = stack.pop() as number;
    if (model.nodeFeature[nd] < 0) deepest = Math.max(deepest, d);
    else stack.push(model.nodeLeft[nd], d + 1, model.nodeRight[nd], d + 1);
  }
  return deepest;
}

function predictTable(model: GbdtModel, table: WalkTable, cols: Float64Array[], n: number, res: Float64Array): void {
  const k = model.nOutputs;
  const nf = model.nFeatures;
  const offsets = model.treeOffsets;
  const nTrees = model.nTrees;
  const depth = table.depth;
  /** Packed double array of rows * nFeatures: the block's rows, row-major, so a row's values share cache lines. */
  const xs = doubleArray();
  for (let i = Math.min(n, BLOCK) * nf; i > 0; i--) xs.push(0);
  for (let b0 = 0; b0 < n; b0 += BLOCK) {
    const bn = Math.min(n, b0 + BLOCK) - b0;
    let anyMissing = false;
    for (let f = 0; f < nf; f++) {
      const col = cols[f];
      for (let i = 0; i < bn; i++) {
        const x = col[b0 + i];
        if (x !== x) anyMissing = true;
        xs[i * nf + f] = x;
      }
    }
    for (let t = 0; t < nTrees; t++) {
      // Blocks without missing values (most of them) take the walk without the NaN test: 20% faster.
      if (table.hasCategorical) addTreeMixed(table, offsets[t], depth[t], xs, nf, bn, res, b0 * k + (t % k), k);
      else if (anyMissing) addTreeWithMissing(table, offsets[t], depth[t], xs, nf, bn, res, b0 * k + (t % k), k);
      else addTree(table, offsets[t], depth[t], xs, nf, bn, res, b0 * k + (t % k), k);
    }
  }
}

/**
 * Adds the leaf values of the tree rooted at `root` (`steps` deep) to res[out + i * k] for the
 * block's rows i < bn, whose values (no NaN among them) are xs[i * nf + feature].
 */
function addTree(table: WalkTable, root: number, steps: number, xs: number[], nf: number, bn: number, res: Float64Array, out: number, k: number): void {
  const feat = table.feature;
  const thr = table.threshold;
  const lc = table.left;
  const val = table.value;
  let i = 0;
  for (; i + LANES <= bn; i += LANES) {
    const r0 = i * nf;
    const r1 = r0 + nf;
    const r2 = r1 + nf;
    const r3 = r2 + nf;
    const r4 = r3 + nf;
    const r5 = r4 + nf;
    const r6 = r5 + nf;
    const r7 = r6 + nf;
    let n0 = root;
    let n1 = root;
    let n2 = root;
    let n3 = root;
    let n4 = root;
    let n5 = root;
    let n6 = root;
    let n7 = root;
    // Two steps a turn (leaves point to themselves, so a step past the depth changes nothing): 3% faster.
    for (let d = 0; d < steps; d += 2) {
      n0 = lc[n0] + +(xs[r0 + feat[n0]] > thr[n0]);
      n1 = lc[n1] + +(xs[r1 + feat[n1]] > thr[n1]);
      n2 = lc[n2] + +(xs[r2 + feat[n2]] > thr[n2]);
      n3 = lc[n3] + +(xs[r3 + feat[n3]] > thr[n3]);
      n4 = lc[n4] + +(xs[r4 + feat[n4]] > thr[n4]);
      n5 = lc[n5] + +(xs[r5 + feat[n5]] > thr[n5]);
      n6 = lc[n6] + +(xs[r6 + feat[n6]] > thr[n6]);
      n7 = lc[n7] + +(xs[r7 + feat[n7]] > thr[n7]);
      n0 = lc[n0] + +(xs[r0 + feat[n0]] > thr[n0]);
      n1 = lc[n1] + +(xs[r1 + feat[n1]] > thr[n1]);
      n2 = lc[n2] + +(xs[r2 + feat[n2]] > thr[n2]);
      n3 = lc[n3] + +(xs[r3 + feat[n3]] > thr[n3]);
      n4 = lc[n4] + +(xs[r4 + feat[n4]] > thr[n4]);
      n5 = lc[n5] + +(xs[r5 + feat[n5]] > thr[n5]);
      n6 = lc[n6] + +(xs[r6 + feat[n6]] > thr[n6]);
      n7 = lc[n7] + +(xs[r7 + feat[n7]] > thr[n7]);
    }
    const o = out + i * k;
    res[o] += val[n0];
    res[o + k] += val[n1];
    res[o + 2 * k] += val[n2];
    res[o + 3 * k] += val[n3];
    res[o + 4 * k] += val[n4];
    res[o + 5 * k] += val[n5];
    res[o + 6 * k] += val[n6];
    res[o + 7 * k] += val[n7];
  }
  for (; i < bn; i++) {
    const r = i * nf;
    let nd = root;
    for (let d = 0; d < steps; d++) nd = lc[nd] + +(xs[r + feat[nd]] > thr[nd]);
    res[out + i * k] += val[nd];
  }
}

/** addTree for blocks with missing values: a NaN goes right where missingRight is 1 (x > thr is false for NaN). */
function addTreeWithMissing(table: WalkTable, root: number, steps: number, xs: number[], nf: number, bn: number, res: Float64Array, out: number, k: number): void {
  const feat = table.feature;
  const thr = table.threshold;
  const lc = table.left;
  const mr = table.missingRight;
  const val = table.value;
  let i = 0;
  for (; i + LANES <= bn; i += LANES) {
    const r0 = i * nf;
    const r1 = r0 + nf;
    const r2 = r1 + nf;
    const r3 = r2 + nf;
    const r4 = r3 + nf;
    const r5 = r4 + nf;
    const r6 = r5 + nf;
    const r7 = r6 + nf;
    let n0 = root;
    let n1 = root;
    let n2 = root;
    let n3 = root;
    let n4 = root;
    let n5 = root;
    let n6 = root;
    let n7 = root;
    for (let d = 0; d < steps; d++) {
      const x0 = xs[r0 + feat[n0]];
      const x1 = xs[r1 + feat[n1]];
      const x2 = xs[r2 + feat[n2]];
      const x3 = xs[r3 + feat[n3]];
      const x4 = xs[r4 + feat[n4]];
      const x5 = xs[r5 + feat[n5]];
      const x6 = xs[r6 + feat[n6]];
      const x7 = xs[r7 + feat[n7]];
      n0 = lc[n0] + (+(x0 > thr[n0]) | (+(x0 !== x0) & mr[n0]));
      n1 = lc[n1] + (+(x1 > thr[n1]) | (+(x1 !== x1) & mr[n1]));
      n2 = lc[n2] + (+(x2 > thr[n2]) | (+(x2 !== x2) & mr[n2]));
      n3 = lc[n3] + (+(x3 > thr[n3]) | (+(x3 !== x3) & mr[n3]));
      n4 = lc[n4] + (+(x4 > thr[n4]) | (+(x4 !== x4) & mr[n4]));
      n5 = lc[n5] + (+(x5 > thr[n5]) | (+(x5 !== x5) & mr[n5]));
      n6 = lc[n6] + (+(x6 > thr[n6]) | (+(x6 !== x6) & mr[n6]));
      n7 = lc[n7] + (+(x7 > thr[n7]) | (+(x7 !== x7) & mr[n7]));
    }
    const o = out + i * k;
    res[o] += val[n0];
    res[o + k] += val[n1];
    res[o + 2 * k] += val[n2];
    res[o + 3 * k] += val[n3];
    res[o + 4 * k] += val[n4];
    res[o + 5 * k] += val[n5];
    res[o + 6 * k] += val[n6];
    res[o + 7 * k] += val[n7];
  }
  for (; i < bn; i++) {
    const r = i * nf;
    let nd = root;
    for (let d = 0; d < steps; d++) {
      const x = xs[r + feat[nd]];
      nd = lc[nd] + (+(x > thr[nd]) | (+(x !== x) & mr[nd]));
    }
    res[out + i * k] += val[nd];
  }
}

/**
 * addTree for models with categorical splits (codes as numbers, NaN = missing), missing values
 * allowed: a node goes right by threshold (numeric), by missingRight (NaN), or by catRight at
 * 1 + code when the code is below the node's width, else at 0 (unseen category, or numeric node).
 */
function addTreeMixed(table: WalkTable, root: number, steps: number, xs: number[], nf: number, bn: number, res: Float64Array, out: number, k: number): void {
  const feat = table.feature;
  const thr = table.threshold;
  const lc = table.left;
  const mr = table.missingRight;
  const cw = table.catWidth;
  const cb = table.catBase;
  const cr = table.catRight;
  const val = table.value;
  let i = 0;
  for (; i + LANES <= bn; i += LANES) {
    const r0 = i * nf;
    const r1 = r0 + nf;
    const r2 = r1 + nf;
    const r3 = r2 + nf;
    const r4 = r3 + nf;
    const r5 = r4 + nf;
    const r6 = r5 + nf;
    const r7 = r6 + nf;
    let n0 = root;
    let n1 = root;
    let n2 = root;
    let n3 = root;
    let n4 = root;
    let n5 = root;
    let n6 = root;
    let n7 = root;
    for (let d = 0; d < steps; d++) {
      const x0 = xs[r0 + feat[n0]];
      const x1 = xs[r1 + feat[n1]];
      const x2 = xs[r2 + feat[n2]];
      const x3 = xs[r3 + feat[n3]];
      const x4 = xs[r4 + feat[n4]];
      const x5 = xs[r5 + feat[n5]];
      const x6 = xs[r6 + feat[n6]];
      const x7 = xs[r7 + feat[n7]];
      const c0 = x0 | 0;
      const c1 = x1 | 0;
      const c2 = x2 | 0;
      const c3 = x3 | 0;
      const c4 = x4 | 0;
      const c5 = x5 | 0;
      const c6 = x6 | 0;
      const c7 = x7 | 0;
      n0 = lc[n0] + (+(x0 > thr[n0]) | (+(x0 !== x0) & mr[n0]) | (+(x0 === x0) & cr[cb[n0] + ((c0 + 1) & -+(c0 >>> 0 < cw[n0]))]));
      n1 = lc[n1] + (+(x1 > thr[n1]) | (+(x1 !== x1) & mr[n1]) | (+(x1 === x1) & cr[cb[n1] + ((c1 + 1) & -+(c1 >>> 0 < cw[n1]))]));
      n2 = lc[n2] + (+(x2 > thr[n2]) | (+(x2 !== x2) & mr[n2]) | (+(x2 === x2) & cr[cb[n2] + ((c2 + 1) & -+(c2 >>> 0 < cw[n2]))]));
      n3 = lc[n3] + (+(x3 > thr[n3]) | (+(x3 !== x3) & mr[n3]) | (+(x3 === x3) & cr[cb[n3] + ((c3 + 1) & -+(c3 >>> 0 < cw[n3]))]));
      n4 = lc[n4] + (+(x4 > thr[n4]) | (+(x4 !== x4) & mr[n4]) | (+(x4 === x4) & cr[cb[n4] + ((c4 + 1) & -+(c4 >>> 0 < cw[n4]))]));
      n5 = lc[n5] + (+(x5 > thr[n5]) | (+(x5 !== x5) & mr[n5]) | (+(x5 === x5) & cr[cb[n5] + ((c5 + 1) & -+(c5 >>> 0 < cw[n5]))]));
      n6 = lc[n6] + (+(x6 > thr[n6]) | (+(x6 !== x6) & mr[n6]) | (+(x6 === x6) & cr[cb[n6] + ((c6 + 1) & -+(c6 >>> 0 < cw[n6]))]));
      n7 = lc[n7] + (+(x7 > thr[n7]) | (+(x7 !== x7) & mr[n7]) | (+(x7 === x7) & cr[cb[n7] + ((c7 + 1) & -+(c7 >>> 0 < cw[n7]))]));
    }
    const o = out + i * k;
    res[o] += val[n0];
    res[o + k] += val[n1];
    res[o + 2 * k] += val[n2];
    res[o + 3 * k] += val[n3];
    res[o + 4 * k] += val[n4];
    res[o + 5 * k] += val[n5];
    res[o + 6 * k] += val[n6];
    res[o + 7 * k] += val[n7];
  }
  for (; i < bn; i++) {
    const r = i * nf;
    let nd = root;
    for (let d = 0; d < steps; d++) {
      const x = xs[r + feat[nd]];
      const c = x | 0;
      nd = lc[nd] + (+(x > thr[nd]) | (+(x !== x) & mr[nd]) | (+(x === x) & cr[cb[nd] + ((c + 1) & -+(c >>> 0 < cw[nd]))]));
    }
    res[out + i * k] += val[nd];
  }
}

/**
 * Any model (any child layout) as plain arrays, for the same reason as
 * WalkTable: one row at a time, node by node, so a categorical test costs no more than it must.
 */
interface GeneralTable {
  /** Packed Smi array of length nNodes: split feature, -1 = leaf. */
  feature: number[];
  /** Packed double array of length nNodes: numeric threshold (raw value). */
  threshold: number[];
  /** Packed Smi array of length nNodes: 1 = missing values go left. */
  missingLeft: number[];
  /** Packed Smi arrays of length nNodes: children (absolute node indices). */
  left: number[];
  right: number[];
  /** Packed Smi array of length nNodes: start of the node's bitset in bits16, -1 if numeric. */
  catStart: number[];
  /** Packed Smi array of length nNodes: categories the bitset covers (a multiple of 32). */
  catWidth: number[];
  /** Packed Smi array: catBitsets cut into 16-bit halves (low half first), so every element is a small integer. */
  bits16: number[];
  /** Packed double array of length nNodes: the node's value (read at leaves). */
  value: number[];
}

const generalTables = new WeakMap<GbdtModel, GeneralTable>();

function generalTable(model: GbdtModel): GeneralTable {
  const cached = generalTables.get(model);
  if (cached) return cached;
  const table: GeneralTable = { feature: [], threshold: doubleArray(), missingLeft: [], left: [], right: [], catStart: [], catWidth: [], bits16: [], value: doubleArray() };
  for (let nd = 0; nd < model.nodeFeature.length; nd++) {
    table.feature.push(model.nodeFeature[nd]);
    table.threshold.push(model.nodeThreshold[nd]);
    table.missingLeft.push(model.nodeMissingLeft[nd]);
    table.left.push(model.nodeLeft[nd]);
    table.right.push(model.nodeRight[nd]);
    const cs = model.nodeCatStart[nd];
    table.catStart.push(cs < 0 ? -1 : 2 * cs);
    table.catWidth.push(cs < 0 ? 0 : 32 * model.nodeCatWords[nd]);
    table.value.push(model.nodeValue[nd]);
  }
  for (const w of model.catBitsets) table.bits16.push(w & 0xffff, w >>> 16);
  generalTables.set(model, table);
  return table;
}

function predictGeneral(model: GbdtModel, cols: Float64Array[], n: number, res: Float64Array): void {
  const k = model.nOutputs;
  const nf = model.nFeatures;
  const table = generalTable(model);
  const offsets = model.treeOffsets;
  const nTrees = model.nTrees;
  const xs = doubleArray();
  for (let i = Math.min(n, BLOCK) * nf; i > 0; i--) xs.push(0);
  for (let b0 = 0; b0 < n; b0 += BLOCK) {
    const bn = Math.min(n, b0 + BLOCK) - b0;
    for (let f = 0; f < nf; f++) {
      const col = cols[f];
      for (let i = 0; i < bn; i++) xs[i * nf + f] = col[b0 + i];
    }
    for (let t = 0; t < nTrees; t++) addTreeGeneral(table, offsets[t], xs, nf, bn, res, b0 * k + (t % k), k);
  }
}

/** Adds the leaf values of the tree rooted at `root` to res[out + i * k] for the block's rows i < bn. */
function addTreeGeneral(table: GeneralTable, root: number, xs: number[], nf: number, bn: number, res: Float64Array, out: number, k: number): void {
  const feat = table.feature;
  const thr = table.threshold;
  const ml = table.missingLeft;
  const lc = table.left;
  const rc = table.right;
  const cs = table.catStart;
  const cw = table.catWidth;
  const bits = table.bits16;
  const val = table.value;
  for (let i = 0, r = 0; i < bn; i++, r += nf) {
    let nd = root;
    let f = feat[nd];
    while (f >= 0) {
      const x = xs[r + f];
      let left: boolean;
      if (x !== x) left = ml[nd] === 1;
      else {
        const s = cs[nd];
        if (s < 0) left = x <= thr[nd];
        // Categories past the bitset (never seen in training) go right.
        else left = x < cw[nd] && ((bits[s + (x >>> 4)] >>> (x & 15)) & 1) === 1;
      }
      nd = left ? lc[nd] : rc[nd];
      f = feat[nd];
    }
    res[out + i * k] += val[nd];
  }
}

/** Probabilities (sigmoid, softmax) or values (identity) from raw scores. */
export function transformRaw(model: GbdtModel, raw: Float64Array, loss: GbdtLoss): Float64Array {
  const k = model.nOutputs;
  const out = new Float64Array(raw.length);
  if (loss === 'logloss') {
    for (let i = 0; i < raw.length; i++) out[i] = 1 / (1 + Math.exp(-raw[i]));
  } else if (loss === 'softmax') {
    for (let o = 0; o < raw.length; o += k) {
      let max = -Infinity;
      for (let c = 0; c < k; c++) if (raw[o + c] > max) max = raw[o + c];
      let sum = 0;
      for (let c = 0; c < k; c++) sum += out[o + c] = Math.exp(raw[o + c] - max);
      for (let c = 0; c < k; c++) out[o + c] /= sum;
    }
  } else out.set(raw);
  return out;
}

/** Total split gain per feature (length nFeatures), for influence. */
export function featureGain(model: GbdtModel): Float64Array {
  const out = new Float64Array(model.nFeatures);
  const nNodes = model.nodeFeature.length;
  for (let n = 0; n < nNodes; n++) {
    const f = model.nodeFeature[n];
    if (f >= 0) out[f] += model.nodeGain[n];
  }
  return out;
}
