// Dual coordinate descent for L2-regularized linear SVMs (squared or plain hinge loss), with
// shrinking, after Hsieh et al. (2008) "A Dual Coordinate Descent Method for Large-scale Linear SVM".
import { Random } from './random.js';
import type { CsrMatrix } from './sparse.js';

export interface SvmOptions {
  /** Inverse regularization strength. */
  C: number;
  /** Multiplies C for positive examples (class weighting for rare tags); 1 = unweighted. */
  positiveWeight: number;
  /** 'squared-hinge' = L2-loss SVM (LinearSVC's default); 'hinge' = L1-loss SVM. */
  loss: 'squared-hinge' | 'hinge';
  /** Value of the constant feature that carries the intercept (regularized like the weights); 0 = no intercept. */
  bias: number;
  /** Stop when the spread of projected gradients is at most this. */
  tolerance: number;
  maxIterations: number;
  seed: number;
}

export const DEFAULT_SVM_OPTIONS: SvmOptions = {
  C: 1,
  positiveWeight: 1,
  loss: 'squared-hinge',
  bias: 1,
  tolerance: 0.1,
  maxIterations: 1000,
  seed: 1,
};

export interface SvmSolution {
  /**
   * Length X.columns, Float32 weights (the `w` passed in). Float32 halves the memory the solver
   * reads at random, which is what bounds its speed; the tolerance is far above float32 rounding.
   */
  weights: Float32Array;
  intercept: number;
  iterations: number;
  /** Length rows.length, Float64 dual variables (for tests and diagnostics). */
  alpha: Float64Array;
}

/**
 * Trains one binary linear SVM on the rows `rows` of X with labels `labels[k]` = +1 / -1 for row
 * rows[k]. Minimizes ½‖w‖² + Σ C_k ξ_k^p over (w, intercept) with the intercept as a feature of
 * value `bias`. `weights` (length X.columns) is overwritten; passing it avoids allocating per tag.
 * `initialAlpha` (length rows.length) warm-starts the dual variables.
 */
export function trainSvm(X: CsrMatrix, rows: Int32Array, labels: Int8Array, options: SvmOptions, weights = new Float32Array(X.columns), initialAlpha?: ArrayLike<number>): SvmSolution {
  const l = rows.length;
  const { rowPtr, colIdx, values } = X;
  const w = weights;
  w.fill(0);
  let wb = 0;
  const bias = options.bias;
  const squared = options.loss === 'squared-hinge';
  /** Per example: Float64 diagonal added to Q (1/(2C_k) for squared hinge), upper bound of alpha, Q_kk. */
  const diag = new Float64Array(l);
  const upper = new Float64Array(l);
  const qd = new Float64Array(l);
  const alpha = new Float64Array(l);
  /** Active examples first: Int32 positions into rows/labels. */
  const index = new Int32Array(l);
  const Cpos = options.C * options.positiveWeight;
  const Cneg = options.C;
  for (let k = 0; k < l; k++) {
    const Ck = labels[k] > 0 ? Cpos : Cneg;
    diag[k] = squared ? 0.5 / Ck : 0;
    upper[k] = squared ? Infinity : Ck;
    const r = rows[k];
    let sq = bias * bias;
    for (let p = rowPtr[r]; p < rowPtr[r + 1]; p++) sq += values[p] * values[p];
    qd[k] = sq + diag[k];
    index[k] = k;
  }
  if (initialAlpha) {
    // Warm start (e.g. from cross-validation models): w = Σ alpha_k y_k x_k.
    for (let k = 0; k < l; k++) {
      const a = Math.min(Math.max(initialAlpha[k], 0), upper[k]);
      if (a === 0) continue;
      alpha[k] = a;
      const step = a * labels[k];
      const r = rows[k];
      for (let p = rowPtr[r]; p < rowPtr[r + 1]; p++) w[colIdx[p]] += step * values[p];
      wb += step * bias;
    }
  }
  const random = new Random(options.seed);
  let active = l;
  let pgMaxOld = Infinity;
  let pgMinOld = -Infinity;
  let iteration = 0;
  while (iteration < options.maxIterations) {
    iteration++;
    let pgMaxNew = -Infinity;
    let pgMinNew = Infinity;
    random.shuffle(index, active);
    let s = 0;
    while (s < active) {
      const k = index[s];
      const r = rows[k];
      const y = labels[k];
      const start = rowPtr[r];
      const end = rowPtr[r + 1];
      let margin = wb * bias;
      for (let p = start; p < end; p++) margin += w[colIdx[p]] * values[p];
      const a = alpha[k];
      const G = margin * y - 1 + a * diag[k];
      let pg = 0;
      if (a === 0) {
        if (G > pgMaxOld) {
          // Shrink: this example sits at its bound and is expected to stay there.
          active--;
          index[s] = index[active];
          index[active] = k;
          continue;
        }
        if (G < 0) pg = G;
      } else if (a === upper[k]) {
        if (G < pgMinOld) {
          active--;
          index[s] = index[active];
          index[active] = k;
          continue;
        }
        if (G > 0) pg = G;
      } else pg = G;
      if (pg > pgMaxNew) pgMaxNew = pg;
      if (pg < pgMinNew) pgMinNew = pg;
      if (Math.abs(pg) > 1e-12) {
        const next = Math.min(Math.max(a - G / qd[k], 0), upper[k]);
        alpha[k] = next;
        const step = (next - a) * y;
        for (let p = start; p < end; p++) w[colIdx[p]] += step * values[p];
        wb += step * bias;
      }
      s++;
    }
    if (pgMaxNew - pgMinNew <= options.tolerance) {
      if (active === l) break;
      // Converged on the active set: check once more on every example before stopping.
      active = l;
      pgMaxOld = Infinity;
      pgMinOld = -Infinity;
      continue;
    }
    pgMaxOld = pgMaxNew <= 0 ? Infinity : pgMaxNew;
    pgMinOld = pgMinNew >= 0 ? -Infinity : pgMinNew;
  }
  return { weights: w, intercept: wb * bias, iterations: iteration, alpha };
}

/** w·x + intercept for row r of X. */
export function decision(X: CsrMatrix, r: number, weights: ArrayLike<number>, intercept: number): number {
  let s = intercept;
  for (let p = X.rowPtr[r]; p < X.rowPtr[r + 1]; p++) s += weights[X.colIdx[p]] * X.values[p];
  return s;
}
