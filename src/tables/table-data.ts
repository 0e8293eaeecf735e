// The in-memory, columnar form of one table revision: what learners and engines receive.

/** The types a column can have. Inferred on import, overridable by the user. */
export type ColumnType = 'number' | 'category' | 'boolean' | 'text' | 'date';

export const COLUMN_TYPES: readonly ColumnType[] = ['number', 'category', 'boolean', 'text', 'date'];

/**
 * One column's values, one entry per row.
 * - number:  Float64Array, NaN = missing.
 * - boolean: Float64Array of 1 (true) / 0 (false), NaN = missing.
 * - date:    Float64Array of milliseconds since 1970-01-01T00:00:00Z, NaN = missing.
 * - category / text: array of strings, null = missing (an empty cell is never "").
 */
export type ColumnData =
  | { name: string; type: 'number' | 'boolean' | 'date'; values: Float64Array }
  | { name: string; type: 'category' | 'text'; values: (string | null)[] };

/** A whole table revision, column by column. All columns have `rowCount` entries. */
export interface TableData {
  tableId: string;
  name: string;
  revision: number;
  /** Content digest of this revision (sha256 hex). */
  digest: string;
  rowCount: number;
  columns: ColumnData[];
}

/** A single cell as it arrives from a user (quick test, predict API, JSON append). */
export type CellInput = string | number | boolean | null | undefined;

/** One input row keyed by column name. */
export type RowInput = Record<string, CellInput>;

export function findColumn(table: TableData, name: string): ColumnData | undefined {
  return table.columns.find((c) => c.name === name);
}

/** True when the cell at `row` of `column` is missing. */
export function isMissing(column: ColumnData, row: number): boolean {
  const v = column.values[row];
  return v === null || (typeof v === 'number' && Number.isNaN(v));
}
