// Row shards: a training set beyond the cache (histogram.ts CACHE_RESIDENT_ROWS) is cut in two
// halves by row index, and every per-row step of a tree runs on each half apart: the gradients,
// the root's sums, gathering the gradient pairs, the partitions, the histograms, the leaves' sums
// and the updates of the raw scores. The halves' results are combined in one fixed order (shard
// 0's, then shard 1's), so a model does not depend on who ran shard 1: the calling thread after
// shard 0 (threads 1), or a worker thread at the same time (threads 2), over shared memory. Split
// finding and the sum of the halves' histograms (a few thousand numbers a node) stay on the
// calling thread. The shards' arrays live in one ShardMemory (kernels.ts): a WebAssembly memory
// where the per-row steps run as WebAssembly kernels.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { buildHistogram, gatherGradients, HIST_STRIDE, packColumns, packedViews, type HistogramColumns, type HistogramLayout } from './histogram.js';
import {
  addLeafWasm,
  allocBytes,
  buildPositionHistogram,
  EXP_TABLES_LENGTH,
  fillExpTables,
  fillRowBins,
  gatherRowBins,
  gatherPairsWasm,
  gatherWasm,
  kernelsFor,
  kernelsUsable,
  leafSumsWasm,
  logLossGradientsWasm,
  partitionPositions,
  rowBinsStride,
  ShardMemory,
  type Kernels,
  type RowBins,
} from './kernels.js';
import { makeLoss, type Loss } from './losses.js';
import { partitionWithGradients } from './splitting.js';
import type { GbdtLoss } from './types.js';

/** What a shard is asked to do (slot C.op of its command block). */
const OP = { start: 1, root: 2, split: 3, leafSums: 4, addLeaves: 5, gradients: 6 } as const;

/** Which child of a split gets a histogram (slot C.side). */
export const SIDE = { none: 0, left: 1, right: 2 } as const;

/** Slots of a shard's Int32Array command block. */
const C = {
  op: 0,
  /** Positions a..b-1 of the tree's rows (a node's part in this shard). */
  a: 1,
  b: 2,
  /** The output (class) whose gradients the tree fits. */
  output: 3,
  /** 1 = the tree's rows are a subsample (listed in the shared rows array). */
  subsample: 4,
  feature: 5,
  side: 6,
  nFeatures: 7,
  nLeaves: 8,
  /** Set by a split: the first position of the right child. */
  mid: 9,
  /** Worker handshake (shard 1's block): the job number posted, the one done, started, stop, and 1 if a job threw. */
  seq: 10,
  done: 11,
  ready: 12,
  stop: 13,
  failed: 14,
  /**
   * 1 while the kernels' bins of the tree's positions are still the bins in row order (a tree on
   * all rows, until the root's partition). In the block, not the ShardWork: shard 1's commands run
   * on the worker or, when small, on the calling thread.
   */
  rowOrder: 15,
  /** From here: the feature list, or (start, end) per leaf. */
  list: 16,
} as const;

/** Slots of a shard's Float64Array command block. */
const F = {
  /** The tree's count unit: set by root, read by the tree's splits too. */
  unit: 0,
  sumG: 1,
  sumH: 2,
  /** From here: per leaf, its value (addLeaves) or its gradient and hessian sums (leafSums). */
  list: 4,
} as const;

/**
 * Below this many rows of a node in shard 1 it runs on the calling thread (a round trip costs more).
 * 512, 2048 and 8192 measured the same within noise on the 1M-row fit.
 */
const MIN_REMOTE_ROWS = 2048;
/**
 * Loads of a flag (about 8 ns each) before a thread sleeps on it (Atomics.wait): the other side's
 * next step often comes within microseconds, sooner than a sleeping thread wakes. At 1M rows on
 * two threads, three runs each: 5.35-5.58 s without spinning, 5.14-5.36 s with 20,000 loads,
 * 5.11-5.35 s with 200,000.
 */
const SPIN = 50_000;
/** How long to wait for the worker to start before running shard 1 on the calling thread. */
const READY_TIMEOUT_MS = 10_000;

