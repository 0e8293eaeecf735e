// The column encoding of a prediction model: learned on the training part, shipped in the artifact,
// and applied identically to table rows (training, evaluation) and to raw user input (predictions).
import type { CellInput, ColumnData, ColumnType, RowInput, TableData } from '../../tables/table-data.js';
import type { GbdtDataset, GbdtFeature } from '../../learners/gbdt/index.js';
import { LatheError } from '../../domain/errors.js';
import { gather } from './dataset.js';
import { learnVocabulary, tokenize } from './text-features.js';

/** How one original column becomes learner features. */
export type ColumnEncoding =
  /** One numeric feature; booleans are 1 / 0. */
  | { column: string; as: 'number'; source: 'number' | 'boolean' }
  /** One categorical feature: code i = categories[i]; pooled rare values get code categories.length when `other`. */
  | { column: string; as: 'category'; categories: string[]; other: boolean }
  /** year, month (1-12), day (1-31), weekday (0 = Sunday), and hour when any value has a time of day; UTC. */
  | { column: string; as: 'date'; hour: boolean }
  /** length in characters, number of words, then one 0/1 indicator per vocabulary word. */
  | { column: string; as: 'text'; vocabulary: string[] }
  /**
   * An identifier-like code (a ticket or booking reference): its values are too many to learn one by
   * one, so three generic parts stand in for them: how many other training rows hold the same value
   * (a ticket shared by a family; `shared` lists the values held by 2 or more training rows, with
   * their counts), the code's leading letters as a category ("PC 17599" -> "PC"; "" when it starts
   * otherwise; pooled like categories) and its number of space-separated parts.
   */
  | { column: string; as: 'code'; shared: [string, number][]; prefixes: string[]; otherPrefix: boolean };

export interface Encoding {
  version: 1;
  columns: ColumnEncoding[];
}

/** Categories seen in fewer training rows than this (fewer on small tables) are pooled into "other". */
export const MIN_CATEGORY_ROWS = 5;
/** At most this many categories keep their own code (the rest are pooled); fits the learner's 255 bins. */
export const MAX_CATEGORIES = 250;

export type ColumnRole = ColumnEncoding['as'];

/** Learns each column's encoding from the training-part rows only (no test row influences it). */
export function fitEncoding(
  table: TableData,
  rows: Int32Array,
  plan: { column: string; role: ColumnRole }[],
  /** The outcome of each of `rows` (class index, or the number with nClasses 1): picks text words. */
  outcome?: { y: Float64Array; nClasses: number },
): Encoding {
  const columns: ColumnEncoding[] = plan.map(({ column, role }) => {
    const col = table.columns.find((c) => c.name === column)!;
    if (role === 'number') return { column, as: 'number', source: col.type === 'boolean' ? 'boolean' : 'number' };
    if (role === 'date') {
      const v = col.values as Float64Array;
      let hour = false;
      for (const r of rows) if (!Number.isNaN(v[r]) && v[r] % 86_400_000 !== 0) hour = true;
      return { column, as: 'date', hour };
    }
    const values = stringValues(col);
    if (role === 'text') {
      const texts = Array.from(rows, (r) => values[r]);
      return { column, as: 'text', vocabulary: learnVocabulary(texts, undefined, outcome) };
    }
    if (role === 'code') {
      // Values held by one training row are not kept, so a new row with one reads 0, like an unseen
      // value (not 1): keeping them measured worse on the small-data protocol (titanic, 120 paired
      // draws: log loss +0.0011 ± 0.0003, accuracy -0.0004 ± 0.0004), and it keeps artifacts small.
      const shared = countValues(values, rows).filter(([, c]) => c >= 2).slice(0, MAX_SHARED_VALUES);
      const { categories, other } = chooseCategories(Array.from(rows, (r) => (values[r] === null ? null : prefixOf(values[r]!))), rows.length);
      return { column, as: 'code', shared, prefixes: categories, otherPrefix: other };
    }
    const { categories, other } = chooseCategories(Array.from(rows, (r) => values[r]), rows.length);
    return { column, as: 'category', categories, other };
  });
  return { version: 1, columns };
}

/** Values of a code that share their value with another training row, at most this many (most shared first). */
export const MAX_SHARED_VALUES = 10_000;

