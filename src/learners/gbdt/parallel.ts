// Two-thread histogram building: a worker thread sums half of the features of each node's
// histogram over shared memory (SharedArrayBuffer), synchronized with Atomics, while the
// calling thread sums the other half. It also partitions the second half of large nodes' rows.
// Training stays synchronous for the caller, and the model is the one-thread model byte for byte.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { buildHistogram, buildRootHistogram, HIST_STRIDE, type HistogramColumns, type HistogramLayout, type RootOrder } from './histogram.js';
import { partitionPart, partitionWithGradients } from './splitting.js';

/** Slots of the control block (Int32Array over a SharedArrayBuffer). */
export const CTRL = {
  /** Incremented by the main thread for every job. */
  seq: 0,
  /** Set by the worker to the seq it finished. */
  done: 1,
  /** 1 once the worker listens. */
  ready: 2,
  /** 1 = stop the worker. */
  stop: 3,
  start: 4,
  end: 5,
  /** 1 = rows come through the shared indices. */
  useIndices: 6,
  /** Histogram slot in the slab. */
  slot: 7,
  /** Number of features for the worker, listed from FEATURES on. */
  nFeatures: 8,
  /** 1 = the all-rows root from the grouped order (buildRootHistogram). */
  root: 9,
  /** 1 = a partition job (partitionPart of rows start..end on feature `feature`). */
  partition: 10,
  feature: 11,
  /** Where the worker's right rows go in the shared scratch. */
  scratchAt: 12,
  /** Set by the worker: its part's left rows. */
  leftCount: 13,
  features: 14,
} as const;

/** Below this many row x feature additions a node is summed on one thread (a round trip costs more). */
const MIN_PARALLEL_WORK = 200_000;
/** Below this many rows a node is partitioned on one thread. */
const MIN_PARALLEL_PARTITION = 50_000;
/** How long to wait for the worker to start before training on one thread. */
const READY_TIMEOUT_MS = 10_000;

/** What the worker receives: shared buffers and the histogram layout. */
export interface WorkerInit {
  ctrl: SharedArrayBuffer;
  /** The byte columns (column f at byte f * nRows) and the packed groups (packColumns). */
  columns: SharedArrayBuffer;
  packed: SharedArrayBuffer;
  nRows: number;
  nFeatures: number;
  offsets: Int32Array;
  gh: SharedArrayBuffer;
  indices: SharedArrayBuffer;
  slab: SharedArrayBuffer;
  histLength: number;
  /** The grouped root order over shared memory, when training uses it. */
  rootRows: SharedArrayBuffer | null;
  rootStarts: SharedArrayBuffer | null;
  /** Partitions: right rows and their pairs (nRows and 2 * nRows), and the go-left table (256 bytes). */
  scratch: SharedArrayBuffer;
  ghScratch: SharedArrayBuffer;
  goLeft: SharedArrayBuffer;
}

export class ParallelHistogramBuilder {
  /** Int32Array: the control block. */
  private readonly ctrl: Int32Array;
  private readonly worker: Worker | null;
  private seq = 0;
  /** Float64Array views, one per histogram slot of the shared slab. */
  readonly slots: Float64Array[] = [];
  /** Float64Array of length 2 * nRows over shared memory: the node's gathered (gradient, hessian) pairs. */
  readonly gh: Float64Array;
  /** Uint32Array of length nRows over shared memory: the grower's row indices. */
  readonly indices: Uint32Array;
  private readonly features: Int32Array;
  /** Uint32Array of length nRows and Float64Array of length 2 * nRows over shared memory: partitions' right sides. */
  private readonly scratch: Uint32Array;
  private readonly ghScratch: Float64Array;
  /** Uint8Array of length 256 over shared memory: the go-left table of the split being applied. */
  private readonly goLeft: Uint8Array;