/** The arrays both shards work on: views into one ShardMemory (allocateShardArrays). */
export interface ShardArrays {
  nRows: number;
  cols: HistogramColumns;
  layout: HistogramLayout;
  /** Uint32Array of length nRows: the tree's rows, partitioned so each node owns a slice per shard. */
  indices: Uint32Array;
  /** Float64Array of length 2 * nRows: the (gradient, hessian + count unit) pair of the row at position i at 2i, 2i + 1. */
  gh: Float64Array;
  /**
   * Partition scratch: each shard's right rows pass through their own positions. The WebAssembly
   * kernels do not move the pairs (kernels.ts partitionPositions): they keep the tree's pairs in
   * row order in ghScratch instead (row r's at 2r, 2r + 1), and gather a node's from there.
   */
  scratch: Uint32Array;
  ghScratch: Float64Array;
  /** Uint32Array of length nRows: the tree's subsample (its first rowCount entries, sorted). */
  rows: Uint32Array;
  /** Per output, Float64Array of length nRows: the round's gradients and hessians. */
  grad: Float64Array[];
  hess: Float64Array[];
  /** Float64Array of length nRows * nOutputs: output-major raw scores (losses.ts). */
  raw: Float64Array;
  y: Float64Array;
  w: Float64Array | undefined;
  /** What only the WebAssembly kernels read (null with the JavaScript ones): the bins row-major, exp.ts's tables (fillExpTables). */
  wasm: { bins: RowBins; exp: Float64Array } | null;
}

/** A shard's side of the WebAssembly kernels: the kernels, and its own blocks in their memory. */
interface ShardKernels {
  k: Kernels;
  bins: RowBins;
  exp: Float64Array;
  /** Where a histogram is summed (copied to run's hist if that is elsewhere). */
  hist: Float64Array;
  /** A leaf's gradient and hessian sums. */
  sums: Float64Array;
}

interface Blocks {
  cmd: Int32Array;
  fcmd: Float64Array;
  /** Uint8Array of length 256: the go-left table of the split being applied. */
  goLeft: Uint8Array;
}

/** The loss, as the worker makes its own (makeLoss). */
export interface LossSpec {
  loss: GbdtLoss;
  nClasses?: number;
  huberAlpha?: number;
}

/**
 * A sharded set's arrays in a new ShardMemory sized for them and for RowShards' blocks (two go-left
 * tables and two histograms). binInto fills the byte columns (binning.ts binDataset) into the
 * bytes it is given (nRows x nFeatures) and returns them; y and w are copied in.
 */
export function allocateShardArrays(
  nRows: number,
  layout: HistogramLayout,
  nOutputs: number,
  y: Float64Array,
  w: Float64Array | undefined,
  threads: number,
  binInto: (bytes: Uint8Array) => Uint8Array[],
): { arrays: ShardArrays; memory: ShardMemory } {
  const n = nRows;
  const nf = layout.nFeatures;
  const rowArrays = [n * nf, 4 * n, 16 * n, 4 * n, 16 * n, 4 * n, 8 * n * nOutputs, 8 * n, w ? 8 * n : 0];
  const blocks = [256, 256, 8 * HIST_STRIDE * layout.totalBins, 8 * HIST_STRIDE * layout.totalBins, 16, 16];
  const sizes = [...rowArrays, ...blocks, ...Array.from({ length: 2 * nOutputs }, () => 8 * n)];
  const bytes = sizes.reduce((sum, b) => sum + allocBytes(b), 0);
  // The WebAssembly kernels read the bins row-major (RowBins: three copies), the JavaScript ones
  // the packed column groups (histogram.ts packColumns; fewer bytes, so they fit in the same room).
  const stride = rowBinsStride(nf);
  const binBytes = 3 * allocBytes(stride * n) + allocBytes(8 * EXP_TABLES_LENGTH);
  const packedBytes = allocBytes(4 * (nf >> 2) * n);
  const usable = kernelsUsable(bytes + binBytes);
  const memory = new ShardMemory(bytes + (usable ? binBytes : packedBytes), threads, usable);
  const columns = binInto(memory.u8(n * nf));
  let cols: HistogramColumns = { columns, packed: [] };
  let wasm: ShardArrays['wasm'] = null;
  if (memory.memory) {
    const words = (stride / 4) * n;
    wasm = { bins: { stride, byRow: memory.u32(words), byPosition: memory.u32(words), scratch: memory.u32(words) }, exp: memory.f64(EXP_TABLES_LENGTH) };
    fillRowBins(columns, n, wasm.bins);
    fillExpTables(wasm.exp);
  } else {
    cols = packColumns(columns, n, memory.u32((nf >> 2) * n));
  }
  const arrays: ShardArrays = {
    nRows: n,
    cols,
    layout,
    indices: memory.u32(n),
    gh: memory.f64(2 * n),
    scratch: memory.u32(n),
    ghScratch: memory.f64(2 * n),
    rows: memory.u32(n),
    raw: memory.f64(n * nOutputs),
    y: memory.f64(n),
    w: w ? memory.f64(n) : undefined,
    grad: Array.from({ length: nOutputs }, () => memory.f64(n)),
    hess: Array.from({ length: nOutputs }, () => memory.f64(n)),
    wasm,
  };
  arrays.y.set(y);
  if (w) arrays.w?.set(w);
  return { arrays, memory };
}

