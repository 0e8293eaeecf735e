// The data rules of prediction.md: which rows train, which columns are usable, every error and warning.
import type { ColumnData, TableData } from '../../tables/table-data.js';
import type { CheckReport, Message, TableShape } from '../seam.js';
import { predictionConfigurationSchema, type PredictionConfiguration } from './configuration.js';
import { applyFilter, filterProblems } from './filter.js';
import { resolveTarget, type TargetInfo } from './target.js';
import { partsCount, prefixOf, type ColumnRole } from './encoding.js';
import { meanWordCount, tokenize } from './text-features.js';
import { sortFloat64 } from '../../learners/sort-numbers.js';

export const MIN_TRAINING_ROWS = 50;
export const RECOMMENDED_ROWS = 1000;
export const MIN_OUTCOME_ROWS = 10;
/** A column with at least this share of missing values gets a warning... */
export const MISSING_WARN_RATIO = 0.5;
/** ...and is dropped from this share on: it carries almost nothing. */
export const MISSING_DROP_RATIO = 0.95;
/** Single-column predictive power (cross-fitted) from which a column is "too good to be true". */
export const LEAKAGE_THRESHOLD = 0.95;
/** A string column is identifier-like with more than this many distinct values... */
export const IDENTIFIER_MIN_DISTINCT = 50;
/** ...on more than this share of the training rows (the anchors' rule). */
export const IDENTIFIER_DISTINCT_RATIO = 0.5;
/**
 * An outcome with fewer rows than this fraction of the most common outcome's makes the classes
 * strongly imbalanced (1 to 20; relative, so 26 equally common letters are not "rare").
 */
export const IMBALANCE_RATIO = 0.05;
/** Pairwise near-duplicate checks look at this many evenly spaced training rows at most. */
export const DUPLICATE_SAMPLE_ROWS = 20_000;
/** Two columns agreeing on this share of rows (one-to-one), or correlated this much, are near-duplicates. */
export const DUPLICATE_AGREEMENT = 0.995;

export interface ColumnPlan {
  column: string;
  role: ColumnRole;
}

export interface Preparation extends CheckReport {
  target?: TargetInfo;
  /** The usable input columns, in table order, with how each is encoded. */
  plan: ColumnPlan[];
  /** Columns left out by the checks, with the warning code that says why. */
  excluded: { column: string; code: string }[];
  rows: { total: number; matched: number; training: number };
}

const fmtPct = (x: number): string => `${(100 * x).toFixed(x < 0.1 ? 1 : 0)}%`;

