// End-to-end tests of the prediction engine: real penguins table and generated tables.
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LatheError } from '../../domain/errors.js';
import { readCsvFile } from '../../tables/read-csv-file.js';
import type { RowInput, TableData } from '../../tables/table-data.js';
import type { TrainOptions, TrainResult } from '../seam.js';
import { predictionEngine } from './index.js';
import type { PredictionRow } from './predictor.js';
import { makeTable, sequence } from './test-table.js';

const DATASETS = resolve(import.meta.dirname, '../../../../shared/datasets');
const options: TrainOptions = { seed: 42, threads: 2, progress: () => {} };

function testRows(table: TableData): RowInput[] {
  const split = table.columns.find((c) => c.name === 'split')!.values as string[];
  const rows: RowInput[] = [];
  for (let i = 0; i < table.rowCount; i++) {
    if (split[i] !== 'test') continue;
    const row: RowInput = {};
    for (const c of table.columns) {
      const v = c.values[i];
      row[c.name] = typeof v === 'number' && Number.isNaN(v) ? null : v;
    }
    rows.push(row);
  }
  return rows;
}

describe('the prediction engine on the penguins table', () => {
  let table: TableData;
  let result: TrainResult;
  beforeAll(async () => {
    table = await readCsvFile(resolve(DATASETS, 'penguins.csv'));
    result = await predictionEngine.train(table, { tableId: table.tableId, target: 'species', splitColumn: 'split' }, options);
  });

  it('trains a multiple-outcome model, says why, and grades it on the test rows', () => {
    expect(result.summary).toMatchObject({ kind: 'multiclass', outcomes: ['Adelie', 'Chinstrap', 'Gentoo'] });
    expect(result.summary.kindReason).toMatch(/"species" holds 3 different values/);
    expect(result.evaluation.rows).toMatchObject({ total: 344, training: 275, test: 69 });
    expect(result.evaluation.split).toMatchObject({ method: 'column', column: 'split', testRows: 69 });
    expect(result.evaluation.metrics.accuracy).toBeGreaterThan(0.95);
    const score = result.evaluation.score;
    if (score.kind !== 'grade') throw new Error('expected a grade');
    expect(score.value).toBe(result.evaluation.metrics.accuracy);
    // Penguins are easy: A, or D "too good to be true" when every test row is right (r >= 0.98).
    if (score.value === 1) expect(score.message).toMatch(/too good to be true/);
    else expect(score.grade).toBe('A');
    expect(score.kind === 'grade' && score.baseline).toBeCloseTo((152 ** 2 + 124 ** 2 + 68 ** 2) / 344 ** 2, 12);
    expect(result.evaluation.details).toHaveProperty('confusionMatrix');
  });

  it('keeps a leaderboard of trees and linear candidates and marks the one chosen', () => {
    const board = result.summary.leaderboard as { learner: string; selected: boolean; validationScore: number; modelBytes: number }[];
    expect(board.filter((e) => e.learner === 'gbdt').length).toBeGreaterThanOrEqual(5);
    expect(board.filter((e) => e.learner === 'glm').length).toBeGreaterThanOrEqual(1);
    expect(board.filter((e) => e.selected)).toHaveLength(1);
    const chosen = board.find((e) => e.selected)!;
    expect(Math.min(...board.map((e) => e.validationScore))).toBe(chosen.validationScore);
    expect(board.every((e) => e.modelBytes > 0)).toBe(true);
  });

  it('gives each input column an influence, the shares adding up to one', () => {
    const inf = result.evaluation.influence;
    expect(inf.map((x) => x.column).sort()).toEqual(['bill_depth_mm', 'bill_length_mm', 'body_mass_g', 'flipper_length_mm', 'island', 'sex']);
    expect(inf.reduce((a, x) => a + x.share, 0)).toBeCloseTo(1, 9);
  });

  it('predicts from the saved artifact exactly as evaluated, with probabilities and an explanation', () => {
    const predictor = predictionEngine.load(result.artifact);
    const rows = testRows(table);
    const out = predictor.predict(rows) as unknown as PredictionRow[];
    const correct = out.filter((o, i) => o.prediction === rows[i].species).length;
    expect(correct / rows.length).toBeCloseTo(result.evaluation.metrics.accuracy, 12);
    const first = out[0];
    expect(Object.keys(first.probabilities!)).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(Object.values(first.probabilities!).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(first.probability).toBe(first.probabilities![first.prediction as string]);
    expect(first.explanation!.length).toBeGreaterThan(0);
    for (const e of first.explanation!) expect(e.direction).toBe(e.contribution > 0 ? 'up' : 'down');
  });

  it('offers one typed field per input column, with choices for categories', () => {
    const predictor = predictionEngine.load(result.artifact);
    expect(predictor.inputs).toContainEqual({ name: 'island', type: 'category', choices: ['Biscoe', 'Dream', 'Torgersen'] });
    expect(predictor.inputs).toContainEqual({ name: 'body_mass_g', type: 'number' });
    expect(predictor.inputs.map((f) => f.name)).not.toContain('split');
  });

  it('copes with unknown categories and missing values, and names a field of the wrong type', () => {
    const predictor = predictionEngine.load(result.artifact);
    const out = predictor.predict([{ island: 'Atlantis', bill_length_mm: '39.1' }, {}]) as unknown as PredictionRow[];
    expect(out).toHaveLength(2);
    for (const o of out) expect(['Adelie', 'Chinstrap', 'Gentoo']).toContain(o.prediction);
    expect(() => predictor.predict([{ body_mass_g: 'heavy' }])).toThrow(LatheError);
    try {
      predictor.predict([{ body_mass_g: 'heavy' }]);
    } catch (e) {
      expect((e as LatheError).code).toBe('INVALID_INPUT');
      expect((e as LatheError).details).toEqual({ field: 'body_mass_g' });
    }
  });

  it('writes the same artifact bytes for the same data, configuration and seed', async () => {
    const again = await predictionEngine.train(table, { tableId: table.tableId, target: 'species', splitColumn: 'split' }, options);
    expect(Buffer.from(again.artifact).equals(Buffer.from(result.artifact))).toBe(true);
    expect(again.evaluation.split).toEqual(result.evaluation.split);
  });
});

describe('the prediction engine on the titanic table', () => {
  let table: TableData;
  let result: TrainResult;
  beforeAll(async () => {
    table = await readCsvFile(resolve(DATASETS, 'titanic.csv'));
    result = await predictionEngine.train(table, { tableId: table.tableId, target: 'survived', splitColumn: 'split' }, options);
  });

  it('reads the ticket through what tickets share, counts it as one column, and predicts from the artifact as evaluated', () => {
    expect(result.warnings.find((w) => w.column === 'ticket')).toMatchObject({ code: 'COLUMN_CODE' });
    expect(result.summary.columns).toContainEqual(expect.objectContaining({ column: 'ticket', as: 'code' }));
    const inf = result.evaluation.influence;
    expect(inf.map((x) => x.column).sort()).toEqual(['age', 'cabin', 'embarked', 'fare', 'name', 'parch', 'pclass', 'sex', 'sibsp', 'ticket']);
    expect(inf.find((x) => x.column === 'ticket')!.share).toBeGreaterThan(0);
    expect(inf.reduce((a, x) => a + x.share, 0)).toBeCloseTo(1, 9);
    const predictor = predictionEngine.load(result.artifact);
    expect(predictor.inputs).toContainEqual({ name: 'ticket', type: 'text' });
    // Test rows are not training rows: their ticket counts the training rows holding it, as for any new row.
    const rows = testRows(table);
    const out = predictor.predict(rows, { explain: false }) as unknown as PredictionRow[];
    const correct = out.filter((o, i) => o.prediction === String(rows[i].survived)).length;
    expect(correct / rows.length).toBeCloseTo(result.evaluation.metrics.accuracy, 12);
  });

  it('writes the same artifact bytes for the same data, configuration and seed', async () => {
    const again = await predictionEngine.train(table, { tableId: table.tableId, target: 'survived', splitColumn: 'split' }, options);
    expect(Buffer.from(again.artifact).equals(Buffer.from(result.artifact))).toBe(true);
  });
});

describe('the prediction engine on generated tables', () => {
  it('predicts numbers with an interval, reports progress from 0 to 1, and holds out a stratified 20% when no split column is given', async () => {
    const r = sequence(3);
    const n = 300;
    const size = Array.from({ length: n }, () => 50 + r() * 100);
    const city = Array.from({ length: n }, () => ['Paris', 'Lyon', 'Nice'][Math.floor(r() * 3)]);
    const price = size.map((s, i) => 3000 * s + (city[i] === 'Paris' ? 100000 : 0) + (r() - 0.5) * 20000);
    const table = makeTable({ size: { type: 'number', values: size }, city: { type: 'category', values: city }, price: { type: 'number', values: price } }, 'Homes');
    const seen: number[] = [];
    const result = await predictionEngine.train(table, { tableId: 't1', target: 'price' }, { ...options, progress: (_stage, f) => seen.push(f) });
    expect(result.summary.kind).toBe('numerical');
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((f, i) => i === 0 || f >= seen[i - 1])).toBe(true);
    expect(result.evaluation.split).toMatchObject({ method: 'stratified', seed: 42, fraction: 0.2, testRows: 60 });
    expect(result.evaluation.metrics.r2).toBeGreaterThan(0.9);
    const score = result.evaluation.score;
    expect(score.kind === 'grade' && score.metric).toBe('r2');
    const [out] = predictionEngine.load(result.artifact).predict([{ size: 100, city: 'Paris' }]) as unknown as PredictionRow[];
    expect(out.prediction as number).toBeGreaterThan(300000);
    expect(out.interval!.low).toBeLessThan(out.prediction as number);
    expect(out.interval!.high).toBeGreaterThan(out.prediction as number);
  });

  it('predicts yes / no with the probability of the positive outcome, from dates and free text given as strings', async () => {
    const r = sequence(11);
    const n = 400;
    const day = Array.from({ length: n }, () => Date.UTC(2024, Math.floor(r() * 12), 1 + Math.floor(r() * 28)));
    const note = Array.from({ length: n }, () => (r() < 0.3 ? 'urgent parcel, call first' : 'standard parcel'));
    const weight = Array.from({ length: n }, () => r() * 10);
    const late = day.map((d, i) => (new Date(d).getUTCMonth() === 11 || (note[i].startsWith('urgent') && weight[i] > 5) ? 'yes' : 'no'));
    const table = makeTable({
      shipped: { type: 'date', values: day },
      note: { type: 'text', values: note },
      weight: { type: 'number', values: weight },
      late: { type: 'category', values: late },
    });
    const result = await predictionEngine.train(table, { tableId: 't1', target: 'late' }, options);
    expect(result.summary).toMatchObject({ kind: 'binary', positive: 'yes', outcomes: ['no', 'yes'] });
    expect(result.evaluation.metrics.rocAuc).toBeGreaterThan(0.9);
    expect(result.evaluation.details).toHaveProperty('roc');
    expect(result.evaluation.details).toHaveProperty('calibration');
    const predictor = predictionEngine.load(result.artifact);
    expect(predictor.inputs).toEqual([
      { name: 'shipped', type: 'date' },
      { name: 'note', type: 'text' },
      { name: 'weight', type: 'number' },
    ]);
    const [december, june] = predictor.predict([
      { shipped: '2024-12-10', note: 'standard parcel', weight: '1' },
      { shipped: '2024-06-10', note: 'standard parcel', weight: 1 },
    ]) as unknown as PredictionRow[];
    expect(december.prediction).toBe('yes');
    expect(december.probability).toBe(december.probabilities!.yes);
    expect(june.prediction).toBe('no');
    expect(june.probability).toBeLessThan(0.5);
    expect(december.explanation![0]).toMatchObject({ column: 'shipped', direction: 'up' });
    expect(() => predictor.predict([{ shipped: 'someday' }])).toThrow('The field "shipped" must be a date (for example 2024-01-31); got "someday".');
  });

  it('flags a forced-in column that holds almost all the influence, and grades the result too good to be true', async () => {
    const r = sequence(21);
    const n = 300;
    const noise = Array.from({ length: n }, () => r());
    const late = Array.from({ length: n }, () => (r() < 0.4 ? 'yes' : 'no'));
    const table = makeTable({
      noise: { type: 'number', values: noise },
      delivered: { type: 'category', values: late.map((l) => (l === 'yes' ? 'after the deadline' : 'on time')) },
      late: { type: 'category', values: late },
    });
    const result = await predictionEngine.train(table, { tableId: 't1', target: 'late', forceInclude: ['delivered'] }, options);
    expect(result.warnings.map((w) => w.code)).not.toContain('COLUMN_POSSIBLE_LEAKAGE');
    const flag = result.warnings.find((w) => w.code === 'INFLUENCE_CONCENTRATED')!;
    expect(flag.column).toBe('delivered');
    expect(flag.message).toMatch(/^"delivered" holds \d+% of the influence \(flagged from 80%\)/);
    const score = result.evaluation.score;
    expect(score.kind === 'grade' && score.grade).toBe('D');
    expect(score.kind === 'grade' && score.message).toMatch(/too good to be true/);
  });

  it('refuses to train when a data rule fails, listing every error', async () => {
    const table = makeTable({ x: { type: 'number', values: [1, 2, 3, 4] }, y: { type: 'category', values: ['a', 'b', 'a', 'b'] } }, 'Tiny');
    try {
      await predictionEngine.train(table, { tableId: 't1', target: 'y' }, options);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LatheError);
      expect((e as LatheError).code).toBe('INVALID_CONFIGURATION');
      expect((e as LatheError).message).toBe('The model needs at least 50 rows to train. Tiny has only 4 rows. Add data or select another table.');
      expect(((e as LatheError).details.errors as { code: string }[]).map((x) => x.code)).toEqual(['TOO_FEW_ROWS', 'OUTCOME_TOO_RARE', 'OUTCOME_TOO_RARE']);
    }
  });

  it('checks a draft from the shape alone, and the data rules when rows are given', () => {
    const table = makeTable({ x: { type: 'number', values: [1, 2, 3, 4] }, y: { type: 'category', values: ['a', 'b', 'a', 'b'] } }, 'Tiny');
    const shape = { tableId: 't1', name: 'Tiny', rowCount: 4, columns: [{ name: 'x', type: 'number' as const }, { name: 'y', type: 'category' as const }] };
    expect(predictionEngine.check({ tableId: 't1', target: 'y' }, shape)).toEqual({ errors: [], warnings: [] });
    expect(predictionEngine.check({ tableId: 't1', target: 'z' }, shape).errors[0].code).toBe('UNKNOWN_COLUMN');
    expect(predictionEngine.check({ tableId: 't1', target: 'y' }, shape, table).errors[0].code).toBe('TOO_FEW_ROWS');
  });
});