/** What the worker receives to rebuild ShardArrays and shard 1's blocks over the same memory. */
export interface ShardWorkerInit {
  nRows: number;
  offsets: Int32Array;
  /** The shard memory: a shared WebAssembly memory (the kernels run over it), or its buffer. */
  memory: WebAssembly.Memory | null;
  buffer: SharedArrayBuffer;
  /** Byte addresses in the buffer of each array of ShardArrays and of shard 1's blocks (packed, exp, w: -1 and bins: null without them). */
  at: {
    columns: number;
    packed: number;
    /** RowBins: stride, then the addresses of byRow, byPosition and scratch. */
    bins: number[] | null;
    exp: number;
    sums: number;
    indices: number;
    gh: number;
    scratch: number;
    ghScratch: number;
    rows: number;
    grad: number[];
    hess: number[];
    raw: number;
    y: number;
    w: number;
    goLeft: number;
    hist: number;
  };
  loss: LossSpec;
  cmd: SharedArrayBuffer;
  fcmd: SharedArrayBuffer;
  /** Where the worker sends the message of an error it met. */
  errors: MessagePort;
}

/** One shard's side of every step, over the shared arrays; the worker runs shard 1's. */
export class ShardWork {
  constructor(
    private readonly s: ShardArrays,
    private readonly loss: Loss,
    private readonly blocks: Blocks,
    /** The shard's rows: lo..hi-1 (row numbers, for gradients and the sparse-node rule). */
    private readonly lo: number,
    private readonly hi: number,
    /** The WebAssembly kernels, or null for the JavaScript ones. */
    private readonly kernels: ShardKernels | null,
    /** Whether the loss is log-loss (whose gradients the kernels compute). */
    private readonly logLoss: boolean,
  ) {}

