// The per-row kernels of row-sharded training (../kernels.ts), in AssemblyScript: compiled to
// WebAssembly by `npm run build:kernels` into ../kernels-wasm.ts. Every pointer argument is a byte
// address in the shared memory the arrays live in (../kernels.ts ShardMemory).
//
// They give the numbers and row orders of the JavaScript kernels (histogram.ts buildHistogram
// and gatherGradients, splitting.ts partitionWithGradients, losses.ts LogLoss, shards.ts's leaf
// steps), computing in the same order, so a model is the same byte for byte whichever ran
// (kernels.test.ts). What they change: the rows' bins are kept row-major in the order of the
// tree's positions and move with the rows in partitions, so every histogram reads one contiguous
// run instead of rows scattered over the columns; a histogram bin is one 16-byte (gradient,
// hessian + count unit) pair added with one f64x2 instruction; and there are no bounds checks.

// In the histogram kernels, ((w >> s) & 4080) is byte (s + 4) / 8 of word w times 16 (a bin's bytes).

/** Adds pair x into the 16-byte bin at address j. */
@inline function add(j: usize, x: v128): void {
  v128.store(j, f64x2.add(v128.load(j), x));
}

/** The pairs (grad[r], hess[r] + unit) of rows start..end into gh (16 bytes a row, in row order). */
export function gather(grad: usize, hess: usize, start: u32, end: u32, gh: usize, unit: f64): void {
  for (let r = <usize>start; r < <usize>end; r++) {
    const pair = f64x2.replace_lane(f64x2.splat(load<f64>(grad + (r << 3))), 1, load<f64>(hess + (r << 3)) + unit);
    v128.store(gh + (r << 4), pair);
  }
}

/** The pairs of rows idx[start..end) from byRow (16 bytes a row, in row order) to positions start..end of gh. */
export function gatherPairs(byRow: usize, idx: usize, start: u32, end: u32, gh: usize): void {
  for (let i = <usize>start; i < <usize>end; i++) v128.store(gh + (i << 4), v128.load(byRow + ((<usize>load<u32>(idx + (i << 2))) << 4)));
}

// Row-major bins ("rows", ../kernels.ts RowBins): the bins of the row at position i are the
// `stride` bytes at rows + i * stride (feature f at byte f).

/** The bins of the rows idx[start..end) from `bins` (row-major in row order) to positions start..end of `rows`. */
export function gatherRows(bins: usize, rows: usize, stride: u32, idx: usize, start: u32, end: u32): void {
  const s = <usize>stride;
  const words = s >> 2;
  for (let i = <usize>start; i < <usize>end; i++) {
    const from = bins + (<usize>load<u32>(idx + (i << 2))) * s;
    const to = rows + i * s;
    for (let w: usize = 0; w < words; w++) store<u32>(to + (w << 2), load<u32>(from + (w << 2)));
  }
}

/** Two groups of four features (words w0, w1 of a row; bins at b0..b7) over positions start..end of `rows`. */
export function histPos8(rows: usize, stride: u32, gh: usize, start: u32, end: u32, w0: u32, w1: u32, b0: usize, b1: usize, b2: usize, b3: usize, b4: usize, b5: usize, b6: usize, b7: usize): void {
  const s = <usize>stride;
  let row = rows + (<usize>start) * s;
  const o0 = (<usize>w0) << 2;
  const o1 = (<usize>w1) << 2;
  for (let i = start; i < end; i++, row += s) {
    const x = v128.load(gh + ((<usize>i) << 4));
    const v = load<u32>(row + o0);
    const w = load<u32>(row + o1);
    add(b0 + ((v & 255) << 4), x);
    add(b1 + ((v >> 4) & 4080), x);
    add(b2 + ((v >> 12) & 4080), x);
    add(b3 + ((v >> 20) & 4080), x);
    add(b4 + ((w & 255) << 4), x);
    add(b5 + ((w >> 4) & 4080), x);
    add(b6 + ((w >> 12) & 4080), x);
    add(b7 + ((w >> 20) & 4080), x);
  }
}

