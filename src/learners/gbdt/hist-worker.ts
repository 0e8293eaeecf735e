// The worker side of two-thread histogram building (see parallel.ts): waits on the control block,
// sums its share of the features into the shared histogram slot (or partitions its half of a
// node's rows), reports done.
import { workerData } from 'node:worker_threads';
import { buildHistogram, buildRootHistogram, packedViews, type HistogramColumns, type HistogramLayout, type RootOrder } from './histogram.js';
import { CTRL, type WorkerInit } from './parallel.js';
import { partitionPart } from './splitting.js';

const init = workerData as WorkerInit;
const ctrl = new Int32Array(init.ctrl);
const columns: Uint8Array[] = [];
for (let f = 0; f < init.nFeatures; f++) columns.push(new Uint8Array(init.columns, f * init.nRows, init.nRows));
const cols: HistogramColumns = { columns, packed: packedViews(init.packed, init.nFeatures, init.nRows) };
const layout: HistogramLayout = { nFeatures: init.nFeatures, offsets: init.offsets, totalBins: init.offsets[init.nFeatures] };
const gh = new Float64Array(init.gh);
const indices = new Uint32Array(init.indices);
const features = new Int32Array(init.ctrl, 4 * CTRL.features, init.nFeatures);
const order: RootOrder | null = init.rootRows && init.rootStarts ? { rows: new Uint16Array(init.rootRows), starts: new Int32Array(init.rootStarts) } : null;
const scratch = new Uint32Array(init.scratch);
const ghScratch = new Float64Array(init.ghScratch);
const goLeft = new Uint8Array(init.goLeft);
const slots: Float64Array[] = [];
for (let s = 0; s * init.histLength * 8 < init.slab.byteLength; s++) slots.push(new Float64Array(init.slab, 8 * init.histLength * s, init.histLength));

let seen = 0;
Atomics.store(ctrl, CTRL.ready, 1);
Atomics.notify(ctrl, CTRL.ready);
for (;;) {
  Atomics.wait(ctrl, CTRL.seq, seen);
  const seq = Atomics.load(ctrl, CTRL.seq);
  if (seq === seen) continue;
  seen = seq;
  if (Atomics.load(ctrl, CTRL.stop) === 1) break;
  const nk = ctrl[CTRL.nFeatures];
  if (ctrl[CTRL.partition] === 1) {
    ctrl[CTRL.leftCount] = partitionPart(indices, gh, ctrl[CTRL.start], ctrl[CTRL.end], columns[ctrl[CTRL.feature]], goLeft, scratch, ghScratch, ctrl[CTRL.scratchAt]);
  } else if (ctrl[CTRL.root] === 1 && order) buildRootHistogram(order, layout, features.subarray(0, nk), gh, slots[ctrl[CTRL.slot]]);
  else buildHistogram(cols, layout, features.subarray(0, nk), gh, ctrl[CTRL.useIndices] ? indices : null, ctrl[CTRL.start], ctrl[CTRL.end], slots[ctrl[CTRL.slot]]);
  Atomics.store(ctrl, CTRL.done, seq);
  Atomics.notify(ctrl, CTRL.done);
}