  /** Runs the command in the shard's block; histograms go to `hist`. */
  run(hist: Float64Array): void {
    const s = this.s;
    const { cmd, fcmd, goLeft } = this.blocks;
    const a = cmd[C.a];
    const b = cmd[C.b];
    const sub = cmd[C.subsample] === 1;
    switch (cmd[C.op]) {
      case OP.gradients:
        if (this.kernels && this.logLoss) logLossGradientsWasm(this.kernels.k, s.y, s.raw, s.w, s.grad[0], s.hess[0], this.lo, this.hi, this.kernels.exp);
        else this.loss.gradients(s.y, s.raw, s.w, s.grad, s.hess, this.lo, this.hi);
        return;
      case OP.start: {
        const g = s.grad[cmd[C.output]];
        const h = s.hess[cmd[C.output]];
        const indices = s.indices;
        let sumG = 0;
        let sumH = 0;
        if (sub) {
          const rows = s.rows;
          for (let p = a; p < b; p++) {
            const r = rows[p];
            indices[p] = r;
            sumG += g[r];
            sumH += h[r];
          }
        } else {
          for (let p = a; p < b; p++) {
            indices[p] = p;
            sumG += g[p];
            sumH += h[p];
          }
        }
        fcmd[F.sumG] = sumG;
        fcmd[F.sumH] = sumH;
        // The kernels' bins by position: a subsample's gathered; without one, positions are rows
        // and the root reads the bins in row order, its partition writing them by position.
        const k = this.kernels;
        if (k && sub) gatherRowBins(k.k, k.bins, indices, a, b);
        cmd[C.rowOrder] = sub ? 0 : 1;
        return;
      }
      case OP.root: {
        // Without a subsample, position p holds row p: the root reads the rows in order.
        const indices = sub ? s.indices : null;
        const k = this.kernels;
        if (!k) {
          gatherGradients(s.grad[cmd[C.output]], s.hess[cmd[C.output]], indices, a, b, s.gh, fcmd[F.unit]);
          this.histogram(sub, a, b, hist);
          return;
        }
        // The pairs of the shard's rows in row order, then (with a subsample) by position.
        gatherWasm(k.k, s.grad[cmd[C.output]], s.hess[cmd[C.output]], this.lo, this.hi, s.ghScratch, fcmd[F.unit]);
        if (sub) gatherPairsWasm(k.k, s.ghScratch, s.indices, a, b, s.gh);
        this.histogram(sub, a, b, hist, sub ? s.gh : s.ghScratch);
        return;
      }
      case OP.split: {
        const column = s.cols.columns[cmd[C.feature]];
        const k = this.kernels;
        let mid = a;
        if (b > a) {
          if (!column) throw new RangeError(`split on feature ${cmd[C.feature]}, of ${s.layout.nFeatures}`);
          if (k) {
            mid = partitionPositions(k.k, s.indices, k.bins, this.binsNow(k), a, b, cmd[C.feature], goLeft, s.scratch);
            cmd[C.rowOrder] = 0;
          } else {
            mid = partitionWithGradients(s.indices, s.gh, a, b, column, goLeft, s.scratch, s.ghScratch);
          }
        }
        cmd[C.mid] = mid;
        const side = cmd[C.side];
        if (side === SIDE.none) return;
        const [from, to] = side === SIDE.left ? [a, mid] : [mid, b];
        // The kernels' partition leaves the pairs behind: the child's are gathered.
        if (k) gatherPairsWasm(k.k, s.ghScratch, s.indices, from, to, s.gh);
        this.histogram(true, from, to, hist);
        return;
      }
      case OP.leafSums: {
        const g = s.grad[cmd[C.output]];
        const h = s.hess[cmd[C.output]];
        const indices = s.indices;
        const kk = this.kernels;
        if (kk) {
          for (let k = 0, nl = cmd[C.nLeaves]; k < nl; k++) {
            leafSumsWasm(kk.k, g, h, indices, cmd[C.list + 2 * k], cmd[C.list + 2 * k + 1], kk.sums);
            fcmd[F.list + 2 * k] = kk.sums[0];
            fcmd[F.list + 2 * k + 1] = kk.sums[1];
          }
          return;
        }
        for (let k = 0, nl = cmd[C.nLeaves]; k < nl; k++) {
          let sg = 0;
          let sh = 0;
          for (let p = cmd[C.list + 2 * k], e = cmd[C.list + 2 * k + 1]; p < e; p++) {
            const r = indices[p];
            sg += g[r];
            sh += h[r];
          }
          fcmd[F.list + 2 * k] = sg;
          fcmd[F.list + 2 * k + 1] = sh;
        }
        return;
      }
      case OP.addLeaves: {
        const raw = s.raw;
        const offset = cmd[C.output] * s.nRows;
        const indices = s.indices;
        const kk = this.kernels;
        if (kk) {
          const out = raw.subarray(offset, offset + s.nRows);
          for (let k = 0, nl = cmd[C.nLeaves]; k < nl; k++) addLeafWasm(kk.k, out, indices, cmd[C.list + 2 * k], cmd[C.list + 2 * k + 1], fcmd[F.list + k]);
          return;
        }
        for (let k = 0, nl = cmd[C.nLeaves]; k < nl; k++) {
          const v = fcmd[F.list + k];
          for (let p = cmd[C.list + 2 * k], e = cmd[C.list + 2 * k + 1]; p < e; p++) raw[offset + indices[p]] += v;
        }
        return;
      }
      default:
        throw new Error(`unknown shard command ${cmd[C.op]}`);
    }
  }

  private features(): Int32Array {
    const cmd = this.blocks.cmd;
    return cmd.subarray(C.list, C.list + cmd[C.nFeatures]);
  }

  /** Where the bins of the tree's positions are (see C.rowOrder). */
  private binsNow(k: ShardKernels): Uint32Array {
    return this.blocks.cmd[C.rowOrder] === 1 ? k.bins.byRow : k.bins.byPosition;
  }

  /**
   * The histogram of the command's features over positions a..b (rows in order when not indexed)
   * into hist. gh: the pairs by position (for the kernels; the JavaScript kernels read s.gh).
   */
  private histogram(indexed: boolean, a: number, b: number, hist: Float64Array, gh = this.s.gh): void {
    const s = this.s;
    const features = this.features();
    const span = this.hi - this.lo;
    const k = this.kernels;
    if (!k) {
      buildHistogram(s.cols, s.layout, features, s.gh, indexed ? s.indices : null, a, b, hist, span);
      return;
    }
    const out = k.hist;
    buildPositionHistogram(k.k, s.layout, features, this.binsNow(k), k.bins.stride, gh, a, b, out);
    if (out === hist) return;
    const offsets = s.layout.offsets;
    for (let j = 0; j < features.length; j++) {
      const f = features[j];
      const from = HIST_STRIDE * offsets[f];
      const to = HIST_STRIDE * offsets[f + 1];
      hist.set(out.subarray(from, to), from);
    }
  }
}

