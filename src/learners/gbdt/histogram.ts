// Histograms: per-node sums of gradients, hessians and row counts per bin of every feature,
// built from the binned columns (the larger child of a split comes by subtraction from the parent).

/**
 * Slots per bin: the gradient sum, and the hessian sum with the row count folded in. Each row adds
 * (g, h + unit), where unit (countUnit) is a power of two above twice the tree's hessian total, so
 * the second slot holds count * unit + H with 0 <= H < unit / 2: binCount gives the count back
 * exactly, and H is the slot minus count * unit. One read-modify-write per row and feature less
 * than a count slot of its own, and 16-byte bins (measured 27% less time per row x feature than
 * three slots in 32-byte bins). The hessian sums keep about 52 - log2(rows * unit / H) bits:
 * measured 2e-12 relative on 3,000-5,000 rows, 5e-8 on a bin of 150,000 rows at a 1M-row unit
 * (histogram.test.ts); leaf values do not depend on them (grower.ts renewLeaves).
 */
export const HIST_STRIDE = 2;

/** The count unit of a tree whose rows' hessians sum to sumH (see HIST_STRIDE); throws past float precision. */
export function countUnit(sumH: number, nRows: number): number {
  let unit = 1;
  while (unit <= 2 * sumH) unit *= 2;
  // rows x unit below 2^52: up to about 33 million rows for numbers (hessians 1), 67 million for outcomes.
  if (nRows * unit >= 2 ** 52) throw new Error(`gbdt: ${nRows} rows whose hessians sum to ${sumH} are past what exact row counts in the histograms allow (rows x count unit must stay below 2^52)`);
  return unit;
}

/** The row count in a histogram's second slot (or a sum of them) q, under unit. */
export function binCount(q: number, unit: number): number {
  return Math.floor(q / unit + 0.25);
}

/**
 * Where each feature's bins sit in a node histogram. A histogram is a Float64Array of length
 * HIST_STRIDE * totalBins: for bin b of feature f, at HIST_STRIDE * (offsets[f] + b) come the sum
 * of gradients and the count-and-hessian sum (see HIST_STRIDE). Each feature has nBins[f] + 1
 * bins (the last is missing).
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

/**
 * The binned training columns as histogram building reads them: the byte columns, and the same
 * bins packed four features to a 32-bit word, so that one load gives a row's bins of four
 * features (measured 25% less time per row x feature than four byte loads at 1M rows).
 */
export interface HistogramColumns {
  /** Uint8Array of length nRows per feature: the bins (binning.ts). */
  columns: Uint8Array[];
  /** Uint32Array of length nRows per whole group of four features 4q..4q+3: feature 4q + k in byte k. */
  packed: Uint32Array[];
}

/**
 * The byte columns with the whole groups of four packed, all groups in one block (group q at
 * 4 * q * nRows bytes): `into` (nGroups * nRows words, in a shard memory, kernels.ts; see
 * packedViews), or a new ArrayBuffer.
 */
export function packColumns(columns: Uint8Array[], nRows: number, into?: Uint32Array): HistogramColumns {
  const nGroups = columns.length >> 2;
  const words = into ?? new Uint32Array(nGroups * nRows);
  if (words.length < nGroups * nRows) throw new Error(`packColumns needs ${nGroups * nRows} words, got ${words.length}`);
  const packed: Uint32Array[] = [];
  for (let q = 0; q < nGroups; q++) {
    const p = words.subarray(q * nRows, (q + 1) * nRows);
    const c0 = columns[4 * q];
    const c1 = columns[4 * q + 1];
    const c2 = columns[4 * q + 2];
    const c3 = columns[4 * q + 3];
    for (let r = 0; r < nRows; r++) p[r] = (c0[r] | (c1[r] << 8) | (c2[r] << 16) | (c3[r] << 24)) >>> 0;
    packed.push(p);
  }
  return { columns, packed };
}

/** packed views over packColumns words at byte address `at` of buffer (in the shard worker). */
export function packedViews(buffer: ArrayBuffer | SharedArrayBuffer, nFeatures: number, nRows: number, at: number): Uint32Array[] {
  return Array.from({ length: nFeatures >> 2 }, (_, q) => new Uint32Array(buffer, at + 4 * q * nRows, nRows));
}