/** Shape-level problems of a (possibly partial) configuration: no rows needed. */
export function checkShape(configuration: unknown, shape: TableShape): { config?: PredictionConfiguration; errors: Message[] } {
  const errors: Message[] = [];
  const partial = predictionConfigurationSchema.partial().safeParse(configuration ?? {});
  if (!partial.success) {
    for (const issue of partial.error.issues) {
      const path = issue.path.join('.');
      errors.push({ code: 'INVALID_FIELD', message: `The setting "${path || 'configuration'}" is not valid: ${issue.message}.`, details: { path } });
    }
    return { errors };
  }
  const c = partial.data;
  const names = new Set(shape.columns.map((x) => x.name));
  if (!c.target) {
    errors.push({ code: 'TARGET_REQUIRED', message: 'Choose the column to predict (the outcome).' });
  } else if (!names.has(c.target)) {
    errors.push({ code: 'UNKNOWN_COLUMN', column: c.target, message: `The outcome column "${c.target}" does not exist in ${shape.name}. Choose one of its columns.` });
  }
  for (const f of c.features ?? []) {
    if (!names.has(f)) errors.push({ code: 'UNKNOWN_COLUMN', column: f, message: `The input column "${f}" does not exist in ${shape.name}. Remove it from the input columns.` });
    else if (f === c.target) errors.push({ code: 'TARGET_AS_INPUT', column: f, message: `"${f}" is the outcome, so it cannot also be an input column. Remove it from the input columns.` });
    else if (f === c.splitColumn) errors.push({ code: 'SPLIT_AS_INPUT', column: f, message: `"${f}" fixes the test split, so it cannot also be an input column. Remove it from the input columns.` });
  }
  if (c.features && c.features.length === 0) errors.push({ code: 'NO_INPUT_COLUMNS', message: 'Choose at least one input column, or leave the input columns empty to use every usable column.' });
  for (const f of c.forceInclude ?? []) {
    if (!names.has(f)) errors.push({ code: 'UNKNOWN_COLUMN', column: f, message: `The column "${f}" to force back in does not exist in ${shape.name}.` });
  }
  if (c.splitColumn !== undefined) {
    if (!names.has(c.splitColumn)) errors.push({ code: 'UNKNOWN_COLUMN', column: c.splitColumn, message: `The split column "${c.splitColumn}" does not exist in ${shape.name}.` });
    else if (c.splitColumn === c.target) errors.push({ code: 'SPLIT_IS_TARGET', column: c.splitColumn, message: 'The split column cannot be the outcome column.' });
  }
  if (c.filter) for (const p of filterProblems(c.filter, shape.columns)) errors.push({ code: 'INVALID_FILTER', message: p });
  if (c.tableId !== undefined && c.tableId !== shape.tableId) {
    errors.push({ code: 'TABLE_MISMATCH', message: `The configuration names the table ${c.tableId}, but the data given is ${shape.name} (${shape.tableId}).` });
  }
  if (!c.tableId) errors.push({ code: 'TABLE_REQUIRED', message: 'Choose the table to learn from.' });
  if (errors.length > 0) return { errors };
  const full = predictionConfigurationSchema.safeParse(configuration);
  return full.success ? { config: full.data, errors } : { errors };
}

interface ColumnStats {
  missing: number;
  distinct: number;
  /** Discrete codes of the training rows (-1 missing) for association and duplicate checks. */
  codes: Int32Array;
  nCodes: number;
  integers: boolean;
}

/** Codes of the training rows: strings by value; numbers by value when few, else by 32 quantile bins. */
function profile(col: ColumnData, rows: Int32Array): ColumnStats {
  const n = rows.length;
  const codes = new Int32Array(n);
  let missing = 0;
  if (col.type === 'category' || col.type === 'text') {
    const index = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const s = col.values[rows[i]];
      if (s === null) {
        codes[i] = -1;
        missing++;
        continue;
      }
      let k = index.get(s);
      if (k === undefined) index.set(s, (k = index.size));
      codes[i] = k;
    }
    return { missing, distinct: index.size, codes, nCodes: index.size, integers: false };
  }
  const v = col.values as Float64Array;
  const present = new Float64Array(n);
  let m = 0;
  let integers = true;
  for (let i = 0; i < n; i++) {
    const x = v[rows[i]];
    if (Number.isNaN(x)) missing++;
    else {
      present[m++] = x;
      if (!Number.isInteger(x)) integers = false;
    }
  }
  const sorted = sortFloat64(present.subarray(0, m));
  let distinct = 0;
  const uniques: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && sorted[i] === sorted[i - 1]) continue;
    distinct++;
    if (uniques.length <= 64) uniques.push(sorted[i]);
  }
  let edges: number[];
  if (distinct <= 64) edges = uniques;
  else {
    // Upper edges of 32 quantile bins: a value goes to the first edge >= it.
    const set = new Set<number>();
    for (let q = 1; q <= 32; q++) set.add(sorted[Math.min(sorted.length - 1, Math.ceil((q / 32) * sorted.length) - 1)]);
    edges = [...set].sort((a, b) => a - b);
  }
  for (let i = 0; i < n; i++) {
    const x = v[rows[i]];
    if (Number.isNaN(x)) {
      codes[i] = -1;
      continue;
    }
    let lo = 0;
    let hi = edges.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (edges[mid] >= x) hi = mid;
      else lo = mid + 1;
    }
    codes[i] = lo;
  }
  return { missing, distinct, codes, nCodes: edges.length, integers };
}

/**
 * How well the column alone predicts the outcome, cross-fitted on two halves (so a column with a
 * value per row cannot score by memorizing): classification = accuracy gain over always answering
 * the majority outcome, scaled to [0, 1]; numerical = R² of the per-value means. Missing is a value.
 */
