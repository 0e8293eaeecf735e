// Benchmark: a prediction model trained through the product's default path on a large table, as a
// user gets it: the table read from CSV, then the training runner's worker thread (checks, column
// preparation, automatic settings, evaluation), with the threads the service would give one run.
// Prints the time and the largest resident memory of each stage, the total and the peak memory. Usage:
//   npm run bench:prediction-scale [-- --rows 1000000] [--threads 2]
// The CSV (20 numeric columns from the scale test's generator and a yes/no outcome) is written
// once to the system's temporary folder and reused.
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TrainResult } from '../src/engines/seam.js';
import { readCsvFile } from '../src/tables/read-csv-file.js';
import { TrainingRunner } from '../src/training/runner.js';
import { option } from './support/bench-args.js';
import { makeClassification } from './support/gbdt-synthetic.js';

const rows = option('--rows', 1_000_000);
const threads = option('--threads', 2);
const file = path.join(tmpdir(), `lathe-prediction-scale-${rows}.csv`);
if (!existsSync(file)) {
  const { columns, y } = makeClassification(rows, 42);
  const lines = [[...columns.map((_, j) => `f${j}`), 'outcome'].join(',')];
  for (let i = 0; i < rows; i++) lines.push([...columns.map((c) => c[i].toPrecision(6)), y[i] ? 'yes' : 'no'].join(','));
  writeFileSync(file, lines.join('\n'));
}

console.log(`# prediction default path on ${rows.toLocaleString('en-US')} rows x 20 numeric columns, ${threads} thread(s) (${new Date().toISOString()}, node ${process.version})`);
const t0 = performance.now();
const table = await readCsvFile(file);
console.log(`read the CSV: ${((performance.now() - t0) / 1000).toFixed(1)} s`);

/** Per stage: its name, when it started, and the largest resident memory sampled during it (MB). */
const stages: [string, number, number][] = [];
const sampler = setInterval(() => {
  const last = stages.at(-1);
  if (last) last[2] = Math.max(last[2], process.memoryUsage().rss / 2 ** 20);
}, 50);
const start = performance.now();
const result = await new Promise<TrainResult>((resolve, reject) => {
  const runner = new TrainingRunner({
    maxConcurrent: 1,
    threads,
    engineModules: [],
    hooks: {
      async onStart() {},
      onProgress(_id, stage) {
        if (stages.at(-1)?.[0] !== stage) stages.push([stage, performance.now(), process.memoryUsage().rss / 2 ** 20]);
      },
      async onSuccess(_id, r) {
        resolve(r);
        await runner.stop();
      },
      async onFailure(_id, message) {
        reject(new Error(message));
        await runner.stop();
      },
    },
  });
  runner.enqueue({ runId: 'scale', modelType: 'prediction', configuration: { tableId: table.tableId, target: 'outcome' }, seed: 42, loadData: async () => table });
});
const end = performance.now();
clearInterval(sampler);
stages.forEach(([stage, at, rss], k) => console.log(`  ${stage}: ${(((stages[k + 1]?.[1] ?? end) - at) / 1000).toFixed(1)} s, resident memory up to ${rss.toFixed(0)} MB`));
console.log(`trained in ${((end - start) / 1000).toFixed(1)} s (from the run's start to its result)`);
console.log(`metrics: ${JSON.stringify(result.evaluation.metrics).slice(0, 200)}`);
console.log(`peak resident memory of the process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