/** The calling thread's side: sets both shards' commands, runs them, combines their results. */
export class RowShards {
  private readonly work: ShardWork[];
  private readonly blocks: Blocks[];
  private readonly worker: Worker | null;
  /** The worker's error messages (read synchronously when a job failed). */
  private readonly errors: MessagePort | null = null;
  /** Shard 1's histograms, added into shard 0's after each build. */
  private readonly hist1: Float64Array;
  /** The first row of shard 1. */
  private readonly half: number;
  private seq = 0;
  /** Set by startTree: the positions of the tree's rows in shard 0 are 0..bound-1, in shard 1 bound..count-1. */
  bound = 0;
  count = 0;
  /** Set by root: the output whose tree is growing (its gradients and unit serve the tree's splits). */
  private output = 0;
  /** Set by split: each shard's first position of the right child. */
  readonly mids = new Int32Array(2);
  /** Per-node scratch of leafSums/addLeaves: the tree's leaves. */
  private readonly leaves: Int32Array;

  constructor(
    /** Views into `memory`, which also has room for RowShards' go-left tables and histograms (allocateShardArrays). */
    readonly arrays: ShardArrays,
    memory: ShardMemory,
    lossSpec: LossSpec,
    /** The most nodes a tree has (leaves and internal nodes). */
    maxNodes: number,
    /** 2: a worker thread runs shard 1 (if it cannot start, the calling thread does). */
    threads: number,
  ) {
    const n = arrays.nRows;
    const nf = arrays.layout.nFeatures;
    this.half = n >>> 1;
    this.leaves = new Int32Array(maxNodes);
    const loss = makeLoss(lossSpec.loss, lossSpec.nClasses, lossSpec.huberAlpha);
    const two = threads === 2 && memory.buffer instanceof SharedArrayBuffer;
    const cmdLength = C.list + Math.max(nf, 2 * maxNodes);
    const fcmdLength = F.list + 2 * maxNodes;
    const histLength = HIST_STRIDE * arrays.layout.totalBins;
    const cmd1 = new SharedArrayBuffer(4 * cmdLength);
    const fcmd1 = new SharedArrayBuffer(8 * fcmdLength);
    this.blocks = [
      { cmd: new Int32Array(cmdLength), fcmd: new Float64Array(fcmdLength), goLeft: memory.u8(256) },
      { cmd: new Int32Array(cmd1), fcmd: new Float64Array(fcmd1), goLeft: memory.u8(256) },
    ];
    const hist0 = memory.f64(histLength);
    this.hist1 = memory.f64(histLength);
    const sums = [memory.f64(2), memory.f64(2)];
    const k = kernelsFor(memory.memory);
    const w = arrays.wasm;
    const kernels = (hist: Float64Array, s: Float64Array): ShardKernels | null => (k && w ? { k, bins: w.bins, exp: w.exp, hist, sums: s } : null);
    const logLoss = lossSpec.loss === 'logloss';
    this.work = [
      new ShardWork(arrays, loss, this.blocks[0], 0, this.half, kernels(hist0, sums[0]), logLoss),
      new ShardWork(arrays, loss, this.blocks[1], this.half, n, kernels(this.hist1, sums[1]), logLoss),
    ];
    this.worker = null;
    if (two) {
      const a = arrays;
      const channel = new MessageChannel();
      const at = (v: ArrayBufferView): number => v.byteOffset;
      const init: ShardWorkerInit = {
        nRows: n,
        offsets: a.layout.offsets,
        memory: memory.memory,
        buffer: memory.buffer as SharedArrayBuffer,
        at: {
          columns: at(a.cols.columns[0]),
          packed: a.cols.packed.length > 0 ? at(a.cols.packed[0]) : -1,
          bins: a.wasm ? [a.wasm.bins.stride, at(a.wasm.bins.byRow), at(a.wasm.bins.byPosition), at(a.wasm.bins.scratch)] : null,
          exp: a.wasm ? at(a.wasm.exp) : -1,
          sums: at(sums[1]),
          indices: at(a.indices),
          gh: at(a.gh),
          scratch: at(a.scratch),
          ghScratch: at(a.ghScratch),
          rows: at(a.rows),
          grad: a.grad.map(at),
          hess: a.hess.map(at),
          raw: at(a.raw),
          y: at(a.y),
          w: a.w ? at(a.w) : -1,
          goLeft: at(this.blocks[1].goLeft),
          hist: at(this.hist1),
        },
        loss: lossSpec,
        cmd: cmd1,
        fcmd: fcmd1,
        errors: channel.port2,
      };
      this.worker = startWorker(init, this.blocks[1].cmd);
      this.errors = channel.port1;
      channel.port1.unref();
    }
  }

