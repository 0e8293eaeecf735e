// The tree grower: best-first (leaf-wise) growth of one regression tree on gradients and
// hessians, up to maxLeaves leaves and maxDepth levels. It knows nothing of the loss.
import { buildHistogram, buildRootHistogram, countUnit, gatherGradients, HIST_STRIDE, histogramLayout, subtractHistogram, type HistogramColumns, type HistogramLayout, type RootOrder } from './histogram.js';
import { SIDE, type RowShards } from './shards.js';
import { emptySplit, findBestSplit, partitionInPlace, splitScratch, type SplitConstraints, type SplitInfo, type SplitScratch } from './splitting.js';

export interface GrowerParams extends SplitConstraints {
  maxLeaves: number;
  /** undefined = unlimited. */
  maxDepth?: number;
  /** Multiplies every leaf value (the learning rate). */
  shrinkage: number;
}

/**
 * A grown tree in training form (bins, not real thresholds). Node 0 is the root; arrays have
 * length >= nNodes. Leaves keep their rows: in each row shard s (shards.ts; a set in cache has
 * one, and shard 1's ranges are empty), indices[start[2n + s]..end[2n + s]) of the grower's `indices`.
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
  /** Int32Array of length 2 * nodes: the node's slice of `indices` in shard s at 2 * node + s. */
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
  /** Uint32Array of length nRows: row indices, partitioned so that each node owns a slice (per shard). */
  readonly indices: Uint32Array;
  /** Float64Array of length 2 * nRows: the (gradient, hessian) pair of the row indices[i] at 2i, 2i + 1. */
  private readonly gathered: Float64Array;
  private readonly histPool: Float64Array[] = [];
  private readonly splitPool: SplitInfo[] = [];
  private readonly splitScratch: SplitScratch = splitScratch();
  private readonly tree: GrownTree;
  /** Per node, a view into one slab of 256-byte go-left tables (filled when the node splits). */
  private readonly goLeftViews: Uint8Array[];
  /** Float64Array of length 2: the root's gradient and hessian sums. */
  private readonly sums = new Float64Array(2);
  /** Float64Array of length 2 * nodes: each leaf's exact gradient and hessian sums (renewLeaves). */
  private readonly leafSums: Float64Array;
  /** A node's ranges in both shards (start, end of shard 0, then of shard 1). */
  private readonly ranges = new Int32Array(4);
  /** The count unit of the tree being grown (histogram.ts countUnit). */
  private unit = 1;

  constructor(
    /** The binned columns (byte and packed). */
    private readonly cols: HistogramColumns,
    private readonly nRows: number,
    private readonly nBins: Int32Array,
    private readonly isCategorical: Uint8Array,
    private readonly params: GrowerParams,
    /**
     * The row shards of a set beyond the cache (they hold the rows and gradient pairs, and do
     * every per-row step), or null: then rows are partitioned in place and each smaller child
     * gathers its pairs.
     */
    private readonly shards: RowShards | null = null,
    /** The rows grouped by bin (histogram.ts rootOrder) for all-rows roots, or null. */
    private readonly rootOrder: RootOrder | null = null,
  ) {
    this.layout = histogramLayout(nBins);
    if (shards) {
      this.indices = shards.arrays.indices;
      this.gathered = shards.arrays.gh;
    } else {
      this.indices = new Uint32Array(nRows);
      this.gathered = new Float64Array(2 * nRows);
    }
    const cap = 2 * Math.max(1, params.maxLeaves);
    const slab = new Uint8Array(cap * 256);
    this.goLeftViews = Array.from({ length: cap }, (_, i) => slab.subarray(256 * i, 256 * (i + 1)));
    this.leafSums = new Float64Array(2 * cap);
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
      start: new Int32Array(2 * cap),
      end: new Int32Array(2 * cap),
      depth: new Int32Array(cap),
    };
  }

  /**
   * Grows one tree. grad/hess: Float64Array of length nRows (with shards: the shards' arrays of
   * `output`). rows: the subsample (sorted row indices) or null for all rows. features: the
   * feature indices this tree may split on. The returned tree is reused by the next call.
   */
  grow(grad: Float64Array, hess: Float64Array, rows: Uint32Array | null, features: Int32Array, output = 0): GrownTree {
    const p = this.params;
    const t = this.tree;
    const shards = this.shards;
    t.nNodes = 0;
    const n = rows ? rows.length : this.nRows;
    const sums = this.sums;
    if (shards) shards.startTree(output, rows, sums);
    else startIndices(this.indices, rows, n, grad, hess, sums);
    const sumG = sums[0];
    const sumH = sums[1];
    this.unit = countUnit(sumH, n);
    const bound = shards ? shards.bound : n;
    const root = this.addNode(0, bound, bound, n, 0, sumG, sumH, n);
    const candidates: Candidate[] = [];
    if (this.canSplit(0, n, sumH)) {
      const hist = this.takeHist();
      if (shards) shards.root(output, this.unit, features, hist);
      else {
        gatherGradients(grad, hess, rows ? this.indices : null, 0, n, this.gathered, this.unit);
        if (!rows && this.rootOrder) buildRootHistogram(this.rootOrder, this.layout, features, this.gathered, hist);
        else buildHistogram(this.cols, this.layout, features, this.gathered, rows ? this.indices : null, 0, n, hist);
      }
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
    if (shards) shards.leafSums(output, t.nNodes, t.feature, t.start, t.end, this.leafSums);
    else sumLeaves(t, this.indices, grad, hess, this.leafSums);
    renewLeaves(t, this.leafSums, this.params);
    return t;
  }

  private addNode(start0: number, end0: number, start1: number, end1: number, depth: number, sumG: number, sumH: number, count: number): number {
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
    t.start[2 * id] = start0;
    t.end[2 * id] = end0;
    t.start[2 * id + 1] = start1;
    t.end[2 * id + 1] = end1;
    t.depth[id] = depth;
    return id;
  }

  /** Whether a node at this depth with these rows and hessian sum may split. */
  private canSplit(depth: number, count: number, cover: number): boolean {
    const p = this.params;
    if (p.maxDepth !== undefined && depth >= p.maxDepth) return false;
    if (count < 2 * Math.max(1, p.minSamplesLeaf)) return false;
    if (cover < 2 * p.minHessianLeaf) return false;
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
    // Histogram counts and sums are exact, so which children may split, and which is smaller, is
    // known before the rows move.
    const d = t.depth[node] + 1;
    const splitL = !last && this.canSplit(d, s.countLeft, s.hessLeft);
    const splitR = !last && this.canSplit(d, s.countRight, s.hessRight);
    const leftSmaller = s.countLeft <= s.countRight;
    const smallHist = splitL || splitR ? this.takeHist() : null;
    const r = this.ranges;
    for (let k = 0; k < 2; k++) {
      r[2 * k] = t.start[2 * node + k];
      r[2 * k + 1] = t.end[2 * node + k];
    }
    let mid0: number;
    let mid1: number;
    if (this.shards) {
      // Both shards partition, and sum the smaller child's histogram.
      this.shards.split(r, s.feature, s.goLeft, smallHist ? (leftSmaller ? SIDE.left : SIDE.right) : SIDE.none, features, smallHist);
      mid0 = this.shards.mids[0];
      mid1 = this.shards.mids[1];
    } else {
      const start = r[0];
      const end = r[1];
      mid0 = partitionInPlace(this.indices, start, end, this.cols.columns[s.feature], s.goLeft);
      mid1 = r[2];
      if (smallHist) {
        const a = leftSmaller ? start : mid0;
        const b = leftSmaller ? mid0 : end;
        gatherGradients(grad, hess, this.indices, a, b, this.gathered, this.unit);
        buildHistogram(this.cols, this.layout, features, this.gathered, this.indices, a, b, smallHist);
      }
    }
    t.feature[node] = s.feature;
    t.binThreshold[node] = s.isCategorical ? -1 : s.binThreshold;
    t.missingLeft[node] = s.missingLeft ? 1 : 0;
    const goLeft = this.goLeftViews[node];
    goLeft.set(s.goLeft);
    t.goLeft[node] = goLeft;
    t.isCategorical[node] = s.isCategorical ? 1 : 0;
    t.gain[node] = s.gain;
    const l = this.addNode(r[0], mid0, r[2], mid1, d, s.gradLeft, s.hessLeft, s.countLeft);
    const rn = this.addNode(mid0, r[1], mid1, r[3], d, s.gradRight, s.hessRight, s.countRight);
    t.left[node] = l;
    t.right[node] = rn;
    const { gradLeft, hessLeft, gradRight, hessRight, countLeft, countRight } = s;
    this.splitPool.push(s);
    if (!smallHist) {
      this.histPool.push(c.hist);
      return [null, null];
    }
    // The larger child's histogram is the parent's minus the smaller one's (in place).
    const largeHist = c.hist;
    subtractHistogram(this.layout, features, largeHist, smallHist, largeHist);
    const histL = leftSmaller ? smallHist : largeHist;
    const histR = leftSmaller ? largeHist : smallHist;
    let cl: Candidate | null = null;
    let cr: Candidate | null = null;
    if (splitL) cl = this.evaluate(l, histL, features, gradLeft, hessLeft, countLeft);
    else this.histPool.push(histL);
    if (splitR) cr = this.evaluate(rn, histR, features, gradRight, hessRight, countRight);
    else this.histPool.push(histR);
    return [cl, cr];
  }

  private takeHist(): Float64Array {
    return this.histPool.pop() ?? new Float64Array(HIST_STRIDE * this.layout.totalBins);
  }

  private release(c: Candidate): void {
    this.histPool.push(c.hist);
    this.splitPool.push(c.split);
  }
}