export function association(codes: Int32Array, nCodes: number, y: Float64Array, target: TargetInfo): number {
  const n = y.length;
  const width = nCodes + 1;
  const pred = new Float64Array(n);
  if (target.kind === 'numerical') {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += y[i];
    mean /= n;
    for (let fold = 0; fold < 2; fold++) {
      const sum = new Float64Array(width);
      const cnt = new Float64Array(width);
      for (let i = 0; i < n; i++) if (halfOf(i) !== fold) { sum[codes[i] + 1] += y[i]; cnt[codes[i] + 1]++; }
      for (let i = 0; i < n; i++) if (halfOf(i) === fold) pred[i] = cnt[codes[i] + 1] > 0 ? sum[codes[i] + 1] / cnt[codes[i] + 1] : mean;
    }
    let sse = 0;
    let sst = 0;
    for (let i = 0; i < n; i++) {
      sse += (y[i] - pred[i]) ** 2;
      sst += (y[i] - mean) ** 2;
    }
    return sst > 0 ? Math.max(0, 1 - sse / sst) : 0;
  }
  const k = target.outcomes.length;
  const overall = new Float64Array(k);
  for (let i = 0; i < n; i++) overall[y[i]]++;
  let majority = 0;
  for (let c = 1; c < k; c++) if (overall[c] > overall[majority]) majority = c;
  let correct = 0;
  for (let fold = 0; fold < 2; fold++) {
    const table = new Float64Array(width * k);
    for (let i = 0; i < n; i++) if (halfOf(i) !== fold) table[(codes[i] + 1) * k + y[i]]++;
    for (let i = 0; i < n; i++) {
      if (halfOf(i) !== fold) continue;
      const base = (codes[i] + 1) * k;
      let best = majority;
      let bestCount = 0;
      for (let c = 0; c < k; c++) if (table[base + c] > bestCount) { bestCount = table[base + c]; best = c; }
      if (best === y[i]) correct++;
    }
  }
  const acc = correct / n;
  const base = overall[majority] / n;
  return base >= 1 ? 0 : Math.max(0, (acc - base) / (1 - base));
}

/** The half (0 or 1) of row i for association's cross-fitting: a multiplicative hash of the row, not its parity (row order can alternate outcomes). */
function halfOf(i: number): number {
  return Math.imul(i + 1, 2654435761) >>> 31;
}

/** True when a and b determine each other on at least DUPLICATE_AGREEMENT of the rows. */
function oneToOne(a: ColumnStats, b: ColumnStats): boolean {
  const n = a.codes.length;
  const agreeOneWay = (x: ColumnStats, y: ColumnStats): boolean => {
    const counts = new Map<number, Map<number, number>>();
    for (let i = 0; i < n; i++) {
      let m = counts.get(x.codes[i]);
      if (!m) counts.set(x.codes[i], (m = new Map()));
      m.set(y.codes[i], (m.get(y.codes[i]) ?? 0) + 1);
    }
    let agree = 0;
    for (const m of counts.values()) agree += Math.max(...m.values());
    return agree >= DUPLICATE_AGREEMENT * n;
  };
  return agreeOneWay(a, b) && agreeOneWay(b, a);
}

function pearson(a: Float64Array, b: Float64Array, rows: Int32Array): number {
  let n = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (const r of rows) {
    const x = a[r];
    const y = b[r];
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    n++; sa += x; sb += y; saa += x * x; sbb += y * y; sab += x * y;
  }
  if (n < 3) return 0;
  const cov = sab - (sa * sb) / n;
  const va = saa - (sa * sa) / n;
  const vb = sbb - (sb * sb) / n;
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
}

