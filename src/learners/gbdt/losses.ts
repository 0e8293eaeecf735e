// Losses: base scores, per-row gradients and hessians, and the loss value used for early stopping.
// Only the boosting loop uses this module; the grower sees gradients and hessians only.
import { expFast } from './exp.js';
import type { GbdtLoss } from './types.js';

/** Hessians never go below this, so leaves of pure nodes stay finite. */
const MIN_HESSIAN = 1e-16;
/** Rows used to estimate the huber delta (a quantile of |residual|). */
const HUBER_SAMPLE = 100_000;

export interface Loss {
  readonly nOutputs: number;
  /** Float64Array of length nOutputs: the constant raw score that minimizes the loss. */
  baseScore(y: Float64Array, w: Float64Array | undefined): Float64Array;
  /**
   * Whether a row's gradients depend on that row alone, so that row ranges can be computed apart
   * (on two threads, shards.ts). The huber delta is a quantile over all rows: not per row.
   */
  readonly perRow: boolean;
  /**
   * Writes per-output gradients and hessians (each Float64Array of length nRows) of the rows
   * from..to-1 (default all) from the output-major raw scores (length nRows * nOutputs, output c
   * of row i at c * nRows + i: each tree then updates one contiguous block), weighted by w when given.
   */
  gradients(y: Float64Array, raw: Float64Array, w: Float64Array | undefined, grad: Float64Array[], hess: Float64Array[], from?: number, to?: number): void;
  /** Weighted mean loss over the rows (raw output-major, as for gradients). */
  value(y: Float64Array, raw: Float64Array, w: Float64Array | undefined): number;
}

export function makeLoss(loss: GbdtLoss, nClasses: number | undefined, huberAlpha: number | undefined): Loss {
  switch (loss) {
    case 'logloss':
      return new LogLoss();
    case 'softmax':
      if (!nClasses || nClasses < 3) throw new Error(`softmax needs nClasses >= 3, got ${nClasses}`);
      return new SoftmaxLoss(nClasses);
    case 'squared':
      return new SquaredLoss();
    case 'huber':
      return new HuberLoss(huberAlpha ?? 0.9);
    default:
      throw new Error(`unknown loss ${String(loss)}`);
  }
}

function weightSum(n: number, w: Float64Array | undefined): number {
  if (!w) return n;
  let s = 0;
  for (let i = 0; i < n; i++) s += w[i];
  return s;
}

class LogLoss implements Loss {
  readonly nOutputs = 1;
  readonly perRow = true;

  baseScore(y: Float64Array, w: Float64Array | undefined): Float64Array {
    let s = 0;
    for (let i = 0; i < y.length; i++) s += w ? w[i] * y[i] : y[i];
    const p = Math.min(1 - 1e-15, Math.max(1e-15, s / weightSum(y.length, w)));
    return Float64Array.of(Math.log(p / (1 - p)));
  }

  gradients(y: Float64Array, raw: Float64Array, w: Float64Array | undefined, grad: Float64Array[], hess: Float64Array[], from = 0, to = y.length): void {
    const g = grad[0];
    const h = hess[0];
    for (let i = from; i < to; i++) {
      const p = 1 / (1 + expFast(-raw[i]));
      const wi = w ? w[i] : 1;
      g[i] = wi * (p - y[i]);
      h[i] = wi * Math.max(p * (1 - p), MIN_HESSIAN);
    }
  }

  value(y: Float64Array, raw: Float64Array, w: Float64Array | undefined): number {
    let s = 0;
    for (let i = 0; i < y.length; i++) {
      // log(1 + e^-z) for y=1 and log(1 + e^z) for y=0, computed stably.
      const z = y[i] > 0.5 ? raw[i] : -raw[i];
      const l = z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
      s += w ? w[i] * l : l;
    }
    return s / weightSum(y.length, w);
  }
}

class SoftmaxLoss implements Loss {
  /** Float64Array of length nRows (allocated on first use): per row, the largest raw score. */
  private rowMax = new Float64Array(0);
  /** Float64Array of length nRows: per row, the sum of exponentials, then its inverse. */
  private rowSum = new Float64Array(0);

  readonly perRow = true;

  constructor(readonly nOutputs: number) {}

  baseScore(y: Float64Array, w: Float64Array | undefined): Float64Array {
    const k = this.nOutputs;
    const counts = new Float64Array(k);
    for (let i = 0; i < y.length; i++) counts[y[i]] += w ? w[i] : 1;
    const total = weightSum(y.length, w);
    const out = new Float64Array(k);
    let mean = 0;
    for (let c = 0; c < k; c++) {
      out[c] = Math.log(Math.max(counts[c] / total, 1e-15));
      mean += out[c] / k;
    }
    // Centre the log priors: softmax is shift-invariant and centred scores read better.
    for (let c = 0; c < k; c++) out[c] -= mean;
    return out;
  }