/** Per leaf of the tree, the exact sums of its rows' gradients and hessians into sums[2n], sums[2n + 1] (one shard). */
function sumLeaves(t: GrownTree, indices: Uint32Array, grad: Float64Array, hess: Float64Array, sums: Float64Array): void {
  for (let nd = 0; nd < t.nNodes; nd++) {
    if (t.feature[nd] >= 0) continue;
    let g = 0;
    let h = 0;
    for (let i = t.start[2 * nd], e = t.end[2 * nd]; i < e; i++) {
      const r = indices[i];
      g += grad[r];
      h += hess[r];
    }
    sums[2 * nd] = g;
    sums[2 * nd + 1] = h;
  }
}

/**
 * Sets each leaf's value and cover from the exact sums of its rows' gradients and hessians
 * (leafSums at 2n, 2n + 1), and each internal node's cover to the sum of its children's. The
 * histograms' hessian sums carry the row counts (histogram.ts HIST_STRIDE) and lose low bits where
 * hessians are tiny next to the count unit (rows the model is already sure of): they choose the
 * splits, but the values come from here. One pass over the tree's rows (about 1% of a fit at 1M rows).
 */
function renewLeaves(t: GrownTree, leafSums: Float64Array, p: GrowerParams): void {
  // Children come after their parent, so a backward pass sees both children before the parent.
  for (let nd = t.nNodes - 1; nd >= 0; nd--) {
    if (t.feature[nd] >= 0) {
      t.cover[nd] = t.cover[t.left[nd]] + t.cover[t.right[nd]];
      continue;
    }
    const g = leafSums[2 * nd];
    const h = leafSums[2 * nd + 1];
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
