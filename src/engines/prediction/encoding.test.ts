// Tests of the column encoding: dates, booleans, categories, free text, raw user input.
import { describe, expect, it } from 'vitest';
import { LatheError } from '../../domain/errors.js';
import { encodeInputs, encodeTable, featureLayout, fitEncoding } from './encoding.js';
import { makeTable } from './test-table.js';

const rowsOf = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

describe('column encoding', () => {
  it('expands dates into year, month, day and weekday (UTC), adding the hour only when times are present', () => {
    const t = makeTable({
      day: { type: 'date', values: [Date.UTC(2024, 1, 29), NaN] },
      at: { type: 'date', values: [Date.UTC(2024, 0, 1, 13, 30), Date.UTC(2024, 0, 2)] },
    });
    const enc = fitEncoding(t, rowsOf(2), [{ column: 'day', role: 'date' }, { column: 'at', role: 'date' }]);
    expect(featureLayout(enc).names).toEqual(['day (year)', 'day (month)', 'day (day)', 'day (weekday)', 'at (year)', 'at (month)', 'at (day)', 'at (weekday)', 'at (hour)']);
    const ds = encodeTable(enc, t, rowsOf(2));
    // 2024-02-29 was a Thursday (4); a missing date is missing in every part, never zero.
    expect(ds.features.slice(0, 4).map((f) => f.values[0])).toEqual([2024, 2, 29, 4]);
    expect(ds.features.slice(0, 4).every((f) => Number.isNaN(f.values[1]))).toBe(true);
    expect(ds.features[8].values[0]).toBeCloseTo(13.5, 12);
  });

  it('keeps booleans as 1 / 0 and missing as missing', () => {
    const t = makeTable({ paid: { type: 'boolean', values: [1, 0, NaN] } });
    const enc = fitEncoding(t, rowsOf(3), [{ column: 'paid', role: 'number' }]);
    expect(enc.columns[0]).toEqual({ column: 'paid', as: 'number', source: 'boolean' });
    expect(Array.from(encodeTable(enc, t, rowsOf(3)).features[0].values)).toEqual([1, 0, NaN]);
    expect(Array.from(encodeInputs(enc, [{ paid: 'yes' }, { paid: false }, {}]).features[0].values)).toEqual([1, 0, NaN]);
  });

  it('codes categories by frequency, pools rare ones, and sends unseen values to the pooled code', () => {
    const values = [...Array(10).fill('a'), ...Array(6).fill('b'), 'c', null];
    const t = makeTable({ color: { type: 'category', values } });
    const enc = fitEncoding(t, rowsOf(values.length), [{ column: 'color', role: 'category' }]);
    expect(enc.columns[0]).toEqual({ column: 'color', as: 'category', categories: ['a', 'b'], other: true });
    const f = encodeInputs(enc, [{ color: 'b' }, { color: 'c' }, { color: 'never seen' }, { color: null }, { color: '' }]).features[0];
    expect(f.kind === 'categorical' && f.nCategories).toBe(3);
    expect(Array.from(f.values)).toEqual([1, 2, 2, -1, -1]);
  });

  it('turns free text into length, word count and frequent-word indicators', () => {
    const names = Array.from({ length: 40 }, (_, i) => (i % 2 ? `Smith, Mr. John ${i}` : `Brown, Miss. Anna ${i}`));
    const t = makeTable({ name: { type: 'text', values: [...names, null] } });
    const enc = fitEncoding(t, rowsOf(41), [{ column: 'name', role: 'text' }]);
    const c = enc.columns[0];
    expect(c.as === 'text' && c.vocabulary.slice(0, 6).sort()).toEqual(['anna', 'brown', 'john', 'miss', 'mr', 'smith']);
    const ds = encodeInputs(enc, [{ name: 'Jones, Mr. Tom' }, { name: null }]);
    const layout = featureLayout(enc);
    const mr = layout.names.indexOf('name contains "mr"');
    const miss = layout.names.indexOf('name contains "miss"');
    expect(ds.features[0].values[0]).toBe(14);
    expect(ds.features[1].values[0]).toBe(3);
    expect(ds.features[mr].values[0]).toBe(1);
    expect(ds.features[miss].values[0]).toBe(0);
    expect(Number.isNaN(ds.features[mr].values[1])).toBe(true);
  });

  it('reads an identifier-like code through its shared values, leading letters and parts, the same for training rows and new rows', () => {
    // Tickets: "PC 17599" held by two training rows, "113803" by one; the third row has none.
    const tickets = ['PC 17599', 'PC 17599', '113803', null, 'A/5 21171', 'STON/O2. 3101282'];
    const t = makeTable({ ticket: { type: 'category', values: tickets } });
    const enc = fitEncoding(t, rowsOf(6), [{ column: 'ticket', role: 'code' }]);
    expect(enc.columns[0]).toEqual({ column: 'ticket', as: 'code', shared: [['PC 17599', 2]], prefixes: ['PC'], otherPrefix: true });
    expect(featureLayout(enc).names).toEqual(['ticket (other rows with the value)', 'ticket (leading letters)', 'ticket (parts)']);
    expect(Array.from(featureLayout(enc).column)).toEqual([0, 0, 0]);
    // A training row does not count itself: each "PC 17599" row has one other.
    const train = encodeTable(enc, t, rowsOf(6), true);
    expect(Array.from(train.features[0].values)).toEqual([1, 1, 0, NaN, 0, 0]);
    expect(Array.from(train.features[1].values)).toEqual([0, 0, 1, -1, 1, 1]);
    expect(Array.from(train.features[2].values)).toEqual([2, 2, 1, NaN, 2, 2]);
    // A new row of the "PC 17599" family reads two training rows with its value; an unseen code none.
    const input = encodeInputs(enc, [{ ticket: 'PC 17599' }, { ticket: 'pc 99' }, { ticket: 'W./C. 6608' }, {}]);
    expect(Array.from(input.features[0].values)).toEqual([2, 0, 0, NaN]);
    expect(Array.from(input.features[1].values)).toEqual([0, 0, 1, -1]);
    expect(Array.from(encodeTable(enc, t, Int32Array.from([0]), false).features[0].values)).toEqual([2]);
  });

  it('reads numbers given as text and rejects a bad type naming the field', () => {
    const t = makeTable({ amount: { type: 'number', values: [1, 2] } });
    const enc = fitEncoding(t, rowsOf(2), [{ column: 'amount', role: 'number' }]);
    expect(Array.from(encodeInputs(enc, [{ amount: ' 3.5 ' }, { amount: 4 }, { amount: undefined }]).features[0].values)).toEqual([3.5, 4, NaN]);
    try {
      encodeInputs(enc, [{ amount: 'lots' }]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LatheError);
      expect((e as LatheError).code).toBe('INVALID_INPUT');
      expect((e as LatheError).message).toBe('The field "amount" must be a number; got "lots".');
    }
  });
});
