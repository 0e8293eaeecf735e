// The tree grower: best-first (leaf-wise) growth of one regression tree on gradients and
// hessians, up to maxLeaves leaves and maxDepth levels. It knows nothing of the loss.
import { buildHistogram, buildRootHistogram, CACHE_RESIDENT_ROWS, countUnit, gatherGradients, HIST_STRIDE, histogramLayout, subtractHistogram, type HistogramColumns, type HistogramLayout, type RootOrder } from './histogram.js';
import type { ParallelHistogramBuilder } from './parallel.js';
import { emptySplit, findBestSplit, partitionInPlace, partitionWithGradients, splitScratch, type SplitConstraints, type SplitInfo, type SplitScratch } from './splitting.js';

export interface GrowerParams extends SplitConstraints {
  maxLeaves: number;
  /** undefined = unlimited. */
  maxDepth?: number;
  /** Multiplies every leaf value (the learning rate). */
  shrinkage: number;
}

/**
 * A grown tree in training form (bins, not real thresholds). Node 0 is the root; arrays have
 * length >= nNodes. Leaves keep their rows: indices[start[n]..end[n]) of the grower's `indices`.
 */
export interface GrownTree {
  nNodes: number;
  /** Int32Array: split feature, -1 = leaf. */
  feature: Int32Array;
  /** Int32Array: numeric split bin (bins 0..b go left), -1 for categorical splits and leaves. */
  binThreshold: Int32Array;
  /** Uint8Array: 1 = missing goes left. */
  missingLeft: Uint8Array;
  /** Per node: Uint8Array of length 256, 1 if the bin goes left (null for leaves). */
  goLeft: (Uint8Array | null)[];
  isCategorical: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  /** Float64Array: shrunk Newton value -G / (H + l2) * shrinkage (internal nodes too). */
  value: Float64Array;
  /** Float64Array: sum of hessians of the node's rows. */
  cover: Float64Array;
  /** Float64Array: row count of the node (rows of the subsample). */
  count: Float64Array;
  /** Float64Array: split gain (0 for leaves). */
  gain: Float64Array;
  /** Int32Array: the node's slice of `indices`. */
  start: Int32Array;
  end: Int32Array;
  depth: Int32Array;
}

interface Candidate {
  node: number;
  hist: Float64Array;
  split: SplitInfo;
  sumG: number;
  sumH: number;
  count: number;
}

export class TreeGrower {
  readonly layout: HistogramLayout;
  /** Uint32Array of length nRows: row indices, partitioned so that each node owns a slice. */
  readonly indices: Uint32Array;
  private readonly scratch: Uint32Array;
  /** Float64Array of length 2 * nRows: the (gradient, hessian) pair of the row indices[i] at 2i, 2i + 1. */
  private readonly gathered: Float64Array;
  /** Float64Array of length 2 * nRows: the right side's pairs during a partition. */
  private readonly ghScratch: Float64Array;
  private readonly histPool: Float64Array[] = [];
  private readonly splitPool: SplitInfo[] = [];
  private readonly splitScratch: SplitScratch = splitScratch();
  private readonly tree: GrownTree;
  /** Per node, a view into one slab of 256-byte go-left tables (filled when the node splits). */
  private readonly goLeftViews: Uint8Array[];
  /** Float64Array of length 2: the root's gradient and hessian sums (startIndices writes them). */
  private readonly sums = new Float64Array(2);
  /** The count unit of the tree being grown (histogram.ts countUnit). */
  private unit = 1;

  constructor(
    /** The binned columns (byte and packed). */
    private readonly cols: HistogramColumns,
    private readonly nRows: number,
    private readonly nBins: Int32Array,
    private readonly isCategorical: Uint8Array,
    private readonly params: GrowerParams,
    /** Two-thread histogram building over shared memory, or null for one thread. */
    private readonly parallel: ParallelHistogramBuilder | null = null,
    /** The rows grouped by bin (histogram.ts rootOrder) for all-rows roots, or null. */
    private readonly rootOrder: RootOrder | null = null,
  ) {
    this.layout = histogramLayout(nBins);
    // The right sides of partitionWithGradients (training sets beyond the cache, one thread; the
    // parallel builder has its own).
    const large = nRows > CACHE_RESIDENT_ROWS && !parallel;
    this.scratch = new Uint32Array(large ? nRows : 0);
    this.ghScratch = new Float64Array(large ? 2 * nRows : 0);
    if (parallel) {
      // Rows, gradients and histograms live in the builder's shared buffers.
      this.indices = parallel.indices;
      this.gathered = parallel.gh;
      this.histPool.push(...parallel.slots);
    } else {
      this.indices = new Uint32Array(nRows);
      this.gathered = new Float64Array(2 * nRows);
    }
    const cap = 2 * Math.max(1, params.maxLeaves);
    const slab = new Uint8Array(cap * 256);
    this.goLeftViews = Array.from({ length: cap }, (_, i) => slab.subarray(256 * i, 256 * (i + 1)));
    this.tree = {
      nNodes: 0,
      feature: new Int32Array(cap),
      binThreshold: new Int32Array(cap),
      missingLeft: new Uint8Array(cap),
      goLeft: new Array<Uint8Array | null>(cap).fill(null),
      isCategorical: new Uint8Array(cap),
      left: new Int32Array(cap),
      right: new Int32Array(cap),
      value: new Float64Array(cap),
      cover: new Float64Array(cap),
      count: new Float64Array(cap),
      gain: new Float64Array(cap),
      start: new Int32Array(cap),
      end: new Int32Array(cap),
      depth: new Int32Array(cap),
    };
  }

