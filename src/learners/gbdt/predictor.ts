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

/** Raw scores, row-major: length nRows * nOutputs. */
export function predictRaw(model: GbdtModel, data: GbdtDataset, out?: Float64Array): Float64Array {
  const n = data.nRows;
  const k = model.nOutputs;
  const res = out ?? new Float64Array(n * k);
  if (res.length < n * k) throw new Error(`out has length ${res.length}, expected ${n * k}`);
  const cols = predictionColumns(model, data);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) res[i * k + c] = model.baseScore[c];
  if (isNumericSiblingLayout(model)) predictNumeric(model, cols, n, res);
  else predictGeneral(model, cols, n, res);
  return res;
}

/**
 * True when no split is categorical and every right child directly follows its left child (as
 * the grower writes them): the fast path then needs no categorical test and no right-child load.
 */
function isNumericSiblingLayout(model: GbdtModel): boolean {
  const nNodes = model.nodeFeature.length;
  for (let nd = 0; nd < nNodes; nd++) {
    if (model.nodeFeature[nd] < 0) continue;
    if (model.nodeCatStart[nd] >= 0 || model.nodeRight[nd] !== model.nodeLeft[nd] + 1) return false;
  }
  return true;
}

/**
 * The numeric node table rearranged for branch-free walking: leaves point to themselves with an
 * infinite threshold, so every row of a tree can take the same number of steps (the tree's depth)
 * and four rows are walked side by side (their loads overlap instead of waiting on each other).
 */
interface WalkTable {
  /** Int32Array of length nNodes: split feature, 0 for leaves. */
  feature: Int32Array;
  /** Float64Array of length nNodes: threshold, +Infinity for leaves. */
  threshold: Float64Array;
  /** Int32Array of length nNodes: left child (right = left + 1), the node itself for leaves. */
  left: Int32Array;
  /** Int32Array of length nNodes: 1 = missing values go right (0 for leaves). */
  missingRight: Int32Array;
  /** Int32Array of length nTrees: depth of each tree (steps from root to its deepest leaf). */
  depth: Int32Array;
}

const walkTables = new WeakMap<GbdtModel, WalkTable>();

function walkTable(model: GbdtModel): WalkTable {
  const cached = walkTables.get(model);
  if (cached) return cached;
  const nNodes = model.nodeFeature.length;
  const feature = new Int32Array(nNodes);
  const threshold = new Float64Array(nNodes);
  const left = new Int32Array(nNodes);
  const missingRight = new Int32Array(nNodes);
  const depth = new Int32Array(model.nTrees);
  for (let nd = 0; nd < nNodes; nd++) {
    const f = model.nodeFeature[nd];
    if (f < 0) {
      threshold[nd] = Infinity;
      left[nd] = nd;
    } else {
      feature[nd] = f;
      threshold[nd] = model.nodeThreshold[nd];
      left[nd] = model.nodeLeft[nd];
      missingRight[nd] = 1 - model.nodeMissingLeft[nd];
    }
  }
  const nodeDepth = new Int32Array(nNodes);
  for (let t = 0; t < model.nTrees; t++) {
    let d = 0;
    // Children come after their parent in the table, so one forward pass sets every depth.
    for (let nd = model.treeOffsets[t]; nd < model.treeOffsets[t + 1]; nd++) {
      if (model.nodeFeature[nd] < 0) {
        if (nodeDepth[nd] > d) d = nodeDepth[nd];
        continue;
      }
      nodeDepth[model.nodeLeft[nd]] = nodeDepth[nd] + 1;
      nodeDepth[model.nodeRight[nd]] = nodeDepth[nd] + 1;
    }
    depth[t] = d;
  }
  const table = { feature, threshold, left, missingRight, depth };
  walkTables.set(model, table);
  return table;
}

