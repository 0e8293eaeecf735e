// Text classification benchmark: Lathe's engine through its default path (engine.train with the
// datasets' split column) against scikit-learn's TF-IDF + LinearSVC anchor, run side by side.
// Prints quality, fit time (ours and scikit-learn's, same run), prediction speed and memory;
// exits non-zero when a quality target is missed. Usage: npm run bench:text [-- dataset ...]
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { readCsvFile } from '../src/tables/read-csv-file.js';
import { findColumn, type TableData } from '../src/tables/table-data.js';
import { textClassificationEngine, type TextClassificationConfiguration, type TextPrediction } from '../src/engines/text-classification/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const DATASETS = join(here, '../../shared/datasets');
const REPEATS = Number(process.env.BENCH_REPEATS ?? 1);

interface Target {
  name: string;
  tagColumn: 'label' | 'labels';
  /** Anchor (scikit-learn TF-IDF + LinearSVC, ../shared/anchors) and the allowed shortfall. */
  anchor: Record<string, number>;
  minimum: Record<string, number>;
}

const TARGETS: Target[] = [
  { name: 'sms_spam', tagColumn: 'label', anchor: { accuracy: 0.9874, macroF1: 0.9723 }, minimum: { accuracy: 0.9824, macroF1: 0.9673 } },
  { name: 'ag_news', tagColumn: 'label', anchor: { accuracy: 0.8809, macroF1: 0.8803 }, minimum: { accuracy: 0.8759, macroF1: 0.8753 } },
  { name: 'imdb_reviews', tagColumn: 'label', anchor: { accuracy: 0.8855, macroF1: 0.8855 }, minimum: { accuracy: 0.8805, macroF1: 0.8805 } },
  // "macro F1 well above 0.32": we require 0.40 (the anchor is 0.3227).
  { name: 'reuters21578', tagColumn: 'labels', anchor: { microF1: 0.8383, macroF1: 0.3227 }, minimum: { microF1: 0.838, macroF1: 0.4 } },
];

const strings = (t: TableData, name: string): (string | null)[] => {
  const c = findColumn(t, name);
  if (!c || (c.type !== 'text' && c.type !== 'category')) throw new Error(`${t.name}: no string column ${name}`);
  return c.values;
};

/** Metrics as the anchors compute them: accuracy + macro F1 (single-label); micro/macro F1 over every tag seen in training (multi-label). */
function metrics(target: Target, table: TableData, test: number[], predictions: TextPrediction[]): Record<string, number> {
  const truthCells = strings(table, target.tagColumn);
  const split = strings(table, 'split');
  const multi = target.tagColumn === 'labels';
  const tagsOf = (cell: string | null): string[] => (cell ? (multi ? cell.split(';') : [cell]) : []);
  const known = new Set<string>();
  truthCells.forEach((cell, r) => {
    if (split[r] === 'train') for (const t of tagsOf(cell)) known.add(t);
  });
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  let exact = 0;
  test.forEach((r, k) => {
    const truth = tagsOf(truthCells[r]).filter((t) => known.has(t));
    const predicted = multi ? predictions[k].assigned : [predictions[k].topTag];
    for (const p of predicted) bump(truth.includes(p) ? tp : fp, p);
    for (const t of truth) if (!predicted.includes(t)) bump(fn, t);
    if (predicted.length === truth.length && predicted.every((p) => truth.includes(p))) exact++;
  });
  let TP = 0;
  let FP = 0;
  let FN = 0;
  let macro = 0;
  for (const t of known) {
    const a = tp.get(t) ?? 0;
    const b = fp.get(t) ?? 0;
    const c = fn.get(t) ?? 0;
    TP += a;
    FP += b;
    FN += c;
    macro += a + b + c === 0 ? 0 : (2 * a) / (2 * a + b + c);
  }
  const out: Record<string, number> = { macroF1: macro / known.size };
  if (multi) out.microF1 = (2 * TP) / (2 * TP + FP + FN);
  else out.accuracy = exact / test.length;
  return out;
}