  /**
   * Grows one tree. grad/hess: Float64Array of length nRows. rows: the subsample (sorted row
   * indices) or null for all rows. features: the feature indices this tree may split on.
   * The returned tree is reused by the next call.
   */
  grow(grad: Float64Array, hess: Float64Array, rows: Uint32Array | null, features: Int32Array): GrownTree {
    const p = this.params;
    const t = this.tree;
    t.nNodes = 0;
    const n = rows ? rows.length : this.nRows;
    const sums = this.sums;
    startIndices(this.indices, rows, n, grad, hess, sums);
    const sumG = sums[0];
    const sumH = sums[1];
    this.unit = countUnit(sumH, n);
    const root = this.addNode(0, n, 0, sumG, sumH, n);
    const candidates: Candidate[] = [];
    if (this.canSplit(root)) {
      const hist = this.takeHist();
      gatherGradients(grad, hess, rows ? this.indices : null, 0, n, this.gathered, this.unit);
      if (rows) this.buildHist(features, true, 0, n, hist);
      else if (this.rootOrder) {
        if (this.parallel) this.parallel.buildRoot(features, n, hist);
        else buildRootHistogram(this.rootOrder, this.layout, features, this.gathered, hist);
      } else this.buildHist(features, false, 0, n, hist);
      const c = this.evaluate(root, hist, features, sumG, sumH, n);
      if (c) candidates.push(c);
    }
    let nLeaves = 1;
    while (nLeaves < p.maxLeaves && candidates.length > 0) {
      let bi = 0;
      for (let i = 1; i < candidates.length; i++) if (candidates[i].split.gain > candidates[bi].split.gain) bi = i;
      const cand = candidates[bi];
      candidates.splice(bi, 1);
      // The split that makes the last leaf: its children are never split, so no histograms for them.
      const children = this.split(cand, grad, hess, features, nLeaves + 1 >= p.maxLeaves);
      nLeaves++;
      for (const ch of children) if (ch) candidates.push(ch);
    }
    for (const c of candidates) this.release(c);
    renewLeaves(t, this.indices, grad, hess, this.params);
    return t;
  }

  private addNode(start: number, end: number, depth: number, sumG: number, sumH: number, count: number): number {
    const t = this.tree;
    const id = t.nNodes++;
    t.feature[id] = -1;
    t.binThreshold[id] = -1;
    t.missingLeft[id] = 0;
    t.goLeft[id] = null;
    t.isCategorical[id] = 0;
    t.left[id] = -1;
    t.right[id] = -1;
    t.value[id] = (-sumG / (sumH + this.params.l2)) * this.params.shrinkage;
    t.cover[id] = sumH;
    t.count[id] = count;
    t.gain[id] = 0;
    t.start[id] = start;
    t.end[id] = end;
    t.depth[id] = depth;
    return id;
  }

  private canSplit(node: number): boolean {
    const t = this.tree;
    const p = this.params;
    if (p.maxDepth !== undefined && t.depth[node] >= p.maxDepth) return false;
    if (t.count[node] < 2 * Math.max(1, p.minSamplesLeaf)) return false;
    if (t.cover[node] < 2 * p.minHessianLeaf) return false;
    return true;
  }

  /** Finds the node's best split; returns a candidate, or null (and frees the histogram) if none. */
  private evaluate(node: number, hist: Float64Array, features: Int32Array, sumG: number, sumH: number, count: number): Candidate | null {
    const split = this.splitPool.pop() ?? emptySplit();
    findBestSplit(hist, this.layout, this.nBins, this.isCategorical, features, sumG, sumH, count, this.unit, this.params, this.splitScratch, split);
    if (split.feature < 0) {
      this.histPool.push(hist);
      this.splitPool.push(split);
      return null;
    }
    return { node, hist, split, sumG, sumH, count };
  }