/** Runs every data rule on the table for a full configuration. Never throws for bad data: reports it. */
export function prepare(table: TableData, config: PredictionConfiguration): Preparation {
  const errors: Message[] = [];
  const warnings: Message[] = [];
  const plan: ColumnPlan[] = [];
  const excluded: { column: string; code: string }[] = [];
  const matched = applyFilter(table, config.filter);
  const targetCol = table.columns.find((c) => c.name === config.target);
  const rows = { total: table.rowCount, matched: matched.length, training: 0 };
  if (!targetCol) {
    errors.push({ code: 'UNKNOWN_COLUMN', column: config.target, message: `The outcome column "${config.target}" does not exist in ${table.name}. Choose one of its columns.` });
    return { errors, warnings, plan, excluded, rows };
  }
  const resolved = resolveTarget(targetCol, matched, { kind: config.kind, positive: config.positive });
  errors.push(...resolved.errors);
  const target = resolved.target;
  const trainingRows = target?.rows ?? new Int32Array(0);
  rows.training = target ? trainingRows.length : countNonEmpty(targetCol, matched);
  if (rows.training < MIN_TRAINING_ROWS) {
    errors.unshift({
      code: 'TOO_FEW_ROWS',
      message: `The model needs at least ${MIN_TRAINING_ROWS} rows to train. ${table.name} has only ${rows.training} rows. Add data or select another table.`,
      details: { rows: rows.training, minimum: MIN_TRAINING_ROWS },
    });
  } else if (rows.training < RECOMMENDED_ROWS) {
    warnings.push({
      code: 'FEW_ROWS',
      message: `The model has ${rows.training} rows to learn from; ${RECOMMENDED_ROWS.toLocaleString('en-US')} or more are recommended for a reliable model. Add rows when you can.`,
      details: { rows: rows.training, recommended: RECOMMENDED_ROWS },
    });
  }
  if (!target) return { errors, warnings, plan, excluded, rows };
  const n = trainingRows.length;

  if (target.kind !== 'numerical') {
    const counts = new Float64Array(target.outcomes.length);
    for (const c of target.y) counts[c]++;
    target.outcomes.forEach((o, c) => {
      if (counts[c] < MIN_OUTCOME_ROWS) {
        errors.push({
          code: 'OUTCOME_TOO_RARE',
          column: config.target,
          message: `The outcome "${o}" has only ${counts[c]} training row${counts[c] === 1 ? '' : 's'}; every outcome needs at least ${MIN_OUTCOME_ROWS}. Add rows with this outcome, or leave them out with the filter.`,
          details: { outcome: o, rows: counts[c], minimum: MIN_OUTCOME_ROWS },
        });
      }
    });
    let min = 0;
    let max = 0;
    for (let c = 1; c < counts.length; c++) {
      if (counts[c] < counts[min]) min = c;
      if (counts[c] > counts[max]) max = c;
    }
    const ratio = counts[min] / counts[max];
    if (ratio < IMBALANCE_RATIO && counts[min] >= MIN_OUTCOME_ROWS) {
      warnings.push({
        code: 'CLASS_IMBALANCE',
        column: config.target,
        message: `The outcome "${target.outcomes[min]}" is rare: ${counts[min]} training rows (${fmtPct(counts[min] / n)}), fewer than 1 for 20 of "${target.outcomes[max]}" (${counts[max]}). Accuracy can look high while this outcome is missed: check its recall, and add rows with this outcome if you can.`,
        details: { outcome: target.outcomes[min], rows: counts[min], mostCommon: target.outcomes[max], ratio, threshold: IMBALANCE_RATIO },
      });
    }
  }

  const force = new Set(config.forceInclude ?? []);
  const candidates = (config.features ?? table.columns.map((c) => c.name)).filter((c) => c !== config.target && c !== config.splitColumn);
  const kept: { col: ColumnData; stats: ColumnStats; role: ColumnRole }[] = [];
  for (const name of table.columns.map((c) => c.name)) {
    if (!candidates.includes(name)) continue;
    const col = table.columns.find((c) => c.name === name)!;
    const stats = profile(col, trainingRows);
    const missingRatio = n > 0 ? stats.missing / n : 0;
    if (stats.distinct <= 1) {
      warnings.push({
        code: 'COLUMN_SINGLE_VALUE',
        column: name,
        message: stats.distinct === 0
          ? `"${name}" is empty in every training row, so it was left out.`
          : `"${name}" has the same value in every training row, so it cannot help and was left out.`,
      });
      excluded.push({ column: name, code: 'COLUMN_SINGLE_VALUE' });
      continue;
    }
    if (missingRatio >= MISSING_DROP_RATIO && !force.has(name)) {
      warnings.push({
        code: 'COLUMN_MOSTLY_MISSING',
        column: name,
        message: `"${name}" is empty in ${fmtPct(missingRatio)} of the training rows (${MISSING_DROP_RATIO * 100}% or more), so it was left out. Fill it in, or force it back in.`,
        details: { ratio: missingRatio, threshold: MISSING_DROP_RATIO },
      });
      excluded.push({ column: name, code: 'COLUMN_MOSTLY_MISSING' });
      continue;
    }
    if (missingRatio >= MISSING_WARN_RATIO) {
      warnings.push({
        code: 'COLUMN_MANY_MISSING',
        column: name,
        message: `"${name}" is empty in ${fmtPct(missingRatio)} of the training rows (warning from ${MISSING_WARN_RATIO * 100}%). It is used, with empty cells kept as missing, but it may help little: fill it in if you can.`,
        details: { ratio: missingRatio, threshold: MISSING_WARN_RATIO },
      });
    }
    let role: ColumnRole;
    if (col.type === 'number') role = 'number';
    else if (col.type === 'boolean') role = 'number';
    else if (col.type === 'date') role = 'date';
    else if (col.type === 'text') role = 'text';
    else role = 'category';
    const present = n - stats.missing;
    if (role === 'category' && stats.distinct > IDENTIFIER_MIN_DISTINCT && stats.distinct > IDENTIFIER_DISTINCT_RATIO * n) {
      // Many distinct strings: free text if values have several words that recur across rows
      // (a name's "Mr."), otherwise a code (a ticket) or a plain identifier (an order number).
      if (looksLikeText(col.values as (string | null)[], trainingRows)) role = 'text';
      else if (!force.has(name) && codeCarriesSomething(col.values as (string | null)[], trainingRows)) {
        // A code whose values recur, or whose letters or parts vary (a ticket "PC 17599" shared
        // by a family): its values stay out, what they share is used (encoding.ts, 'code').
        role = 'code';
        warnings.push({
          code: 'COLUMN_CODE',
          column: name,
          message: `"${name}" looks like an identifier or code: ${stats.distinct} different values in ${present} filled rows. Its values do not generalize to new rows, so they are not learned one by one; the model uses how many rows share a value, its leading letters and its number of parts instead. Force it in to use its values as categories.`,
          details: { distinct: stats.distinct, rows: present },
        });
      } else if (!force.has(name)) {
        warnings.push({
          code: 'COLUMN_IDENTIFIER',
          column: name,
          message: `"${name}" looks like an identifier: ${stats.distinct} different values in ${present} filled rows. Identifiers do not generalize to new rows, so it was left out. Force it back in if its values carry meaning.`,
          details: { distinct: stats.distinct, rows: present },
        });
        excluded.push({ column: name, code: 'COLUMN_IDENTIFIER' });
        continue;
      }
    }
    if (role === 'number' && col.type === 'number' && stats.integers && n >= IDENTIFIER_MIN_DISTINCT && stats.distinct >= 0.99 * present && present > 0.5 * n && !force.has(name)) {
      warnings.push({
        code: 'COLUMN_IDENTIFIER',
        column: name,
        message: `"${name}" looks like an identifier: a different whole number on ${stats.distinct} of ${present} filled rows (a row number or code). It was left out; force it back in if its values carry meaning.`,
        details: { distinct: stats.distinct, rows: present },
      });
      excluded.push({ column: name, code: 'COLUMN_IDENTIFIER' });
      continue;
    }
    if (role !== 'text' && !force.has(name)) {
      const a = association(stats.codes, stats.nCodes, target.y, target);
      if (a >= LEAKAGE_THRESHOLD) {
        const measure = target.kind === 'numerical' ? 'R²' : 'accuracy gain over the majority outcome';
        warnings.push({
          code: 'COLUMN_POSSIBLE_LEAKAGE',
          column: name,
          message: `"${name}" predicts "${config.target}" too well on its own (${measure} ${fmtPct(a)}, threshold ${fmtPct(LEAKAGE_THRESHOLD)}): it may only be known after the outcome. It was left out; force it back in if it is known when predicting.`,
          details: { association: a, threshold: LEAKAGE_THRESHOLD, measure },
        });
        excluded.push({ column: name, code: 'COLUMN_POSSIBLE_LEAKAGE' });
        continue;
      }
    }
    kept.push({ col, stats, role });
  }

  // Pairs cost rows x columns²: on large tables they are judged on evenly spaced rows.
  const step = Math.max(1, Math.ceil(n / DUPLICATE_SAMPLE_ROWS));
  const sample = Int32Array.from({ length: Math.ceil(n / step) }, (_, k) => k * step);
  const sampledRows = Int32Array.from(sample, (k) => trainingRows[k]);
  const sampled = kept.map((k) => ({ ...k.stats, codes: step === 1 ? k.stats.codes : Int32Array.from(sample, (s) => k.stats.codes[s]) }));
  for (let i = 0; i < kept.length; i++) {
    for (let j = i + 1; j < kept.length; j++) {
      const a = kept[i];
      const b = kept[j];
      let dup = false;
      if (a.role === 'number' && b.role === 'number' && a.stats.distinct > 64 && b.stats.distinct > 64) {
        dup = Math.abs(pearson(a.col.values as Float64Array, b.col.values as Float64Array, sampledRows)) >= DUPLICATE_AGREEMENT;
      } else if (a.role !== 'text' && b.role !== 'text' && a.stats.nCodes === b.stats.nCodes && a.stats.nCodes <= 1000) {
        dup = oneToOne(sampled[i], sampled[j]);
      }
      if (dup) {
        warnings.push({
          code: 'COLUMNS_NEAR_DUPLICATE',
          column: b.col.name,
          message: `"${a.col.name}" and "${b.col.name}" carry the same information. Both are used, but their influence is shared between them: remove one if they mean the same thing.`,
          details: { columns: [a.col.name, b.col.name] },
        });
      }
    }
  }

  for (const k of kept) plan.push({ column: k.col.name, role: k.role });
  if (plan.length === 0) {
    const reasons = excluded.length > 0 ? ` (${excluded.map((e) => `"${e.column}"`).join(', ')} ${excluded.length === 1 ? 'was' : 'were'} left out, see the warnings)` : '';
    errors.push({
      code: 'NO_USABLE_COLUMNS',
      message: `No input column is left to learn from${reasons}. Add columns that describe each row, or force a column back in.`,
    });
  }
  return { errors, warnings, plan, excluded, rows, target };
}