/** One group of four features (word w0) over positions start..end of `rows`. */
export function histPos4(rows: usize, stride: u32, gh: usize, start: u32, end: u32, w0: u32, b0: usize, b1: usize, b2: usize, b3: usize): void {
  const s = <usize>stride;
  let row = rows + (<usize>start) * s + ((<usize>w0) << 2);
  for (let i = start; i < end; i++, row += s) {
    const x = v128.load(gh + ((<usize>i) << 4));
    const v = load<u32>(row);
    add(b0 + ((v & 255) << 4), x);
    add(b1 + ((v >> 4) & 4080), x);
    add(b2 + ((v >> 12) & 4080), x);
    add(b3 + ((v >> 20) & 4080), x);
  }
}

/** One feature (byte f of a row) over positions start..end of `rows`. */
export function histPos1(rows: usize, stride: u32, gh: usize, start: u32, end: u32, f: u32, b: usize): void {
  const s = <usize>stride;
  let row = rows + (<usize>start) * s + <usize>f;
  for (let i = start; i < end; i++, row += s) add(b + ((<usize>load<u8>(row)) << 4), v128.load(gh + ((<usize>i) << 4)));
}

/** Copies the s bytes of a row's bins to two places (s a multiple of 4, at most 64; a constant once inlined), reading them once. */
@inline function moveBins(a: usize, b: usize, from: usize, s: usize): void {
  if (s >= 16) {
    const v = v128.load(from);
    v128.store(a, v);
    v128.store(b, v);
  }
  if (s >= 32) {
    const v = v128.load(from + 16);
    v128.store(a + 16, v);
    v128.store(b + 16, v);
  }
  if (s >= 48) {
    const v = v128.load(from + 32);
    v128.store(a + 32, v);
    v128.store(b + 32, v);
  }
  if (s >= 64) {
    const v = v128.load(from + 48);
    v128.store(a + 48, v);
    v128.store(b + 48, v);
  }
  const t = s & ~15;
  if (s & 8) {
    const v = load<u64>(from + t);
    store<u64>(a + t, v);
    store<u64>(b + t, v);
  }
  if (s & 4) {
    const v = load<u32>(from + t + (s & 8));
    store<u32>(a + t + (s & 8), v);
    store<u32>(b + t + (s & 8), v);
  }
}

/** moveBins for any s (a multiple of 4): 16 bytes at a time, then the rest by 4. */
@inline function moveBinsAny(a: usize, b: usize, from: usize, s: usize): void {
  let o: usize = 0;
  for (; o + 16 <= s; o += 16) {
    const v = v128.load(from + o);
    v128.store(a + o, v);
    v128.store(b + o, v);
  }
  for (; o < s; o += 4) {
    const v = load<u32>(from + o);
    store<u32>(a + o, v);
    store<u32>(b + o, v);
  }
}

/** partitionPos for rows of s bytes (a constant once inlined; over 64, a loop per row). */
@inline function partitionStride(idx: usize, source: usize, rows: usize, s: usize, start: u32, end: u32, f: u32, goLeft: usize, scratch: usize, rowScratch: usize): u32 {
  let l = <usize>start;
  let r = <usize>start;
  for (let i = <usize>start; i < <usize>end; i++) {
    const from = source + i * s;
    const row = load<u32>(idx + (i << 2));
    const go = <usize>load<u8>(goLeft + <usize>load<u8>(from + <usize>f));
    if (s <= 64) moveBins(rows + l * s, rowScratch + r * s, from, s);
    else moveBinsAny(rows + l * s, rowScratch + r * s, from, s);
    store<u32>(idx + (l << 2), row);
    store<u32>(scratch + (r << 2), row);
    l += go;
    r += 1 - go;
  }
  const nRight = r - <usize>start;
  memory.copy(idx + (l << 2), scratch + ((<usize>start) << 2), nRight << 2);
  memory.copy(rows + l * s, rowScratch + (<usize>start) * s, nRight * s);
  return <u32>l;
}

