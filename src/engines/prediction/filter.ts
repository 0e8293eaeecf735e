// The row filter of a prediction configuration: its schema and how it selects a table's rows.
import { z } from 'zod';
import type { ColumnData, TableData } from '../../tables/table-data.js';

export const FILTER_OPERATORS = [
  'equals',
  'not equals',
  '<',
  '<=',
  '>',
  '>=',
  'contains',
  'is empty',
  'is not empty',
  'is one of',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

const filterValue = z.union([z.string(), z.number(), z.boolean()]);

export const filterConditionSchema = z.object({
  column: z.string().min(1),
  operator: z.enum(FILTER_OPERATORS),
  /** Absent for 'is empty' / 'is not empty'; a list for 'is one of'. */
  value: z.union([filterValue, z.array(filterValue)]).optional(),
});
export type FilterCondition = z.infer<typeof filterConditionSchema>;

export type Filter = FilterCondition | { and: Filter[] } | { or: Filter[] };

export const filterSchema: z.ZodType<Filter> = z.lazy(() =>
  z.union([
    filterConditionSchema,
    z.object({ and: z.array(filterSchema) }),
    z.object({ or: z.array(filterSchema) }),
  ]),
);

/** Every column a filter mentions (for shape checks). */
export function filterColumns(filter: Filter): string[] {
  if ('and' in filter) return filter.and.flatMap(filterColumns);
  if ('or' in filter) return filter.or.flatMap(filterColumns);
  return [filter.column];
}

/** Problems a filter has against a table's columns, as sentences (empty when it can run). */
export function filterProblems(filter: Filter, columns: { name: string; type: string }[]): string[] {
  if ('and' in filter) return filter.and.flatMap((f) => filterProblems(f, columns));
  if ('or' in filter) return filter.or.flatMap((f) => filterProblems(f, columns));
  const col = columns.find((c) => c.name === filter.column);
  if (!col) return [`The filter uses the column "${filter.column}", which the table does not have.`];
  const needsValue = filter.operator !== 'is empty' && filter.operator !== 'is not empty';
  if (needsValue && filter.value === undefined) {
    return [`The filter condition on "${filter.column}" (${filter.operator}) needs a value.`];
  }
  if (filter.operator === 'is one of' && !Array.isArray(filter.value)) {
    return [`The filter condition on "${filter.column}" (is one of) needs a list of values.`];
  }
  return [];
}

/** Dates compare as milliseconds; a string value for a date column is parsed as a date. */
function toNumber(v: unknown, type: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const t = v.trim();
    if (type === 'date') return Date.parse(t);
    if (type === 'boolean') {
      const l = t.toLowerCase();
      if (l === 'true' || l === 'yes') return 1;
      if (l === 'false' || l === 'no') return 0;
    }
    return t === '' ? NaN : Number(t);
  }
  return NaN;
}

function matchesCell(cond: FilterCondition, col: ColumnData, row: number): boolean {
  const raw = col.values[row];
  const missing = raw === null || (typeof raw === 'number' && Number.isNaN(raw));
  if (cond.operator === 'is empty') return missing;
  if (cond.operator === 'is not empty') return !missing;
  // Comparisons with a missing cell are false, as in SQL: an empty cell equals nothing.
  if (missing) return cond.operator === 'not equals';
  const values = Array.isArray(cond.value) ? cond.value : [cond.value];
  if (col.type === 'category' || col.type === 'text') {
    const s = raw as string;
    const str = (v: unknown): string => String(v);
    switch (cond.operator) {
      case 'equals':
        return s === str(values[0]);
      case 'not equals':
        return s !== str(values[0]);
      case 'contains':
        return s.toLowerCase().includes(str(values[0]).toLowerCase());
      case 'is one of':
        return values.some((v) => s === str(v));
      default: {
        // Ordering on strings: numeric when both parse as numbers, otherwise lexicographic.
        const a = Number(s);
        const b = Number(values[0]);
        const cmp = Number.isFinite(a) && Number.isFinite(b) ? a - b : s < str(values[0]) ? -1 : s > str(values[0]) ? 1 : 0;
        return compare(cond.operator, cmp);
      }
    }
  }
  const x = raw as number;
  switch (cond.operator) {
    case 'equals':
      return x === toNumber(values[0], col.type);
    case 'not equals':
      return x !== toNumber(values[0], col.type);
    case 'contains':
      return String(x).includes(String(values[0]));
    case 'is one of':
      return values.some((v) => x === toNumber(v, col.type));
    default:
      return compare(cond.operator, x - toNumber(values[0], col.type));
  }
}

function compare(op: FilterOperator, cmp: number): boolean {
  if (Number.isNaN(cmp)) return false;
  if (op === '<') return cmp < 0;
  if (op === '<=') return cmp <= 0;
  if (op === '>') return cmp > 0;
  if (op === '>=') return cmp >= 0;
  return false;
}

function matches(filter: Filter, table: TableData, row: number): boolean {
  if ('and' in filter) return filter.and.every((f) => matches(f, table, row));
  if ('or' in filter) return filter.or.some((f) => matches(f, table, row));
  const col = table.columns.find((c) => c.name === filter.column);
  if (!col) return false;
  return matchesCell(filter, col, row);
}

/** Indexes (ascending) of the rows a filter keeps; every row when there is no filter. */
export function applyFilter(table: TableData, filter: Filter | undefined): Int32Array {
  const out: number[] = [];
  for (let r = 0; r < table.rowCount; r++) if (!filter || matches(filter, table, r)) out.push(r);
  return Int32Array.from(out);
}