  /** Whether a worker thread runs shard 1. */
  get parallel(): boolean {
    return this.worker !== null;
  }

  /** The round's gradients of every row (for losses whose gradients are per row). */
  gradients(): void {
    this.set(0, OP.gradients, 0, 0, 0, 0);
    this.set(1, OP.gradients, 0, 0, 0, 0);
    this.exec(null, this.arrays.nRows - this.half);
  }

  /**
   * Lists the tree's rows (rows: the sorted subsample of `count` rows, or null for all rows) in
   * each shard's positions, and returns their gradient and hessian sums in sums[0], sums[1].
   */
  startTree(output: number, rows: Uint32Array | null, sums: Float64Array): void {
    const n = rows ? rows.length : this.arrays.nRows;
    if (rows) this.arrays.rows.set(rows);
    this.bound = rows ? lowerBound(rows, this.half) : this.half;
    this.count = n;
    const sub = rows ? 1 : 0;
    this.set(0, OP.start, 0, this.bound, output, sub);
    this.set(1, OP.start, this.bound, n, output, sub);
    this.exec(null, n - this.bound);
    const [f0, f1] = [this.blocks[0].fcmd, this.blocks[1].fcmd];
    sums[0] = f0[F.sumG] + f1[F.sumG];
    sums[1] = f0[F.sumH] + f1[F.sumH];
  }

  /** Gathers the tree's gradient pairs (hessians plus unit) and sums the root's histogram into hist. */
  root(output: number, unit: number, features: Int32Array, hist: Float64Array): void {
    this.output = output;
    const sub = this.count < this.arrays.nRows ? 1 : 0;
    this.set(0, OP.root, 0, this.bound, output, sub);
    this.set(1, OP.root, this.bound, this.count, output, sub);
    for (const b of this.blocks) {
      b.fcmd[F.unit] = unit;
      this.setFeatures(b.cmd, features);
    }
    this.exec(hist, this.count - this.bound);
    addHistogram(this.arrays.layout, features, hist, this.hist1);
  }

  /**
   * Partitions a node's rows (ranges: start and end in shard 0, then in shard 1) by goLeft[bin of
   * `feature`], leaving each shard's boundary in mids, and sums the histogram of the child on
   * `side` into hist (unless side is SIDE.none).
   */
  split(ranges: Int32Array, feature: number, goLeft: Uint8Array, side: number, features: Int32Array, hist: Float64Array | null): void {
    for (let k = 0; k < 2; k++) {
      const b = this.blocks[k];
      this.set(k, OP.split, ranges[2 * k], ranges[2 * k + 1], this.output, 0);
      b.cmd[C.feature] = feature;
      b.cmd[C.side] = side;
      b.goLeft.set(goLeft);
      if (side !== SIDE.none) this.setFeatures(b.cmd, features);
    }
    this.exec(hist, ranges[3] - ranges[2]);
    this.mids[0] = this.blocks[0].cmd[C.mid];
    this.mids[1] = this.blocks[1].cmd[C.mid];
    if (hist) addHistogram(this.arrays.layout, features, hist, this.hist1);
  }

  /**
   * Per leaf of the tree (nodes with feature < 0; start/end hold each node's range in shard s at
   * 2 * node + s), the exact sums of its rows' gradients and hessians, into out[2 * node], out[2 * node + 1].
   */
  leafSums(output: number, nNodes: number, feature: Int32Array, start: Int32Array, end: Int32Array, out: Float64Array): void {
    const nl = this.collectLeaves(nNodes, feature);
    this.runOnLeaves(OP.leafSums, output, nl, start, end);
    const [f0, f1] = [this.blocks[0].fcmd, this.blocks[1].fcmd];
    for (let k = 0; k < nl; k++) {
      const nd = this.leaves[k];
      out[2 * nd] = f0[F.list + 2 * k] + f1[F.list + 2 * k];
      out[2 * nd + 1] = f0[F.list + 2 * k + 1] + f1[F.list + 2 * k + 1];
    }
  }