  constructor(
    private readonly cols: HistogramColumns,
    /** The SharedArrayBuffers under cols.columns (binDataset) and cols.packed (packColumns). */
    buffers: { columns: SharedArrayBuffer; packed: SharedArrayBuffer },
    nRows: number,
    private readonly layout: HistogramLayout,
    nSlots: number,
    /** The grouped root order (SharedArrayBuffer-backed), or null. */
    private readonly order: RootOrder | null = null,
  ) {
    const nf = layout.nFeatures;
    const ctrlBuf = new SharedArrayBuffer(4 * (CTRL.features + nf));
    this.ctrl = new Int32Array(ctrlBuf);
    this.features = new Int32Array(ctrlBuf, 4 * CTRL.features, nf);
    const ghBuf = new SharedArrayBuffer(16 * Math.max(1, nRows));
    const idxBuf = new SharedArrayBuffer(4 * Math.max(1, nRows));
    const histLength = HIST_STRIDE * layout.totalBins;
    const slab = new SharedArrayBuffer(8 * histLength * nSlots);
    this.gh = new Float64Array(ghBuf);
    this.indices = new Uint32Array(idxBuf);
    for (let s = 0; s < nSlots; s++) this.slots.push(new Float64Array(slab, 8 * histLength * s, histLength));
    const scratchBuf = new SharedArrayBuffer(4 * Math.max(1, nRows));
    const ghScratchBuf = new SharedArrayBuffer(16 * Math.max(1, nRows));
    const goLeftBuf = new SharedArrayBuffer(256);
    this.scratch = new Uint32Array(scratchBuf);
    this.ghScratch = new Float64Array(ghScratchBuf);
    this.goLeft = new Uint8Array(goLeftBuf);
    const init: WorkerInit = { ctrl: ctrlBuf, columns: buffers.columns, packed: buffers.packed, nRows, nFeatures: nf, offsets: layout.offsets, gh: ghBuf, indices: idxBuf, slab, histLength, rootRows: order ? (order.rows.buffer as SharedArrayBuffer) : null, rootStarts: order ? (order.starts.buffer as SharedArrayBuffer) : null, scratch: scratchBuf, ghScratch: ghScratchBuf, goLeft: goLeftBuf };
    this.worker = startWorker(init);
    if (this.worker && Atomics.wait(this.ctrl, CTRL.ready, 0, READY_TIMEOUT_MS) === 'timed-out' && Atomics.load(this.ctrl, CTRL.ready) !== 1) {
      this.close();
      this.worker = null;
    }
  }

  /** Whether a worker is running (else every build happens on the calling thread). */
  get parallel(): boolean {
    return this.worker !== null;
  }

  /** Same contract as buildHistogram, with gh = this.gh and indices = this.indices (or null) and hist one of this.slots. */
  build(features: Int32Array, useIndices: boolean, start: number, end: number, hist: Float64Array): void {
    const nk = features.length;
    const indices = useIndices ? this.indices : null;
    if (!this.worker || (end - start) * nk < MIN_PARALLEL_WORK || nk < 2) {
      buildHistogram(this.cols, this.layout, features, this.gh, indices, start, end, hist);
      return;
    }
    // Whole packed groups of four on each side where the list allows (the worker takes the larger share).
    const mine = this.post(features, nk >= 8 ? 4 * (nk >> 3) : nk >> 1, hist, false, useIndices, start, end);
    buildHistogram(this.cols, this.layout, features.subarray(0, mine), this.gh, indices, start, end, hist);
    this.await();
  }

  /** buildRootHistogram of all rows (gh = this.gh in row order), split like build. */
  buildRoot(features: Int32Array, nRows: number, hist: Float64Array): void {
    const order = this.order;
    if (!order) throw new Error('no grouped root order');
    const nk = features.length;
    if (!this.worker || nRows * nk < MIN_PARALLEL_WORK || nk < 2) {
      buildRootHistogram(order, this.layout, features, this.gh, hist);
      return;
    }
    const mine = this.post(features, nk >> 1, hist, true, false, 0, nRows);
    buildRootHistogram(order, this.layout, features.subarray(0, mine), this.gh, hist);
    this.await();
  }