/**
 * Partitions positions start..end of idx and of `rows` (the rows' bins, read from `source`: rows
 * itself, or the bins in row order when positions are rows) by the go-left table of byte f of each
 * row's bins: left rows first in their order, then right rows in theirs, which pass through the
 * scratches. The gradient pairs stay behind: a histogram gathers its rows' pairs
 * afresh (moving them too measured slower: the partition is bound by memory traffic). Rows of up
 * to 64 bytes go through a loop made for their size (a copy loop of the row's size per row
 * measured about twice as slow). Branch-free, every row written to both sides.
 */
export function partitionPos(idx: usize, source: usize, rows: usize, stride: u32, start: u32, end: u32, f: u32, goLeft: usize, scratch: usize, rowScratch: usize): u32 {
  switch (stride) {
    case 4: return partitionStride(idx, source, rows, 4, start, end, f, goLeft, scratch, rowScratch);
    case 8: return partitionStride(idx, source, rows, 8, start, end, f, goLeft, scratch, rowScratch);
    case 12: return partitionStride(idx, source, rows, 12, start, end, f, goLeft, scratch, rowScratch);
    case 16: return partitionStride(idx, source, rows, 16, start, end, f, goLeft, scratch, rowScratch);
    case 20: return partitionStride(idx, source, rows, 20, start, end, f, goLeft, scratch, rowScratch);
    case 24: return partitionStride(idx, source, rows, 24, start, end, f, goLeft, scratch, rowScratch);
    case 28: return partitionStride(idx, source, rows, 28, start, end, f, goLeft, scratch, rowScratch);
    case 32: return partitionStride(idx, source, rows, 32, start, end, f, goLeft, scratch, rowScratch);
    case 36: return partitionStride(idx, source, rows, 36, start, end, f, goLeft, scratch, rowScratch);
    case 40: return partitionStride(idx, source, rows, 40, start, end, f, goLeft, scratch, rowScratch);
    case 44: return partitionStride(idx, source, rows, 44, start, end, f, goLeft, scratch, rowScratch);
    case 48: return partitionStride(idx, source, rows, 48, start, end, f, goLeft, scratch, rowScratch);
    case 52: return partitionStride(idx, source, rows, 52, start, end, f, goLeft, scratch, rowScratch);
    case 56: return partitionStride(idx, source, rows, 56, start, end, f, goLeft, scratch, rowScratch);
    case 60: return partitionStride(idx, source, rows, 60, start, end, f, goLeft, scratch, rowScratch);
    case 64: return partitionStride(idx, source, rows, 64, start, end, f, goLeft, scratch, rowScratch);
    default: return partitionStride(idx, source, rows, <usize>stride, start, end, f, goLeft, scratch, rowScratch);
  }
}

// The log-loss gradients and the leaves' sums and updates (losses.ts LogLoss, shards.ts).

/** exp.ts expFast, operation for operation (powers, fraction: its POWERS and FRACTION tables, copied in). */
@inline function expFast(x: f64, powers: usize, fraction: usize): f64 {
  const c = x > 700 ? 700 : x < -700 ? -700 : x;
  const kf = c * (256 / Math.LN2) + 6755399441055744.0 - 6755399441055744.0;
  const r = c - kf * (6.9314718036912381649e-1 / 256) - kf * (1.90821492927058770002e-10 / 256);
  const k = <i32>kf;
  const j = k & 255;
  const p = 1 + r * (1 + r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24))));
  return load<f64>(powers + ((<usize>(((k - j) >> 8) + 1100)) << 3)) * load<f64>(fraction + ((<usize>j) << 3)) * p;
}