/**
 * Fills `hist` for `features` from the rows indices[start..end) (or rows start..end when indices
 * is null, the root without subsampling). gh: Float64Array of length >= 2 * end holding the
 * (gradient, hessian + count unit) pair of the row at position i (indices[i], or row i) at 2i and
 * 2i + 1 (gatherGradients): the grower keeps these pairs in the order of its indices (they move
 * with the rows when a node splits).
 * Whole groups of four features (4q..4q+3 listed in a row) go through the packed words, two
 * groups per pass over the rows; other features eight, four, then one at a time from the byte
 * columns. Several features per pass load the row index and its gradient pair once for several
 * histograms, and additions to separate histograms do not wait on each other (four: measured
 * 1.5-2x faster than one feature per pass; eight: about 5% less fit time than four on
 * letter_recognition).
 * nRows: how many rows the indices are drawn from (all rows, or a row shard's, shards.ts): a node
 * holding a small share of them is sparse, and goes through kernels made for rows far apart.
 */
export function buildHistogram(
  cols: HistogramColumns,
  layout: HistogramLayout,
  features: Int32Array,
  gh: Float64Array,
  indices: Uint32Array | null,
  start: number,
  end: number,
  hist: Float64Array,
  nRows = cols.columns.length > 0 ? cols.columns[0].length : 0,
): void {
  const offsets = layout.offsets;
  const nk = features.length;
  for (let k = 0; k < nk; k++) clear(hist, offsets, features[k]);
  // Very sparse nodes of large sets gather their words first (see GATHER_SHARE).
  const verySparse = indices !== null && nRows > CACHE_RESIDENT_ROWS && (end - start) * GATHER_SHARE < nRows;
  if (verySparse && cols.packed.length > 0) {
    const plan = planFeatures(features, cols.packed.length);
    // The features outside whole groups still go by row from the bytes.
    const singles = plan.nSingles > 0 ? { ...plan, nGroups: 0 } : null;
    for (let s = start; s < end; s += ROW_BLOCK) buildBlockGathered(cols, offsets, plan, singles, gh, indices, s, Math.min(end, s + ROW_BLOCK), hist);
    return;
  }
  // Other sparse nodes of large sets read the byte columns: their rows are far apart, and a packed
  // word (four bytes a row) puts them four times further apart, past what the hardware prefetches
  // (measured at 1M rows: nodes of 0.5-2% of the rows 15.7 ns per row x feature packed, 8.1 from
  // the bytes; 2-5%: 6.2 and 3.4; from 6% on packed wins: 2.4 against 2.8).
  const packedOk = !indices || nRows <= CACHE_RESIDENT_ROWS || (end - start) * PACKED_MIN_SHARE >= nRows;
  const plan = planFeatures(features, packedOk ? cols.packed.length : 0);
  // Long row ranges go through every feature group a block of rows at a time, so the block's
  // gradient pairs (and rows) are read from cache by the second and later groups.
  for (let s = start; s < end; s += ROW_BLOCK) buildBlock(cols, offsets, plan, gh, indices, s, Math.min(end, s + ROW_BLOCK), hist);
}

/** Nodes of sets beyond the cache read packed words when they hold at least 1 / PACKED_MIN_SHARE of the rows. */
const PACKED_MIN_SHARE = 16;
/**
 * Nodes of sets beyond the cache with fewer than 1 / GATHER_SHARE of the rows gather their packed
 * words a block at a time first (one plain load per row and group, many in flight at once), then
 * sum the block in order: at 1M rows about 4% less fit time than reading their bytes (2% and 4%
 * of the rows: slower).
 */
const GATHER_SHARE = 100;
/** Uint32Array: a block's gathered words (ROW_BLOCK rows x groups), grown on first need. */
let gatherBuf = new Uint32Array(0);

/** Rows per block of buildHistogram: 16 KiB of row indices and 128 KiB of gradient pairs, within a core's L2 cache. */
export const ROW_BLOCK = 8192;

/** How buildHistogram goes through a feature list: packed groups, then single features. Reused between calls. */
interface FeaturePlan {
  groups: Int32Array;
  nGroups: number;
  singles: Int32Array;
  nSingles: number;
}

const plan: FeaturePlan = { groups: new Int32Array(0), nGroups: 0, singles: new Int32Array(0), nSingles: 0 };

