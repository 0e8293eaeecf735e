// The column encoding of a prediction model: learned on the training part, shipped in the artifact,
// and applied identically to table rows (training, evaluation) and to raw user input (predictions).
import type { CellInput, ColumnData, ColumnType, RowInput, TableData } from '../../tables/table-data.js';
import type { GbdtDataset, GbdtFeature } from '../../learners/gbdt/index.js';
import { LatheError } from '../../domain/errors.js';
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
  | { column: string; as: 'text'; vocabulary: string[] };

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
    const counts = new Map<string, number>();
    for (const r of rows) {
      const s = values[r];
      if (s !== null) counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    // Small tables keep values seen a few times; when every value is rare the column still tells
    // "filled" (the pooled value) from "empty".
    const minRows = Math.min(MIN_CATEGORY_ROWS, Math.max(2, Math.ceil(rows.length / 100)));
    const chosen = sorted.filter(([, c]) => c >= minRows).slice(0, MAX_CATEGORIES);
    return { column, as: 'category', categories: chosen.map(([s]) => s), other: chosen.length < sorted.length };
  });
  return { version: 1, columns };
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
    else if (c.as === 'date') {
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
  return 1;
}

/** Writes the features of one column for n rows; get(i) returns the raw cell of row i in its table form. */
function encodeColumn(
  c: ColumnEncoding,
  n: number,
  numberAt: (i: number) => number,
  stringAt: (i: number) => string | null,
): GbdtFeature[] {
  if (c.as === 'number') {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = numberAt(i);
    return [{ name: c.column, kind: 'numeric', values: v }];
  }
  if (c.as === 'category') {
    const index = new Map(c.categories.map((s, i) => [s, i]));
    const codes = new Int32Array(n);
    const otherCode = c.other ? c.categories.length : -1;
    for (let i = 0; i < n; i++) {
      const s = stringAt(i);
      // Missing stays missing; a value never seen in training joins the pooled "other" values when
      // there are some (they are equally unknown to the model), otherwise it is treated as missing.
      codes[i] = s === null ? -1 : (index.get(s) ?? otherCode);
    }
    return [{ name: c.column, kind: 'categorical', values: codes, nCategories: c.categories.length + (c.other ? 1 : 0) }];
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

/** Encodes the given table rows (table row indexes) into the learner's dataset. */
export function encodeTable(enc: Encoding, table: TableData, rows: Int32Array): GbdtDataset {
  const n = rows.length;
  const features: GbdtFeature[] = [];
  for (const c of enc.columns) {
    const col = table.columns.find((x) => x.name === c.column);
    if (!col) throw new LatheError('INVALID_DATA', `The table has no column "${c.column}", which the model uses.`, { column: c.column });
    const values = col.values;
    const numberAt = (i: number): number => {
      const v = values[rows[i]];
      return typeof v === 'number' ? v : v === null ? NaN : Number(v);
    };
    const strings = col.type === 'category' || col.type === 'text' ? null : stringValues(col);
    const stringAt = (i: number): string | null => (strings ? strings[rows[i]] : (values[rows[i]] as string | null));
    features.push(...encodeColumn(c, n, numberAt, stringAt));
  }
  return { nRows: n, features };
}

/** The quick-test field type of an encoded column. */
export function inputType(c: ColumnEncoding): ColumnType {
  if (c.as === 'number') return c.source;
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
