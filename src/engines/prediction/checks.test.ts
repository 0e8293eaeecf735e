// Tests of every data rule of prediction.md and its message.
import { describe, expect, it } from 'vitest';
import type { TableShape } from '../seam.js';
import { association, checkShape, prepare } from './checks.js';
import type { PredictionConfiguration } from './configuration.js';
import { makeTable, sequence } from './test-table.js';

/** n rows: a useful number, a category, and a yes/no outcome loosely tied to both. */
function base(n: number, extra: Record<string, Parameters<typeof makeTable>[0][string]> = {}) {
  const r = sequence(5);
  const amount = Array.from({ length: n }, () => Math.round(r() * 1000) / 10);
  const region = Array.from({ length: n }, () => ['north', 'south', 'east'][Math.floor(r() * 3)]);
  const late = amount.map((a) => (a + r() * 60 > 70 ? 'yes' : 'no'));
  return makeTable({
    amount: { type: 'number', values: amount },
    region: { type: 'category', values: region },
    late: { type: 'category', values: late },
    ...extra,
  });
}
const cfg = (c: Partial<PredictionConfiguration> = {}): PredictionConfiguration => ({ tableId: 't1', target: 'late', ...c });
const codes = (msgs: { code: string }[]): string[] => msgs.map((m) => m.code);

describe('errors that block training', () => {
  it('needs 50 training rows, in the exact words of the spec', () => {
    const p = prepare(base(49), cfg());
    expect(p.errors[0]).toMatchObject({ code: 'TOO_FEW_ROWS', message: 'The model needs at least 50 rows to train. Orders has only 49 rows. Add data or select another table.' });
  });

  it('counts only rows that match the filter and have an outcome', () => {
    const t = base(120);
    (t.columns[2].values as (string | null)[]).fill(null, 0, 60);
    const p = prepare(t, cfg({ filter: { column: 'region', operator: 'not equals', value: 'east' } }));
    expect(p.rows.training).toBeLessThan(80);
    expect(p.rows.matched).toBeGreaterThan(p.rows.training);
    expect(p.errors[0].code).toBe('TOO_FEW_ROWS');
  });

  it('does not call many equally common outcomes imbalanced', () => {
    const t = base(600);
    const late = t.columns[2].values as string[];
    for (let i = 0; i < 600; i++) late[i] = String.fromCharCode(65 + (i % 26));
    expect(codes(prepare(t, cfg()).warnings)).not.toContain('CLASS_IMBALANCE');
  });

  it('names an outcome with fewer than 10 rows and its count', () => {
    const t = base(100);
    const late = t.columns[2].values as string[];
    for (let i = 0; i < 100; i++) late[i] = i < 7 ? 'maybe' : i % 2 ? 'yes' : 'no';
    const p = prepare(t, cfg());
    expect(p.errors).toContainEqual(expect.objectContaining({
      code: 'OUTCOME_TOO_RARE',
      message: 'The outcome "maybe" has only 7 training rows; every outcome needs at least 10. Add rows with this outcome, or leave them out with the filter.',
    }));
  });

  it('refuses a single outcome', () => {
    const t = base(60);
    (t.columns[2].values as string[]).fill('no');
    expect(codes(prepare(t, cfg()).errors)).toEqual(['ONE_OUTCOME']);
  });

  it('refuses when no usable input column is left', () => {
    const t = makeTable({
      same: { type: 'number', values: Array(60).fill(1) },
      late: { type: 'category', values: Array.from({ length: 60 }, (_, i) => (i % 2 ? 'yes' : 'no')) },
    });
    const p = prepare(t, cfg());
    expect(p.errors.map((e) => e.message)).toEqual(['No input column is left to learn from ("same" was left out, see the warnings). Add columns that describe each row, or force a column back in.']);
  });
});

