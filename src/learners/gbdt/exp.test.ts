// expFast against Math.exp.
import { describe, expect, it } from 'vitest';
import { expFast } from './exp.js';
import { Rng } from './random.js';

describe('expFast', () => {
  it('stays within 2e-15 relative of Math.exp from -700 to 700', () => {
    const rng = new Rng(7);
    let worst = 0;
    const xs = [0, -0, 1, -1, 1e-300, Math.LN2, 700, -700, 709.5, -745, 1e6, -1e6];
    for (let i = 0; i < 200_000; i++) xs.push((rng.nextFloat() - 0.5) * (i % 2 ? 40 : 1400));
    for (const x of xs) {
      const c = Math.max(-700, Math.min(700, x));
      worst = Math.max(worst, Math.abs(expFast(x) - Math.exp(c)) / Math.exp(c));
    }
    expect(worst).toBeLessThan(2e-15);
  });
});
