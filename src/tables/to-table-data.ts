// Converts stored rows (raw cell strings, chunk by chunk) into the columnar TableData learners receive.
import { LatheError } from '../domain/errors.js';
import { isMissingCell, numericCell, quoteCell } from './cells.js';
import type { ColumnData, ColumnType, TableData } from './table-data.js';

/** Category values interned per column so repeated strings share memory; past this, no more interning. */
const INTERN_CAP = 100_000;

type Builder =
  | { kind: 'numeric'; name: string; type: 'number' | 'boolean' | 'date'; values: Float64Array }
  | { kind: 'string'; name: string; type: 'category' | 'text'; values: (string | null)[]; intern: Map<string, string> | null };

/**
 * A fast converter for one column type. Stored number cells were checked against the strict number
 * syntax on write (import, append, retype), where `+raw` gives the same value as parseNumberCell.
 * Dates repeat a lot, so parsed dates are cached (bounded).
 */
function converter(type: ColumnType): (raw: string) => number {
  if (type === 'number') {
    return (raw) => {
      if (raw === '') return Number.NaN;
      const v = +raw;
      // +"  " is 0: a blank cell is missing. (Stored number cells always match the strict number syntax.)
      return v === 0 && isMissingCell(raw) ? Number.NaN : v;
    };
  }
  if (type === 'date') {
    const cache = new Map<string, number>();
    return (raw) => {
      const known = cache.get(raw);
      if (known !== undefined) return known;
      const v = numericCell('date', raw);
      if (cache.size < INTERN_CAP) cache.set(raw, v);
      return v;
    };
  }
  if (type === 'boolean') return (raw) => numericCell('boolean', raw);
  return () => Number.NaN;
}

export class TableDataBuilder {
  private readonly builders: Builder[];
  /** Per column: raw cell -> value (NaN = missing or not convertible); only used for numeric columns. */
  private readonly converters: ((raw: string) => number)[];
  readonly rowCount: number;

  /** `rowCount` rows will arrive through `addRows`; arrays are allocated once at full length. */
  constructor(columns: { name: string; type: ColumnType }[], rowCount: number) {
    this.rowCount = rowCount;
    this.converters = columns.map((c) => converter(c.type));
    this.builders = columns.map((c): Builder => {
      if (c.type === 'number' || c.type === 'boolean' || c.type === 'date') {
        // rowCount entries of float64; NaN = missing. Units: see ColumnData (dates in ms since epoch).
        return { kind: 'numeric', name: c.name, type: c.type, values: new Float64Array(rowCount).fill(Number.NaN) };
      }
      // rowCount entries, null = missing.
      const type = c.type as 'category' | 'text';
      return { kind: 'string', name: c.name, type, values: new Array<string | null>(rowCount).fill(null), intern: type === 'category' ? new Map() : null };
    });
  }

  /** Converts `rows` (raw cells in column order) into rows firstRow, firstRow+1, … */
  addRows(rows: string[][], firstRow: number): void {
    for (let c = 0; c < this.builders.length; c++) this.addColumn(c, rows.map((r) => r[c]), firstRow);
  }

  /** Same as addRows, from column arrays: `columns[c][r]` is the raw cell of column c in row firstRow + r. */
  addColumns(columns: string[][], firstRow: number): void {
    for (let c = 0; c < this.builders.length; c++) this.addColumn(c, columns[c], firstRow);
  }

  private addColumn(c: number, cells: string[], firstRow: number): void {
    const b = this.builders[c];
    if (b.kind === 'numeric') {
      const convert = this.converters[c];
      for (let r = 0; r < cells.length; r++) {
        const raw = cells[r];
        const v = convert(raw);
        if (Number.isNaN(v) && !isMissingCell(raw)) {
          throw new LatheError('INVALID_DATA', `Stored row ${firstRow + r + 1}, column "${b.name}": ${quoteCell(raw)} is not a ${b.type}.`, {
            row: firstRow + r + 1,
            column: b.name,
          });
        }
        b.values[firstRow + r] = v;
      }
      return;
    }
    const intern = b.intern;
    for (let r = 0; r < cells.length; r++) {
      const raw = cells[r];
      if (isMissingCell(raw)) continue;
      let v = raw;
      if (intern) {
        const known = intern.get(raw);
        if (known !== undefined) v = known;
        else if (intern.size < INTERN_CAP) intern.set(raw, raw);
      }
      b.values[firstRow + r] = v;
    }
  }

  build(meta: { tableId: string; name: string; revision: number; digest: string }): TableData {
    const columns: ColumnData[] = this.builders.map((b) =>
      b.kind === 'string' ? { name: b.name, type: b.type, values: b.values } : { name: b.name, type: b.type, values: b.values },
    );
    return { ...meta, rowCount: this.rowCount, columns };
  }
}
