// Tests of the linear learner: known coefficients, closed-form ridge, exact contributions, format.
import { describe, expect, it } from 'vitest';
import { deserializeGlm, glmContributions, glmTransform, predictGlmRaw, serializeGlm, trainGlm } from './index.js';

function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('the linear learner', () => {
  it('recovers the coefficients of a logistic model from its samples', () => {
    const r = lcg(1);
    const n = 4000;
    const x = new Float64Array(n * 2);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[2 * i] = 4 * r() - 2;
      x[2 * i + 1] = 4 * r() - 2;
      y[i] = r() < 1 / (1 + Math.exp(-(2 * x[2 * i] - x[2 * i + 1] + 0.5))) ? 1 : 0;
    }
    const m = trainGlm(x, n, 2, y, { loss: 'logistic', l2: 1e-6 });
    const w0 = m.weights[0] / m.scale[0];
    const w1 = m.weights[1] / m.scale[1];
    const b = m.intercept[0] - w0 * m.mean[0] - w1 * m.mean[1];
    expect(w0).toBeCloseTo(2, 0);
    expect(w1).toBeCloseTo(-1, 0);
    expect(b).toBeCloseTo(0.5, 0);
  });

  it('solves ridge regression exactly (closed form, checked by hand on one feature)', () => {
    // x = 1 2 3 (standardized: -1.2247, 0, 1.2247), y = 2 4 6: slope on z = Σz(y - 4) / (Σz² + α) = (4 / sd) / (3 + 1).
    const m = trainGlm(Float64Array.from([1, 2, 3]), 3, 1, Float64Array.from([2, 4, 6]), { loss: 'squared', l2: 1 });
    const sz = Math.sqrt(2 / 3);
    expect(m.weights[0]).toBeCloseTo((2 * 2) / sz / 4, 10);
    expect(m.intercept[0]).toBeCloseTo(4, 12);
    const pred = predictGlmRaw(m, Float64Array.from([2]), 1);
    expect(pred[0]).toBeCloseTo(4, 12);
  });

  it('gives softmax probabilities that sum to one and fit separable classes', () => {
    const x = Float64Array.from([0, 0.1, 5, 5.1, 10, 10.1]);
    const y = Float64Array.from([0, 0, 1, 1, 2, 2]);
    const m = trainGlm(x, 6, 1, y, { loss: 'softmax', nClasses: 3, l2: 0.01 });
    const p = glmTransform(m, predictGlmRaw(m, x, 6));
    for (let i = 0; i < 6; i++) {
      expect(p[3 * i] + p[3 * i + 1] + p[3 * i + 2]).toBeCloseTo(1, 12);
      expect(p[3 * i + y[i]]).toBeGreaterThan(0.5);
    }
  });

  it('splits a raw score exactly into per-feature contributions plus the bias', () => {
    const x = Float64Array.from([1, 5, 2, 3, 3, 1, 4, 4]);
    const m = trainGlm(x, 4, 2, Float64Array.from([0, 1, 0, 1]), { loss: 'logistic', l2: 1 });
    const raw = predictGlmRaw(m, x.subarray(2, 4), 1);
    const c = glmContributions(m, x.subarray(2, 4));
    expect(c[0] + c[1] + c[2]).toBeCloseTo(raw[0], 12);
  });

  it('round-trips through its versioned binary format', () => {
    const m = trainGlm(Float64Array.from([1, 2, 3, 4]), 4, 1, Float64Array.from([0, 0, 1, 1]), { loss: 'logistic', l2: 1 });
    const back = deserializeGlm(serializeGlm(m));
    expect(back).toEqual(m);
    const bytes = serializeGlm(m);
    bytes[0] = 9;
    expect(() => deserializeGlm(bytes)).toThrow(/format version 9/);
  });
});