function countNonEmpty(col: ColumnData, rows: Int32Array): number {
  let n = 0;
  for (const r of rows) {
    const v = col.values[r];
    if (v === null || (typeof v === 'number' && Number.isNaN(v)) || (typeof v === 'string' && v.trim() === '')) continue;
    n++;
  }
  return n;
}

/** Several words per value, some recurring in at least 5% of the rows. */
function looksLikeText(values: (string | null)[], rows: Int32Array): boolean {
  if (meanWordCount(values, rows) < 2.5) return false;
  const df = new Map<string, number>();
  let n = 0;
  for (const r of rows) {
    const v = values[r];
    if (v === null) continue;
    n++;
    for (const w of new Set(tokenize(v))) df.set(w, (df.get(w) ?? 0) + 1);
  }
  for (const c of df.values()) if (c >= 0.05 * n) return true;
  return false;
}

/**
 * Whether a code's shared parts tell rows apart: some value held by two rows or more, or more than
 * one leading-letters prefix or number of parts. Otherwise (every value distinct, all alike, like
 * "A-1000", "A-1001") it is a plain identifier and is left out.
 */
function codeCarriesSomething(values: (string | null)[], rows: Int32Array): boolean {
  const seen = new Set<string>();
  const prefixes = new Set<string>();
  const parts = new Set<number>();
  for (const r of rows) {
    const v = values[r];
    if (v === null) continue;
    if (seen.has(v)) return true;
    seen.add(v);
    prefixes.add(prefixOf(v));
    parts.add(partsCount(v));
  }
  return prefixes.size > 1 || parts.size > 1;
}
