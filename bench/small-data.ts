// Small-data quality protocol: the default path trained on many small samples drawn from the TRAINING
// splits of the shared tabular datasets, scored on other rows of those training splits (never on a
// dataset's test rows), so that changes to the automatic settings are judged without tuning on them.
//
// Usage:
//   npx tsx bench/small-data.ts [--seeds 5] [--from 1] [--out results.json] [--only titanic,adult]
//   npx tsx bench/small-data.ts --compare before.json after.json
// Each (dataset, training size, seed) draws its training rows and its held-out rows from the
// dataset's `split == train` rows with the seed; the same draws are made for every code version,
// so two result files compare paired, draw by draw. `--from` starts at another seed: fresh draws to
// confirm a change judged on the first ones.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { predictionEngine } from '../src/engines/prediction/index.js';
import { rng, shuffle } from '../src/engines/prediction/random.js';
import type { PredictionRow } from '../src/engines/prediction/index.js';
import type { ColumnData, RowInput, TableData } from '../src/tables/table-data.js';
import { readCsvFile } from '../src/tables/read-csv-file.js';
import { SHARED } from './support/paths.js';


interface Task {
  name: string;
  target: string;
  /** Training rows drawn per sample. */
  sizes: number[];
  /** Held-out rows per sample (at most what the training split has left). */
  heldOut: number;
}

/** titanic and penguins have 712 and 275 training rows: their samples leave the rest held out. */
const TASKS: Task[] = [
  { name: 'adult', target: 'income', sizes: [300, 800, 1500], heldOut: 2000 },
  { name: 'bank_marketing', target: 'y', sizes: [300, 800, 1500], heldOut: 2000 },
  { name: 'titanic', target: 'survived', sizes: [300, 500], heldOut: 2000 },
  { name: 'penguins', target: 'species', sizes: [120, 200], heldOut: 2000 },
  { name: 'california_housing', target: 'median_house_value', sizes: [300, 800, 1500], heldOut: 2000 },
  { name: 'bike_sharing_hourly', target: 'cnt', sizes: [300, 800, 1500], heldOut: 2000 },
];

interface Run {
  dataset: string;
  size: number;
  seed: number;
  heldOut: number;
  /** accuracy (outcomes) or r2 (numbers): the primary metric, higher is better. */
  primary: number;
  /** log loss (outcomes) or RMSE / standard deviation of the held-out target (numbers): lower is better. */
  loss: number;
  auc?: number;
  /** Binary: held-out accuracy when the positive outcome is predicted from these probabilities on (THRESHOLDS). */
  byThreshold?: number[];
  /** Binary: mean predicted probability of the positive outcome and its held-out share. */
  meanP?: number;
  rate?: number;
  chosen: string;
  seconds: number;
}

/** Decision thresholds on the positive outcome's probability whose held-out accuracy is recorded (binary). */
const THRESHOLDS = [0.4, 0.45, 0.5, 0.55, 0.6];

/** Binary diagnostics: the shipped model's held-out probabilities against several thresholds. */
function thresholdCheck(artifact: Uint8Array, sample: TableData, first: number, target: string, positive: string): Pick<Run, 'byThreshold' | 'meanP' | 'rate'> {
  const predictor = predictionEngine.load(artifact);
  const rows: RowInput[] = [];
  const truth: number[] = [];
  const targetCol = sample.columns.find((c) => c.name === target)!;
  for (let i = first; i < sample.rowCount; i++) {
    const row: RowInput = {};
    for (const c of sample.columns) {
      const v = c.values[i];
      row[c.name] = typeof v === 'number' && Number.isNaN(v) ? null : v;
    }
    rows.push(row);
    const t = targetCol.values[i];
    truth.push((targetCol.type === 'boolean' ? (t ? 'true' : 'false') : String(t)) === positive ? 1 : 0);
  }
  const p = (predictor.predict(rows, { explain: false }) as PredictionRow[]).map((r) => r.probability!);
  return {
    byThreshold: THRESHOLDS.map((th) => mean(p.map((q, i) => ((q > th ? 1 : 0) === truth[i] ? 1 : 0)))),
    meanP: mean(p),
    rate: mean(truth),
  };
}

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

/** A table of the given source rows, its `split` column rewritten: 'train' for the sample, 'test' for the held-out rows. */
function sampleTable(table: TableData, train: number[], held: number[]): TableData {
  const rows = [...train, ...held];
  const columns = table.columns.map((c): ColumnData => {
    if (c.name === 'split') return { name: c.name, type: 'category', values: rows.map((_, i) => (i < train.length ? 'train' : 'test')) };
    if (c.type === 'number' || c.type === 'boolean' || c.type === 'date') {
      const values = c.values;
      return { name: c.name, type: c.type, values: Float64Array.from(rows, (r) => values[r]) };
    }
    const strings = c.values as (string | null)[];
    return { name: c.name, type: c.type, values: rows.map((r) => strings[r]) };
  });
  return { ...table, tableId: `${table.tableId}#sample`, rowCount: rows.length, columns };
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
}

function sd(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
}

