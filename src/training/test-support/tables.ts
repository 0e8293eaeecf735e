// Small real tables for runner and service tests, built in memory (no tables service needed).
import type { TableData } from '../../tables/table-data.js';

/** `n` rows: x in 0..n-1 (number), colour (category), y = 'high' when x >= n/2 else 'low'. */
export function thresholdTable(n = 100, tableId = 't1', revision = 1): TableData {
  const x = new Float64Array(n); // length n, the row index as a number
  const colour: (string | null)[] = [];
  const y: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    x[i] = i;
    colour.push(['red', 'green', 'blue'][i % 3]);
    y.push(i >= n / 2 ? 'high' : 'low');
  }
  return {
    tableId,
    name: 'threshold',
    revision,
    digest: `digest-${tableId}-${revision}`,
    rowCount: n,
    columns: [
      { name: 'x', type: 'number', values: x },
      { name: 'colour', type: 'category', values: colour },
      { name: 'y', type: 'category', values: y },
    ],
  };
}