  private split(c: Candidate, grad: Float64Array, hess: Float64Array, features: Int32Array, last: boolean): [Candidate | null, Candidate | null] {
    const t = this.tree;
    const s = c.split;
    const node = c.node;
    const start = t.start[node];
    const end = t.end[node];
    const column = this.cols.columns[s.feature];
    // Histogram counts are exact, so the smaller child is known before the rows move.
    const leftSmaller = s.countLeft <= s.countRight;
    let mid: number;
    if (this.nRows <= CACHE_RESIDENT_ROWS) {
      mid = partitionInPlace(this.indices, start, end, column, s.goLeft);
      if (!last) gatherGradients(grad, hess, this.indices, leftSmaller ? start : mid, leftSmaller ? mid : end, this.gathered, this.unit);
    } else if (this.parallel) mid = this.parallel.partition(start, end, s.feature, s.goLeft);
    else mid = partitionWithGradients(this.indices, this.gathered, start, end, column, s.goLeft, this.scratch, this.ghScratch);
    t.feature[node] = s.feature;
    t.binThreshold[node] = s.isCategorical ? -1 : s.binThreshold;
    t.missingLeft[node] = s.missingLeft ? 1 : 0;
    const goLeft = this.goLeftViews[node];
    goLeft.set(s.goLeft);
    t.goLeft[node] = goLeft;
    t.isCategorical[node] = s.isCategorical ? 1 : 0;
    t.gain[node] = s.gain;
    const d = t.depth[node] + 1;
    const l = this.addNode(start, mid, d, s.gradLeft, s.hessLeft, mid - start);
    const r = this.addNode(mid, end, d, s.gradRight, s.hessRight, end - mid);
    t.left[node] = l;
    t.right[node] = r;
    const splitL = !last && this.canSplit(l);
    const splitR = !last && this.canSplit(r);
    const { gradLeft, hessLeft, gradRight, hessRight } = s;
    this.splitPool.push(s);
    if (!splitL && !splitR) {
      this.histPool.push(c.hist);
      return [null, null];
    }
    // Build the smaller child's histogram; the larger one is the parent minus it (in place).
    const small = leftSmaller ? l : r;
    const smallHist = this.takeHist();
    this.buildHist(features, true, t.start[small], t.end[small], smallHist);
    const largeHist = c.hist;
    subtractHistogram(this.layout, features, largeHist, smallHist, largeHist);
    const histL = leftSmaller ? smallHist : largeHist;
    const histR = leftSmaller ? largeHist : smallHist;
    let cl: Candidate | null = null;
    let cr: Candidate | null = null;
    if (splitL) cl = this.evaluate(l, histL, features, gradLeft, hessLeft, mid - start);
    else this.histPool.push(histL);
    if (splitR) cr = this.evaluate(r, histR, features, gradRight, hessRight, end - mid);
    else this.histPool.push(histR);
    return [cl, cr];
  }

  private buildHist(features: Int32Array, useIndices: boolean, start: number, end: number, hist: Float64Array): void {
    if (this.parallel) this.parallel.build(features, useIndices, start, end, hist);
    else buildHistogram(this.cols, this.layout, features, this.gathered, useIndices ? this.indices : null, start, end, hist);
  }

  private takeHist(): Float64Array {
    const h = this.histPool.pop();
    if (h) return h;
    // The shared slab is sized for the most histograms alive at once (maxLeaves + 2).
    if (this.parallel) throw new Error('out of shared histogram slots');
    return new Float64Array(HIST_STRIDE * this.layout.totalBins);
  }

  private release(c: Candidate): void {
    this.histPool.push(c.hist);
    this.splitPool.push(c.split);
  }
}

/**
 * Sets each leaf's value and cover from the exact sums of its rows' gradients and hessians, and
 * each internal node's cover to the sum of its children's. The histograms' hessian sums carry the
 * row counts (histogram.ts HIST_STRIDE) and lose low bits where hessians are tiny next to the count
 * unit (rows the model is already sure of): they choose the splits, but the values come from
 * here. One pass over the tree's rows (about 1% of a fit at 1M rows).
 */
function renewLeaves(t: GrownTree, indices: Uint32Array, grad: Float64Array, hess: Float64Array, p: GrowerParams): void {
  // Children come after their parent, so a backward pass sees both children before the parent.
  for (let nd = t.nNodes - 1; nd >= 0; nd--) {
    if (t.feature[nd] >= 0) {
      t.cover[nd] = t.cover[t.left[nd]] + t.cover[t.right[nd]];
      continue;
    }
    let g = 0;
    let h = 0;
    for (let i = t.start[nd], e = t.end[nd]; i < e; i++) {
      const r = indices[i];
      g += grad[r];
      h += hess[r];
    }
    t.value[nd] = (-g / (h + p.l2)) * p.shrinkage;
    t.cover[nd] = h;
  }
}

/**
 * Fills indices with the tree's rows (the subsample, or 0..n-1) and writes their gradient and
 * hessian sums to sums[0] and sums[1]. A function of its own, not a loop inside grow: V8 compiled
 * grow on-stack at this loop, then threw the code away at the cold code after it, on every tree
 * (measured: a fifth of bank_marketing's fit time).
 */
function startIndices(indices: Uint32Array, rows: Uint32Array | null, n: number, grad: Float64Array, hess: Float64Array, sums: Float64Array): void {
  let sumG = 0;
  let sumH = 0;
  if (rows) {
    indices.set(rows);
    for (let i = 0; i < n; i++) {
      sumG += grad[rows[i]];
      sumH += hess[rows[i]];
    }
  } else {
    for (let i = 0; i < n; i++) {
      indices[i] = i;
      sumG += grad[i];
      sumH += hess[i];
    }
  }
  sums[0] = sumG;
  sums[1] = sumH;
}