/** Splits features into the packed groups it lists whole (four in a row from a multiple of four) and the rest. */
export function planFeatures(features: Int32Array, nPacked: number): FeaturePlan {
  const nk = features.length;
  if (plan.singles.length < nk) {
    plan.groups = new Int32Array(nk);
    plan.singles = new Int32Array(nk);
  }
  let ng = 0;
  let ns = 0;
  for (let k = 0; k < nk; ) {
    const f = features[k];
    if ((f & 3) === 0 && f >> 2 < nPacked && k + 3 < nk && features[k + 1] === f + 1 && features[k + 2] === f + 2 && features[k + 3] === f + 3) {
      plan.groups[ng++] = f;
      k += 4;
    } else {
      plan.singles[ns++] = f;
      k++;
    }
  }
  plan.nGroups = ng;
  plan.nSingles = ns;
  return plan;
}

function buildBlock(
  cols: HistogramColumns,
  offsets: Int32Array,
  plan: FeaturePlan,
  gh: Float64Array,
  indices: Uint32Array | null,
  start: number,
  end: number,
  hist: Float64Array,
): void {
  const { columns, packed } = cols;
  const groups = plan.groups;
  let k = 0;
  for (; k + 2 <= plan.nGroups; k += 2) {
    const f = groups[k];
    const g = groups[k + 1];
    const p0 = packed[f >> 2];
    const p1 = packed[g >> 2];
    if (indices) packed8Indexed(p0, p1, offsets[f] << 1, offsets[f + 1] << 1, offsets[f + 2] << 1, offsets[f + 3] << 1, offsets[g] << 1, offsets[g + 1] << 1, offsets[g + 2] << 1, offsets[g + 3] << 1, gh, indices, start, end, hist);
    else packed8(p0, p1, offsets[f] << 1, offsets[f + 1] << 1, offsets[f + 2] << 1, offsets[f + 3] << 1, offsets[g] << 1, offsets[g + 1] << 1, offsets[g + 2] << 1, offsets[g + 3] << 1, gh, start, end, hist);
  }
  if (k < plan.nGroups) {
    const f = groups[k];
    const p = packed[f >> 2];
    if (indices) packed4Indexed(p, offsets[f] << 1, offsets[f + 1] << 1, offsets[f + 2] << 1, offsets[f + 3] << 1, gh, indices, start, end, hist);
    else packed4(p, offsets[f] << 1, offsets[f + 1] << 1, offsets[f + 2] << 1, offsets[f + 3] << 1, gh, start, end, hist);
  }
  const singles = plan.singles;
  const ns = plan.nSingles;
  k = 0;
  if (indices) {
    for (; k + 8 <= ns; k += 8) {
      const f0 = singles[k];
      const f1 = singles[k + 1];
      const f2 = singles[k + 2];
      const f3 = singles[k + 3];
      const f4 = singles[k + 4];
      const f5 = singles[k + 5];
      const f6 = singles[k + 6];
      const f7 = singles[k + 7];
      build8Indexed(columns[f0], columns[f1], columns[f2], columns[f3], columns[f4], columns[f5], columns[f6], columns[f7], offsets[f0] << 1, offsets[f1] << 1, offsets[f2] << 1, offsets[f3] << 1, offsets[f4] << 1, offsets[f5] << 1, offsets[f6] << 1, offsets[f7] << 1, gh, indices, start, end, hist);
    }
  }
  for (; k + 4 <= ns; k += 4) {
    const f0 = singles[k];
    const f1 = singles[k + 1];
    const f2 = singles[k + 2];
    const f3 = singles[k + 3];
    if (indices) build4Indexed(columns[f0], columns[f1], columns[f2], columns[f3], offsets[f0] << 1, offsets[f1] << 1, offsets[f2] << 1, offsets[f3] << 1, gh, indices, start, end, hist);
    else build4(columns[f0], columns[f1], columns[f2], columns[f3], offsets[f0] << 1, offsets[f1] << 1, offsets[f2] << 1, offsets[f3] << 1, gh, start, end, hist);
  }
  for (; k < ns; k++) {
    const f = singles[k];
    build1(columns[f], offsets[f] << 1, gh, indices, start, end, hist);
  }
}

