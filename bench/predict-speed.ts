// Benchmark: predictRaw throughput (rows/s, 1 thread) on the gbdt scale-test model, plus the
// product's prediction datasets. Usage: npm run bench:predict-speed [-- --repeats 9] [--retrain] [--no-datasets]
// The 1M-row model is trained once and cached in .tmp/ (serialize.ts bytes); it prints numbers only.
// Once any ArrayBuffer of a thread has been detached, V8 checks every typed-array access of that
// thread's optimized code for detachment. The server's main thread (transfers to workers) and every
// process that loads papaparse (the CLI, bench:gbdt-speed) are in that state; the prediction worker
// is not. So the scale model is timed in both states, and the CSV reader is loaded only after.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { deserializeGbdt, predictRaw, serializeGbdt, trainGbdt, type GbdtDataset, type GbdtModel } from '../src/learners/gbdt/index.js';
import type { TaskKind } from './support/gbdt-csv.js';
import { FIXED, flag, median, option } from './support/bench-args.js';
import { makeClassification } from './support/gbdt-synthetic.js';
import { ROOT, SHARED } from './support/paths.js';

const CACHE = path.join(ROOT, '.tmp');
const DATASETS = path.join(SHARED, 'datasets');
const ROWS = 1_000_000;
/** The settings of bench:gbdt-speed, binary logloss, 1 thread. */
const PARAMS = { loss: 'logloss', seed: 42, threads: 1, ...FIXED } as const;

/** FNV-1a over the bytes of the scores: a change in any bit of any score changes it. */
function checksum(a: Float64Array): string {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Median wall seconds and process CPU seconds of `repeats` calls of predictRaw after one warm-up. */
function timePredict(model: GbdtModel, data: GbdtDataset, repeats: number): { wall: number; cpu: number; out: Float64Array } {
  const out = new Float64Array(data.nRows * model.nOutputs);
  predictRaw(model, data, out);
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    predictRaw(model, data, out);
    walls.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1e6);
  }
  return { wall: median(walls), cpu: median(cpus), out };
}

function report(label: string, rows: number, t: { wall: number; cpu: number; out: Float64Array }): void {
  const r = (s: number): string => Math.round(rows / s).toLocaleString('en-US').padStart(10);
  console.log(`${label.padEnd(36)} ${String(rows).padStart(7)} rows: ${r(t.wall)} rows/s wall, ${r(t.cpu)} rows per CPU s, scores ${checksum(t.out)}`);
}

/** The model cached in .tmp/predict-speed-<name>.gbdt, trained (and cached) when missing or with --retrain. */
function cachedModel(name: string, train: () => GbdtModel): GbdtModel {
  const file = path.join(CACHE, `predict-speed-${name}.gbdt`);
  if (existsSync(file) && !flag('--retrain')) return deserializeGbdt(new Uint8Array(readFileSync(file)));
  console.log(`training ${name} (cached in ${path.relative(process.cwd(), file)}) ...`);
  const t0 = performance.now();
  const model = train();
  console.log(`trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(file, serializeGbdt(model));
  return model;
}

const repeats = option('--repeats', 7);
console.log(`# predictRaw speed (${new Date().toISOString()}, node ${process.version}), median of ${repeats} runs, load average ${loadavg().map((x) => x.toFixed(2)).join(', ')} (${availableParallelism()} cores)`);
const { columns, y } = makeClassification(Math.round(ROWS * 1.2), 42);
const part = (test: boolean): GbdtDataset => ({
  nRows: test ? columns[0].length - ROWS : ROWS,
  features: columns.map((c, j) => ({ name: `f${j}`, kind: 'numeric', values: test ? c.subarray(ROWS) : c.subarray(0, ROWS) })),
});
const model = cachedModel(`scale-${ROWS}`, () => trainGbdt(part(false), y.subarray(0, ROWS), { ...PARAMS }));
const test = part(true);
report(`scale: ${model.nTrees} trees x 31 leaves, test`, test.nRows, timePredict(model, test, repeats));
const detached = new ArrayBuffer(8);
structuredClone(detached, { transfer: [detached] });
report('scale, after a buffer was detached', test.nRows, timePredict(model, test, repeats));

if (!flag('--no-datasets')) {
  const { loadTable } = await import('./support/gbdt-csv.js');
  const sets: [string, string, TaskKind, string?][] = [
    ['adult', 'income', 'binary', '>50K'],
    ['letter_recognition', 'lettr', 'multiclass'],
  ];
  for (const [name, target, kind, positive] of sets) {
    const file = path.join(DATASETS, `${name}.csv`);
    if (!existsSync(file)) continue;
    const t = loadTable(file, target, kind, positive);
    const loss = kind === 'binary' ? 'logloss' : 'softmax';
    const m = cachedModel(name, () => trainGbdt(t.train, t.yTrain, { ...PARAMS, loss, nClasses: kind === 'multiclass' ? t.nClasses : undefined, maxIter: 50 }));
    // Repeat the test rows to about 100,000 so one call takes long enough to time.
    const reps = Math.max(1, Math.round(100_000 / t.test.nRows));
    const big: GbdtDataset = {
      nRows: t.test.nRows * reps,
      features: t.test.features.map((f) => {
        const v = f.kind === 'numeric' ? new Float64Array(t.test.nRows * reps) : new Int32Array(t.test.nRows * reps);
        for (let r = 0; r < reps; r++) v.set(f.values.subarray(0, t.test.nRows), r * t.test.nRows);
        return f.kind === 'numeric' ? { ...f, values: v as Float64Array } : { ...f, values: v as Int32Array };
      }),
    };
    const cats = m.nodeCatStart.some((s) => s >= 0) ? 'categorical splits' : 'numeric splits';
    report(`${name}: ${m.nTrees} trees, ${cats}`, big.nRows, timePredict(m, big, repeats));
  }
}
