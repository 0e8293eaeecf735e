// WebAssembly kernels for row-sharded training (shards.ts): the memory the shards' arrays live in,
// and the histogram, partition and gather steps over it (assembly/kernels.ts holds their source).
// They give the same sums as the JavaScript kernels in the same order, so a model does not depend
// on which ran; the JavaScript kernels stay for sets in cache, for memories past what WebAssembly
// addresses, and as the reference the tests compare with.
import { CACHE_RESIDENT_ROWS, PACKED_MIN_SHARE, planFeatures, ROW_BLOCK, type HistogramColumns, type HistogramLayout } from './histogram.js';
import { KERNELS_WASM_BASE64 } from './kernels-wasm.js';

/** The exports of assembly/kernels.ts (every pointer a byte address in the shard memory). */
export interface Kernels {
  histRows8(p0: number, p1: number, gh: number, start: number, end: number, b0: number, b1: number, b2: number, b3: number, b4: number, b5: number, b6: number, b7: number): void;
  histRows4(p: number, gh: number, start: number, end: number, b0: number, b1: number, b2: number, b3: number): void;
  histIndexed8(p0: number, p1: number, gh: number, idx: number, start: number, end: number, b0: number, b1: number, b2: number, b3: number, b4: number, b5: number, b6: number, b7: number): void;
  histIndexed4(p: number, gh: number, idx: number, start: number, end: number, b0: number, b1: number, b2: number, b3: number): void;
  histBytes4(c0: number, c1: number, c2: number, c3: number, gh: number, idx: number, start: number, end: number, b0: number, b1: number, b2: number, b3: number): void;
  histBytes1(c: number, gh: number, idx: number, start: number, end: number, b: number): void;
  gather(grad: number, hess: number, idx: number, start: number, end: number, gh: number, unit: number): void;
  partition(idx: number, gh: number, start: number, end: number, column: number, goLeft: number, scratch: number, ghScratch: number): number;
}

const PAGE = 65_536;
/** WebAssembly memories address at most 2^32 bytes; larger shard memories use the JavaScript kernels. */
const MAX_WASM_BYTES = 2 ** 32 - PAGE;
/** Allocations start at this address, so 0 can mean "none" (the gather kernel's idx). */
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

  /** bytes: the sum of shardBytes of every array to be allocated. */
  constructor(bytes: number, threads: number) {
    const size = FIRST_ADDRESS + bytes;
    const pages = Math.ceil(size / PAGE);
    let memory: WebAssembly.Memory | null = null;
    if (wasmWanted() && size <= MAX_WASM_BYTES && kernelModule()) {
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
 * buildHistogram (histogram.ts) through the kernels, with the same sums: the histogram of
 * `features` over positions start..end (rows idx[i], or rows start..end in order when indexed is
 * false, which needs idx[i] = i there for the byte columns) into hist, a view in the same memory.
 * nRows: the rows of the shard the positions are drawn from (the sparse-node rule).
 */
export function buildHistogramWasm(
  k: Kernels,
  cols: HistogramColumns,
  layout: HistogramLayout,
  features: Int32Array,
  gh: Float64Array,
  idx: Uint32Array,
  indexed: boolean,
  start: number,
  end: number,
  hist: Float64Array,
  nRows: number,
): void {
  const offsets = layout.offsets;
  for (let j = 0; j < features.length; j++) {
    const f = features[j];
    hist.fill(0, 2 * offsets[f], 2 * offsets[f + 1]);
  }
  // Sparse nodes of large sets read the byte columns (see buildHistogram).
  const packedOk = !indexed || nRows <= CACHE_RESIDENT_ROWS || (end - start) * PACKED_MIN_SHARE >= nRows;
  const plan = planFeatures(features, packedOk ? cols.packed.length : 0);
  const h = at(hist);
  const bin = (f: number): number => h + 16 * offsets[f];
  const ghAt = at(gh);
  const idxAt = at(idx);
  const { groups, singles, nGroups, nSingles } = plan;
  // A block of rows at a time through every feature, so the block's pairs stay in cache.
  for (let s = start; s < end; s += ROW_BLOCK) {
    const e = Math.min(end, s + ROW_BLOCK);
    let q = 0;
    for (; q + 2 <= nGroups; q += 2) {
      const f = groups[q];
      const g = groups[q + 1];
      const p0 = at(cols.packed[f >> 2]);
      const p1 = at(cols.packed[g >> 2]);
      if (indexed) k.histIndexed8(p0, p1, ghAt, idxAt, s, e, bin(f), bin(f + 1), bin(f + 2), bin(f + 3), bin(g), bin(g + 1), bin(g + 2), bin(g + 3));
      else k.histRows8(p0, p1, ghAt, s, e, bin(f), bin(f + 1), bin(f + 2), bin(f + 3), bin(g), bin(g + 1), bin(g + 2), bin(g + 3));
    }
    if (q < nGroups) {
      const f = groups[q];
      const p = at(cols.packed[f >> 2]);
      if (indexed) k.histIndexed4(p, ghAt, idxAt, s, e, bin(f), bin(f + 1), bin(f + 2), bin(f + 3));
      else k.histRows4(p, ghAt, s, e, bin(f), bin(f + 1), bin(f + 2), bin(f + 3));
    }
    const c = cols.columns;
    let j = 0;
    for (; j + 4 <= nSingles; j += 4) {
      const [f0, f1, f2, f3] = [singles[j], singles[j + 1], singles[j + 2], singles[j + 3]];
      k.histBytes4(at(c[f0]), at(c[f1]), at(c[f2]), at(c[f3]), ghAt, idxAt, s, e, bin(f0), bin(f1), bin(f2), bin(f3));
    }
    for (; j < nSingles; j++) k.histBytes1(at(c[singles[j]]), ghAt, idxAt, s, e, bin(singles[j]));
  }
}

/** gatherGradients (histogram.ts) through the kernels; idx null: positions are rows. */
export function gatherWasm(k: Kernels, grad: Float64Array, hess: Float64Array, idx: Uint32Array | null, start: number, end: number, gh: Float64Array, unit: number): void {
  k.gather(at(grad), at(hess), idx ? at(idx) : 0, start, end, at(gh), unit);
}

/** partitionWithGradients (splitting.ts) through the kernels; returns the first right position. */
export function partitionWasm(k: Kernels, idx: Uint32Array, gh: Float64Array, start: number, end: number, column: Uint8Array, goLeft: Uint8Array, scratch: Uint32Array, ghScratch: Float64Array): number {
  return k.partition(at(idx), at(gh), start, end, at(column), at(goLeft), at(scratch), at(ghScratch));
}
