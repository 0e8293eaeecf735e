// The outcome column: which kind of prediction it asks for (and why), its outcomes and positive outcome.
import type { ColumnData } from '../../tables/table-data.js';
import type { Message } from '../seam.js';
import type { PredictionKind } from './configuration.js';

/** Outcomes above this count make a multiple-outcome model unreadable; numbers should be numerical. */
export const MAX_OUTCOMES = 100;

export interface TargetInfo {
  kind: PredictionKind;
  /** A sentence for the details page: which kind was used and why. */
  reason: string;
  /** Classification: the outcome labels in class-index order (binary: [negative, positive]). */
  outcomes: string[];
  /** Binary only. */
  positive?: string;
  /** Table row indexes of the training rows (filter matched, target not empty), ascending. */
  rows: Int32Array;
  /** Float64Array of length rows.length: class index (classification) or the number (numerical). */
  y: Float64Array;
}

/** The text form of a target cell, the way outcomes are shown and compared ("0", "yes", "2024-01-31"). */
export function cellLabel(col: ColumnData, row: number): string | null {
  const v = col.values[row];
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (Number.isNaN(v)) return null;
  if (col.type === 'boolean') return v ? 'true' : 'false';
  if (col.type === 'date') return new Date(v).toISOString().slice(0, 10);
  return String(v);
}

const POSITIVE_WORDS = new Set(['yes', 'true', '1', 'y', 't']);

function quoteList(values: string[], max = 5): string {
  const shown = values.slice(0, max).map((v) => `"${v}"`);
  return values.length > max ? `${shown.join(', ')} and ${values.length - max} more` : shown.join(', ');
}

