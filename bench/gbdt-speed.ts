// Benchmark: fit time and test metric of Lathe's gbdt learner next to XGBoost hist (same
// settings, same encoded data, same run) on four shared datasets, then a 1M-row scale test.
// Usage: npm run bench:gbdt-speed [-- --no-scale] [--repeats 3] [--scale-rows 1000000]
// The script compiles it (tsconfig.bench.json) and runs it with plain node, as production runs.
// It prints numbers; it asserts nothing. XGBoost runs in Debian's /usr/bin/python3.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { predictRaw, trainGbdt, transformRaw, type GbdtDataset, type GbdtParams } from '../src/learners/gbdt/index.js';
import { loadTable, type EncodedTable, type TaskKind } from './support/gbdt-csv.js';
import { makeClassification } from './support/gbdt-synthetic.js';
import { FIXED, flag, median, option, optionValues } from './support/bench-args.js';
import { ROOT, SHARED } from './support/paths.js';

const DATASETS = path.join(SHARED, 'datasets');
const PYTHON = '/usr/bin/python3';
const XGB_SCRIPT = path.join(ROOT, 'bench/support/gbdt-xgboost.py');

function paramsFor(kind: TaskKind, nClasses: number, threads = 1): GbdtParams {
  const loss = kind === 'binary' ? 'logloss' : kind === 'multiclass' ? 'softmax' : 'squared';
  return { loss, nClasses: kind === 'multiclass' ? nClasses : undefined, seed: 42, threads, ...FIXED };
}

function auc(y: Float64Array, p: Float64Array): number {
  const order = Array.from(p.keys()).sort((a, b) => p[a] - p[b]);
  const ranks = new Float64Array(p.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && p[order[j + 1]] === p[order[i]]) j++;
    for (let k = i; k <= j; k++) ranks[order[k]] = (i + j + 2) / 2;
    i = j + 1;
  }
  let nPos = 0;
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === 1) {
      nPos++;
      sum += ranks[i];
    }
  }
  const nNeg = y.length - nPos;
  return (sum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

function metrics(kind: TaskKind, nClasses: number, y: Float64Array, p: Float64Array): Record<string, number> {
  const n = y.length;
  if (kind === 'binary') {
    let ok = 0;
    for (let i = 0; i < n; i++) if ((p[i] > 0.5 ? 1 : 0) === y[i]) ok++;
    return { accuracy: ok / n, auc: auc(y, p) };
  }
  if (kind === 'multiclass') {
    let ok = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < nClasses; c++) if (p[i * nClasses + c] > p[i * nClasses + best]) best = c;
      if (best === y[i]) ok++;
    }
    return { accuracy: ok / n };
  }
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i] / n;
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    sse += (p[i] - y[i]) ** 2;
    sst += (y[i] - mean) ** 2;
  }
  return { r2: 1 - sse / sst, rmse: Math.sqrt(sse / n) };
}

function fmtMetrics(m: Record<string, number>): string {
  return Object.entries(m)
    .map(([k, v]) => `${k} ${k === 'rmse' ? v.toFixed(0) : v.toFixed(4)}`)
    .join(', ');
}

/** Row-major float64 matrix (categorical codes as numbers, missing as NaN) for numpy. */
function rowMajor(d: GbdtDataset): Float64Array {
  const nf = d.features.length;
  const out = new Float64Array(d.nRows * nf);
  d.features.forEach((f, j) => {
    for (let i = 0; i < d.nRows; i++) {
      const v = f.values[i];
      out[i * nf + j] = f.kind === 'categorical' ? (v < 0 ? NaN : v) : v;
    }
  });
  return out;
}