/** Distinct non-missing values with their counts, most frequent first, ties by value. */
function countValues(values: (string | null)[], rows: Int32Array | number[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of rows) {
    const s = values[r];
    if (s !== null) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** The categories that keep their own code, and whether rarer values are pooled into "other". */
function chooseCategories(values: (string | null)[], nRows: number): { categories: string[]; other: boolean } {
  const sorted = countValues(values, Array.from(values.keys()));
  // Small tables keep values seen a few times; when every value is rare the column still tells
  // "filled" (the pooled value) from "empty".
  const minRows = Math.min(MIN_CATEGORY_ROWS, Math.max(2, Math.ceil(nRows / 100)));
  const chosen = sorted.filter(([, c]) => c >= minRows).slice(0, MAX_CATEGORIES);
  return { categories: chosen.map(([s]) => s), other: chosen.length < sorted.length };
}

/** A code's leading letters, upper-cased ("PC 17599" -> "PC", "C85" -> "C"); "" when it does not start with a letter. */
export function prefixOf(code: string): string {
  return (/^\p{L}+/u.exec(code.trim())?.[0] ?? '').toUpperCase();
}

/** Space-separated parts of a code ("A/5 21171" -> 2). */
export function partsCount(code: string): number {
  const t = code.trim();
  return t === '' ? 0 : t.split(/\s+/).length;
}

/** A category/text column's strings; other column types give their text form. */
function stringValues(col: ColumnData): (string | null)[] {
  if (col.type === 'category' || col.type === 'text') return col.values;
  return Array.from(col.values as Float64Array, (v) => (Number.isNaN(v) ? null : col.type === 'boolean' ? (v ? 'true' : 'false') : String(v)));
}

export interface FeatureLayout {
  names: string[];
  kinds: ('numeric' | 'categorical')[];
  /** Int32Array of length nFeatures: index into encoding.columns of the column each feature comes from. */
  column: Int32Array;
}

export function featureLayout(enc: Encoding): FeatureLayout {
  const names: string[] = [];
  const kinds: ('numeric' | 'categorical')[] = [];
  const column: number[] = [];
  enc.columns.forEach((c, i) => {
    const add = (name: string, kind: 'numeric' | 'categorical'): void => {
      names.push(name);
      kinds.push(kind);
      column.push(i);
    };
    if (c.as === 'number') add(c.column, 'numeric');
    else if (c.as === 'category') add(c.column, 'categorical');
    else if (c.as === 'code') {
      add(`${c.column} (other rows with the value)`, 'numeric');
      add(`${c.column} (leading letters)`, 'categorical');
      add(`${c.column} (parts)`, 'numeric');
    } else if (c.as === 'date') {
      for (const p of ['year', 'month', 'day', 'weekday']) add(`${c.column} (${p})`, 'numeric');
      if (c.hour) add(`${c.column} (hour)`, 'numeric');
    } else {
      add(`${c.column} (length)`, 'numeric');
      add(`${c.column} (words)`, 'numeric');
      for (const w of c.vocabulary) add(`${c.column} contains "${w}"`, 'numeric');
    }
  });
  return { names, kinds, column: Int32Array.from(column) };
}

/** Number of learner features one column encoding produces. */
function width(c: ColumnEncoding): number {
  if (c.as === 'date') return c.hour ? 5 : 4;
  if (c.as === 'text') return 2 + c.vocabulary.length;
  if (c.as === 'code') return 3;
  return 1;
}

function categoryFeature(name: string, categories: string[], other: boolean, n: number, stringAt: (i: number) => string | null): GbdtFeature {
  const index = new Map(categories.map((s, i) => [s, i]));
  const codes = new Int32Array(n);
  const otherCode = other ? categories.length : -1;
  for (let i = 0; i < n; i++) {
    const s = stringAt(i);
    // Missing stays missing; a value never seen in training joins the pooled "other" values when
    // there are some (they are equally unknown to the model), otherwise it is treated as missing.
    codes[i] = s === null ? -1 : (index.get(s) ?? otherCode);
  }
  return { name, kind: 'categorical', values: codes, nCategories: categories.length + (other ? 1 : 0) };
}

/**
 * Writes the features of one column for n rows; numberAt / stringAt return the raw cell of row i.
 * `training`: the rows are the model's training rows (a code's shared-value count leaves the row out).
 */
function encodeColumn(
  c: ColumnEncoding,
  n: number,
  numberAt: (i: number) => number,
  stringAt: (i: number) => string | null,
  training = false,
): GbdtFeature[] {
  if (c.as === 'number') {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = numberAt(i);
    return [{ name: c.column, kind: 'numeric', values: v }];
  }
  if (c.as === 'category') return [categoryFeature(c.column, c.categories, c.other, n, stringAt)];
  if (c.as === 'code') {
    const shared = new Map(c.shared);
    const count = new Float64Array(n);
    const parts = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const s = stringAt(i);
      if (s === null) {
        count[i] = NaN;
        parts[i] = NaN;
        continue;
      }
      // Other training rows with this value: a training row does not count itself, so a training
      // row and a new row of the same family read the same number.
      count[i] = (shared.get(s) ?? (training ? 1 : 0)) - (training ? 1 : 0);
      parts[i] = partsCount(s);
    }
    const prefix = categoryFeature(`${c.column} (leading letters)`, c.prefixes, c.otherPrefix, n, (i) => {
      const s = stringAt(i);
      return s === null ? null : prefixOf(s);
    });
    return [{ name: `${c.column} (other rows with the value)`, kind: 'numeric', values: count }, prefix, { name: `${c.column} (parts)`, kind: 'numeric', values: parts }];
  }
  if (c.as === 'date') {
    const parts = Array.from({ length: width(c) }, () => new Float64Array(n));
    for (let i = 0; i < n; i++) {
      const t = numberAt(i);
      if (Number.isNaN(t)) {
        for (const p of parts) p[i] = NaN;
        continue;
      }
      const d = new Date(t);
      parts[0][i] = d.getUTCFullYear();
      parts[1][i] = d.getUTCMonth() + 1;
      parts[2][i] = d.getUTCDate();
      parts[3][i] = d.getUTCDay();
      if (c.hour) parts[4][i] = d.getUTCHours() + d.getUTCMinutes() / 60;
    }
    const names = ['year', 'month', 'day', 'weekday', 'hour'];
    return parts.map((values, k) => ({ name: `${c.column} (${names[k]})`, kind: 'numeric', values }));
  }
  const w = width(c);
  const parts = Array.from({ length: w }, () => new Float64Array(n));
  const index = new Map(c.vocabulary.map((t, k) => [t, k]));
  for (let i = 0; i < n; i++) {
    const s = stringAt(i);
    if (s === null) {
      for (const p of parts) p[i] = NaN;
      continue;
    }
    const tokens = tokenize(s);
    parts[0][i] = s.length;
    parts[1][i] = tokens.length;
    for (const t of tokens) {
      const k = index.get(t);
      if (k !== undefined) parts[2 + k][i] = 1;
    }
  }
  const layoutNames = ['length', 'words'];
  return parts.map((values, k) => ({
    name: k < 2 ? `${c.column} (${layoutNames[k]})` : `${c.column} contains "${c.vocabulary[k - 2]}"`,
    kind: 'numeric',
    values,
  }));
}

/**
 * Encodes the given table rows (table row indexes) into the learner's dataset. `training`: these are
 * the rows the encoding was fitted on (see the code columns' shared-value count).
 */
export function encodeTable(enc: Encoding, table: TableData, rows: Int32Array, training = false): GbdtDataset {
  const n = rows.length;
  const features: GbdtFeature[] = [];
  for (const c of enc.columns) {
    const col = table.columns.find((x) => x.name === c.column);
    if (!col) throw new LatheError('INVALID_DATA', `The table has no column "${c.column}", which the model uses.`, { column: c.column });
    if (c.as === 'number' && col.values instanceof Float64Array) {
      // The common case, on its own typed loop (a million rows in milliseconds).
      features.push({ name: c.column, kind: 'numeric', values: gather(col.values, rows, new Float64Array(n)) });
      continue;
    }
    const values = col.values;
    const numberAt = (i: number): number => {
      const v = values[rows[i]];
      return typeof v === 'number' ? v : v === null ? NaN : Number(v);
    };
    // Number, boolean and date columns read as strings (a category) only when the encoding asks.
    let strings: (string | null)[] | null = null;
    const stringAt = (i: number): string | null => {
      strings ??= stringValues(col);
      return strings[rows[i]];
    };
    features.push(...encodeColumn(c, n, numberAt, stringAt, training));
  }
  return { nRows: n, features };
}

/** The quick-test field type of an encoded column. */
export function inputType(c: ColumnEncoding): ColumnType {
  if (c.as === 'number') return c.source;
  // A code is typed freely, like text: its values are not a short list of choices.
  if (c.as === 'code') return 'text';
  return c.as;
}

function invalid(field: string, expected: string, got: CellInput): LatheError {
  return new LatheError('INVALID_INPUT', `The field "${field}" must be ${expected}; got ${JSON.stringify(got)}.`, { field });
}

function isEmpty(v: CellInput): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

/** Converts one raw user cell to the number the encoding expects (NaN = missing), or throws INVALID_INPUT. */
function inputNumber(c: ColumnEncoding, v: CellInput): number {
  if (isEmpty(v)) return NaN;
  if (c.as === 'date') {
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string') {
      const t = Date.parse(v.trim());
      if (!Number.isNaN(t)) return t;
    }
    throw invalid(c.column, 'a date (for example 2024-01-31)', v);
  }
  if (c.as === 'number' && c.source === 'boolean') {
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'number' && (v === 0 || v === 1)) return v;
    if (typeof v === 'string') {
      const l = v.trim().toLowerCase();
      if (['true', 'yes', '1'].includes(l)) return 1;
      if (['false', 'no', '0'].includes(l)) return 0;
    }
    throw invalid(c.column, 'true or false', v);
  }
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return NaN;
    if (Number.isFinite(v)) return v;
  }
  if (typeof v === 'string') {
    const x = Number(v.trim());
    if (Number.isFinite(x)) return x;
  }
  throw invalid(c.column, 'a number', v);
}

function inputString(v: CellInput): string | null {
  if (isEmpty(v)) return null;
  return typeof v === 'string' ? v : String(v);
}

/** Encodes raw user rows (quick test, predict API). Missing fields are missing values, never zero. */
export function encodeInputs(enc: Encoding, inputs: RowInput[]): GbdtDataset {
  const n = inputs.length;
  const features: GbdtFeature[] = [];
  for (const c of enc.columns) {
    const nums = c.as === 'number' || c.as === 'date' ? Float64Array.from(inputs, (row) => inputNumber(c, row[c.column])) : null;
    const strs = nums ? null : inputs.map((row) => inputString(row[c.column]));
    features.push(...encodeColumn(c, n, (i) => nums![i], (i) => strs![i]));
  }
  return { nRows: n, features };
}