  /**
   * partitionWithGradients of this.indices / this.gh over start..end by goLeft[column[row]] of
   * `feature`: a large node's second half is partitioned by the worker at the same time, then
   * the halves are joined (the same order as one thread). Returns the boundary.
   */
  partition(start: number, end: number, feature: number, goLeft: Uint8Array): number {
    const column = this.cols.columns[feature];
    if (!this.worker || end - start < MIN_PARALLEL_PARTITION) return partitionWithGradients(this.indices, this.gh, start, end, column, goLeft, this.scratch, this.ghScratch);
    const half = start + ((end - start) >> 1);
    this.goLeft.set(goLeft);
    const c = this.ctrl;
    c[CTRL.start] = half;
    c[CTRL.end] = end;
    c[CTRL.feature] = feature;
    c[CTRL.scratchAt] = half - start;
    c[CTRL.partition] = 1;
    this.seq++;
    Atomics.store(c, CTRL.seq, this.seq);
    Atomics.notify(c, CTRL.seq);
    const leftA = partitionPart(this.indices, this.gh, start, half, column, goLeft, this.scratch, this.ghScratch, 0);
    this.await();
    const leftB = c[CTRL.leftCount];
    const rightA = half - start - leftA;
    const rightB = end - half - leftB;
    // [left A | left B | right A | right B]: left B moves down next to left A, the rights come from scratch.
    const mid = start + leftA + leftB;
    this.indices.copyWithin(start + leftA, half, half + leftB);
    this.gh.copyWithin(2 * (start + leftA), 2 * half, 2 * (half + leftB));
    this.indices.set(this.scratch.subarray(0, rightA), mid);
    this.gh.set(this.ghScratch.subarray(0, 2 * rightA), 2 * mid);
    this.indices.set(this.scratch.subarray(half - start, half - start + rightB), mid + rightA);
    this.gh.set(this.ghScratch.subarray(2 * (half - start), 2 * (half - start + rightB)), 2 * (mid + rightA));
    return mid;
  }

  /** Hands the features from `mine` on to the worker; returns mine (how many the caller keeps). */
  private post(features: Int32Array, mine: number, hist: Float64Array, root: boolean, useIndices: boolean, start: number, end: number): number {
    const slot = this.slots.indexOf(hist);
    if (slot < 0) throw new Error('histogram is not in the shared slab');
    const theirs = features.subarray(mine);
    this.features.set(theirs);
    const c = this.ctrl;
    c[CTRL.start] = start;
    c[CTRL.end] = end;
    c[CTRL.useIndices] = useIndices ? 1 : 0;
    c[CTRL.slot] = slot;
    c[CTRL.root] = root ? 1 : 0;
    c[CTRL.partition] = 0;
    c[CTRL.nFeatures] = theirs.length;
    this.seq++;
    Atomics.store(c, CTRL.seq, this.seq);
    Atomics.notify(c, CTRL.seq);
    return mine;
  }

  private await(): void {
    const c = this.ctrl;
    let done = Atomics.load(c, CTRL.done);
    while (done !== this.seq) {
      Atomics.wait(c, CTRL.done, done);
      done = Atomics.load(c, CTRL.done);
    }
  }

  /** Stops the worker (it exits on its own; the caller does not wait). */
  close(): void {
    if (!this.worker) return;
    Atomics.store(this.ctrl, CTRL.stop, 1);
    this.seq++;
    Atomics.store(this.ctrl, CTRL.seq, this.seq);
    Atomics.notify(this.ctrl, CTRL.seq);
    this.worker.unref();
  }
}

/**
 * Starts the worker from compiled JavaScript, or from TypeScript sources (tests, tsx). On Node 20
 * a worker does not inherit tsx's loader hooks, and `execArgv: ['--import', 'tsx']` still fails
 * on the .ts entry (measured), so the source worker is a small eval'd module that registers tsx's
 * ESM hooks first and then imports hist-worker.ts.
 */
function startWorker(init: WorkerInit): Worker | null {
  const fromSource = import.meta.url.endsWith('.ts');
  try {
    let w: Worker;
    if (fromSource) {
      const require = createRequire(import.meta.url);
      const api = pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
      const entry = new URL('./hist-worker.ts', import.meta.url).href;
      const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
      w = new Worker(code, { eval: true, workerData: init });
    } else {
      w = new Worker(new URL('./hist-worker.js', import.meta.url), { workerData: init });
    }
    // A worker that fails to start leaves the ready flag unset: training then uses one thread.
    w.on('error', () => undefined);
    w.unref();
    return w;
  } catch {
    return null;
  }
}
