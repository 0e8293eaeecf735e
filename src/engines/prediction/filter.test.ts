// Tests of the row filter's semantics.
import { describe, expect, it } from 'vitest';
import { applyFilter, filterProblems, filterSchema, type Filter } from './filter.js';
import { makeTable } from './test-table.js';

const table = makeTable({
  region: { type: 'category', values: ['North', 'South', null, 'North-East', 'West'] },
  amount: { type: 'number', values: [10, 20, NaN, 5, 40] },
  paid: { type: 'boolean', values: [1, 0, 1, NaN, 0] },
  day: { type: 'date', values: [Date.UTC(2024, 0, 1), Date.UTC(2024, 5, 1), NaN, Date.UTC(2023, 0, 1), Date.UTC(2025, 0, 1)] },
});
const rows = (f: Filter): number[] => Array.from(applyFilter(table, f));

describe('the row filter', () => {
  it('compares categories exactly, and "contains" ignores case', () => {
    expect(rows({ column: 'region', operator: 'equals', value: 'North' })).toEqual([0]);
    expect(rows({ column: 'region', operator: 'contains', value: 'north' })).toEqual([0, 3]);
    expect(rows({ column: 'region', operator: 'is one of', value: ['South', 'West'] })).toEqual([1, 4]);
  });

  it('treats an empty cell as equal to nothing, so "not equals" keeps it', () => {
    expect(rows({ column: 'region', operator: 'not equals', value: 'North' })).toEqual([1, 2, 3, 4]);
    expect(rows({ column: 'amount', operator: '<', value: 100 })).toEqual([0, 1, 3, 4]);
  });

  it('orders numbers and dates, parsing a date given as text', () => {
    expect(rows({ column: 'amount', operator: '>=', value: 20 })).toEqual([1, 4]);
    expect(rows({ column: 'amount', operator: '<=', value: '10' })).toEqual([0, 3]);
    expect(rows({ column: 'day', operator: '>', value: '2024-01-01' })).toEqual([1, 4]);
    expect(rows({ column: 'paid', operator: 'equals', value: true })).toEqual([0, 2]);
  });

  it('finds empty and filled cells', () => {
    expect(rows({ column: 'region', operator: 'is empty' })).toEqual([2]);
    expect(rows({ column: 'paid', operator: 'is not empty' })).toEqual([0, 1, 2, 4]);
  });

  it('combines conditions with and / or groups, nested', () => {
    const f: Filter = {
      or: [
        { and: [{ column: 'amount', operator: '>', value: 5 }, { column: 'paid', operator: 'equals', value: 0 }] },
        { column: 'region', operator: 'is empty' },
      ],
    };
    expect(filterSchema.safeParse(f).success).toBe(true);
    expect(rows(f)).toEqual([1, 2, 4]);
    expect(Array.from(applyFilter(table, undefined))).toEqual([0, 1, 2, 3, 4]);
  });

  it('reports unknown columns and missing values in words', () => {
    const cols = table.columns.map((c) => ({ name: c.name, type: c.type }));
    expect(filterProblems({ column: 'nope', operator: 'is empty' }, cols)).toEqual(['The filter uses the column "nope", which the table does not have.']);
    expect(filterProblems({ column: 'amount', operator: '>' }, cols)).toEqual(['The filter condition on "amount" (>) needs a value.']);
    expect(filterSchema.safeParse({ column: 'amount', operator: 'between', value: 1 }).success).toBe(false);
  });
});