  /** raw[output * nRows + row] += the value of the row's leaf, for every row of the tree. */
  addLeaves(output: number, nNodes: number, feature: Int32Array, start: Int32Array, end: Int32Array, value: Float64Array): void {
    const nl = this.collectLeaves(nNodes, feature);
    for (const b of this.blocks) for (let k = 0; k < nl; k++) b.fcmd[F.list + k] = value[this.leaves[k]];
    this.runOnLeaves(OP.addLeaves, output, nl, start, end);
  }

  /** Stops the worker (it exits on its own; the caller does not wait). */
  close(): void {
    if (!this.worker) return;
    const c = this.blocks[1].cmd;
    Atomics.store(c, C.stop, 1);
    this.seq++;
    Atomics.store(c, C.seq, this.seq);
    Atomics.notify(c, C.seq);
    this.worker.unref();
  }

  /** Lists the tree's leaves in this.leaves; returns how many. */
  private collectLeaves(nNodes: number, feature: Int32Array): number {
    let nl = 0;
    for (let nd = 0; nd < nNodes; nd++) if (feature[nd] < 0) this.leaves[nl++] = nd;
    return nl;
  }

  /** Runs a per-leaf command on the first nl of this.leaves, each shard over its ranges. */
  private runOnLeaves(op: number, output: number, nl: number, start: Int32Array, end: Int32Array): void {
    let rows1 = 0;
    for (let k = 0; k < 2; k++) {
      const cmd = this.blocks[k].cmd;
      this.set(k, op, 0, 0, output, 0);
      cmd[C.nLeaves] = nl;
      for (let j = 0; j < nl; j++) {
        const nd = this.leaves[j];
        cmd[C.list + 2 * j] = start[2 * nd + k];
        cmd[C.list + 2 * j + 1] = end[2 * nd + k];
        if (k === 1) rows1 += end[2 * nd + 1] - start[2 * nd + 1];
      }
    }
    this.exec(null, rows1);
  }

  /** Writes a command to the shard's block. */
  private set(shard: number, op: number, a: number, b: number, output: number, subsample: number): void {
    const cmd = this.blocks[shard].cmd;
    cmd[C.op] = op;
    cmd[C.a] = a;
    cmd[C.b] = b;
    cmd[C.output] = output;
    cmd[C.subsample] = subsample;
  }

  private setFeatures(cmd: Int32Array, features: Int32Array): void {
    cmd[C.nFeatures] = features.length;
    cmd.set(features, C.list);
  }

  /** Runs shard 0 here and shard 1 on the worker at the same time (if it has rows1 >= MIN_REMOTE_ROWS rows of work), or here after. */
  private exec(hist: Float64Array | null, rows1: number): void {
    const target = hist ?? this.hist1;
    if (this.worker && rows1 >= MIN_REMOTE_ROWS) {
      const c = this.blocks[1].cmd;
      this.seq++;
      Atomics.store(c, C.seq, this.seq);
      Atomics.notify(c, C.seq);
      this.work[0].run(target);
      let done = Atomics.load(c, C.done);
      for (let spin = 0; done !== this.seq && spin < SPIN; spin++) done = Atomics.load(c, C.done);
      while (done !== this.seq) {
        Atomics.wait(c, C.done, done);
        done = Atomics.load(c, C.done);
      }
      if (Atomics.load(c, C.failed) === 1) {
        const message = this.errors ? receiveMessageOnPort(this.errors)?.message : undefined;
        throw new Error(`gbdt: the training worker thread failed: ${String(message ?? 'no message')}`);
      }
    } else {
      this.work[0].run(target);
      this.work[1].run(this.hist1);
    }
  }
}

