// Tests of the deterministic, stratified, recorded test split.
import { describe, expect, it } from 'vitest';
import { makeSplit, strata, stratifiedSplit } from './split.js';
import { makeTable } from './test-table.js';

describe('the test split', () => {
  it('holds out 20% of each outcome, the same rows for the same seed', () => {
    const y = Float64Array.from({ length: 100 }, (_, i) => (i < 80 ? 0 : 1));
    const a = stratifiedSplit(strata(y, true), 0.2, 7);
    const b = stratifiedSplit(strata(y, true), 0.2, 7);
    expect(Array.from(a.held)).toEqual(Array.from(b.held));
    expect(a.held.length).toBe(20);
    expect(Array.from(a.held).filter((i) => y[i] === 1)).toHaveLength(4);
    expect(a.keep.length + a.held.length).toBe(100);
    expect(Array.from(stratifiedSplit(strata(y, true), 0.2, 8).held)).not.toEqual(Array.from(a.held));
  });

  it('stratifies numbers by ten value bins', () => {
    const y = Float64Array.from({ length: 50 }, (_, i) => 50 - i);
    const s = strata(y, false);
    expect(s[49]).toBe(0);
    expect(s[0]).toBe(9);
  });

  it('records the method, seed, fraction, test row count and a digest of the test rows', () => {
    const t = makeTable({ x: { type: 'number', values: Array.from({ length: 10 }, (_, i) => i) } });
    const rows = Int32Array.from({ length: 10 }, (_, i) => i);
    const y = Float64Array.from({ length: 10 }, (_, i) => i % 2);
    const s1 = makeSplit(t, rows, y, true, 3);
    const s2 = makeSplit(t, rows, y, true, 3);
    expect(s1.record).toMatchObject({ method: 'stratified', seed: 3, fraction: 0.2, testRows: 2 });
    expect(s1.record.testDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(s2.record.testDigest).toBe(s1.record.testDigest);
  });

  it('follows a split column when one is given', () => {
    const t = makeTable({ split: { type: 'category', values: ['train', 'test', 'TEST', 'train', null] } });
    const rows = Int32Array.from([0, 1, 2, 3, 4]);
    const s = makeSplit(t, rows, new Float64Array(5), true, 1, 'split');
    expect(Array.from(s.test)).toEqual([1, 2]);
    expect(Array.from(s.train)).toEqual([0, 3, 4]);
    expect(s.record).toMatchObject({ method: 'column', column: 'split', testRows: 2 });
    const none = makeTable({ split: { type: 'category', values: ['train', 'train'] } });
    expect(() => makeSplit(none, Int32Array.from([0, 1]), new Float64Array(2), true, 1, 'split')).toThrow(/must mark some training rows "test"/);
  });
});