function predictNumeric(model: GbdtModel, cols: Float64Array[], n: number, res: Float64Array): void {
  const k = model.nOutputs;
  const nf = model.nFeatures;
  const { feature: feat, threshold: thr, left: lc, missingRight: mr, depth } = walkTable(model);
  const lf = model.nodeFeature;
  const val = model.nodeValue;
  const offsets = model.treeOffsets;
  const nTrees = model.nTrees;
  /** Float64Array of BLOCK * nFeatures: the block's rows, row-major, so a row's values share cache lines. */
  const xs = new Float64Array(BLOCK * nf);
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
    // Rows past the end of a short block repeat the last row (their results are not stored).
    for (let i = bn; i < BLOCK && i < bn + 3; i++) xs.copyWithin(i * nf, (bn - 1) * nf, bn * nf);
    for (let t = 0; t < nTrees; t++) {
      const root = offsets[t];
      const o = t % k;
      const steps = depth[t];
      for (let i = 0; i < bn; i += 4) {
        const r0 = i * nf;
        const r1 = r0 + nf;
        const r2 = r1 + nf;
        const r3 = r2 + nf;
        let n0 = root;
        let n1 = root;
        let n2 = root;
        let n3 = root;
        // Walk until all four rows sit on leaves (leaf = -1 in nodeFeature; AND of four is -1
        // only when all are leaves); leaves point to themselves, so finished rows stay put.
        if (anyMissing) {
          for (let d = 0; d < steps && (lf[n0] & lf[n1] & lf[n2] & lf[n3]) !== -1; d++) {
            // x > thr is false for NaN, whose side comes from missingRight.
            const x0 = xs[r0 + feat[n0]];
            const x1 = xs[r1 + feat[n1]];
            const x2 = xs[r2 + feat[n2]];
            const x3 = xs[r3 + feat[n3]];
            n0 = lc[n0] + (+(x0 > thr[n0]) | (+(x0 !== x0) & mr[n0]));
            n1 = lc[n1] + (+(x1 > thr[n1]) | (+(x1 !== x1) & mr[n1]));
            n2 = lc[n2] + (+(x2 > thr[n2]) | (+(x2 !== x2) & mr[n2]));
            n3 = lc[n3] + (+(x3 > thr[n3]) | (+(x3 !== x3) & mr[n3]));
          }
        } else {
          // The same walk for blocks without missing values (most of them): 20% faster.
          while ((lf[n0] & lf[n1] & lf[n2] & lf[n3]) !== -1) {
            n0 = lc[n0] + +(xs[r0 + feat[n0]] > thr[n0]);
            n1 = lc[n1] + +(xs[r1 + feat[n1]] > thr[n1]);
            n2 = lc[n2] + +(xs[r2 + feat[n2]] > thr[n2]);
            n3 = lc[n3] + +(xs[r3 + feat[n3]] > thr[n3]);
          }
        }
        const out = (b0 + i) * k + o;
        res[out] += val[n0];
        if (i + 1 < bn) res[out + k] += val[n1];
        if (i + 2 < bn) res[out + 2 * k] += val[n2];
        if (i + 3 < bn) res[out + 3 * k] += val[n3];
      }
    }
  }
}

function predictGeneral(model: GbdtModel, cols: Float64Array[], n: number, res: Float64Array): void {
  const k = model.nOutputs;
  const feat = model.nodeFeature;
  const thr = model.nodeThreshold;
  const ml = model.nodeMissingLeft;
  const lc = model.nodeLeft;
  const rc = model.nodeRight;
  const val = model.nodeValue;
  const cs = model.nodeCatStart;
  const cw = model.nodeCatWords;
  const bits = model.catBitsets;
  const offsets = model.treeOffsets;
  const nTrees = model.nTrees;
  for (let b0 = 0; b0 < n; b0 += BLOCK) {
    const b1 = Math.min(n, b0 + BLOCK);
    for (let t = 0; t < nTrees; t++) {
      const root = offsets[t];
      const o = t % k;
      for (let i = b0; i < b1; i++) {
        let nd = root;
        let f = feat[nd];
        while (f >= 0) {
          const x = cols[f][i];
          let left: boolean;
          if (x !== x) left = ml[nd] === 1;
          else {
            const s = cs[nd];
            if (s < 0) left = x <= thr[nd];
            else {
              const w = x >>> 5;
              left = x >= 0 && w < cw[nd] && ((bits[s + w] >>> (x & 31)) & 1) === 1;
            }
          }
          nd = left ? lc[nd] : rc[nd];
          f = feat[nd];
        }
        res[i * k + o] += val[nd];
      }
    }
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
