// Column type inference: statistics gathered while rows stream past, then one decision per column.
import { LatheError } from '../domain/errors.js';
import { hasLeadingZero, isMissingCell, parseBooleanCell, parseDateCell, quoteCell } from './cells.js';
import type { ColumnType } from './table-data.js';

/**
 * Text-versus-category is judged on the first SAMPLE non-missing values of a column (distinct count,
 * multi-word share): enough to tell free text from labels, and it keeps the per-cell cost of large
 * imports low.
 */
const SAMPLE = 10_000;
/** Average length above which a string column is free-form text rather than a category. */
const TEXT_AVERAGE_LENGTH = 30;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The first cell that broke a type, so an override can be refused with its row and value. */
interface FirstMiss {
  row: number;
  value: string;
}

/** What one column's values looked like so far. Feed every non-header cell to `add`. */
export class ColumnStats {
  readonly name: string;
  nonMissing = 0;
  private totalLength = 0;
  private multiWord = 0;
  /** Distinct values among the first SAMPLE non-missing ones. */
  private readonly distinct = new Set<string>();
  /** Lower-cased boolean words seen; null once a non-boolean word appears. */
  private boolWords: Set<string> | null = new Set();
  private leadingZero: FirstMiss | null = null;
  notNumber: FirstMiss | null = null;
  notDate: FirstMiss | null = null;
  notBoolean: FirstMiss | null = null;

  constructor(name: string) {
    this.name = name;
  }

  /** `row` is the cell's row as the user counts it (the file line), used in error messages. */
  add(raw: string, row: number): void {
    if (isMissingCell(raw)) return;
    this.nonMissing++;
    this.totalLength += raw.length;
    if (this.nonMissing <= SAMPLE) {
      this.distinct.add(raw);
      if (raw.includes(' ')) this.multiWord++;
    }
    if (!this.notNumber) {
      // Cheap checks first: the regex only runs on cells that start like a number.
      const t = raw.charCodeAt(0) > 32 && raw.charCodeAt(raw.length - 1) > 32 ? raw : raw.trim();
      if (!NUMBER.test(t)) this.notNumber = { row, value: raw };
      else if (!this.leadingZero && (t.charCodeAt(0) === 48 || t.charCodeAt(1) === 48) && hasLeadingZero(t)) this.leadingZero = { row, value: raw };
    }
    if (!this.notDate && Number.isNaN(parseDateCell(raw))) this.notDate = { row, value: raw };
    if (!this.notBoolean && Number.isNaN(parseBooleanCell(raw))) this.notBoolean = { row, value: raw };
    if (this.boolWords) {
      const w = raw.trim().toLowerCase();
      if (w === 'true' || w === 'false' || w === 'yes' || w === 'no') this.boolWords.add(w);
      else this.boolWords = null;
    }
  }

  /** The type these values suggest: boolean, then number, then date, then text or category. */
  inferredType(): ColumnType {
    if (this.nonMissing === 0) return 'category';
    if (this.boolWords) {
      const w = this.boolWords;
      const trueFalse = [...w].every((x) => x === 'true' || x === 'false');
      // yes/no only when the column holds exactly those two words: a lone "yes" is more likely a category.
      const yesNo = w.size === 2 && w.has('yes') && w.has('no');
      if (trueFalse || yesNo) return 'boolean';
    }
    if (!this.notNumber && !this.leadingZero) return 'number';
    if (!this.notDate) return 'date';
    if (this.totalLength / this.nonMissing > TEXT_AVERAGE_LENGTH) return 'text';
    const sampled = Math.min(this.nonMissing, SAMPLE);
    const distinct = this.distinct.size;
    const mostlyDistinct = distinct >= 20 && distinct > 0.5 * sampled;
    if (mostlyDistinct && this.multiWord >= 0.5 * sampled) return 'text';
    return 'category';
  }

  /** Throws INVALID_DATA naming the first row whose value cannot be read as `type`. */
  checkFits(type: ColumnType): void {
    const miss = type === 'number' ? this.notNumber : type === 'date' ? this.notDate : type === 'boolean' ? this.notBoolean : null;
    if (miss) throw typeMismatch(this.name, type, miss.row, miss.value);
  }
}

/** The error for a value that does not fit its column's type. */
export function typeMismatch(column: string, type: ColumnType, row: number, value: string, rowLabel = 'row'): LatheError {
  const hint =
    type === 'number'
      ? 'a number like 12, -3.5 or 1e6'
      : type === 'date'
        ? 'a date like 2024-03-31 or 2024-03-31T14:05:00'
        : 'true/false or yes/no';
  return new LatheError(
    'INVALID_DATA',
    `${rowLabel[0].toUpperCase()}${rowLabel.slice(1)} ${row}, column "${column}": ${quoteCell(value)} is not ${type === 'date' ? 'a date' : `a ${type}`} (expected ${hint}). Fix the value, or make the column a category.`,
    { row, column, value, expectedType: type },
  );
}

/** The final types: the inferred one unless the user chose another (which every value must fit). */
export function decideTypes(
  stats: ColumnStats[],
  overrides: Record<string, ColumnType> = {},
): { name: string; type: ColumnType; inferredType: ColumnType }[] {
  const names = new Set(stats.map((s) => s.name));
  for (const name of Object.keys(overrides)) {
    if (!names.has(name)) {
      throw new LatheError('INVALID_INPUT', `There is no column "${name}" to set a type for. Columns: ${[...names].join(', ')}.`, { column: name });
    }
  }
  return stats.map((s) => {
    const inferredType = s.inferredType();
    const type = overrides[s.name] ?? inferredType;
    if (type !== inferredType) s.checkFits(type);
    return { name: s.name, type, inferredType };
  });
}
