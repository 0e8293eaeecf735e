// A tiny but real learner for lifecycle tests: a one-split decision stump (classification by
// majority outcome per side, regression by mean per side) with real test-row metrics. It stands
// in for the `prediction` type so runner and service tests do not wait for the big engines.
import { z } from 'zod';
import { LatheError } from '../../domain/errors.js';
import type { CheckReport, Engine, Message, Predictor, TableShape, TrainResult } from '../../engines/seam.js';
import type { ColumnData, RowInput, TableData } from '../../tables/table-data.js';

export const stumpConfigurationSchema = z.object({
  tableId: z.string().min(1),
  target: z.string().min(1),
  features: z.array(z.string().min(1)).optional(),
  /** Test knob: milliseconds the training takes at least (to test progress and cancellation). */
  delayMs: z.number().int().nonnegative().optional(),
  /** Test knob: 'throw' throws a plain Error, 'exit' ends the worker's thread abruptly. */
  crash: z.enum(['throw', 'exit']).optional(),
});
export type StumpConfiguration = z.infer<typeof stumpConfigurationSchema>;

interface StumpModel {
  format: 'stump-1';
  kind: 'classification' | 'regression';
  feature: string;
  featureType: 'numeric' | 'category';
  /** numeric: x <= threshold goes left; category: x === value goes left. Missing goes right. */
  threshold: number | null;
  value: string | null;
  /** classification: outcome probabilities per side, in `classes` order; regression: [mean]. */
  left: number[];
  right: number[];
  classes: string[];
  inputs: { name: string; type: ColumnData['type']; choices?: string[] }[];
}

const isTest = (row: number) => row % 5 === 4;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function usableFeatures(cfg: StumpConfiguration, columns: { name: string; type: ColumnData['type'] }[]) {
  const names = cfg.features ?? columns.filter((c) => c.name !== cfg.target && c.type !== 'text').map((c) => c.name);
  return names.filter((n) => n !== cfg.target);
}

function check(configuration: unknown, shape: TableShape, data?: TableData): CheckReport {
  const errors: Message[] = [];
  const parsed = stumpConfigurationSchema.safeParse(configuration);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      errors.push({ code: 'INVALID_SETTING', message: `${issue.path.join('.') || 'configuration'}: ${issue.message}`, details: { path: issue.path } });
    }
    return { errors, warnings: [] };
  }
  const cfg = parsed.data;
  if (cfg.tableId !== shape.tableId) errors.push({ code: 'TABLE_MISMATCH', message: `The configuration names table ${cfg.tableId}, not ${shape.tableId}.` });
  const names = new Set(shape.columns.map((c) => c.name));
  if (!names.has(cfg.target)) errors.push({ code: 'UNKNOWN_COLUMN', column: cfg.target, message: `The table has no column "${cfg.target}" to predict.` });
  for (const f of cfg.features ?? []) {
    if (!names.has(f)) errors.push({ code: 'UNKNOWN_COLUMN', column: f, message: `The table has no column "${f}".` });
  }
  if (errors.length === 0 && usableFeatures(cfg, shape.columns).length === 0) {
    errors.push({ code: 'NO_FEATURES', message: 'Choose at least one input column besides the target.' });
  }
  if (shape.rowCount < 10) errors.push({ code: 'TOO_FEW_ROWS', message: `The table has ${shape.rowCount} rows; a model needs at least 10.` });
  if (data && errors.length === 0) {
    const target = data.columns.find((c) => c.name === cfg.target)!;
    const distinct = new Set<unknown>();
    for (let i = 0; i < data.rowCount && distinct.size < 2; i++) {
      const v = target.values[i];
      if (v !== null && !(typeof v === 'number' && Number.isNaN(v))) distinct.add(v);
    }
    if (distinct.size < 2) {
      errors.push({ code: 'SINGLE_OUTCOME', column: cfg.target, message: `Column "${cfg.target}" has only one value, so there is nothing to predict.` });
    }
  }
  return { errors, warnings: [] };
}

