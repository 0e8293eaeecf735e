import { describe, expect, it } from 'vitest';
import { LatheError } from '../domain/errors.js';
import { TableDataBuilder } from './to-table-data.js';

const columns = [
  { name: 'n', type: 'number' as const },
  { name: 'b', type: 'boolean' as const },
  { name: 'd', type: 'date' as const },
  { name: 'c', type: 'category' as const },
  { name: 't', type: 'text' as const },
];

describe('TableDataBuilder', () => {
  it('converts rows arriving in chunks into columns, with every kind of missing cell as NaN or null', () => {
    const b = new TableDataBuilder(columns, 4);
    b.addRows(
      [
        [' 12 ', 'Yes', '2024-02-29', 'red', 'some words'],
        ['  ', '', ' ', '', '   '],
      ],
      0,
    );
    b.addRows(
      [
        ['-1.5e2', 'false', '2024-02-29', 'red', 'x'],
        ['0', '0', '2024-03-01T12:00:00Z', 'blue', ''],
      ],
      2,
    );
    const t = b.build({ tableId: 't1', name: 'T', revision: 3, digest: 'd' });
    expect(t).toMatchObject({ tableId: 't1', name: 'T', revision: 3, digest: 'd', rowCount: 4 });
    const [n, bo, d, c, tx] = t.columns;
    expect(Array.from(n.values as Float64Array)).toEqual([12, NaN, -150, 0]);
    expect(Array.from(bo.values as Float64Array)).toEqual([1, NaN, 0, 0]);
    expect(Array.from(d.values as Float64Array)).toEqual([Date.UTC(2024, 1, 29), NaN, Date.UTC(2024, 1, 29), Date.UTC(2024, 2, 1, 12)]);
    expect(c.values).toEqual(['red', null, 'red', 'blue']);
    expect(tx.values).toEqual(['some words', null, 'x', null]);
  });

  it('refuses a stored value that does not fit its column, naming the row and column', () => {
    const b = new TableDataBuilder([{ name: 'n', type: 'number' }], 2);
    let error: unknown;
    try {
      b.addRows([['1'], ['abc']], 0);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LatheError);
    expect((error as LatheError).details).toEqual({ row: 2, column: 'n' });
  });
});
