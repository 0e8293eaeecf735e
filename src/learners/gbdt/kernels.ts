// WebAssembly kernels for row-sharded training (shards.ts): the memory the shards' arrays live in,
// and the per-row steps over it: gathers, histograms, partitions, log-loss gradients, leaf sums and
// updates (assembly/kernels.ts holds their source). They give the numbers of the JavaScript kernels
// in the same order, so a model does not depend on which ran; the JavaScript kernels stay for sets
// in cache, for memories past what WebAssembly addresses, and as the reference the tests compare with.
import { planFeatures, ROW_BLOCK, type HistogramLayout } from './histogram.js';
import { FRACTION, POWERS } from './exp.js';
import { KERNELS_WASM_BASE64 } from './kernels-wasm.js';

/** The exports of assembly/kernels.ts (every pointer a byte address in the shard memory). */
export interface Kernels {
  gather(grad: number, hess: number, start: number, end: number, gh: number, unit: number): void;
  gatherPairs(byRow: number, idx: number, start: number, end: number, gh: number): void;
  gatherRows(bins: number, rows: number, stride: number, idx: number, start: number, end: number): void;
  histPos8(rows: number, stride: number, gh: number, start: number, end: number, w0: number, w1: number, b0: number, b1: number, b2: number, b3: number, b4: number, b5: number, b6: number, b7: number): void;
  histPos4(rows: number, stride: number, gh: number, start: number, end: number, w0: number, b0: number, b1: number, b2: number, b3: number): void;
  histPos1(rows: number, stride: number, gh: number, start: number, end: number, f: number, b: number): void;
  partitionPos(idx: number, source: number, rows: number, stride: number, start: number, end: number, f: number, goLeft: number, scratch: number, rowScratch: number): number;
  logLossGradients(y: number, raw: number, w: number, grad: number, hess: number, from: number, to: number, powers: number, fraction: number): void;
  leafSums(grad: number, hess: number, idx: number, start: number, end: number, out: number): void;
  addLeaf(raw: number, idx: number, start: number, end: number, v: number): void;
}

const PAGE = 65_536;
/** WebAssembly memories address at most 2^32 bytes; larger shard memories use the JavaScript kernels. */
const MAX_WASM_BYTES = 2 ** 32 - PAGE;
/** Allocations start at this address, so 0 can mean "none" (logLossGradients' w). */
const FIRST_ADDRESS = 64;

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where this runtime cannot run it (no SIMD or shared memory). */
function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(KERNELS_WASM_BASE64, 'base64'));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Whether training may use the WebAssembly kernels: LATHE_GBDT_KERNELS=js turns them off (A/B runs, tests). */
function wasmWanted(): boolean {
  return process.env.LATHE_GBDT_KERNELS !== 'js';
}

/**
 * One buffer that all of a sharded training set's arrays are carved from: a shared WebAssembly
 * memory when the kernels can run (its buffer is a SharedArrayBuffer, which two threads can use
 * and which never detaches: a detached buffer slows every typed array of a thread, see
 * DEVELOPERS.md), else a SharedArrayBuffer (two threads) or an ArrayBuffer. Sized once, up front.
 */
export class ShardMemory {
  readonly memory: WebAssembly.Memory | null;
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  private top = FIRST_ADDRESS;

  /** bytes: the sum of allocBytes of every block to be allocated; wasm: a WebAssembly memory if one can be made (kernelsUsable). */
  constructor(bytes: number, threads: number, wasm: boolean) {
    const size = FIRST_ADDRESS + bytes;
    const pages = Math.ceil(size / PAGE);
    let memory: WebAssembly.Memory | null = null;
    if (wasm && kernelsUsable(bytes)) {
      try {
        memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
      } catch {
        memory = null;
      }
    }
    this.memory = memory;
    this.buffer = memory ? memory.buffer : threads === 2 ? new SharedArrayBuffer(size) : new ArrayBuffer(size);
  }