function compareLabels(numeric: boolean) {
  return (a: string, b: string): number => (numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Resolves the kind, the outcomes and the training rows from the filter-matched rows.
 * Returns errors (never throws) when the outcome column cannot be used as asked.
 */
export function resolveTarget(
  col: ColumnData,
  matched: Int32Array,
  requested: { kind?: PredictionKind; positive?: string },
): { target?: TargetInfo; errors: Message[] } {
  const name = col.name;
  const rows: number[] = [];
  const labels: string[] = [];
  const counts = new Map<string, number>();
  for (const r of matched) {
    const l = cellLabel(col, r);
    if (l === null || l.trim() === '') continue;
    rows.push(r);
    labels.push(l);
    counts.set(l, (counts.get(l) ?? 0) + 1);
  }
  const rowIdx = Int32Array.from(rows);
  const distinct = [...counts.keys()];
  const numericColumn = col.type === 'number';
  distinct.sort(compareLabels(numericColumn));
  const errors: Message[] = [];
  if (col.type === 'date' && requested.kind !== 'numerical') {
    errors.push({ code: 'TARGET_IS_DATE', column: name, message: `"${name}" holds dates, which cannot be predicted as outcomes. Pick another outcome column.` });
    return { errors };
  }
  if (distinct.length === 0) return { errors }; // the row-count rule reports it
  let kind: PredictionKind;
  let reason: string;
  if (requested.kind === 'multiclass' && distinct.length === 2) {
    // Two outcomes are a yes/no question whatever the label: a binary model gives the same answers
    // with a positive outcome, ROC AUC and the binary grade.
    kind = 'binary';
    reason = `The kind "multiple outcome" was chosen in the configuration, but "${name}" has only two values (${quoteList(distinct)}), so the model predicts one of two outcomes`;
  } else if (requested.kind) {
    kind = requested.kind;
    reason = `The kind "${kindName(kind)}" was chosen in the configuration`;
  } else if (distinct.length === 2) {
    kind = 'binary';
    reason = `"${name}" has exactly two values (${quoteList(distinct)}), so the model predicts one of two outcomes`;
  } else if (numericColumn) {
    kind = 'numerical';
    reason = `"${name}" holds numbers with ${distinct.length} different values, so the model predicts a number`;
  } else if (distinct.length >= 3) {
    kind = 'multiclass';
    reason = `"${name}" holds ${distinct.length} different values, so the model predicts one of several outcomes`;
  } else {
    errors.push(oneOutcome(name, distinct[0]));
    return { errors };
  }

  if (kind === 'numerical') {
    const y = new Float64Array(rowIdx.length);
    const bad: string[] = [];
    for (let i = 0; i < labels.length; i++) {
      const v = numericColumn || col.type === 'boolean' ? (col.values[rowIdx[i]] as number) : Number(labels[i].trim().replace(/,/g, ''));
      if (!Number.isFinite(v)) bad.push(labels[i]);
      y[i] = v;
    }
    if (col.type === 'date') for (let i = 0; i < y.length; i++) y[i] = col.values[rowIdx[i]] as number;
    if (bad.length > 0) {
      errors.push({
        code: 'TARGET_NOT_NUMERIC',
        column: name,
        message: `"${name}" cannot be predicted as a number: ${bad.length} training rows hold values that are not numbers (for example ${quoteList(bad, 3)}). Choose the kind "multiple outcome" or clean the column.`,
        details: { count: bad.length },
      });
      return { errors };
    }
    if (distinct.length < 2) {
      errors.push({ code: 'ONE_OUTCOME', column: name, message: `Every training row has the same value (${distinct[0]}) in "${name}". There is nothing to predict: add rows with other values or change the filter.` });
      return { errors };
    }
    return { target: { kind, reason: `${reason}.`, outcomes: [], rows: rowIdx, y }, errors };
  }

  if (distinct.length < 2) {
    errors.push(oneOutcome(name, distinct[0]));
    return { errors };
  }

  if (kind === 'binary') {
    let positive = requested.positive;
    if (positive !== undefined && !counts.has(positive)) {
      errors.push({
        code: 'POSITIVE_NOT_FOUND',
        column: name,
        message: `The positive outcome "${positive}" does not appear in "${name}". Its values are ${quoteList(distinct)}.`,
        details: { positive, values: distinct.slice(0, 20) },
      });
      return { errors };
    }
    let why: string;
    if (distinct.length > 2) {
      if (positive === undefined) {
        errors.push({
          code: 'POSITIVE_REQUIRED',
          column: name,
          message: `"${name}" has ${distinct.length} different values (${quoteList(distinct)}). To predict it as yes/no, choose the outcome that counts as "yes" (the positive outcome); every other value counts as "no".`,
        });
        return { errors };
      }
      const negative = `not ${positive}`;
      const y = new Float64Array(labels.length);
      for (let i = 0; i < labels.length; i++) y[i] = labels[i] === positive ? 1 : 0;
      return {
        target: {
          kind,
          reason: `${reason}: "${positive}" against every other value of "${name}" (shown as "${negative}").`,
          outcomes: [negative, positive],
          positive,
          rows: rowIdx,
          y,
        },
        errors,
      };
    }
    if (positive !== undefined) why = 'chosen in the configuration';
    else {
      const word = distinct.find((d) => POSITIVE_WORDS.has(d.trim().toLowerCase()));
      if (word !== undefined) {
        positive = word;
        why = `"${word}" means yes`;
      } else {
        const [a, b] = distinct;
        positive = (counts.get(a) ?? 0) < (counts.get(b) ?? 0) ? a : b;
        why = 'the rarer outcome';
      }
    }
    const negative = distinct.find((d) => d !== positive)!;
    const y = new Float64Array(labels.length);
    for (let i = 0; i < labels.length; i++) y[i] = labels[i] === positive ? 1 : 0;
    return {
      target: { kind, reason: `${reason}. Positive outcome: "${positive}" (${why}).`, outcomes: [negative, positive], positive, rows: rowIdx, y },
      errors,
    };
  }

  // multiclass
  if (distinct.length > MAX_OUTCOMES) {
    errors.push({
      code: 'TOO_MANY_OUTCOMES',
      column: name,
      message: `"${name}" has ${distinct.length} different outcomes; a multiple-outcome model supports at most ${MAX_OUTCOMES}. ${numericColumn ? 'Predict it as a number (kind "numerical") or group' : 'Group'} the values into fewer outcomes.`,
      details: { outcomes: distinct.length, max: MAX_OUTCOMES },
    });
    return { errors };
  }
  const index = new Map(distinct.map((d, i) => [d, i]));
  const y = new Float64Array(labels.length);
  for (let i = 0; i < labels.length; i++) y[i] = index.get(labels[i])!;
  return { target: { kind, reason: `${reason}.`, outcomes: distinct, rows: rowIdx, y }, errors };
}

export function kindName(kind: PredictionKind): string {
  return kind === 'binary' ? 'binary' : kind === 'multiclass' ? 'multiple outcome' : 'numerical';
}

/** The error for a target whose training rows all share one outcome. */
function oneOutcome(column: string, outcome: string): Message {
  return {
    code: 'ONE_OUTCOME',
    column,
    message: `Every training row has the same outcome ("${outcome}") in "${column}". The model needs at least two different outcomes: add rows with other outcomes or change the filter.`,
    details: { outcome },
  };
}