describe('warnings that let training continue', () => {
  it('drops a single-value column', () => {
    const p = prepare(base(100, { constant: { type: 'category', values: Array(100).fill('x') } }), cfg());
    expect(p.warnings).toContainEqual(expect.objectContaining({ code: 'COLUMN_SINGLE_VALUE', column: 'constant', message: '"constant" has the same value in every training row, so it cannot help and was left out.' }));
    expect(p.plan.map((c) => c.column)).toEqual(['amount', 'region']);
  });

  it('states the missing ratio and threshold, and drops a column that is almost all missing', () => {
    const many = Array.from({ length: 100 }, (_, i) => (i % 10 < 6 ? NaN : i));
    const most = Array.from({ length: 100 }, (_, i) => (i < 97 ? NaN : i));
    const p = prepare(base(100, { many: { type: 'number', values: many }, most: { type: 'number', values: most } }), cfg());
    const w = (c: string) => p.warnings.find((x) => x.column === c)!;
    expect(w('many')).toMatchObject({ code: 'COLUMN_MANY_MISSING', details: { ratio: 0.6, threshold: 0.5 } });
    expect(w('many').message).toBe('"many" is empty in 60% of the training rows (warning from 50%). It is used, with empty cells kept as missing, but it may help little: fill it in if you can.');
    expect(w('most').message).toBe('"most" is empty in 97% of the training rows (95% or more), so it was left out. Fill it in, or force it back in.');
    expect(p.plan.map((c) => c.column)).toContain('many');
    expect(p.plan.map((c) => c.column)).not.toContain('most');
  });

  it('excludes a column that predicts the outcome too well, and forceInclude brings it back', () => {
    const t = base(200);
    const late = t.columns[2].values as string[];
    const t2 = base(200, { delivered: { type: 'category', values: late.map((l) => (l === 'yes' ? 'after deadline' : 'on time')) } });
    const p = prepare(t2, cfg());
    const w = p.warnings.find((x) => x.code === 'COLUMN_POSSIBLE_LEAKAGE')!;
    expect(w.column).toBe('delivered');
    expect(w.message).toBe('"delivered" predicts "late" too well on its own (accuracy gain over the majority outcome 100%, threshold 95%): it may only be known after the outcome. It was left out; force it back in if it is known when predicting.');
    expect(p.plan.map((c) => c.column)).not.toContain('delivered');
    expect(prepare(t2, cfg({ forceInclude: ['delivered'] })).plan.map((c) => c.column)).toContain('delivered');
  });

  it('excludes identifier-like columns but reads many-word values as free text', () => {
    const ids = Array.from({ length: 100 }, (_, i) => `A-${1000 + i}`);
    const notes = Array.from({ length: 100 }, (_, i) => `customer called about order ${i} twice`);
    const rowNo = Array.from({ length: 100 }, (_, i) => i + 1);
    const p = prepare(base(100, { ref: { type: 'category', values: ids }, note: { type: 'category', values: notes }, line: { type: 'number', values: rowNo } }), cfg());
    expect(p.warnings.filter((w) => w.code === 'COLUMN_IDENTIFIER').map((w) => w.column)).toEqual(['ref', 'line']);
    expect(p.warnings.find((w) => w.column === 'ref')!.message).toBe('"ref" looks like an identifier: 100 different values in 100 filled rows. Identifiers do not generalize to new rows, so it was left out. Force it back in if its values carry meaning.');
    expect(p.plan).toContainEqual({ column: 'note', role: 'text' });
    expect(prepare(base(100, { ref: { type: 'category', values: ids } }), cfg({ forceInclude: ['ref'] })).plan.map((c) => c.column)).toContain('ref');
  });

  it('reads an identifier-like code whose values recur or whose letters vary through what they share, and says so', () => {
    // Booking codes: mostly distinct, some shared by two rows, some with a letter prefix.
    const booking = Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? `PC ${5000 + i}` : `${1000 + i - (i % 7 === 1 ? 1 : 0)}`));
    const p = prepare(base(100, { booking: { type: 'category', values: booking } }), cfg());
    expect(p.plan).toContainEqual({ column: 'booking', role: 'code' });
    expect(p.excluded.map((e) => e.column)).not.toContain('booking');
    const w = p.warnings.find((x) => x.column === 'booking')!;
    expect(w.code).toBe('COLUMN_CODE');
    expect(w.message).toBe('"booking" looks like an identifier or code: 88 different values in 100 filled rows. Its values do not generalize to new rows, so they are not learned one by one; the model uses how many rows share a value, its leading letters and its number of parts instead. Force it in to use its values as categories.');
    // Forced in, its values are categories.
    expect(prepare(base(100, { booking: { type: 'category', values: booking } }), cfg({ forceInclude: ['booking'] })).plan).toContainEqual({ column: 'booking', role: 'category' });
  });

  it('flags near-duplicate columns, strong imbalance and fewer than 1,000 rows', () => {
    const t = base(400);
    const amount = Array.from(t.columns[0].values as Float64Array);
    const region = t.columns[1].values as string[];
    const late = t.columns[2].values as string[];
    for (let i = 0; i < 400; i++) late[i] = i % 40 === 0 ? 'yes' : 'no';
    const t2 = base(400, { cents: { type: 'number', values: amount.map((a) => a * 100) }, area: { type: 'category', values: region.map((r) => r.toUpperCase()) } });
    (t2.columns[2].values as string[]).splice(0, 400, ...late);
    const p = prepare(t2, cfg());
    expect(codes(p.warnings)).toEqual(expect.arrayContaining(['FEW_ROWS', 'CLASS_IMBALANCE', 'COLUMNS_NEAR_DUPLICATE']));
    expect(p.warnings.filter((w) => w.code === 'COLUMNS_NEAR_DUPLICATE').map((w) => w.details!.columns)).toEqual([['amount', 'cents'], ['region', 'area']]);
    expect(p.warnings.find((w) => w.code === 'CLASS_IMBALANCE')!.message).toBe('The outcome "yes" is rare: 10 training rows (2.5%), fewer than 1 for 20 of "no" (390). Accuracy can look high while this outcome is missed: check its recall, and add rows with this outcome if you can.');
    expect(p.warnings.find((w) => w.code === 'FEW_ROWS')!.message).toBe('The model has 400 rows to learn from; 1,000 or more are recommended for a reliable model. Add rows when you can.');
    expect(p.errors).toEqual([]);
  });
});

