// Builds small in-memory tables for the prediction engine's tests.
import type { ColumnData, TableData } from '../../tables/table-data.js';

type Spec = { [name: string]: { type: 'number' | 'boolean' | 'date'; values: number[] } | { type: 'category' | 'text'; values: (string | null)[] } };

export function makeTable(spec: Spec, name = 'Orders'): TableData {
  const columns: ColumnData[] = Object.entries(spec).map(([n, c]) =>
    c.type === 'category' || c.type === 'text'
      ? { name: n, type: c.type, values: c.values }
      : { name: n, type: c.type, values: Float64Array.from(c.values as number[]) },
  );
  const rowCount = columns[0]?.values.length ?? 0;
  return { tableId: 't1', name, revision: 1, digest: 'd', rowCount, columns };
}

/** A deterministic pseudo-random sequence in [0, 1) for building test data. */
export function sequence(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}
