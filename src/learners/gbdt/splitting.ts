// Split finding: the best split of a node from its histogram (numeric thresholds with a learned
// missing-value direction, LightGBM-style categorical partitions), and the partition of the
// node's sample indices that applies it.
import { binCount, type HistogramLayout } from './histogram.js';

/** Slots per histogram bin (histogram.ts HIST_STRIDE), local so hot loops read a constant. */
const HIST_STRIDE = 2;

/** Extra smoothing of a category's gradient/hessian ratio when categories are sorted (LightGBM cat_smooth). */
const CAT_SMOOTH = 10;
/** Extra L2 in the gain of categorical splits (LightGBM cat_l2): many-way partitions overfit easily. */
const CAT_L2 = 10;
/** Categories with fewer rows in the node are not sorted on their own ratio (scikit-learn MIN_CAT_SUPPORT). */
const MIN_CAT_SUPPORT = 10;
/** Gains must exceed this to split: float noise must not create splits. */
const MIN_GAIN = 1e-12;

export interface SplitConstraints {
  l2: number;
  minSamplesLeaf: number;
  minHessianLeaf: number;
  /** Most categories on the left side of a categorical split. */
  maxCatThreshold: number;
}

/** The best split found for a node (feature -1 = no valid split). */
export interface SplitInfo {
  gain: number;
  feature: number;
  isCategorical: boolean;
  /** Numeric: non-missing bins 0..binThreshold go left. */
  binThreshold: number;
  missingLeft: boolean;
  /** Uint8Array of length 256: 1 if the bin (missing bin included) goes left. */
  goLeft: Uint8Array;
  gradLeft: number;
  hessLeft: number;
  countLeft: number;
  gradRight: number;
  hessRight: number;
  countRight: number;
}

export function emptySplit(): SplitInfo {
  return {
    gain: 0,
    feature: -1,
    isCategorical: false,
    binThreshold: -1,
    missingLeft: false,
    goLeft: new Uint8Array(256),
    gradLeft: 0,
    hessLeft: 0,
    countLeft: 0,
    gradRight: 0,
    hessRight: 0,
    countRight: 0,
  };
}

/** Scratch space reused across calls (categorical sorting). */
export interface SplitScratch {
  /** Int32Array of length 256: bins of the categories being sorted. */
  catBins: Int32Array;
  /** Float64Array of length 256: their sort keys. */
  catKeys: Float64Array;
}

export function splitScratch(): SplitScratch {
  return { catBins: new Int32Array(256), catKeys: new Float64Array(256) };
}

/**
 * Finds the best split of a node over `features` and writes it to `out` (out.feature = -1 if none).
 * sumG/sumH/count: the node's totals; unit: the tree's count unit (histogram.ts countUnit).
 */
export function findBestSplit(
  hist: Float64Array,
  layout: HistogramLayout,
  nBins: Int32Array,
  isCategorical: Uint8Array,
  features: Int32Array,
  sumG: number,
  sumH: number,
  count: number,
  unit: number,
  c: SplitConstraints,
  scratch: SplitScratch,
  out: SplitInfo,
): void {
  out.feature = -1;
  out.gain = 0;
  let best = MIN_GAIN;
  const l2 = c.l2;
  const minC = c.minSamplesLeaf;
  const minH = c.minHessianLeaf;
  const parentScore = (sumG * sumG) / (sumH + l2);
  const offsets = layout.offsets;
  for (let k = 0; k < features.length; k++) {
    const f = features[k];
    const base = HIST_STRIDE * offsets[f];
    const nb = nBins[f];
    const mi = base + HIST_STRIDE * nb;
    const mg = hist[mi];
    const mq = hist[mi + 1];
    const mc = binCount(mq, unit);
    if (isCategorical[f]) {
      best = categoricalSplit(hist, base, nb, f, mg, mq, mc, sumG, sumH, count, unit, c, scratch, best, out);
      continue;
    }
    // Pass 1: missing values go right. With missing values present, the last split
    // (every non-missing bin left) separates missing from non-missing.
    // ql: the left side's count-and-hessian sum (histogram.ts HIST_STRIDE).
    let gl = 0;
    let ql = 0;
    const lastA = mc > 0 ? nb - 1 : nb - 2;
    for (let b = 0; b <= lastA; b++) {
      const j = base + HIST_STRIDE * b;
      gl += hist[j];
      ql += hist[j + 1];
      const cl = binCount(ql, unit);
      const hl = ql - cl * unit;
      if (cl < minC || hl < minH) continue;
      const cr = count - cl;
      if (cr < minC) break;
      const hr = sumH - hl;
      if (hr < minH) break;
      const gr = sumG - gl;
      const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parentScore;
      if (gain > best) {
        best = gain;
        // Without missing values in this node, unseen missing values follow the larger child.
        setNumeric(out, f, b, mc > 0 ? false : cl >= cr, gain, gl, hl, cl, gr, hr, cr);
      }
    }
    if (mc <= 0) continue;
    // Pass 2: missing values go left.
    gl = mg;
    ql = mq;
    for (let b = 0; b <= nb - 2; b++) {
      const j = base + HIST_STRIDE * b;
      gl += hist[j];
      ql += hist[j + 1];
      const cl = binCount(ql, unit);
      const hl = ql - cl * unit;
      if (cl < minC || hl < minH) continue;
      const cr = count - cl;
      if (cr < minC) break;
      const hr = sumH - hl;
      if (hr < minH) break;
      const gr = sumG - gl;
      const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parentScore;
      if (gain > best) {
        best = gain;
        setNumeric(out, f, b, true, gain, gl, hl, cl, gr, hr, cr);
      }
    }
  }
  if (out.feature >= 0 && !out.isCategorical) {
    const g = out.goLeft;
    g.fill(0);
    for (let b = 0; b <= out.binThreshold; b++) g[b] = 1;
    g[nBins[out.feature]] = out.missingLeft ? 1 : 0;
  }
}