  /** The byte address of a fresh block of `bytes` (16-byte aligned, zeroed). */
  alloc(bytes: number): number {
    const at = this.top;
    this.top += allocBytes(bytes);
    if (this.top > this.buffer.byteLength) throw new Error(`gbdt: shard memory of ${this.buffer.byteLength} bytes is too small (needed ${this.top})`);
    return at;
  }

  u8(length: number): Uint8Array {
    return new Uint8Array(this.buffer, this.alloc(length), length);
  }

  u32(length: number): Uint32Array {
    return new Uint32Array(this.buffer, this.alloc(4 * length), length);
  }

  f64(length: number): Float64Array {
    return new Float64Array(this.buffer, this.alloc(8 * length), length);
  }
}

/** Whether the kernels can run here at all (WebAssembly with SIMD and shared memory, LATHE_GBDT_KERNELS). */
export function kernelsAvailable(): boolean {
  return wasmWanted() && kernelModule() !== null;
}

/** Whether the kernels can run over a shard memory of `bytes` (WebAssembly, its address range, LATHE_GBDT_KERNELS). */
export function kernelsUsable(bytes: number): boolean {
  return wasmWanted() && FIRST_ADDRESS + bytes <= MAX_WASM_BYTES && kernelModule() !== null;
}

/** What alloc takes for a block of `bytes` (add these up to size a ShardMemory). */
export function allocBytes(bytes: number): number {
  return Math.ceil(Math.max(bytes, 1) / 16) * 16;
}

/** The kernels over a shard memory, or null when it is not a WebAssembly memory. */
export function kernelsFor(memory: WebAssembly.Memory | null): Kernels | null {
  const module = memory ? kernelModule() : null;
  if (!memory || !module) return null;
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Kernels;
}

/** The byte address of a view into a shard memory. */
function at(view: ArrayBufferView): number {
  return view.byteOffset;
}

/**
 * A sharded set's bins row-major (row r's bins at byte r * stride, feature f at byte f; stride a
 * multiple of 4 bytes), in row order (byRow), and in the order of the tree's positions (byPosition,
 * moved with the rows by partitions, through scratch), so that a node's bins are one run.
 */
export interface RowBins {
  stride: number;
  byRow: Uint32Array;
  byPosition: Uint32Array;
  scratch: Uint32Array;
}

/** Bytes per row of RowBins for nFeatures features. */
export function rowBinsStride(nFeatures: number): number {
  return 4 * Math.ceil(nFeatures / 4);
}

/** Fills bins.byRow from the byte columns. */
export function fillRowBins(columns: Uint8Array[], nRows: number, bins: RowBins): void {
  const bytes = new Uint8Array(bins.byRow.buffer, bins.byRow.byteOffset, bins.byRow.byteLength);
  const stride = bins.stride;
  for (let f = 0; f < columns.length; f++) {
    const c = columns[f];
    for (let r = 0, o = f; r < nRows; r++, o += stride) bytes[o] = c[r];
  }
}

/** The bins of the rows idx[start..end) into positions start..end of bins.byPosition. */
export function gatherRowBins(k: Kernels, bins: RowBins, idx: Uint32Array, start: number, end: number): void {
  k.gatherRows(at(bins.byRow), at(bins.byPosition), bins.stride, at(idx), start, end);
}

/** gatherGradients (histogram.ts) of rows start..end through the kernels, into gh in row order (gatherPairsWasm then orders a node's by position). */
export function gatherWasm(k: Kernels, grad: Float64Array, hess: Float64Array, start: number, end: number, gh: Float64Array, unit: number): void {
  k.gather(at(grad), at(hess), start, end, at(gh), unit);
}

/** gh[i] = pairs[idx[i]] (16-byte gradient pairs) for i in start..end. */
export function gatherPairsWasm(k: Kernels, pairs: Float64Array, idx: Uint32Array, start: number, end: number, gh: Float64Array): void {
  k.gatherPairs(at(pairs), at(idx), start, end, at(gh));
}

