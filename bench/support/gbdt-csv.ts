// Loads a shared benchmark CSV and encodes it for the gbdt speed benchmark, following the anchors'
// feature handling (numbers as numbers, YYYY-MM-DD dates as year/month/day/day-of-week, other
// strings as categories, identifier-like string columns dropped, empty cell = missing).
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import type { GbdtDataset, GbdtFeature } from '../../src/learners/gbdt/index.js';

export type TaskKind = 'binary' | 'multiclass' | 'regression';

export interface EncodedTable {
  train: GbdtDataset;
  test: GbdtDataset;
  /** Float64Array: 0/1, class index or number, per train / test row. */
  yTrain: Float64Array;
  yTest: Float64Array;
  kind: TaskKind;
  nClasses: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * target: the label column; positive: the positive class for binary tasks (multiclass labels
 * are numbered in sorted order; regression targets are numbers).
 */
export function loadTable(path: string, target: string, kind: TaskKind, positive?: string): EncodedTable {
  const parsed = Papa.parse<string[]>(readFileSync(path, 'utf8'), { skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  const splitCol = header.indexOf('split');
  const targetCol = header.indexOf(target);
  if (splitCol < 0 || targetCol < 0) throw new Error(`${path}: missing split or ${target} column`);
  const isTrain = rows.map((r) => r[splitCol] === 'train');
  const trainRows = rows.filter((_, i) => isTrain[i]);
  const testRows = rows.filter((_, i) => !isTrain[i]);
  const numericFeatures: { name: string; get: (r: string[]) => number }[] = [];
  const categoricalCols: number[] = [];
  header.forEach((name, c) => {
    if (c === splitCol || c === targetCol) return;
    const nonEmpty = rows.map((r) => r[c]).filter((v) => v !== '');
    if (nonEmpty.every((v) => v.trim() !== '' && Number.isFinite(Number(v)))) {
      numericFeatures.push({ name, get: (r) => (r[c] === '' ? NaN : Number(r[c])) });
    } else if (nonEmpty.length > 0 && nonEmpty.every((v) => DATE.test(v))) {
      const part = (r: string[], k: number): number => {
        if (r[c] === '') return NaN;
        const d = new Date(`${r[c]}T00:00:00Z`);
        return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCDay()][k];
      };
      ['year', 'month', 'day', 'dow'].forEach((s, k) => numericFeatures.push({ name: `${name}_${s}`, get: (r) => part(r, k) }));
    } else {
      const distinct = new Set(nonEmpty).size;
      // Identifier-like: more than 50 distinct values and more than half the rows distinct.
      if (distinct > 50 && distinct > rows.length / 2) return;
      categoricalCols.push(c);
    }
  });
  const encode = (part: string[][]): GbdtFeature[] => [
    ...numericFeatures.map((f): GbdtFeature => ({ name: f.name, kind: 'numeric', values: Float64Array.from(part, f.get) })),
    ...categoricalCols.map((c): GbdtFeature => {
      // Codes in sorted order of the train split's values; values unseen in train are missing.
      const levels = [...new Set(trainRows.map((r) => r[c]).filter((v) => v !== ''))].sort();
      const code = new Map(levels.map((v, i) => [v, i]));
      return { name: header[c], kind: 'categorical', values: Int32Array.from(part, (r) => code.get(r[c]) ?? -1), nCategories: levels.length };
    }),
  ];
  let nClasses = 2;
  let label: (v: string) => number;
  if (kind === 'binary') label = (v) => (v === positive ? 1 : 0);
  else if (kind === 'regression') label = Number;
  else {
    const classes = [...new Set(trainRows.map((r) => r[targetCol]))].sort();
    nClasses = classes.length;
    const idx = new Map(classes.map((v, i) => [v, i]));
    label = (v) => idx.get(v) ?? -1;
  }
  return {
    train: { nRows: trainRows.length, features: encode(trainRows) },
    test: { nRows: testRows.length, features: encode(testRows) },
    yTrain: Float64Array.from(trainRows, (r) => label(r[targetCol])),
    yTest: Float64Array.from(testRows, (r) => label(r[targetCol])),
    kind,
    nClasses,
  };
}