/** buildBlock for very sparse nodes: the block's words gathered, then summed in order (singles: plan's single features only, from the bytes). */
function buildBlockGathered(
  cols: HistogramColumns,
  offsets: Int32Array,
  plan: FeaturePlan,
  singles: FeaturePlan | null,
  gh: Float64Array,
  indices: Uint32Array,
  start: number,
  end: number,
  hist: Float64Array,
): void {
  const packed = cols.packed;
  const nGroups = packed.length;
  if (gatherBuf.length < ROW_BLOCK * nGroups) gatherBuf = new Uint32Array(ROW_BLOCK * nGroups);
  const buf = gatherBuf;
  for (let q = 0; q < nGroups; q++) {
    const p = packed[q];
    for (let i = start, a = q; i < end; i++, a += nGroups) buf[a] = p[indices[i]];
  }
  const groups = plan.groups;
  let k = 0;
  for (; k + 2 <= plan.nGroups; k += 2) {
    const f = groups[k];
    const g = groups[k + 1];
    wordsAt8(buf, nGroups, f >> 2, g >> 2, offsets[f] << 1, offsets[f + 1] << 1, offsets[f + 2] << 1, offsets[f + 3] << 1, offsets[g] << 1, offsets[g + 1] << 1, offsets[g + 2] << 1, offsets[g + 3] << 1, gh, start, end, hist);
  }
  if (k < plan.nGroups) {
    const f = groups[k];
    wordsAt4(buf, nGroups, f >> 2, offsets[f] << 1, offsets[f + 1] << 1, offsets[f + 2] << 1, offsets[f + 3] << 1, gh, start, end, hist);
  }
  if (singles) buildBlock(cols, offsets, singles, gh, indices, start, end, hist);
}

function clear(hist: Float64Array, offsets: Int32Array, f: number): void {
  hist.fill(0, offsets[f] << 1, offsets[f + 1] << 1);
}

// In the packed kernels, ((w >>> s) & 510) is byte (s + 1) / 8 of w times two (HIST_STRIDE). They
// take two rows per turn, so the two rows' additions interleave: measured 3-8% less fit time on
// adult, bank_marketing, california_housing and letter_recognition, and 3% at 1M rows (the byte
// kernel for sparse nodes gained nothing from it).

/** Two packed groups (eight features) per pass over the rows indices[start..end). */
function packed8Indexed(
  p0: Uint32Array,
  p1: Uint32Array,
  b0: number,
  b1: number,
  b2: number,
  b3: number,
  b4: number,
  b5: number,
  b6: number,
  b7: number,
  gh: Float64Array,
  indices: Uint32Array,
  start: number,
  end: number,
  hist: Float64Array,
): void {
  // Two rows per turn; an odd last row pairs with itself, adding zeros the second time.
  for (let i = start, o = 2 * start; i < end; i += 2, o += 4) {
    const two = i + 1 < end;
    const r = indices[i];
    const r2 = two ? indices[i + 1] : r;
    const g = gh[o];
    const h = gh[o + 1];
    const g2 = two ? gh[o + 2] : 0;
    const h2 = two ? gh[o + 3] : 0;
    const v = p0[r];
    const w = p1[r];
    const v2 = p0[r2];
    const w2 = p1[r2];
    let j = b0 + ((v & 255) << 1);
    hist[j] += g;
    hist[j + 1] += h;
    j = b0 + ((v2 & 255) << 1);
    hist[j] += g2;
    hist[j + 1] += h2;
    j = b1 + ((v >>> 7) & 510);
    hist[j] += g;
    hist[j + 1] += h;
    j = b1 + ((v2 >>> 7) & 510);
    hist[j] += g2;
    hist[j + 1] += h2;
    j = b2 + ((v >>> 15) & 510);
    hist[j] += g;
    hist[j + 1] += h;
    j = b2 + ((v2 >>> 15) & 510);
    hist[j] += g2;
    hist[j + 1] += h2;
    j = b3 + ((v >>> 23) & 510);
    hist[j] += g;
    hist[j + 1] += h;
    j = b3 + ((v2 >>> 23) & 510);
    hist[j] += g2;
    hist[j + 1] += h2;
    j = b4 + ((w & 255) << 1);
    hist[j] += g;
    hist[j + 1] += h;
    j = b4 + ((w2 & 255) << 1);
    hist[j] += g2;
    hist[j + 1] += h2;
    j = b5 + ((w >>> 7) & 510);
    hist[j] += g;
    hist[j + 1] += h;
    j = b5 + ((w2 >>> 7) & 510);
    hist[j] += g2;
    hist[j + 1] += h2;
    j = b6 + ((w >>> 15) & 510);
    hist[j] += g;
    hist[j + 1] += h;
    j = b6 + ((w2 >>> 15) & 510);
    hist[j] += g2;
    hist[j + 1] += h2;
    j = b7 + ((w >>> 23) & 510);
    hist[j] += g;
    hist[j + 1] += h;
    j = b7 + ((w2 >>> 23) & 510);
    hist[j] += g2;
    hist[j + 1] += h2;
  }
}

