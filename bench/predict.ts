// Benchmark: prediction throughput of a trained prediction model (10,000 rows, with and without explanations).
// Usage: npx tsx bench/predict.ts [dataset ...]. Trains through the product's default path first.
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { predictionEngine } from '../src/engines/prediction/index.js';
import { readCsvFile } from '../src/tables/read-csv-file.js';
import type { RowInput, TableData } from '../src/tables/table-data.js';

const SHARED = resolve(import.meta.dirname, '../../shared');
const ROWS = 10_000;
const DATASETS = [
  { name: 'adult', target: 'income' },
  { name: 'letter_recognition', target: 'lettr' },
];

/** The first ROWS rows of the table (repeated if it is shorter) as API-style inputs without the target. */
function inputRows(table: TableData, target: string): RowInput[] {
  const rows: RowInput[] = [];
  for (let r = 0; r < ROWS; r++) {
    const i = r % table.rowCount;
    const row: RowInput = {};
    for (const c of table.columns) {
      if (c.name === target || c.name === 'split') continue;
      const v = c.values[i];
      row[c.name] = typeof v === 'number' && Number.isNaN(v) ? null : v;
    }
    rows.push(row);
  }
  return rows;
}

const only = process.argv.slice(2);
console.log(`Load average at start: ${loadavg().map((x) => x.toFixed(1)).join(', ')} (2 cores).`);
for (const d of DATASETS) {
  if (only.length > 0 && !only.includes(d.name)) continue;
  const table = await readCsvFile(resolve(SHARED, `datasets/${d.name}.csv`));
  const result = await predictionEngine.train(table, { tableId: table.tableId, target: d.target, splitColumn: 'split' }, { seed: 42, threads: 2, progress: () => {} });
  const predictor = predictionEngine.load(result.artifact);
  const rows = inputRows(table, d.target);
  predictor.predict(rows.slice(0, 200)); // warm-up
  for (const explain of [false, true]) {
    const t0 = performance.now();
    predictor.predict(rows, { explain });
    const s = (performance.now() - t0) / 1000;
    console.log(`${d.name.padEnd(20)} ${explain ? 'with explanations   ' : 'without explanations'} ${ROWS} rows in ${s.toFixed(2)} s: ${Math.round(ROWS / s)} rows/s (${((s * 1000) / ROWS).toFixed(3)} ms/row)`);
  }
}
