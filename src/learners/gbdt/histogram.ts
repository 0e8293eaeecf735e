// Histograms: per-node sums of gradients, hessians and row counts per bin of every feature,
// built from the binned columns (the larger child of a split comes by subtraction from the parent).

/**
 * Slots per bin: gradient sum, hessian sum, row count and one pad slot. The pad makes a bin 32
 * bytes (aligned in a cache line, index by shift): measured about twice as fast as 3 slots.
 */
export const HIST_STRIDE = 4;

/** Below this many rows a node is summed into one histogram copy (the merge would cost more). */
const TWO_COPIES_MIN_ROWS = 2048;

/**
 * Where each feature's bins sit in a node histogram. A histogram is a Float64Array of length
 * HIST_STRIDE * totalBins: for bin b of feature f, at HIST_STRIDE * (offsets[f] + b) come the sum
 * of gradients, the sum of hessians and the row count. Each feature has nBins[f] + 1 bins (the
 * last is missing).
 */
export interface HistogramLayout {
  nFeatures: number;
  /** Int32Array of length nFeatures + 1: first bin of each feature; offsets[nFeatures] = totalBins. */
  offsets: Int32Array;
  totalBins: number;
}

export function histogramLayout(nBins: Int32Array): HistogramLayout {
  const nf = nBins.length;
  const offsets = new Int32Array(nf + 1);
  for (let f = 0; f < nf; f++) offsets[f + 1] = offsets[f] + nBins[f] + 1;
  return { nFeatures: nf, offsets, totalBins: offsets[nf] };
}

/** Scratch for a second histogram copy of one feature: Float64Array of 256 bins * HIST_STRIDE. */
export function histogramScratch(): Float64Array {
  return new Float64Array(256 * HIST_STRIDE);
}

/**
 * Fills `hist` for `features` from the rows indices[start..end) (or rows start..end when indices
 * is null, the root without subsampling). gh: Float64Array of length 2 * (end - start) holding the
 * node's (gradient, hessian) pairs in row order of the slice. scratch: from histogramScratch().
 * Consecutive rows alternate between two histogram copies: same-bin runs then do not wait on each
 * other's additions.
 */
export function buildHistogram(
  columns: Uint8Array[],
  layout: HistogramLayout,
  features: Int32Array,
  gh: Float64Array,
  indices: Uint32Array | null,
  start: number,
  end: number,
  hist: Float64Array,
  scratch: Float64Array,
): void {
  const n = end - start;
  const offsets = layout.offsets;
  for (let k = 0; k < features.length; k++) {
    const f = features[k];
    const base = HIST_STRIDE * offsets[f];
    const len = HIST_STRIDE * (offsets[f + 1] - offsets[f]);
    hist.fill(0, base, base + len);
    const col = columns[f];
    if (n < TWO_COPIES_MIN_ROWS) {
      if (indices) {
        for (let i = 0; i < n; i++) {
          const j = base + (col[indices[start + i]] << 2);
          hist[j] += gh[2 * i];
          hist[j + 1] += gh[2 * i + 1];
          hist[j + 2] += 1;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const j = base + (col[start + i] << 2);
          hist[j] += gh[2 * i];
          hist[j + 1] += gh[2 * i + 1];
          hist[j + 2] += 1;
        }
      }
      continue;
    }
    scratch.fill(0, 0, len);
    const last = n - 1;
    if (indices) {
      for (let i = 0; i < last; i += 2) {
        const j = base + (col[indices[start + i]] << 2);
        hist[j] += gh[2 * i];
        hist[j + 1] += gh[2 * i + 1];
        hist[j + 2] += 1;
        const q = col[indices[start + i + 1]] << 2;
        scratch[q] += gh[2 * i + 2];
        scratch[q + 1] += gh[2 * i + 3];
        scratch[q + 2] += 1;
      }
      if ((n & 1) === 1) {
        const j = base + (col[indices[start + last]] << 2);
        hist[j] += gh[2 * last];
        hist[j + 1] += gh[2 * last + 1];
        hist[j + 2] += 1;
      }
    } else {
      for (let i = 0; i < last; i += 2) {
        const j = base + (col[start + i] << 2);
        hist[j] += gh[2 * i];
        hist[j + 1] += gh[2 * i + 1];
        hist[j + 2] += 1;
        const q = col[start + i + 1] << 2;
        scratch[q] += gh[2 * i + 2];
        scratch[q + 1] += gh[2 * i + 3];
        scratch[q + 2] += 1;
      }
      if ((n & 1) === 1) {
        const j = base + (col[start + last] << 2);
        hist[j] += gh[2 * last];
        hist[j + 1] += gh[2 * last + 1];
        hist[j + 2] += 1;
      }
    }
    for (let q = 0; q < len; q++) hist[base + q] += scratch[q];
  }
}

/** Gathers the (gradient, hessian) pairs of rows indices[start..end) (or rows start..end) into gh. */
export function gatherGradients(grad: Float64Array, hess: Float64Array, indices: Uint32Array | null, start: number, end: number, gh: Float64Array): void {
  if (indices) {
    for (let i = start, o = 0; i < end; i++, o += 2) {
      const r = indices[i];
      gh[o] = grad[r];
      gh[o + 1] = hess[r];
    }
  } else {
    for (let i = start, o = 0; i < end; i++, o += 2) {
      gh[o] = grad[i];
      gh[o + 1] = hess[i];
    }
  }
}

/** out = parent - child for the given features (the sibling's histogram without a pass over rows). */
export function subtractHistogram(layout: HistogramLayout, features: Int32Array, parent: Float64Array, child: Float64Array, out: Float64Array): void {
  const offsets = layout.offsets;
  for (let k = 0; k < features.length; k++) {
    const f = features[k];
    for (let j = HIST_STRIDE * offsets[f], e = HIST_STRIDE * offsets[f + 1]; j < e; j++) out[j] = parent[j] - child[j];
  }
}
