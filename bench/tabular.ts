// Benchmark: the prediction engine's default path on every shared tabular dataset against the anchors.
// Usage: npm run bench:tabular [-- dataset ...]. Exits non-zero when a quality target is missed.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { predictionEngine } from '../src/engines/prediction/index.js';
import { readCsvFile } from '../src/tables/read-csv-file.js';

const SHARED = resolve(import.meta.dirname, '../../shared');
/** A metric may trail the best anchor by at most this much. */
const TOLERANCE = 0.005;
/** adult must train in under this many seconds on the 2-core machine. */
const ADULT_SECONDS = 15;

const DATASETS: { name: string; target: string; metrics: string[] }[] = [
  { name: 'adult', target: 'income', metrics: ['accuracy', 'roc_auc'] },
  { name: 'bank_marketing', target: 'y', metrics: ['accuracy', 'roc_auc'] },
  { name: 'titanic', target: 'survived', metrics: ['accuracy', 'roc_auc'] },
  { name: 'penguins', target: 'species', metrics: ['accuracy', 'macro_f1'] },
  { name: 'letter_recognition', target: 'lettr', metrics: ['accuracy', 'macro_f1'] },
  { name: 'california_housing', target: 'median_house_value', metrics: ['r2'] },
  { name: 'bike_sharing_hourly', target: 'cnt', metrics: ['r2'] },
];

/** Our metric names (evaluation.metrics) for the anchors' names. */
const OURS: Record<string, string> = { accuracy: 'accuracy', roc_auc: 'rocAuc', macro_f1: 'macroF1', r2: 'r2' };

interface AnchorResult {
  model: string;
  metrics: Record<string, number>;
  fit_s: number;
}
const anchors = JSON.parse(readFileSync(resolve(SHARED, 'anchors/anchors.json'), 'utf8')) as {
  datasets: { dataset: string; results: AnchorResult[] }[];
};

const only = process.argv.slice(2);
console.log(`Load average at start: ${loadavg().map((x) => x.toFixed(1)).join(', ')} (2 cores; wall times stretch with load).`);
const failures: string[] = [];
const deltas: number[] = [];
const f4 = (x: number): string => x.toFixed(4);

for (const d of DATASETS) {
  if (only.length > 0 && !only.includes(d.name)) continue;
  const table = await readCsvFile(resolve(SHARED, `datasets/${d.name}.csv`));
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const result = await predictionEngine.train(
    table,
    { tableId: table.tableId, target: d.target, splitColumn: 'split' },
    { seed: 42, threads: 2, progress: () => {} },
  );
  const seconds = (performance.now() - t0) / 1000;
  // CPU seconds of this process (all its threads): less sensitive than wall time to other jobs
  // sharing the machine, so both are printed.
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const results = anchors.datasets.find((a) => a.dataset === d.name)!.results;
  const summary = result.summary as {
    model: { candidate: string; iterations?: number };
    leaderboard: { candidate: string; validationScore: number; trainSeconds: number }[];
    stageSeconds: Record<string, number>;
  };
  console.log(`\n## ${d.name}: ${result.evaluation.rows.training} training rows, ${result.evaluation.rows.test} test rows; fit ${seconds.toFixed(2)} s wall, ${cpuSeconds.toFixed(2)} s CPU; grade ${result.evaluation.score.kind === 'grade' ? result.evaluation.score.grade : '-'}`);
  console.log(`   chosen: ${summary.model.candidate}${summary.model.iterations ? ` (${summary.model.iterations} rounds)` : ''}`);
  console.log(`   stages: ${Object.entries(summary.stageSeconds).map(([k, v]) => `${k} ${v.toFixed(2)} s`).join(', ')}`);
  for (const e of summary.leaderboard) console.log(`     candidate ${e.candidate.padEnd(36)} validation ${e.validationScore.toPrecision(5)}  ${e.trainSeconds.toFixed(2)} s`);
  const header = ['model'.padEnd(28), ...d.metrics.map((m) => m.padStart(9)), 'fit s'.padStart(8), 'ours/them'.padStart(10)];
  console.log(`   ${header.join(' ')}`);
  const ours = d.metrics.map((m) => result.evaluation.metrics[OURS[m]]);
  console.log(`   ${['Lathe (default path)'.padEnd(28), ...ours.map((v) => f4(v).padStart(9)), seconds.toFixed(2).padStart(8), ''.padStart(10)].join(' ')}`);
  for (const r of results) {
    console.log(`   ${[r.model.padEnd(28), ...d.metrics.map((m) => f4(r.metrics[m]).padStart(9)), r.fit_s.toFixed(3).padStart(8), (seconds / r.fit_s).toFixed(1).padStart(10)].join(' ')}`);
  }
  d.metrics.forEach((m, i) => {
    const best = Math.max(...results.map((r) => r.metrics[m]));
    deltas.push(ours[i] - best);
    const line = `${d.name} ${m}: ours ${f4(ours[i])} vs best anchor ${f4(best)} (${ours[i] - best >= 0 ? '+' : ''}${f4(ours[i] - best)})`;
    console.log(`   ${line}`);
    if (!(ours[i] >= best - TOLERANCE)) failures.push(line);
  });
  if (d.name === 'adult' && seconds >= ADULT_SECONDS) failures.push(`adult trained in ${seconds.toFixed(1)} s (target under ${ADULT_SECONDS} s)`);
}

if (deltas.length > 0) {
  const mean = deltas.reduce((a, b) => a + b, 0) / deltas.length;
  console.log(`\nMean difference to the best anchor over ${deltas.length} dataset metrics: ${mean >= 0 ? '+' : ''}${mean.toFixed(4)}`);
  if (only.length === 0 && !(mean > 0)) failures.push(`on average not better than the best anchor (${mean.toFixed(4)})`);
}
if (failures.length > 0) {
  console.log(`\nQuality targets missed:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log('\nAll quality targets hold.');
