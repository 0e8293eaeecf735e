// The held-out test split: deterministic, stratified by outcome (by value bins for numbers), recorded.
import { createHash } from 'node:crypto';
import type { TableData } from '../../tables/table-data.js';
import { LatheError } from '../../domain/errors.js';
import { rng, shuffle } from './random.js';

export const TEST_FRACTION = 0.2;
/** Large tables keep at most this many test rows: enough for tight metrics, more rows left to learn. */
export const MAX_TEST_ROWS = 50_000;

export interface Split {
  /** Positions (into the training rows) of the training part and of the test part, ascending. */
  train: Int32Array;
  test: Int32Array;
  record: {
    method: 'stratified' | 'column';
    seed: number;
    fraction: number;
    column?: string;
    testRows: number;
    /** sha256 of the test rows' table indexes (Int32, little-endian): equal digests = same test rows. */
    testDigest: string;
  };
}

/** Strata: the class index, or for numbers one of 10 quantile bins of the value. */
export function strata(y: Float64Array, classification: boolean): Int32Array {
  if (classification) return Int32Array.from(y);
  const order = Int32Array.from(y.keys()).sort((a, b) => y[a] - y[b] || a - b);
  const out = new Int32Array(y.length);
  order.forEach((row, rank) => (out[row] = Math.floor((10 * rank) / y.length)));
  return out;
}

/**
 * Splits positions 0..n-1 in two, per stratum: each stratum is shuffled with the seed and its first
 * round(size * fraction) positions form the held-out part.
 */
export function stratifiedSplit(groups: Int32Array, fraction: number, seed: number): { keep: Int32Array; held: Int32Array } {
  const byGroup = new Map<number, number[]>();
  groups.forEach((g, i) => {
    let list = byGroup.get(g);
    if (!list) byGroup.set(g, (list = []));
    list.push(i);
  });
  const next = rng(seed);
  const held: number[] = [];
  for (const g of [...byGroup.keys()].sort((a, b) => a - b)) {
    const list = byGroup.get(g)!;
    shuffle(list, next);
    held.push(...list.slice(0, Math.round(list.length * fraction)));
  }
  const isHeld = new Uint8Array(groups.length);
  for (const i of held) isHeld[i] = 1;
  const keep: number[] = [];
  const heldSorted: number[] = [];
  for (let i = 0; i < groups.length; i++) (isHeld[i] ? heldSorted : keep).push(i);
  return { keep: Int32Array.from(keep), held: Int32Array.from(heldSorted) };
}

export function digestRows(tableRows: Int32Array): string {
  const bytes = new Uint8Array(tableRows.buffer.slice(tableRows.byteOffset, tableRows.byteOffset + tableRows.byteLength));
  return createHash('sha256').update(bytes).digest('hex');
}

/** The test split of the training rows (table indexes `rows`, outcomes `y`). */
export function makeSplit(
  table: TableData,
  rows: Int32Array,
  y: Float64Array,
  classification: boolean,
  seed: number,
  splitColumn?: string,
): Split {
  let train: Int32Array;
  let test: Int32Array;
  let record: Omit<Split['record'], 'testRows' | 'testDigest'>;
  if (splitColumn !== undefined) {
    const col = table.columns.find((c) => c.name === splitColumn);
    if (!col) throw new LatheError('INVALID_CONFIGURATION', `The split column "${splitColumn}" does not exist.`, { column: splitColumn });
    const tr: number[] = [];
    const te: number[] = [];
    rows.forEach((r, i) => {
      const v = col.values[r];
      const s = typeof v === 'string' ? v.trim().toLowerCase() : v === null || Number.isNaN(v) ? '' : String(v);
      (s === 'test' ? te : tr).push(i);
    });
    if (te.length === 0 || tr.length === 0) {
      throw new LatheError(
        'INVALID_CONFIGURATION',
        `The split column "${splitColumn}" must mark some training rows "test" and others "train"; it marks ${te.length} test and ${tr.length} other rows.`,
        { column: splitColumn },
      );
    }
    train = Int32Array.from(tr);
    test = Int32Array.from(te);
    record = { method: 'column', seed, fraction: te.length / rows.length, column: splitColumn };
  } else {
    const fraction = Math.min(TEST_FRACTION, MAX_TEST_ROWS / rows.length);
    const s = stratifiedSplit(strata(y, classification), fraction, seed);
    train = s.keep;
    test = s.held;
    record = { method: 'stratified', seed, fraction };
  }
  const testTableRows = Int32Array.from(test, (i) => rows[i]);
  return { train, test, record: { ...record, testRows: test.length, testDigest: digestRows(testTableRows) } };
}