/** expFast of both lanes of x, each lane operation for operation as expFast. */
@inline function expFast2(x: v128, powers: usize, fraction: usize): v128 {
  const c = f64x2.pmax(f64x2.pmin(x, f64x2.splat(700)), f64x2.splat(-700));
  const round = f64x2.splat(6755399441055744.0);
  const kf = f64x2.sub(f64x2.add(f64x2.mul(c, f64x2.splat(256 / Math.LN2)), round), round);
  const r = f64x2.sub(f64x2.sub(c, f64x2.mul(kf, f64x2.splat(6.9314718036912381649e-1 / 256))), f64x2.mul(kf, f64x2.splat(1.90821492927058770002e-10 / 256)));
  const k = i32x4.trunc_sat_f64x2_s_zero(kf);
  const k0 = i32x4.extract_lane(k, 0);
  const k1 = i32x4.extract_lane(k, 1);
  const j0 = k0 & 255;
  const j1 = k1 & 255;
  const whole = f64x2(load<f64>(powers + ((<usize>(((k0 - j0) >> 8) + 1100)) << 3)), load<f64>(powers + ((<usize>(((k1 - j1) >> 8) + 1100)) << 3)));
  const part = f64x2(load<f64>(fraction + ((<usize>j0) << 3)), load<f64>(fraction + ((<usize>j1) << 3)));
  const one = f64x2.splat(1);
  const q = f64x2.add(f64x2.splat(0.5), f64x2.mul(r, f64x2.add(f64x2.splat(1.0 / 6), f64x2.mul(r, f64x2.splat(1.0 / 24)))));
  const p = f64x2.add(one, f64x2.mul(r, f64x2.add(one, f64x2.mul(r, q))));
  return f64x2.mul(f64x2.mul(whole, part), p);
}

/** LogLoss.gradients of rows from..to (w: 0 without weights), two rows at a time. */
export function logLossGradients(y: usize, raw: usize, w: usize, grad: usize, hess: usize, from: u32, to: u32, powers: usize, fraction: usize): void {
  const one = f64x2.splat(1);
  let i = <usize>from;
  for (; i + 2 <= <usize>to; i += 2) {
    const o = i << 3;
    const p = f64x2.div(one, f64x2.add(one, expFast2(f64x2.neg(v128.load(raw + o)), powers, fraction)));
    const wi = w ? v128.load(w + o) : one;
    v128.store(grad + o, f64x2.mul(wi, f64x2.sub(p, v128.load(y + o))));
    v128.store(hess + o, f64x2.mul(wi, f64x2.max(f64x2.mul(p, f64x2.sub(one, p)), f64x2.splat(1e-16))));
  }
  for (; i < <usize>to; i++) {
    const o = i << 3;
    const p = 1 / (1 + expFast(-load<f64>(raw + o), powers, fraction));
    const wi = w ? load<f64>(w + o) : 1.0;
    store<f64>(grad + o, wi * (p - load<f64>(y + o)));
    store<f64>(hess + o, wi * max<f64>(p * (1 - p), 1e-16));
  }
}

/** The sums of grad and hess over the rows idx[start..end), to out and out + 8. */
export function leafSums(grad: usize, hess: usize, idx: usize, start: u32, end: u32, out: usize): void {
  let sg: f64 = 0;
  let sh: f64 = 0;
  for (let i = <usize>start; i < <usize>end; i++) {
    const o = (<usize>load<u32>(idx + (i << 2))) << 3;
    sg += load<f64>(grad + o);
    sh += load<f64>(hess + o);
  }
  store<f64>(out, sg);
  store<f64>(out + 8, sh);
}

/** raw[r] += v for the rows r = idx[start..end). */
export function addLeaf(raw: usize, idx: usize, start: u32, end: u32, v: f64): void {
  for (let i = <usize>start; i < <usize>end; i++) {
    const a = raw + ((<usize>load<u32>(idx + (i << 2))) << 3);
    store<f64>(a, load<f64>(a) + v);
  }
}
