import { describe, expect, it } from 'vitest';
import { fitsType, hasLeadingZero, isMissingCell, parseBooleanCell, parseDateCell, parseNumberCell, typedCell } from './cells.js';

describe('cells', () => {
  it('treats empty and whitespace-only cells as missing, and nothing else', () => {
    expect(isMissingCell('')).toBe(true);
    expect(isMissingCell('  ')).toBe(true);
    expect(isMissingCell('0')).toBe(false);
    expect(isMissingCell(' a ')).toBe(false);
  });

  it('reads integers, decimals, exponents and signs as numbers, and refuses the rest', () => {
    expect([' 42 ', '-3.5', '+7', '.5', '5.', '1e6', '-2.5E-3'].map(parseNumberCell)).toEqual([42, -3.5, 7, 0.5, 5, 1e6, -0.0025]);
    for (const s of ['1,000', 'abc', '1.2.3', 'NaN', 'Infinity', '0x10', '12abc', '--1']) expect(parseNumberCell(s)).toBeNaN();
  });

  it('recognises identifiers with leading zeros', () => {
    expect(['007', '-01', '00.5'].map(hasLeadingZero)).toEqual([true, true, true]);
    expect(['0', '0.5', '10', '-0.25'].map(hasLeadingZero)).toEqual([false, false, false, false]);
  });

  it('reads ISO dates with optional time and zone as UTC milliseconds', () => {
    expect(parseDateCell('2024-03-31')).toBe(Date.UTC(2024, 2, 31));
    expect(parseDateCell('2024-03-31T14:05')).toBe(Date.UTC(2024, 2, 31, 14, 5));
    expect(parseDateCell('2024-03-31 14:05:09.250')).toBe(Date.UTC(2024, 2, 31, 14, 5, 9, 250));
    expect(parseDateCell('2024-03-31T14:05:00+02:00')).toBe(Date.UTC(2024, 2, 31, 12, 5));
    for (const s of ['2024-02-30', '2024-13-01', '31/03/2024', '2024-3-1', '20240331']) expect(parseDateCell(s)).toBeNaN();
  });

  it('reads boolean words in any case', () => {
    expect(['TRUE', 'no', 'Yes', '0', 'f'].map(parseBooleanCell)).toEqual([1, 0, 1, 0, 0]);
    expect(parseBooleanCell('maybe')).toBeNaN();
  });

  it('checks whether a cell fits a column type, missing cells fitting every type', () => {
    expect(fitsType('number', 'abc')).toBe(false);
    expect(fitsType('number', '')).toBe(true);
    expect(fitsType('category', 'anything')).toBe(true);
    expect(fitsType('date', '2024-01-01')).toBe(true);
  });

  it('shows typed values for the rows API', () => {
    expect(typedCell('number', '3.5')).toBe(3.5);
    expect(typedCell('boolean', 'yes')).toBe(true);
    expect(typedCell('date', '2024-01-02')).toBe('2024-01-02T00:00:00.000Z');
    expect(typedCell('category', '')).toBeNull();
    expect(typedCell('text', 'hello')).toBe('hello');
  });
});