function setNumeric(out: SplitInfo, f: number, b: number, missingLeft: boolean, gain: number, gl: number, hl: number, cl: number, gr: number, hr: number, cr: number): void {
  out.gain = gain;
  out.feature = f;
  out.isCategorical = false;
  out.binThreshold = b;
  out.missingLeft = missingLeft;
  out.gradLeft = gl;
  out.hessLeft = hl;
  out.countLeft = cl;
  out.gradRight = gr;
  out.hessRight = hr;
  out.countRight = cr;
}

/**
 * Categorical split: categories with enough rows are sorted by smoothed gradient/hessian ratio and
 * the best prefix (from either end, at most maxCatThreshold categories) goes left; the rest
 * (rare categories included) go right. Missing values try both sides. Returns the new best gain.
 */
function categoricalSplit(
  hist: Float64Array,
  base: number,
  nb: number,
  f: number,
  mg: number,
  mq: number,
  mc: number,
  sumG: number,
  sumH: number,
  count: number,
  unit: number,
  c: SplitConstraints,
  scratch: SplitScratch,
  best: number,
  out: SplitInfo,
): number {
  const bins = scratch.catBins;
  const keys = scratch.catKeys;
  let m = 0;
  for (let b = 0; b < nb; b++) {
    const j = base + HIST_STRIDE * b;
    const q = hist[j + 1];
    const cb = binCount(q, unit);
    if (cb >= MIN_CAT_SUPPORT) {
      bins[m] = b;
      keys[m] = hist[j] / (q - cb * unit + CAT_SMOOTH);
      m++;
    }
  }
  if (m === 0 || (m === 1 && mc <= 0)) return best;
  // Insertion sort by key then bin: m <= 256 and it is deterministic.
  for (let i = 1; i < m; i++) {
    const kb = bins[i];
    const kk = keys[i];
    let j = i - 1;
    while (j >= 0 && (keys[j] > kk || (keys[j] === kk && bins[j] > kb))) {
      keys[j + 1] = keys[j];
      bins[j + 1] = bins[j];
      j--;
    }
    keys[j + 1] = kk;
    bins[j + 1] = kb;
  }
  const l2 = c.l2 + CAT_L2;
  const parentScore = (sumG * sumG) / (sumH + l2);
  const maxLeft = Math.min(c.maxCatThreshold, m);
  let bestDir = 0;
  let bestLen = 0;
  let bestMissLeft = false;
  let found = false;
  for (let dir = 0; dir < 2; dir++) {
    for (let missLeft = 0; missLeft < (mc > 0 ? 2 : 1); missLeft++) {
      let gl = missLeft ? mg : 0;
      let ql = missLeft ? mq : 0;
      for (let len = 1; len <= maxLeft; len++) {
        const b = bins[dir === 0 ? len - 1 : m - len];
        const j = base + HIST_STRIDE * b;
        gl += hist[j];
        ql += hist[j + 1];
        const cl = binCount(ql, unit);
        const hl = ql - cl * unit;
        // Everything left is not a split (unless missing or rare categories stay right).
        if (cl >= count) break;
        if (cl < c.minSamplesLeaf || hl < c.minHessianLeaf) continue;
        const cr = count - cl;
        const hr = sumH - hl;
        if (cr < c.minSamplesLeaf || hr < c.minHessianLeaf) break;
        const gr = sumG - gl;
        const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parentScore;
        if (gain > best) {
          best = gain;
          found = true;
          bestDir = dir;
          bestLen = len;
          bestMissLeft = missLeft === 1;
          out.gain = gain;
          out.feature = f;
          out.isCategorical = true;
          out.binThreshold = -1;
          out.gradLeft = gl;
          out.hessLeft = hl;
          out.countLeft = cl;
          out.gradRight = gr;
          out.hessRight = hr;
          out.countRight = cr;
        }
      }
    }
  }
  if (found) {
    const g = out.goLeft;
    g.fill(0);
    for (let len = 1; len <= bestLen; len++) g[bins[bestDir === 0 ? len - 1 : m - len]] = 1;
    // Without missing values here, unseen missing values follow the larger child.
    out.missingLeft = mc > 0 ? bestMissLeft : out.countLeft >= out.countRight;
    g[nb] = out.missingLeft ? 1 : 0;
  }
  return best;
}