function writeMatrices(dir: string, t: { train: GbdtDataset; test: GbdtDataset; yTrain: Float64Array; yTest: Float64Array }): void {
  const w = (name: string, a: Float64Array): void => writeFileSync(path.join(dir, name), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  w('xtrain.f64', rowMajor(t.train));
  w('xtest.f64', rowMajor(t.test));
  w('ytrain.f64', t.yTrain);
  w('ytest.f64', t.yTest);
}

interface XgbResult {
  threads: number;
  fits: number[];
  /** Process CPU seconds of each fit (time.process_time). */
  cpu: number[];
  predictRowsPerS: number;
  predictRowsPerCpuS: number;
  metrics: Record<string, number>;
}

function runXgboost(dir: string, t: { train: GbdtDataset; kind: TaskKind; nClasses: number }, threads: number[], repeats: number): XgbResult[] {
  const job = {
    dir,
    nFeatures: t.train.features.length,
    featureTypes: t.train.features.map((f) => (f.kind === 'categorical' ? 'c' : 'q')),
    kind: t.kind,
    nClasses: t.nClasses,
    threads,
    repeats,
    ...FIXED,
  };
  const out = execFileSync(PYTHON, [XGB_SCRIPT, JSON.stringify(job)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as XgbResult);
}

function datasetsTable(repeats: number): void {
  const sets: [string, string, TaskKind, string?][] = [
    ['adult', 'income', 'binary', '>50K'],
    ['bank_marketing', 'y', 'binary', 'yes'],
    ['california_housing', 'median_house_value', 'regression'],
    ['letter_recognition', 'lettr', 'multiclass'],
  ];
  console.log(`\n## Fit time, 100 trees x 31 leaves, learning rate 0.1, 255 bins, 1 thread (median of ${repeats} fits each, same run)`);
  console.log('Wall seconds (each fit listed) and process CPU seconds: on a shared machine the CPU ratio is the steadier one.\n');
  console.log('| dataset | rows train/test | ours fit s | XGBoost fit s | ratio | ours CPU s | XGBoost CPU s | CPU ratio | ours test metric | XGBoost test metric |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const [name, target, kind, positive] of sets) {
    const t: EncodedTable = loadTable(path.join(DATASETS, `${name}.csv`), target, kind, positive);
    const p = paramsFor(kind, t.nClasses);
    const fits: number[] = [];
    const cpu: number[] = [];
    let model = null;
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      model = trainGbdt(t.train, t.yTrain, p);
      fits.push((performance.now() - t0) / 1000);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1e6);
    }
    if (!model) throw new Error('no fit');
    const probs = transformRaw(model, predictRaw(model, t.test), p.loss);
    const ours = metrics(kind, t.nClasses, t.yTest, probs);
    const dir = mkdtempSync(path.join(tmpdir(), 'gbdt-bench-'));
    try {
      writeMatrices(dir, t);
      const [xgb] = runXgboost(dir, t, [1], repeats);
      const oursS = median(fits);
      const xgbS = median(xgb.fits);
      const oursC = median(cpu);
      const xgbC = median(xgb.cpu);
      console.log(
        `| ${name} | ${t.train.nRows}/${t.test.nRows} | ${oursS.toFixed(3)} (${fits.map((f) => f.toFixed(2)).join(', ')}) | ${xgbS.toFixed(3)} (${xgb.fits.map((f) => f.toFixed(2)).join(', ')}) | ${(oursS / xgbS).toFixed(2)} | ${oursC.toFixed(2)} | ${xgbC.toFixed(2)} | ${(oursC / xgbC).toFixed(2)} | ${fmtMetrics(ours)} | ${fmtMetrics(xgb.metrics)} |`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

interface ScaleResult {
  threads: number;
  fitS: number;
  /** Process CPU seconds of the fit (all threads). */
  cpuS: number;
  peakRssMb: number;
  predictRowsPerS: number;
  predictRowsPerCpuS: number;
  auc: number;
  accuracy: number;
}

/** Runs in a fresh child process so that its peak RSS is the fit's own. */
function scaleChild(rows: number, threads: number): void {
  const { columns, y } = makeClassification(Math.round(rows * 1.2), 42);
  const split = (a: Float64Array, test: boolean): Float64Array => (test ? a.subarray(rows) : a.subarray(0, rows));
  const data = (test: boolean): GbdtDataset => ({
    nRows: test ? columns[0].length - rows : rows,
    features: columns.map((c, j) => ({ name: `f${j}`, kind: 'numeric', values: split(c, test) })),
  });
  const train = data(false);
  const test = data(true);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const model = trainGbdt(train, split(y, false), paramsFor('binary', 2, threads));
  const fitS = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const cpuS = (c.user + c.system) / 1e6;
  const out = new Float64Array(test.nRows);
  predictRaw(model, test, out);
  const t1 = performance.now();
  const pc0 = process.cpuUsage();
  predictRaw(model, test, out);
  const predS = (performance.now() - t1) / 1000;
  const pc = process.cpuUsage(pc0);
  const predCpuS = (pc.user + pc.system) / 1e6;
  const m = metrics('binary', 2, split(y, true), transformRaw(model, out, 'logloss'));
  const res: ScaleResult = { threads, fitS, cpuS, peakRssMb: process.resourceUsage().maxRSS / 1024, predictRowsPerS: test.nRows / predS, predictRowsPerCpuS: test.nRows / predCpuS, auc: m.auc, accuracy: m.accuracy };
  console.log(JSON.stringify(res));
}

function scaleTest(rows: number): void {
  console.log(`\n## Scale: ${rows} train rows x 20 numeric columns (+${Math.round(rows * 0.2)} test rows), binary, 100 trees x 31 leaves`);
  console.log('Data: make_classification-like generator in TypeScript (bench/support/gbdt-synthetic.ts, seed 42); XGBoost reads the same rows from a float64 file.');
  console.log('One fit per library and thread count (fresh process for ours; XGBoost fits in one python process), so expect noise.\n');
  const ours: ScaleResult[] = [];
  for (const threads of [1, 2]) {
    const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--scale-child', String(rows), String(threads)], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`scale child failed: ${r.stderr}`);
    ours.push(JSON.parse(r.stdout.trim().split('\n').pop() as string) as ScaleResult);
  }
  const { columns, y } = makeClassification(Math.round(rows * 1.2), 42);
  const mk = (test: boolean): GbdtDataset => ({
    nRows: test ? columns[0].length - rows : rows,
    features: columns.map((c, j) => ({ name: `f${j}`, kind: 'numeric', values: test ? c.subarray(rows) : c.subarray(0, rows) })),
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'gbdt-scale-'));
  let xgb: XgbResult[];
  try {
    writeMatrices(dir, { train: mk(false), test: mk(true), yTrain: y.subarray(0, rows), yTest: y.subarray(rows) });
    xgb = runXgboost(dir, { train: mk(false), kind: 'binary', nClasses: 2 }, [1, 2], 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('| library | threads | fit s | fit CPU s | predict rows/s (wall) | predict rows per CPU s | peak RSS MB | test AUC | test accuracy |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of ours) console.log(`| Lathe gbdt | ${r.threads} | ${r.fitS.toFixed(2)} | ${r.cpuS.toFixed(2)} | ${r.predictRowsPerS.toFixed(0)} (1 thread) | ${r.predictRowsPerCpuS.toFixed(0)} | ${r.peakRssMb.toFixed(0)} | ${r.auc.toFixed(4)} | ${r.accuracy.toFixed(4)} |`);
  for (const r of xgb) console.log(`| XGBoost hist (lossguide) | ${r.threads} | ${r.fits[0].toFixed(2)} | ${r.cpu[0].toFixed(2)} | ${r.predictRowsPerS.toFixed(0)} (${r.threads} threads) | ${r.predictRowsPerCpuS.toFixed(0)} | - | ${r.metrics.auc.toFixed(4)} | ${r.metrics.accuracy.toFixed(4)} |`);
  console.log(`\nWall ratios: ours 1 thread / XGBoost 1 thread = ${(ours[0].fitS / xgb[0].fits[0]).toFixed(2)}; ours 2 threads / XGBoost 2 threads = ${(ours[1].fitS / xgb[1].fits[0]).toFixed(2)}; ours 2 threads / XGBoost 1 thread = ${(ours[1].fitS / xgb[0].fits[0]).toFixed(2)}`);
  console.log(`CPU ratio, 1 thread: ${(ours[0].cpuS / xgb[0].cpu[0]).toFixed(2)}`);
}

if (flag('--scale-child')) {
  const [rows, threads] = optionValues('--scale-child', 2);
  scaleChild(rows, threads);
} else {
  console.log(`# gbdt speed benchmark (${new Date().toISOString()}, node ${process.version}, ${PYTHON} xgboost)`);
  datasetsTable(option('--repeats', 3));
  if (!flag('--no-scale')) scaleTest(option('--scale-rows', 1_000_000));
}