/**
 * The histogram of `features` over positions start..end (gradient pairs gh by position, bins in
 * `rows`: bins.byPosition, or bins.byRow where positions are rows) into hist, a view in the same
 * memory. Whole groups of four features go two groups per pass, the others one at a time; a block
 * of rows at a time through every feature, so the block's bins and pairs are read from cache by
 * the later passes.
 */
export function buildPositionHistogram(k: Kernels, layout: HistogramLayout, features: Int32Array, rows: Uint32Array, stride: number, gh: Float64Array, start: number, end: number, hist: Float64Array): void {
  const offsets = layout.offsets;
  for (let j = 0; j < features.length; j++) {
    const f = features[j];
    hist.fill(0, 2 * offsets[f], 2 * offsets[f + 1]);
  }
  const h = at(hist);
  const bin = (f: number): number => h + 16 * offsets[f];
  const { groups, singles, nGroups, nSingles } = planFeatures(features, layout.nFeatures >> 2);
  const rowsAt = at(rows);
  const ghAt = at(gh);
  for (let s = start; s < end; s += ROW_BLOCK) {
    const e = Math.min(end, s + ROW_BLOCK);
    let q = 0;
    for (; q + 2 <= nGroups; q += 2) {
      const f = groups[q];
      const g = groups[q + 1];
      k.histPos8(rowsAt, stride, ghAt, s, e, f >> 2, g >> 2, bin(f), bin(f + 1), bin(f + 2), bin(f + 3), bin(g), bin(g + 1), bin(g + 2), bin(g + 3));
    }
    if (q < nGroups) {
      const f = groups[q];
      k.histPos4(rowsAt, stride, ghAt, s, e, f >> 2, bin(f), bin(f + 1), bin(f + 2), bin(f + 3));
    }
    for (let j = 0; j < nSingles; j++) k.histPos1(rowsAt, stride, ghAt, s, e, singles[j], bin(singles[j]));
  }
}

/**
 * partitionWithGradients (splitting.ts: the same order of rows) moving the rows' bins along but not
 * their gradient pairs (gather them for a histogram); returns the first right position. The bins
 * are read from `source` (bins.byPosition, or bins.byRow where positions are rows) and written to
 * bins.byPosition.
 */
export function partitionPositions(k: Kernels, idx: Uint32Array, bins: RowBins, source: Uint32Array, start: number, end: number, feature: number, goLeft: Uint8Array, scratch: Uint32Array): number {
  return k.partitionPos(at(idx), at(source), at(bins.byPosition), bins.stride, start, end, feature, at(goLeft), at(scratch), at(bins.scratch));
}

/** Length of the exp tables block (fillExpTables): exp.ts POWERS, then FRACTION. */
export const EXP_TABLES_LENGTH = POWERS.length + FRACTION.length;

/** Copies exp.ts's tables into `block` (length EXP_TABLES_LENGTH, in a shard memory) for logLossGradients. */
export function fillExpTables(block: Float64Array): void {
  block.set(POWERS);
  block.set(FRACTION, POWERS.length);
}

/** LogLoss.gradients (losses.ts) of rows from..to through the kernels, the same numbers; exp: a fillExpTables block. */
export function logLossGradientsWasm(k: Kernels, y: Float64Array, raw: Float64Array, w: Float64Array | undefined, grad: Float64Array, hess: Float64Array, from: number, to: number, exp: Float64Array): void {
  k.logLossGradients(at(y), at(raw), w ? at(w) : 0, at(grad), at(hess), from, to, at(exp), at(exp) + 8 * POWERS.length);
}

/** The sums of grad and hess over the rows idx[start..end) into out[0], out[1] (out in the same memory). */
export function leafSumsWasm(k: Kernels, grad: Float64Array, hess: Float64Array, idx: Uint32Array, start: number, end: number, out: Float64Array): void {
  k.leafSums(at(grad), at(hess), at(idx), start, end, at(out));
}

/** raw[idx[i]] += v for i in start..end. */
export function addLeafWasm(k: Kernels, raw: Float64Array, idx: Uint32Array, start: number, end: number, v: number): void {
  k.addLeaf(at(raw), at(idx), start, end, v);
}
