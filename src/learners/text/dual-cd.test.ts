import { describe, expect, it } from 'vitest';
import { decision, trainSvm, DEFAULT_SVM_OPTIONS } from './dual-cd.js';
import type { CsrMatrix } from './sparse.js';

/** A tiny dense problem stored as CSR (rows of `dense`). */
function csr(dense: number[][]): CsrMatrix {
  const rowPtr = [0];
  const colIdx: number[] = [];
  const values: number[] = [];
  for (const row of dense) {
    row.forEach((v, j) => {
      if (v !== 0) {
        colIdx.push(j);
        values.push(v);
      }
    });
    rowPtr.push(colIdx.length);
  }
  return { rows: dense.length, columns: dense[0].length, rowPtr: Int32Array.from(rowPtr), colIdx: Int32Array.from(colIdx), values: Float32Array.from(values) };
}

const X = [
  [1, 0.5, 0],
  [0.8, 0, 0.3],
  [0.9, 0.2, -0.1],
  [-0.7, 0.1, 0.4],
  [-1, -0.4, 0],
  [0.2, 0.3, 0.9],
  [0.1, -0.9, 0.3],
];
const y = [1, 1, 1, -1, -1, 1, -1];

/** The slow, obvious twin: gradient descent on the primal squared-hinge objective (intercept = feature of value 1). */
function primal(C: number): { w: number[]; b: number } {
  let w = [0, 0, 0];
  let b = 0;
  for (let it = 0; it < 100000; it++) {
    const gw = [...w];
    let gb = b;
    X.forEach((x, i) => {
      const m = y[i] * (x[0] * w[0] + x[1] * w[1] + x[2] * w[2] + b);
      if (m < 1) {
        const c = -2 * C * (1 - m) * y[i];
        for (let j = 0; j < 3; j++) gw[j] += c * x[j];
        gb += c;
      }
    });
    w = w.map((v, j) => v - 0.01 * gw[j]);
    b -= 0.01 * gb;
  }
  return { w, b };
}

describe('trainSvm (dual coordinate descent)', () => {
  it('finds the same squared-hinge optimum as gradient descent on the primal', () => {
    const M = csr(X);
    const rows = Int32Array.from(X.keys());
    const sol = trainSvm(M, rows, Int8Array.from(y), { ...DEFAULT_SVM_OPTIONS, C: 0.7, tolerance: 1e-9 });
    const reference = primal(0.7);
    for (let j = 0; j < 3; j++) expect(sol.weights[j]).toBeCloseTo(reference.w[j], 4);
    expect(sol.intercept).toBeCloseTo(reference.b, 4);
  });

  it('keeps hinge-loss dual variables within [0, C] and satisfies the optimality conditions', () => {
    const M = csr(X);
    const rows = Int32Array.from(X.keys());
    const C = 0.5;
    const sol = trainSvm(M, rows, Int8Array.from(y), { ...DEFAULT_SVM_OPTIONS, C, loss: 'hinge', tolerance: 1e-9 });
    sol.alpha.forEach((a, i) => {
      expect(a).toBeGreaterThanOrEqual(0);
      expect(a).toBeLessThanOrEqual(C + 1e-12);
      const margin = y[i] * decision(M, i, sol.weights, sol.intercept);
      if (a === 0) expect(margin).toBeGreaterThanOrEqual(1 - 1e-4);
      else if (a >= C - 1e-9) expect(margin).toBeLessThanOrEqual(1 + 1e-4);
      else expect(margin).toBeCloseTo(1, 3);
    });
  });

  it('trains on a subset of rows only', () => {
    const M = csr(X);
    const sol = trainSvm(M, Int32Array.from([0, 4]), Int8Array.from([1, -1]), { ...DEFAULT_SVM_OPTIONS, tolerance: 1e-9 });
    expect(decision(M, 0, sol.weights, sol.intercept)).toBeGreaterThan(0);
    expect(decision(M, 4, sol.weights, sol.intercept)).toBeLessThan(0);
    expect(sol.alpha.length).toBe(2);
  });

  it('reaches the same optimum from a warm start', () => {
    const M = csr(X);
    const rows = Int32Array.from(X.keys());
    const options = { ...DEFAULT_SVM_OPTIONS, tolerance: 1e-9 };
    const cold = trainSvm(M, rows, Int8Array.from(y), options);
    const warm = trainSvm(M, rows, Int8Array.from(y), options, undefined, new Float64Array(X.length).fill(0.3));
    for (let j = 0; j < 3; j++) expect(warm.weights[j]).toBeCloseTo(cold.weights[j], 4);
  });
});