/** Two packed groups per pass over rows start..end. */
function packed8(
  p0: Uint32Array,
  p1: Uint32Array,
  b0: number,
  b1: number,
  b2: number,
  b3: number,
  b4: number,
  b5: number,
  b6: number,
  b7: number,
  gh: Float64Array,
  start: number,
  end: number,
  hist: Float64Array,
): void {
  // Two rows per turn; an odd last row pairs with itself, adding zeros the second time.
  for (let r = start, o = 2 * start; r < end; r += 2, o += 4) {
    const two = r + 1 < end;
    const g = gh[o];
    const h = gh[o + 1];
    const g2 = two ? gh[o + 2] : 0;
    const h2 = two ? gh[o + 3] : 0;
    const v = p0[r];
    const w = p1[r];
    const v2 = two ? p0[r + 1] : v;
    const w2 = two ? p1[r + 1] : w;
    let j = b0 + ((v & 255) << 1);
    hist[j] += g;
    hist[j + 1] += h;
    j = b0 + ((v2 & 255) << 1);
    hist[j] += g2;
    hist[j + 1] += h2;
    j = b1 + ((v >>> 7) & 510);
    hist[j] += g;
    hist[j + 1] += h;
    j = b1 + ((v2 >>> 7) & 510);
    hist[j] += g2;
    hist[j + 1] += h2;
    j = b2 + ((v >>> 15) & 510);
    hist[j] += g;
    hist[j + 1] += h;
    j = b2 + ((v2 >>> 15) & 510);
    hist[j] += g2;
    hist[j + 1] += h2;
    j = b3 + ((v >>> 23) & 510);
    hist[j] += g;
    hist[j + 1] += h;
    j = b3 + ((v2 >>> 23) & 510);
    hist[j] += g2;
    hist[j + 1] += h2;
    j = b4 + ((w & 255) << 1);
    hist[j] += g;
    hist[j + 1] += h;
    j = b4 + ((w2 & 255) << 1);
    hist[j] += g2;
    hist[j + 1] += h2;
    j = b5 + ((w >>> 7) & 510);
    hist[j] += g;
    hist[j + 1] += h;
    j = b5 + ((w2 >>> 7) & 510);
    hist[j] += g2;
    hist[j + 1] += h2;
    j = b6 + ((w >>> 15) & 510);
    hist[j] += g;
    hist[j + 1] += h;
    j = b6 + ((w2 >>> 15) & 510);
    hist[j] += g2;
    hist[j + 1] += h2;
    j = b7 + ((w >>> 23) & 510);
    hist[j] += g;
    hist[j + 1] += h;
    j = b7 + ((w2 >>> 23) & 510);
    hist[j] += g2;
    hist[j + 1] += h2;
  }
}

/** One packed group per pass over the rows indices[start..end). */
function packed4Indexed(
  p: Uint32Array,
  b0: number,
  b1: number,
  b2: number,
  b3: number,
  gh: Float64Array,
  indices: Uint32Array,
  start: number,
  end: number,
  hist: Float64Array,
): void {
  // Two rows per turn; an odd last row pairs with itself, adding zeros the second time.
  for (let i = start, o = 2 * start; i < end; i += 2, o += 4) {
    const two = i + 1 < end;
    const r = indices[i];
    const r2 = two ? indices[i + 1] : r;
    const v = p[r];
    const v2 = p[r2];
    const g = gh[o];
    const h = gh[o + 1];
    const g2 = two ? gh[o + 2] : 0;
    const h2 = two ? gh[o + 3] : 0;
    let j = b0 + ((v & 255) << 1);
    hist[j] += g;
    hist[j + 1] += h;
    j = b0 + ((v2 & 255) << 1);
    hist[j] += g2;
    hist[j + 1] += h2;
    j = b1 + ((v >>> 7) & 510);
    hist[j] += g;
    hist[j + 1] += h;
    j = b1 + ((v2 >>> 7) & 510);
    hist[j] += g2;
    hist[j + 1] += h2;
    j = b2 + ((v >>> 15) & 510);
    hist[j] += g;
    hist[j + 1] += h;
    j = b2 + ((v2 >>> 15) & 510);
    hist[j] += g2;
    hist[j + 1] += h2;
    j = b3 + ((v >>> 23) & 510);
    hist[j] += g;
    hist[j + 1] += h;
    j = b3 + ((v2 >>> 23) & 510);
    hist[j] += g2;
    hist[j + 1] += h2;
  }
}

