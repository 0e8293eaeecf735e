import { describe, expect, it } from 'vitest';
import { LatheError } from '../domain/errors.js';
import { ColumnStats, decideTypes } from './infer-types.js';

function statsOf(name: string, values: string[]): ColumnStats {
  const s = new ColumnStats(name);
  values.forEach((v, i) => s.add(v, i + 2));
  return s;
}
const infer = (values: string[]) => statsOf('c', values).inferredType();

describe('type inference', () => {
  it('infers numbers, ignoring missing cells', () => {
    expect(infer(['1', '2.5', '', '-3e2'])).toBe('number');
  });

  it('keeps identifiers with leading zeros as categories', () => {
    expect(infer(['007', '012', '100'])).toBe('category');
  });

  it('infers booleans from true/false, and from yes/no only when the column has exactly those', () => {
    expect(infer(['true', 'False', 'TRUE'])).toBe('boolean');
    expect(infer(['yes', 'no', 'Yes'])).toBe('boolean');
    expect(infer(['yes', 'yes'])).toBe('category');
    expect(infer(['yes', 'no', 'maybe'])).toBe('category');
    expect(infer(['0', '1', '1'])).toBe('number');
  });

  it('infers ISO dates, with or without a time', () => {
    expect(infer(['2024-01-01', '2024-02-29', ''])).toBe('date');
    expect(infer(['2024-01-01T10:00:00Z', '2024-01-02 11:30'])).toBe('date');
    expect(infer(['2024-01-01', 'soon'])).toBe('category');
  });

  it('infers text for long free-form values', () => {
    expect(infer(['This message is long enough to be free-form text, not a label.', 'Another rather long message that nobody would group by.'])).toBe('text');
  });

  it('infers text for many distinct multi-word values even when short', () => {
    const names = Array.from({ length: 40 }, (_, i) => `Person number ${i}`);
    expect(infer(names)).toBe('text');
  });

  it('infers category for short repeated labels', () => {
    expect(infer(['red', 'green', 'red', 'blue', 'green', 'New York'])).toBe('category');
  });

  it('makes an all-missing column a category', () => {
    expect(infer(['', ' ', ''])).toBe('category');
  });

  it('lets the user override a type when every value fits it', () => {
    const cols = decideTypes([statsOf('zip', ['1000', '2000']), statsOf('flag', ['1', '0'])], { zip: 'category', flag: 'boolean' });
    expect(cols).toEqual([
      { name: 'zip', type: 'category', inferredType: 'number' },
      { name: 'flag', type: 'boolean', inferredType: 'number' },
    ]);
  });

  it('refuses an override that a value does not fit, naming the row and column', () => {
    let error: unknown;
    try {
      decideTypes([statsOf('age', ['12', 'twelve'])], { age: 'number' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LatheError);
    expect((error as LatheError).code).toBe('INVALID_DATA');
    expect((error as LatheError).details).toMatchObject({ row: 3, column: 'age', value: 'twelve' });
  });

  it('refuses an override of a column that does not exist', () => {
    expect(() => decideTypes([statsOf('a', ['1'])], { b: 'number' })).toThrow(/no column "b"/);
  });
});