function summarize(runs: Run[]): void {
  const f4 = (x: number): string => x.toFixed(4);
  console.log(`${'dataset'.padEnd(20)} ${'size'.padStart(5)} ${'runs'.padStart(4)} ${'primary'.padStart(8)} ${'loss'.padStart(8)}`);
  const keys = [...new Set(runs.map((r) => `${r.dataset}|${r.size}`))];
  for (const k of keys) {
    const rs = runs.filter((r) => `${r.dataset}|${r.size}` === k);
    console.log(`${rs[0].dataset.padEnd(20)} ${String(rs[0].size).padStart(5)} ${String(rs.length).padStart(4)} ${f4(mean(rs.map((r) => r.primary))).padStart(8)} ${f4(mean(rs.map((r) => r.loss))).padStart(8)}`);
  }
  const binary = runs.filter((r) => r.byThreshold);
  if (binary.length > 0) {
    console.log(`binary held-out accuracy by threshold (${binary.length} runs): ${THRESHOLDS.map((t, k) => `${t}: ${mean(binary.map((r) => r.byThreshold![k])).toFixed(4)}`).join(', ')}`);
    console.log(`binary mean predicted probability ${mean(binary.map((r) => r.meanP!)).toFixed(4)} vs held-out share ${mean(binary.map((r) => r.rate!)).toFixed(4)}`);
  }
  console.log(`mean primary (accuracy or R²) over ${runs.length} runs: ${f4(mean(runs.map((r) => r.primary)))}; mean loss: ${f4(mean(runs.map((r) => r.loss)))}`);
}

function compare(a: Run[], b: Run[]): void {
  const key = (r: Run): string => `${r.dataset}|${r.size}|${r.seed}`;
  const byKey = new Map(a.map((r) => [key(r), r]));
  const pairs = b.filter((r) => byKey.has(key(r))).map((r) => ({ a: byKey.get(key(r))!, b: r }));
  const f4 = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;
  console.log(`${'dataset'.padEnd(20)} ${'size'.padStart(5)} ${'pairs'.padStart(5)} ${'Δprimary'.padStart(9)} ${'±se'.padStart(7)} ${'Δloss'.padStart(9)} ${'±se'.padStart(7)}`);
  const groups = [...new Set(pairs.map((p) => `${p.a.dataset}|${p.a.size}`))];
  const line = (label: string, size: string, ps: typeof pairs): void => {
    const dp = ps.map((p) => p.b.primary - p.a.primary);
    const dl = ps.map((p) => p.b.loss - p.a.loss);
    const se = (xs: number[]): string => (xs.length > 1 ? (sd(xs) / Math.sqrt(xs.length)).toFixed(4) : '-');
    console.log(`${label.padEnd(20)} ${size.padStart(5)} ${String(ps.length).padStart(5)} ${f4(mean(dp)).padStart(9)} ${se(dp).padStart(7)} ${f4(mean(dl)).padStart(9)} ${se(dl).padStart(7)}`);
  };
  for (const g of groups) {
    const [d, s] = g.split('|');
    line(d, s, pairs.filter((p) => p.a.dataset === d && String(p.a.size) === s));
  }
  for (const d of [...new Set(pairs.map((p) => p.a.dataset))]) line(`${d} (all)`, '', pairs.filter((p) => p.a.dataset === d));
  line('ALL', '', pairs);
  const cls = pairs.filter((p) => p.a.auc !== undefined || ['adult', 'bank_marketing', 'titanic', 'penguins'].includes(p.a.dataset));
  line('ALL outcomes', '', cls);
  console.log(`mean primary: before ${mean(pairs.map((p) => p.a.primary)).toFixed(4)}, after ${mean(pairs.map((p) => p.b.primary)).toFixed(4)}`);
}

if (flag('--compare') !== undefined) {
  const i = args.indexOf('--compare');
  const read = (p: string): Run[] => JSON.parse(readFileSync(p, 'utf8')) as Run[];
  compare(read(args[i + 1]), read(args[i + 2]));
  process.exit(0);
}

const seeds = Number(flag('--seeds') ?? 5);
const firstSeed = Number(flag('--from') ?? 1);
const only = flag('--only')?.split(',');
const out = flag('--out');
const runs: Run[] = [];
for (const task of TASKS) {
  if (only && !only.includes(task.name)) continue;
  const table = await readCsvFile(resolve(SHARED, `datasets/${task.name}.csv`));
  const split = table.columns.find((c) => c.name === 'split')!.values as (string | null)[];
  const trainRows = split.flatMap((s, i) => (s === 'train' ? [i] : []));
  for (const size of task.sizes) {
    for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
      const order = [...trainRows];
      shuffle(order, rng(1000 * seed + size));
      const train = order.slice(0, size);
      const held = order.slice(size, size + task.heldOut);
      const sample = sampleTable(table, train, held);
      const t0 = performance.now();
      const result = await predictionEngine.train(
        sample,
        { tableId: sample.tableId, target: task.target, splitColumn: 'split' },
        { seed, threads: 1, progress: () => {} },
      );
      const seconds = (performance.now() - t0) / 1000;
      const m = result.evaluation.metrics;
      const summary = result.summary as { model: { candidate: string } };
      let run: Run;
      if (m.r2 !== undefined) {
        const col = sample.columns.find((c) => c.name === task.target)!.values as Float64Array;
        const ys = Array.from(col.subarray(train.length));
        run = { dataset: task.name, size, seed, heldOut: held.length, primary: m.r2, loss: m.rmse / sd(ys), chosen: summary.model.candidate, seconds };
      } else {
        run = { dataset: task.name, size, seed, heldOut: held.length, primary: m.accuracy, loss: m.logLoss, auc: m.rocAuc, chosen: summary.model.candidate, seconds };
        const positive = (result.summary as { positive?: string }).positive;
        if (m.rocAuc !== undefined && positive !== undefined) Object.assign(run, thresholdCheck(result.artifact, sample, train.length, task.target, positive));
      }
      runs.push(run);
      console.log(`${task.name} n=${size} seed=${seed}: primary ${run.primary.toFixed(4)} loss ${run.loss.toFixed(4)} ${seconds.toFixed(1)} s  ${run.chosen}`);
    }
  }
}
summarize(runs);
if (out) writeFileSync(out, JSON.stringify(runs, null, 1));