/** One packed group per pass over rows start..end. */
function packed4(
  p: Uint32Array,
  b0: number,
  b1: number,
  b2: number,
  b3: number,
  gh: Float64Array,
  start: number,
  end: number,
  hist: Float64Array,
): void {
  // Two rows per turn; an odd last row pairs with itself, adding zeros the second time.
  for (let i = start, o = 2 * start; i < end; i += 2, o += 4) {
    const two = i + 1 < end;
    const v = p[i];
    const v2 = two ? p[i + 1] : v;
    const g = gh[o];
    const h = gh[o + 1];
    const g2 = two ? gh[o + 2] : 0;
    const h2 = two ? gh[o + 3] : 0;
    let j = b0 + ((v & 255) << 1);
    hist[j] += g;
    hist[j + 1] += h;
    j = b0 + ((v2 & 255) << 1);
    hist[j] += g2;
    hist[j + 1] += h2;
    j = b1 + ((v >>> 7) & 510);
    hist[j] += g;
    hist[j + 1] += h;
    j = b1 + ((v2 >>> 7) & 510);
    hist[j] += g2;
    hist[j + 1] += h2;
    j = b2 + ((v >>> 15) & 510);
    hist[j] += g;
    hist[j + 1] += h;
    j = b2 + ((v2 >>> 15) & 510);
    hist[j] += g2;
    hist[j + 1] += h2;
    j = b3 + ((v >>> 23) & 510);
    hist[j] += g;
    hist[j + 1] += h;
    j = b3 + ((v2 >>> 23) & 510);
    hist[j] += g2;
    hist[j + 1] += h2;
  }
}

/** Eight features per pass from the byte columns (sparse nodes of large sets, features outside whole groups). */
function build8Indexed(
  c0: Uint8Array,
  c1: Uint8Array,
  c2: Uint8Array,
  c3: Uint8Array,
  c4: Uint8Array,
  c5: Uint8Array,
  c6: Uint8Array,
  c7: Uint8Array,
  b0: number,
  b1: number,
  b2: number,
  b3: number,
  b4: number,
  b5: number,
  b6: number,
  b7: number,
  gh: Float64Array,
  indices: Uint32Array,
  start: number,
  end: number,
  hist: Float64Array,
): void {
  for (let i = start, o = 2 * start; i < end; i++, o += 2) {
    const r = indices[i];
    const g = gh[o];
    const h = gh[o + 1];
    let j = b0 + (c0[r] << 1);
    hist[j] += g;
    hist[j + 1] += h;
    j = b1 + (c1[r] << 1);
    hist[j] += g;
    hist[j + 1] += h;
    j = b2 + (c2[r] << 1);
    hist[j] += g;
    hist[j + 1] += h;
    j = b3 + (c3[r] << 1);
    hist[j] += g;
    hist[j + 1] += h;
    j = b4 + (c4[r] << 1);
    hist[j] += g;
    hist[j + 1] += h;
    j = b5 + (c5[r] << 1);
    hist[j] += g;
    hist[j + 1] += h;
    j = b6 + (c6[r] << 1);
    hist[j] += g;
    hist[j + 1] += h;
    j = b7 + (c7[r] << 1);
    hist[j] += g;
    hist[j + 1] += h;
  }
}

/** Four features per pass from the byte columns. */
function build4Indexed(
  c0: Uint8Array,
  c1: Uint8Array,
  c2: Uint8Array,
  c3: Uint8Array,
  b0: number,
  b1: number,
  b2: number,
  b3: number,
  gh: Float64Array,
  indices: Uint32Array,
  start: number,
  end: number,
  hist: Float64Array,
): void {
  for (let i = start, o = 2 * start; i < end; i++, o += 2) {
    const r = indices[i];
    const g = gh[o];
    const h = gh[o + 1];
    let j = b0 + (c0[r] << 1);
    hist[j] += g;
    hist[j + 1] += h;
    j = b1 + (c1[r] << 1);
    hist[j] += g;
    hist[j + 1] += h;
    j = b2 + (c2[r] << 1);
    hist[j] += g;
    hist[j + 1] += h;
    j = b3 + (c3[r] << 1);
    hist[j] += g;
    hist[j + 1] += h;
  }
}