  /**
   * Output by output over contiguous rows (raw is output-major), instead of row by row with
   * strided reads: the same operations in the same order per row, so the same numbers, faster.
   * hess[c] holds the exponentials until the last pass turns them into probabilities.
   */
  gradients(y: Float64Array, raw: Float64Array, w: Float64Array | undefined, grad: Float64Array[], hess: Float64Array[], from = 0, to = y.length): void {
    const k = this.nOutputs;
    const n = y.length;
    if (this.rowMax.length !== n) {
      this.rowMax = new Float64Array(n);
      this.rowSum = new Float64Array(n);
    }
    const max = this.rowMax;
    const sum = this.rowSum;
    max.fill(-Infinity, from, to);
    sum.fill(0, from, to);
    for (let c = 0; c < k; c++) {
      for (let i = from, o = c * n + from; i < to; i++, o++) if (raw[o] > max[i]) max[i] = raw[o];
    }
    for (let c = 0; c < k; c++) {
      const e = hess[c];
      for (let i = from, o = c * n + from; i < to; i++, o++) sum[i] += e[i] = expFast(raw[o] - max[i]);
    }
    for (let i = from; i < to; i++) sum[i] = 1 / sum[i];
    for (let c = 0; c < k; c++) {
      const g = grad[c];
      const h = hess[c];
      if (w) {
        for (let i = from; i < to; i++) {
          const p = h[i] * sum[i];
          g[i] = w[i] * p;
          h[i] = w[i] * Math.max(p * (1 - p), MIN_HESSIAN);
        }
      } else {
        for (let i = from; i < to; i++) {
          const p = h[i] * sum[i];
          g[i] = p;
          const q = p * (1 - p);
          h[i] = q > MIN_HESSIAN ? q : MIN_HESSIAN;
        }
      }
    }
    // The true class: gradient p - 1 (times the weight), subtracted once per row instead of a
    // comparison in every row of every class.
    for (let i = from; i < to; i++) grad[y[i]][i] -= w ? w[i] : 1;
  }

  value(y: Float64Array, raw: Float64Array, w: Float64Array | undefined): number {
    const k = this.nOutputs;
    const n = y.length;
    let s = 0;
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let c = 0, o = i; c < k; c++, o += n) if (raw[o] > max) max = raw[o];
      let sum = 0;
      for (let c = 0, o = i; c < k; c++, o += n) sum += Math.exp(raw[o] - max);
      const l = Math.log(sum) + max - raw[y[i] * n + i];
      s += w ? w[i] * l : l;
    }
    return s / weightSum(y.length, w);
  }
}

class SquaredLoss implements Loss {
  readonly nOutputs = 1;
  readonly perRow = true;

  baseScore(y: Float64Array, w: Float64Array | undefined): Float64Array {
    let s = 0;
    for (let i = 0; i < y.length; i++) s += w ? w[i] * y[i] : y[i];
    return Float64Array.of(s / weightSum(y.length, w));
  }

  gradients(y: Float64Array, raw: Float64Array, w: Float64Array | undefined, grad: Float64Array[], hess: Float64Array[], from = 0, to = y.length): void {
    const g = grad[0];
    const h = hess[0];
    for (let i = from; i < to; i++) {
      const wi = w ? w[i] : 1;
      g[i] = wi * (raw[i] - y[i]);
      h[i] = wi;
    }
  }

  /** Half the weighted mean squared error (the loss whose gradient is raw - y). */
  value(y: Float64Array, raw: Float64Array, w: Float64Array | undefined): number {
    let s = 0;
    for (let i = 0; i < y.length; i++) {
      const r = raw[i] - y[i];
      s += (w ? w[i] : 1) * 0.5 * r * r;
    }
    return s / weightSum(y.length, w);
  }
}

/**
 * Huber loss with delta = the alpha-quantile of |residual|, re-estimated every round from the
 * training rows (Friedman's choice, as in scikit-learn's GradientBoostingRegressor).
 */
export class HuberLoss implements Loss {
  readonly nOutputs = 1;
  readonly perRow = false;
  /** The delta of the latest gradients() call (used by value()). */
  delta = Infinity;

  constructor(private readonly alpha: number) {
    if (!(alpha > 0 && alpha <= 1)) throw new Error(`huberAlpha must be in (0, 1], got ${alpha}`);
  }

  baseScore(y: Float64Array, w: Float64Array | undefined): Float64Array {
    return Float64Array.of(weightedQuantile(y, w, 0.5));
  }

  /** The delta comes from all rows' residuals, then rows from..to-1 are written. */
  gradients(y: Float64Array, raw: Float64Array, w: Float64Array | undefined, grad: Float64Array[], hess: Float64Array[], from = 0, to = y.length): void {
    const n = y.length;
    const step = Math.max(1, Math.floor(n / HUBER_SAMPLE));
    const abs = new Float64Array(Math.ceil(n / step));
    let m = 0;
    for (let i = 0; i < n; i += step) abs[m++] = Math.abs(y[i] - raw[i]);
    const sorted = abs.subarray(0, m).sort();
    this.delta = sorted[Math.min(m - 1, Math.floor(this.alpha * (m - 1)))];
    const d = this.delta;
    const g = grad[0];
    const h = hess[0];
    for (let i = from; i < to; i++) {
      const r = y[i] - raw[i];
      const wi = w ? w[i] : 1;
      g[i] = wi * (Math.abs(r) <= d ? -r : r > 0 ? -d : d);
      h[i] = wi;
    }
  }

  value(y: Float64Array, raw: Float64Array, w: Float64Array | undefined): number {
    const d = this.delta;
    let s = 0;
    for (let i = 0; i < y.length; i++) {
      const a = Math.abs(y[i] - raw[i]);
      const l = a <= d ? 0.5 * a * a : d * (a - 0.5 * d);
      s += w ? w[i] * l : l;
    }
    return s / weightSum(y.length, w);
  }
}

function weightedQuantile(y: Float64Array, w: Float64Array | undefined, q: number): number {
  const order = Array.from({ length: y.length }, (_, i) => i).sort((a, b) => y[a] - y[b] || a - b);
  const total = weightSum(y.length, w);
  let acc = 0;
  for (const i of order) {
    acc += w ? w[i] : 1;
    if (acc >= q * total) return y[i];
  }
  return order.length ? y[order[order.length - 1]] : 0;
}