describe('checks without rows (the draft editor)', () => {
  const shape: TableShape = { tableId: 't1', name: 'Orders', rowCount: 10, columns: [{ name: 'amount', type: 'number' }, { name: 'late', type: 'category' }] };

  it('asks for an outcome and names unknown columns', () => {
    expect(codes(checkShape({ tableId: 't1' }, shape).errors)).toEqual(['TARGET_REQUIRED']);
    const r = checkShape({ tableId: 't1', target: 'lateness', features: ['amount', 'colour'], forceInclude: ['x'] }, shape);
    expect(r.errors.map((e) => e.message)).toEqual([
      'The outcome column "lateness" does not exist in Orders. Choose one of its columns.',
      'The input column "colour" does not exist in Orders. Remove it from the input columns.',
      'The column "x" to force back in does not exist in Orders.',
    ]);
  });

  it('refuses the outcome as an input and a malformed setting', () => {
    expect(codes(checkShape({ tableId: 't1', target: 'late', features: ['late'] }, shape).errors)).toEqual(['TARGET_AS_INPUT']);
    expect(codes(checkShape({ tableId: 't1', target: 'late', kind: 'ordinal' }, shape).errors)).toEqual(['INVALID_FIELD']);
    expect(codes(checkShape({ tableId: 't1', target: 'late', filter: { column: 'zone', operator: 'is empty' } }, shape).errors)).toEqual(['INVALID_FILTER']);
    expect(checkShape({ tableId: 't1', target: 'late' }, shape)).toMatchObject({ errors: [], config: { target: 'late' } });
  });
});

describe('the leakage association', () => {
  it('is cross-fitted, so a value per row cannot score by memorizing', () => {
    const n = 200;
    const y = Float64Array.from({ length: n }, (_, i) => i % 2);
    const unique = Int32Array.from({ length: n }, (_, i) => i);
    const target = { kind: 'binary' as const, reason: '', outcomes: ['a', 'b'], rows: unique, y };
    expect(association(unique, n, y, target)).toBe(0);
    expect(association(Int32Array.from(y), 2, y, target)).toBe(1);
  });
});