/**
 * Unstable partition of indices[start..end) by goLeft[column[index]] (left rows first): two
 * cursors swap misplaced rows, so each row is read once and only swapped rows are written (a
 * stable partition rewrites every row). For training sets that fit in cache, where the order of a
 * node's rows does not matter for speed; the order is still deterministic. Returns the boundary.
 */
export function partitionInPlace(indices: Uint32Array, start: number, end: number, column: Uint8Array, goLeft: Uint8Array): number {
  let i = start;
  let j = end - 1;
  for (;;) {
    while (i <= j && goLeft[column[indices[i]]] === 1) i++;
    while (i < j && goLeft[column[indices[j]]] === 0) j--;
    if (i >= j) return i;
    const t = indices[i];
    indices[i] = indices[j];
    indices[j] = t;
    i++;
    j--;
  }
}

/**
 * Stable partition of indices[start..end) by goLeft[column[index]] (left rows first, both sides in
 * their order, so later passes read the columns in increasing row order) that moves each row's
 * (gradient, hessian) pair in gh (at 2i, 2i + 1 for position i) along with it, so the children
 * read their pairs in order without gathering. For training sets beyond the cache, where gathering
 * from grad and hess costs a cache miss per row: measured 12% less fit time at 300k rows; on
 * 16k-33k rows, partitionInPlace and then a gather of the smaller side is 5-12% faster.
 * scratch: Uint32Array, ghScratch: Float64Array, of length >= end and twice that: the right rows
 * pass through their positions start.. there, so two row shards (shards.ts) partition at once.
 */
export function partitionWithGradients(
  indices: Uint32Array,
  gh: Float64Array,
  start: number,
  end: number,
  column: Uint8Array,
  goLeft: Uint8Array,
  scratch: Uint32Array,
  ghScratch: Float64Array,
): number {
  const l = start + partitionPart(indices, gh, start, end, column, goLeft, scratch, ghScratch);
  const r = end - l;
  indices.set(scratch.subarray(start, start + r), l);
  gh.set(ghScratch.subarray(2 * start, 2 * (start + r)), 2 * l);
  return l;
}

/**
 * The loop of partitionWithGradients: compacts the left rows (and their pairs) at start and writes
 * the right rows to scratch[start..] (pairs to ghScratch[2 start..]). Returns the number of left
 * rows. Branch-free: a split sends rows either way unpredictably, and writing every row to both
 * sides and advancing one measured 25% faster than a branch per row.
 */
function partitionPart(
  indices: Uint32Array,
  gh: Float64Array,
  start: number,
  end: number,
  column: Uint8Array,
  goLeft: Uint8Array,
  scratch: Uint32Array,
  ghScratch: Float64Array,
): number {
  let l = start;
  let r = start;
  let i = start;
  // Two rows per turn: their loads and side lookups overlap (measured 7% faster).
  for (; i + 1 < end; i += 2) {
    const row = indices[i];
    const row2 = indices[i + 1];
    const g = gh[2 * i];
    const h = gh[2 * i + 1];
    const g2 = gh[2 * i + 2];
    const h2 = gh[2 * i + 3];
    const go = goLeft[column[row]];
    const go2 = goLeft[column[row2]];
    indices[l] = row;
    gh[2 * l] = g;
    gh[2 * l + 1] = h;
    scratch[r] = row;
    ghScratch[2 * r] = g;
    ghScratch[2 * r + 1] = h;
    l += go;
    r += 1 - go;
    indices[l] = row2;
    gh[2 * l] = g2;
    gh[2 * l + 1] = h2;
    scratch[r] = row2;
    ghScratch[2 * r] = g2;
    ghScratch[2 * r + 1] = h2;
    l += go2;
    r += 1 - go2;
  }
  if (i < end) {
    const row = indices[i];
    const g = gh[2 * i];
    const h = gh[2 * i + 1];
    const go = goLeft[column[row]];
    indices[l] = row;
    gh[2 * l] = g;
    gh[2 * l + 1] = h;
    scratch[r] = row;
    ghScratch[2 * r] = g;
    ghScratch[2 * r + 1] = h;
    l += go;
  }
  return l - start;
}
