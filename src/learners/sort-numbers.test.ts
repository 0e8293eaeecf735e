// The radix sort against the built-in sort, on the awkward values.
import { describe, expect, it } from 'vitest';
import { sortFloat64 } from './sort-numbers.js';

function same(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

describe('sortFloat64', () => {
  const special = [0, -0, 1, -1, Infinity, -Infinity, NaN, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, 2 ** 52, 0.1, -0.1, 1e-300, -1e300];
  let seed = 12345;
  const next = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };

  it.each([0, 1, 10, 5000, 20_000, 100_000])('sorts %i values like Float64Array.prototype.sort', (n) => {
    const v = Float64Array.from({ length: n }, (_, i) => (i % 17 === 0 ? special[i % special.length] : i % 5 === 0 ? Math.round(next() * 20) : (next() - 0.5) * 10 ** Math.floor(next() * 12 - 6)));
    expect(same(sortFloat64(v.slice()), v.slice().sort())).toBe(true);
  });

  it('keeps a column of one repeated value, and of integers with a few missing', () => {
    const ones = new Float64Array(20_000).fill(3.5);
    expect(same(sortFloat64(ones.slice()), ones)).toBe(true);
    const ints = Float64Array.from({ length: 50_000 }, (_, i) => (i % 1000 === 7 ? NaN : (i * 7919) % 50_000));
    expect(same(sortFloat64(ints.slice()), ints.slice().sort())).toBe(true);
  });
});