/** The worker's loop over shard 1's commands (shard-worker.ts). */
export function serveShard(init: ShardWorkerInit): void {
  const nf = init.offsets.length - 1;
  const n = init.nRows;
  const at = init.at;
  const buffer = init.memory ? init.memory.buffer : init.buffer;
  const f64 = (address: number, length: number) => new Float64Array(buffer, address, length);
  const columns = Array.from({ length: nf }, (_, f) => new Uint8Array(buffer, at.columns + f * n, n));
  const nOutputs = at.grad.length;
  const arrays: ShardArrays = {
    nRows: n,
    cols: { columns, packed: at.packed >= 0 ? packedViews(buffer, nf, n, at.packed) : [] },
    layout: { nFeatures: nf, offsets: init.offsets, totalBins: init.offsets[nf] },
    indices: new Uint32Array(buffer, at.indices, n),
    gh: f64(at.gh, 2 * n),
    scratch: new Uint32Array(buffer, at.scratch, n),
    ghScratch: f64(at.ghScratch, 2 * n),
    rows: new Uint32Array(buffer, at.rows, n),
    grad: at.grad.map((a) => f64(a, n)),
    hess: at.hess.map((a) => f64(a, n)),
    raw: f64(at.raw, n * nOutputs),
    y: f64(at.y, n),
    w: at.w >= 0 ? f64(at.w, n) : undefined,
    wasm: at.bins ? { bins: rowBinsAt(buffer, at.bins, n), exp: f64(at.exp, EXP_TABLES_LENGTH) } : null,
  };
  const cmd = new Int32Array(init.cmd);
  const hist = f64(at.hist, HIST_STRIDE * arrays.layout.totalBins);
  const loss = makeLoss(init.loss.loss, init.loss.nClasses, init.loss.huberAlpha);
  const blocks = { cmd, fcmd: new Float64Array(init.fcmd), goLeft: new Uint8Array(buffer, at.goLeft, 256) };
  const k = kernelsFor(init.memory);
  const w = arrays.wasm;
  const kernels = k && w ? { k, bins: w.bins, exp: w.exp, hist, sums: f64(at.sums, 2) } : null;
  const work = new ShardWork(arrays, loss, blocks, n >>> 1, n, kernels, init.loss.loss === 'logloss');
  let seen = 0;
  Atomics.store(cmd, C.ready, 1);
  Atomics.notify(cmd, C.ready);
  for (;;) {
    for (let spin = 0; spin < SPIN && Atomics.load(cmd, C.seq) === seen; spin++);
    Atomics.wait(cmd, C.seq, seen);
    const seq = Atomics.load(cmd, C.seq);
    if (seq === seen) continue;
    seen = seq;
    if (Atomics.load(cmd, C.stop) === 1) break;
    try {
      work.run(hist);
    } catch (e) {
      init.errors.postMessage(e instanceof Error ? (e.stack ?? e.message) : String(e));
      Atomics.store(cmd, C.failed, 1);
    }
    Atomics.store(cmd, C.done, seq);
    Atomics.notify(cmd, C.done);
  }
}

function rowBinsAt(buffer: ArrayBufferLike, [stride, byRow, byPosition, scratch]: number[], n: number): RowBins {
  const words = (stride / 4) * n;
  return { stride, byRow: new Uint32Array(buffer, byRow, words), byPosition: new Uint32Array(buffer, byPosition, words), scratch: new Uint32Array(buffer, scratch, words) };
}

/** target += part over the features' bins. */
function addHistogram(layout: HistogramLayout, features: Int32Array, target: Float64Array, part: Float64Array): void {
  const offsets = layout.offsets;
  for (let k = 0; k < features.length; k++) {
    const f = features[k];
    for (let j = HIST_STRIDE * offsets[f], e = HIST_STRIDE * offsets[f + 1]; j < e; j++) target[j] += part[j];
  }
}

/** The first index of sorted `rows` whose row is >= value. */
function lowerBound(rows: Uint32Array, value: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (rows[m] < value) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/**
 * Starts the worker from compiled JavaScript, or from TypeScript sources (tests, tsx), and waits
 * for it to listen; null if it does not (training then runs shard 1 on the calling thread). On
 * Node 20 a worker does not inherit tsx's loader hooks, and `execArgv: ['--import', 'tsx']` still
 * fails on the .ts entry (measured), so the source worker is a small eval'd module that registers
 * tsx's ESM hooks first and then imports shard-worker.ts.
 */
function startWorker(init: ShardWorkerInit, cmd: Int32Array): Worker | null {
  const fromSource = import.meta.url.endsWith('.ts');
  let w: Worker;
  try {
    if (fromSource) {
      const require = createRequire(import.meta.url);
      const api = pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
      const entry = new URL('./shard-worker.ts', import.meta.url).href;
      const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
      w = new Worker(code, { eval: true, workerData: init, transferList: [init.errors] });
    } else {
      w = new Worker(new URL('./shard-worker.js', import.meta.url), { workerData: init, transferList: [init.errors] });
    }
  } catch {
    return null;
  }
  // A worker that fails to start leaves the ready flag unset.
  w.on('error', () => undefined);
  w.unref();
  if (Atomics.wait(cmd, C.ready, 0, READY_TIMEOUT_MS) === 'timed-out' && Atomics.load(cmd, C.ready) !== 1) {
    Atomics.store(cmd, C.stop, 1);
    Atomics.store(cmd, C.seq, 1);
    Atomics.notify(cmd, C.seq);
    return null;
  }
  return w;
}