/** Numeric view of a column: numbers as they are, NaN = missing. Length = rowCount. */
function numeric(col: ColumnData): Float64Array | null {
  return col.type === 'number' || col.type === 'boolean' || col.type === 'date' ? col.values : null;
}

async function train(data: TableData, cfg: StumpConfiguration, options: { progress: (s: string, f: number) => void }): Promise<TrainResult> {
  const shape: TableShape = { tableId: data.tableId, name: data.name, rowCount: data.rowCount, columns: data.columns.map((c) => ({ name: c.name, type: c.type })) };
  const report = check(cfg, shape, data);
  if (report.errors.length) throw new LatheError('INVALID_DATA', report.errors[0].message, { errors: report.errors });
  if (cfg.crash === 'throw') throw new Error('the stump engine crashed on purpose');
  if (cfg.crash === 'exit') process.exit(7);
  options.progress('checking data', 0.05);

  const targetCol = data.columns.find((c) => c.name === cfg.target)!;
  const regression = targetCol.type === 'number';
  const rows: number[] = [];
  for (let i = 0; i < data.rowCount; i++) {
    const v = targetCol.values[i];
    if (v !== null && !(typeof v === 'number' && Number.isNaN(v))) rows.push(i);
  }
  const train = rows.filter((r) => !isTest(r));
  const test = rows.filter(isTest);
  const classes = regression ? [] : [...new Set(rows.map((r) => String(targetCol.values[r])))].sort();
  /** y per row: class index (classification) or value (regression); length = rowCount. */
  const y = new Float64Array(data.rowCount);
  for (const r of rows) y[r] = regression ? (targetCol.values[r] as number) : classes.indexOf(String(targetCol.values[r]));

  const leaf = (idx: number[]): number[] => {
    if (regression) return [idx.length ? idx.reduce((s, r) => s + y[r], 0) / idx.length : 0];
    const counts = classes.map(() => 1); // Laplace smoothing keeps probabilities away from 0 and 1
    for (const r of idx) counts[y[r]]++;
    const total = counts.reduce((a, b) => a + b, 0);
    return counts.map((c) => c / total);
  };
  const loss = (idx: number[], p: number[]) =>
    regression ? idx.reduce((s, r) => s + (y[r] - p[0]) ** 2, 0) : idx.reduce((s, r) => s - Math.log(p[y[r]]), 0);

  const features = usableFeatures(cfg, data.columns);
  let best: { loss: number; model: Omit<StumpModel, 'format' | 'kind' | 'classes' | 'inputs'> } | null = null;
  const started = Date.now();
  options.progress('training', 0.1);
  for (let f = 0; f < features.length; f++) {
    const col = data.columns.find((c) => c.name === features[f])!;
    const nums = numeric(col);
    const candidates: { left: (r: number) => boolean; threshold: number | null; value: string | null }[] = [];
    if (nums) {
      const sorted = [...new Set(train.map((r) => nums[r]).filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
      const step = Math.max(1, Math.floor(sorted.length / 32));
      for (let i = 0; i + 1 < sorted.length; i += step) {
        const t = (sorted[i] + sorted[i + 1]) / 2;
        candidates.push({ left: (r) => nums[r] <= t, threshold: t, value: null });
      }
    } else {
      const values = col.values as (string | null)[];
      for (const v of [...new Set(train.map((r) => values[r]).filter((x): x is string => x !== null))].slice(0, 32)) {
        candidates.push({ left: (r) => values[r] === v, threshold: null, value: v });
      }
    }
    for (const c of candidates) {
      const l = train.filter(c.left);
      const rr = train.filter((r) => !c.left(r));
      const pl = leaf(l);
      const pr = leaf(rr);
      const total = loss(l, pl) + loss(rr, pr);
      if (!best || total < best.loss) {
        best = { loss: total, model: { feature: col.name, featureType: nums ? 'numeric' : 'category', threshold: c.threshold, value: c.value, left: pl, right: pr } };
      }
    }
    if (cfg.delayMs) await sleep(Math.max(0, (cfg.delayMs * (f + 1)) / features.length - (Date.now() - started)));
    options.progress('training', 0.1 + (0.8 * (f + 1)) / features.length);
  }
  if (!best) throw new LatheError('INVALID_DATA', 'No input column has two different values, so no split can be learned.');

  const model: StumpModel = {
    format: 'stump-1',
    kind: regression ? 'regression' : 'classification',
    classes,
    inputs: features.map((name) => {
      const col = data.columns.find((c) => c.name === name)!;
      const choices = numeric(col) ? undefined : [...new Set((col.values as (string | null)[]).filter((v): v is string => v !== null))].sort().slice(0, 100);
      return choices ? { name, type: col.type, choices } : { name, type: col.type };
    }),
    ...best.model,
  };
  options.progress('evaluating', 0.95);
  const predictor = load(new TextEncoder().encode(JSON.stringify(model)));
  const metrics: Record<string, number> = {};
  const testRows: RowInput[] = test.map((r) => {
    const col = data.columns.find((c) => c.name === model.feature)!;
    const v = col.values[r];
    return { [model.feature]: typeof v === 'number' && Number.isNaN(v) ? null : v };
  });
  const out = predictor.predict(testRows);
  let value: number;
  if (regression) {
    const mean = test.reduce((s, r) => s + y[r], 0) / Math.max(1, test.length);
    let sse = 0;
    let sst = 0;
    test.forEach((r, i) => {
      sse += (y[r] - (out[i].prediction as number)) ** 2;
      sst += (y[r] - mean) ** 2;
    });
    metrics.r2 = sst > 0 ? 1 - sse / sst : 0;
    metrics.rmse = Math.sqrt(sse / Math.max(1, test.length));
    value = Math.max(0, Math.round(metrics.r2 * 100));
  } else {
    const hits = test.filter((r, i) => out[i].prediction === classes[y[r]]).length;
    metrics.accuracy = test.length ? hits / test.length : 0;
    value = Math.round(metrics.accuracy * 100);
  }
  return {
    artifact: new TextEncoder().encode(JSON.stringify(model)),
    evaluation: {
      score: { kind: 'score', value, message: `One split on "${model.feature}".`, explanation: regression ? 'R² on the test rows, times 100.' : 'Accuracy on the test rows, in percent.' },
      metrics,
      details: { split: { feature: model.feature, threshold: model.threshold, value: model.value } },
      influence: [{ column: model.feature, share: 1 }],
      rows: { total: data.rowCount, training: train.length, test: test.length },
      split: { method: 'every fifth row is a test row' },
    },
    warnings: [],
    summary: { kind: model.kind, feature: model.feature, classes },
  };
}

function load(artifact: Uint8Array): Predictor {
  const model = JSON.parse(new TextDecoder().decode(artifact)) as StumpModel;
  if (model.format !== 'stump-1') throw new LatheError('INVALID_DATA', 'This file is not a stump model.');
  return {
    inputs: model.inputs,
    predict(rows) {
      return rows.map((row) => {
        const raw = row[model.feature];
        let goesLeft: boolean;
        if (raw === null || raw === undefined || raw === '') goesLeft = false;
        else if (model.featureType === 'numeric') {
          const x = typeof raw === 'boolean' ? (raw ? 1 : 0) : Number(raw);
          goesLeft = !Number.isNaN(x) && x <= (model.threshold as number);
        } else goesLeft = String(raw) === model.value;
        const p = goesLeft ? model.left : model.right;
        if (model.kind === 'regression') return { prediction: p[0] };
        let k = 0;
        for (let i = 1; i < p.length; i++) if (p[i] > p[k]) k = i;
        return { prediction: model.classes[k], probability: p[k] };
      });
    },
  };
}

export const engine: Engine<StumpConfiguration> = {
  type: 'prediction',
  configurationSchema: stumpConfigurationSchema,
  check,
  train: (data, cfg, options) => train(data, cfg, options),
  load,
};