/** Four features per pass over rows start..end from the byte columns. */
function build4(
  c0: Uint8Array,
  c1: Uint8Array,
  c2: Uint8Array,
  c3: Uint8Array,
  b0: number,
  b1: number,
  b2: number,
  b3: number,
  gh: Float64Array,
  start: number,
  end: number,
  hist: Float64Array,
): void {
  for (let r = start, o = 2 * start; r < end; r++, o += 2) {
    const g = gh[o];
    const h = gh[o + 1];
    let j = b0 + (c0[r] << 1);
    hist[j] += g;
    hist[j + 1] += h;
    j = b1 + (c1[r] << 1);
    hist[j] += g;
    hist[j + 1] += h;
    j = b2 + (c2[r] << 1);
    hist[j] += g;
    hist[j + 1] += h;
    j = b3 + (c3[r] << 1);
    hist[j] += g;
    hist[j + 1] += h;
  }
}

/** Two groups per pass over a block whose words were gathered row by row (words of the block row a at a * nGroups + q). */
function wordsAt8(
  words: Uint32Array,
  nGroups: number,
  q0: number,
  q1: number,
  b0: number,
  b1: number,
  b2: number,
  b3: number,
  b4: number,
  b5: number,
  b6: number,
  b7: number,
  gh: Float64Array,
  start: number,
  end: number,
  hist: Float64Array,
): void {
  for (let i = start, o = 2 * start, a = 0; i < end; i++, o += 2, a += nGroups) {
    const g = gh[o];
    const h = gh[o + 1];
    const v = words[a + q0];
    const w = words[a + q1];
    let j = b0 + ((v & 255) << 1);
    hist[j] += g;
    hist[j + 1] += h;
    j = b1 + ((v >>> 7) & 510);
    hist[j] += g;
    hist[j + 1] += h;
    j = b2 + ((v >>> 15) & 510);
    hist[j] += g;
    hist[j + 1] += h;
    j = b3 + ((v >>> 23) & 510);
    hist[j] += g;
    hist[j + 1] += h;
    j = b4 + ((w & 255) << 1);
    hist[j] += g;
    hist[j + 1] += h;
    j = b5 + ((w >>> 7) & 510);
    hist[j] += g;
    hist[j + 1] += h;
    j = b6 + ((w >>> 15) & 510);
    hist[j] += g;
    hist[j + 1] += h;
    j = b7 + ((w >>> 23) & 510);
    hist[j] += g;
    hist[j + 1] += h;
  }
}

/** One group per pass over a gathered block. */
function wordsAt4(
  words: Uint32Array,
  nGroups: number,
  q0: number,
  b0: number,
  b1: number,
  b2: number,
  b3: number,
  gh: Float64Array,
  start: number,
  end: number,
  hist: Float64Array,
): void {
  for (let i = start, o = 2 * start, a = 0; i < end; i++, o += 2, a += nGroups) {
    const g = gh[o];
    const h = gh[o + 1];
    const v = words[a + q0];
    let j = b0 + ((v & 255) << 1);
    hist[j] += g;
    hist[j + 1] += h;
    j = b1 + ((v >>> 7) & 510);
    hist[j] += g;
    hist[j + 1] += h;
    j = b2 + ((v >>> 15) & 510);
    hist[j] += g;
    hist[j + 1] += h;
    j = b3 + ((v >>> 23) & 510);
    hist[j] += g;
    hist[j + 1] += h;
  }
}

function build1(col: Uint8Array, base: number, gh: Float64Array, indices: Uint32Array | null, start: number, end: number, hist: Float64Array): void {
  if (indices) {
    for (let i = start, o = 2 * start; i < end; i++, o += 2) {
      const j = base + (col[indices[i]] << 1);
      hist[j] += gh[o];
      hist[j + 1] += gh[o + 1];
    }
  } else {
    for (let r = start, o = 2 * start; r < end; r++, o += 2) {
      const j = base + (col[r] << 1);
      hist[j] += gh[o];
      hist[j + 1] += gh[o + 1];
    }
  }
}

/**
 * Writes the (gradient, hessian + unit) pair of the row at each position i of start..end
 * (indices[i], or row i) to gh[2i], gh[2i + 1]; unit: the tree's countUnit.
 */
