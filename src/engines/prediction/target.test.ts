// Tests of kind detection and the positive outcome.
import { describe, expect, it } from 'vitest';
import type { ColumnData } from '../../tables/table-data.js';
import { resolveTarget } from './target.js';

const all = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);
const cat = (values: (string | null)[]): ColumnData => ({ name: 'outcome', type: 'category', values });
const num = (values: number[]): ColumnData => ({ name: 'outcome', type: 'number', values: Float64Array.from(values) });

describe('kind detection', () => {
  it('makes any two distinct values binary, whatever they look like', () => {
    const r = resolveTarget(cat(['<=50K', '>50K', '<=50K', null]), all(4), {});
    expect(r.target).toMatchObject({ kind: 'binary', outcomes: ['<=50K', '>50K'], positive: '>50K' });
    expect(Array.from(r.target!.rows)).toEqual([0, 1, 2]);
    expect(r.target!.reason).toMatch(/exactly two values.*Positive outcome: ">50K" \(the rarer outcome\)/);
    expect(resolveTarget(num([0, 1, 1, 0, 0]), all(5), {}).target).toMatchObject({ kind: 'binary', outcomes: ['0', '1'], positive: '1' });
  });

  it('prefers yes / true / 1 as the positive outcome, else the rarer one', () => {
    expect(resolveTarget(cat(['yes', 'no', 'no', 'no']), all(4), {}).target!.positive).toBe('yes');
    expect(resolveTarget(cat(['Yes', 'No', 'Yes', 'Yes']), all(4), {}).target!.positive).toBe('Yes');
    expect(resolveTarget({ name: 'paid', type: 'boolean', values: Float64Array.from([1, 0, 0]) }, all(3), {}).target!.positive).toBe('true');
    expect(resolveTarget(cat(['late', 'on time', 'on time']), all(3), {}).target!.positive).toBe('late');
    expect(resolveTarget(cat(['late', 'on time', 'on time']), all(3), { positive: 'on time' }).target!.reason).toMatch(/chosen in the configuration/);
  });

  it('makes text with three or more values multiple outcome, and numbers with more than two numerical', () => {
    expect(resolveTarget(cat(['a', 'b', 'c', 'a']), all(4), {}).target).toMatchObject({ kind: 'multiclass', outcomes: ['a', 'b', 'c'] });
    const n = resolveTarget(num([1.5, 2, 3, NaN]), all(4), {});
    expect(n.target).toMatchObject({ kind: 'numerical' });
    expect(Array.from(n.target!.y)).toEqual([1.5, 2, 3]);
  });

  it('lets the user treat integer codes as outcomes, ordered numerically', () => {
    const r = resolveTarget(num([10, 2, 3, 2]), all(4), { kind: 'multiclass' });
    expect(r.target).toMatchObject({ kind: 'multiclass', outcomes: ['2', '3', '10'] });
    expect(r.target!.reason).toMatch(/chosen in the configuration/);
  });

  it('maps a many-valued outcome to yes / no around the chosen positive outcome', () => {
    const r = resolveTarget(cat(['gold', 'silver', 'bronze', 'gold']), all(4), { kind: 'binary', positive: 'gold' });
    expect(r.target).toMatchObject({ kind: 'binary', outcomes: ['not gold', 'gold'] });
    expect(Array.from(r.target!.y)).toEqual([1, 0, 0, 1]);
    expect(resolveTarget(cat(['gold', 'silver', 'bronze']), all(3), { kind: 'binary' }).errors[0].code).toBe('POSITIVE_REQUIRED');
  });

  it('reports one outcome, an unknown positive outcome, and text asked as a number', () => {
    expect(resolveTarget(cat(['a', 'a']), all(2), {}).errors[0]).toMatchObject({ code: 'ONE_OUTCOME', message: expect.stringContaining('"a"') });
    expect(resolveTarget(cat(['a', 'b']), all(2), { positive: 'c' }).errors[0].message).toBe('The positive outcome "c" does not appear in "outcome". Its values are "a", "b".');
    expect(resolveTarget(cat(['1', 'x', '3']), all(3), { kind: 'numerical' }).errors[0].code).toBe('TARGET_NOT_NUMERIC');
    expect(resolveTarget(cat(['1', '2,5', '3']), all(3), { kind: 'numerical' }).errors).toEqual([]);
  });
});