function sklearn(target: Target): { fitSeconds: number; fitCpuSeconds: number } & Record<string, number> {
  const run = spawnSync('/usr/bin/python3', [join(here, 'support/text-sklearn.py'), join(DATASETS, `${target.name}.csv`), target.tagColumn], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`scikit-learn anchor failed on ${target.name}: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() as string);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f3 = (x: number): string => x.toFixed(3);
const f4 = (x: number): string => x.toFixed(4);

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const targets = only.length ? TARGETS.filter((t) => only.includes(t.name)) : TARGETS;
  // Warm the JIT on a slice of the first dataset so the first timed fit is not also a compile.
  const warm = await readCsvFile(join(DATASETS, 'sms_spam.csv'));
  const slice: TableData = { ...warm, rowCount: 600, columns: warm.columns.map((c) => ({ ...c, values: c.values.slice(0, 600) }) as typeof c) };
  textClassificationEngine.train(slice, { tableId: slice.tableId, textColumn: 'text', tagColumn: 'label', splitColumn: 'split' }, { seed: 1, threads: 1, progress: () => {} });

  const lines: string[] = [];
  let failed = false;
  for (const target of targets) {
    const table = await readCsvFile(join(DATASETS, `${target.name}.csv`));
    const configuration: TextClassificationConfiguration = {
      tableId: table.tableId,
      textColumn: 'text',
      tagColumn: target.tagColumn,
      splitColumn: 'split',
      // imdb_reviews and reuters21578 have texts of 5,000 characters or more (122 and 25).
      allowTruncation: true,
    };
    const ours: { wall: number; cpu: number }[] = [];
    const theirs: { wall: number; cpu: number }[] = [];
    let anchor: Record<string, number> = {};
    let result = null as null | Awaited<ReturnType<typeof textClassificationEngine.train>>;
    for (let k = 0; k < REPEATS; k++) {
      const s = sklearn(target);
      theirs.push({ wall: s.fitSeconds, cpu: s.fitCpuSeconds });
      anchor = s;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      result = await textClassificationEngine.train(table, configuration, { seed: 1, threads: 1, progress: () => {} });
      const cpu = process.cpuUsage(cpu0);
      ours.push({ wall: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 });
    }
    if (!result) throw new Error('no run');
    const heapMb = process.memoryUsage().heapUsed / 1e6;
    const rssMb = process.memoryUsage().rss / 1e6;
    const peakRssMb = process.resourceUsage().maxRSS / 1e3;
    const split = strings(table, 'split');
    const texts = strings(table, 'text');
    const test = [...split.keys()].filter((r) => split[r] === 'test' && texts[r] !== null);
    const predictor = textClassificationEngine.load(result.artifact);
    const rows = test.map((r) => ({ text: texts[r] }));
    const p0 = performance.now();
    const pc0 = process.cpuUsage();
    const predictions = predictor.predict(rows) as TextPrediction[];
    const predictSeconds = (performance.now() - p0) / 1000;
    const pc = process.cpuUsage(pc0);
    const predictCpu = (pc.user + pc.system) / 1e6;
    const got = metrics(target, table, test, predictions);
    const misses = Object.entries(target.minimum).filter(([m, min]) => got[m] < min).map(([m, min]) => `${m} ${f4(got[m])} < ${min}`);
    if (misses.length) failed = true;
    const oursWall = median(ours.map((o) => o.wall));
    const theirsWall = median(theirs.map((o) => o.wall));
    const summary = result.summary as Record<string, unknown>;
    lines.push(
      [
        target.name.padEnd(13),
        Object.keys(target.anchor).map((m) => `${m} ${f4(got[m])} (sklearn ${f4(anchor[m])}, anchor ${target.anchor[m]})`).join(', '),
        `fit ${f3(oursWall)} s (cpu ${f3(median(ours.map((o) => o.cpu)))}) vs sklearn ${f3(theirsWall)} s (cpu ${f3(median(theirs.map((o) => o.cpu)))}), ratio ${(oursWall / theirsWall).toFixed(2)}`,
        `predict ${Math.round(test.length / predictSeconds)} texts/s (${Math.round(test.length / predictCpu)} per cpu-s, with contributions)`,
        `heap ${heapMb.toFixed(0)} MB, rss ${rssMb.toFixed(0)} MB (peak ${peakRssMb.toFixed(0)} MB), artifact ${(result.artifact.length / 1e6).toFixed(1)} MB`,
        `[${String((summary.features as { charMax: number }).charMax > 0 ? 'words+chars' : 'words')}, C ${summary.C}, ${summary.calibration}, ${summary.finalModel}]`,
        misses.length ? `MISSED: ${misses.join('; ')}` : 'quality ok',
      ].join(' | '),
    );
    console.log(lines[lines.length - 1]);
  }
  const load = loadavg().map((x) => x.toFixed(1)).join(' / ');
  console.log(`\nmachine: ${process.arch}, node ${process.version}, 1 thread (ours) / 1 thread (LinearSVC), load average ${load} (1/5/15 min); wall times vary with the load of this shared machine, CPU seconds less so; repeats ${REPEATS} (median)`);
  if (failed) {
    console.error('A quality target was missed.');
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