export function gatherGradients(grad: Float64Array, hess: Float64Array, indices: Uint32Array | null, start: number, end: number, gh: Float64Array, unit: number): void {
  if (indices) {
    for (let i = start, o = 2 * start; i < end; i++, o += 2) {
      const r = indices[i];
      gh[o] = grad[r];
      gh[o + 1] = hess[r] + unit;
    }
  } else {
    for (let i = start, o = 2 * start; i < end; i++, o += 2) {
      gh[o] = grad[i];
      gh[o + 1] = hess[i] + unit;
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

/**
 * Training sets up to this many rows count as cache-resident: their (gradient, hessian) pairs (16
 * bytes a row) fit in a core's L2 cache, so random reads of them are cheap. They get the grouped
 * root histogram (buildRootHistogram: measured 1.1-1.4 ns per row x feature against 1.7-1.9 for
 * the row pass at 16k-33k rows, even at 65k, and 5-10x slower than the row pass at 1M rows) and
 * the in-place partition with a gather of the smaller child's pairs (splitting.ts
 * partitionInPlace); larger sets move the pairs with the rows instead (partitionWithGradients).
 */
export const CACHE_RESIDENT_ROWS = 50_000;
/** ...and at most this many row x feature entries (2 bytes each) in the order. */
export const GROUPED_ROOT_MAX_CELLS = 8_000_000;

/**
 * Every feature's rows grouped by bin, for the root histogram of all rows: the bins never change
 * during training, so this order is made once and each root becomes a sum over groups (no
 * read-modify-write of histogram slots).
 */
export interface RootOrder {
  /**
   * Uint16Array of length nFeatures * nRows: feature f's rows at [f * nRows, (f + 1) * nRows), by
   * bin, rows ascending within a bin. 16 bits (sets up to 65,536 rows): the order and the pairs it
   * reads then share a core's cache better.
   */
  rows: Uint16Array;
  /** Int32Array of length totalBins + 1: bin offsets[f] + b of feature f has rows[starts[..]..starts[.. + 1]). */
  starts: Int32Array;
}

export function wantsRootOrder(nRows: number, nFeatures: number): boolean {
  return nRows <= CACHE_RESIDENT_ROWS && nRows <= 65_536 && nRows * nFeatures <= GROUPED_ROOT_MAX_CELLS;
}

/** Counting sort of each column's rows by bin. */
export function rootOrder(columns: Uint8Array[], layout: HistogramLayout, nRows: number): RootOrder {
  const nf = layout.nFeatures;
  const offsets = layout.offsets;
  const rows = new Uint16Array(nf * nRows);
  const starts = new Int32Array(layout.totalBins + 1);
  for (let f = 0; f < nf; f++) {
    const col = columns[f];
    const o = offsets[f];
    const nb = offsets[f + 1] - o;
    const next = new Int32Array(nb);
    for (let r = 0; r < nRows; r++) next[col[r]]++;
    let at = f * nRows;
    for (let b = 0; b < nb; b++) {
      const c = next[b];
      starts[o + b] = at;
      next[b] = at;
      at += c;
    }
    for (let r = 0; r < nRows; r++) rows[next[col[r]]++] = r;
  }
  starts[layout.totalBins] = nf * nRows;
  return { rows, starts };
}

/**
 * The all-rows histogram of `features` from the grouped order (the same sums as buildHistogram).
 * gh: the (gradient, hessian + unit) pairs of rows 0..nRows in row order. Four partial sums per slot
 * break the chain of dependent additions (about 1.5x faster than one).
 */
export function buildRootHistogram(order: RootOrder, layout: HistogramLayout, features: Int32Array, gh: Float64Array, hist: Float64Array): void {
  const rows = order.rows;
  const starts = order.starts;
  const offsets = layout.offsets;
  for (let k = 0; k < features.length; k++) {
    const f = features[k];
    for (let bin = offsets[f], last = offsets[f + 1]; bin < last; bin++) {
      let i = starts[bin];
      const e = starts[bin + 1];
      let g0 = 0;
      let h0 = 0;
      let g1 = 0;
      let h1 = 0;
      let g2 = 0;
      let h2 = 0;
      let g3 = 0;
      let h3 = 0;
      for (; i + 4 <= e; i += 4) {
        const o0 = rows[i] << 1;
        const o1 = rows[i + 1] << 1;
        const o2 = rows[i + 2] << 1;
        const o3 = rows[i + 3] << 1;
        g0 += gh[o0];
        h0 += gh[o0 + 1];
        g1 += gh[o1];
        h1 += gh[o1 + 1];
        g2 += gh[o2];
        h2 += gh[o2 + 1];
        g3 += gh[o3];
        h3 += gh[o3 + 1];
      }
      for (; i < e; i++) {
        const o = rows[i] << 1;
        g0 += gh[o];
        h0 += gh[o + 1];
      }
      const j = bin << 1;
      hist[j] = g0 + g1 + (g2 + g3);
      hist[j + 1] = h0 + h1 + (h2 + h3);
    }
  }
}
