// Regularized linear models on standardized dense features: logistic, softmax and ridge regression.
import { lbfgs } from './lbfgs.js';

export type GlmLoss = 'logistic' | 'softmax' | 'squared';

export interface GlmParams {
  loss: GlmLoss;
  /** softmax only (>= 3); labels 0..nClasses-1. */
  nClasses?: number;
  /**
   * L2 penalty on the weights (never the intercepts) of the objective
   * sum of per-row losses + l2/2 * |w|^2 (squared loss: sum of squared errors + l2 * |w|^2),
   * i.e. scikit-learn's LogisticRegression(C = 1/l2) and Ridge(alpha = l2).
   */
  l2: number;
  maxIter?: number;
  gradientTolerance?: number;
  /**
   * Uint8Array of length nFeatures, optional: 0 keeps a feature's scale (0/1 indicators, so the penalty
   * treats every level alike, as one-hot pipelines usually do), 1 scales it to unit variance. Default: all 1.
   */
  standardize?: Uint8Array;
}

export interface GlmModel {
  formatVersion: 1;
  loss: GlmLoss;
  nFeatures: number;
  /** 1, or nClasses for softmax. */
  nOutputs: number;
  /** Float64Array of length nFeatures: the training mean of each feature (standardization). */
  mean: Float64Array;
  /** Float64Array of length nFeatures: the training standard deviation (1 for constant features). */
  scale: Float64Array;
  /** Float64Array of length nOutputs * nFeatures, output-major: weights on standardized features. */
  weights: Float64Array;
  /** Float64Array of length nOutputs. */
  intercept: Float64Array;
}

export const GLM_FORMAT_VERSION = 1;

/** Mean and standard deviation per feature (1 for constant features). */
function moments(x: Float64Array, nRows: number, p: number, standardize?: Uint8Array): { mean: Float64Array; scale: Float64Array } {
  const mean = new Float64Array(p);
  const scale = new Float64Array(p);
  for (let i = 0; i < nRows; i++) for (let j = 0; j < p; j++) mean[j] += x[i * p + j];
  for (let j = 0; j < p; j++) mean[j] /= nRows;
  for (let i = 0; i < nRows; i++) for (let j = 0; j < p; j++) scale[j] += (x[i * p + j] - mean[j]) ** 2;
  for (let j = 0; j < p; j++) {
    const sd = Math.sqrt(scale[j] / nRows);
    scale[j] = sd > 1e-12 ? sd : 1;
    // Centering never changes the fit (the intercept absorbs it); only the scale changes the penalty.
    if (standardize && !standardize[j]) scale[j] = 1;
  }
  return { mean, scale };
}

/**
 * The non-zero cells of x by row (compressed sparse rows). One-hot columns are mostly zero, and
 * standardizing them would make them dense, so the solver works on raw x and applies the
 * standardization algebraically: w . z = sum_j (w_j / s_j) x_j - sum_j w_j m_j / s_j.
 */
interface Sparse {
  /** Int32Array of length nRows + 1: row i's cells are [rowStart[i], rowStart[i+1]). */
  rowStart: Int32Array;
  /** Int32Array of length nnz: column of each cell. */
  col: Int32Array;
  /** Float64Array of length nnz: value of each cell. */
  val: Float64Array;
}

function toSparse(x: Float64Array, nRows: number, p: number): Sparse {
  let nnz = 0;
  for (let k = 0; k < x.length; k++) if (x[k] !== 0) nnz++;
  const rowStart = new Int32Array(nRows + 1);
  const col = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  let o = 0;
  for (let i = 0; i < nRows; i++) {
    rowStart[i] = o;
    for (let j = 0; j < p; j++) {
      const v = x[i * p + j];
      if (v !== 0) {
        col[o] = j;
        val[o++] = v;
      }
    }
  }
  rowStart[nRows] = o;
  return { rowStart, col, val };
}

/** Solves A w = b for a symmetric positive definite A (p*p row-major) by Cholesky. */
function choleskySolve(A: Float64Array, b: Float64Array, p: number): Float64Array {
  const L = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * p + j];
      for (let k = 0; k < j; k++) s -= L[i * p + k] * L[j * p + k];
      L[i * p + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / L[j * p + j];
    }
  }
  const t = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * p + k] * t[k];
    t[i] = s / L[i * p + i];
  }
  const w = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = t[i];
    for (let k = i + 1; k < p; k++) s -= L[k * p + i] * w[k];
    w[i] = s / L[i * p + i];
  }
  return w;
}

/**
 * Trains on x (Float64Array of length nRows * nFeatures, row-major, no NaN: the caller imputes) and
 * y (length nRows: 0/1 logistic, class index softmax, real squared).
 */
export function trainGlm(x: Float64Array, nRows: number, nFeatures: number, y: Float64Array, params: GlmParams): GlmModel {
  const p = nFeatures;
  const { mean, scale } = moments(x, nRows, p, params.standardize);
  const sp = toSparse(x, nRows, p);
  const { rowStart, col, val } = sp;
  if (params.loss === 'squared') {
    let ym = 0;
    for (let i = 0; i < nRows; i++) ym += y[i];
    ym /= nRows;
    // Standardized columns have mean 0, so the intercept is the mean of y and drops out; the
    // centered cross-products come from the raw ones: sum z_j z_k = (sum x_j x_k - n m_j m_k) / (s_j s_k).
    const A = new Float64Array(p * p);
    const xy = new Float64Array(p);
    for (let i = 0; i < nRows; i++) {
      const r = y[i] - ym;
      for (let a = rowStart[i]; a < rowStart[i + 1]; a++) {
        const j = col[a];
        xy[j] += val[a] * r;
        for (let b = rowStart[i]; b <= a; b++) A[j * p + col[b]] += val[a] * val[b];
      }
    }
    const b = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      b[j] = xy[j] / scale[j];
      for (let k = 0; k <= j; k++) {
        const v = (A[j * p + k] - nRows * mean[j] * mean[k]) / (scale[j] * scale[k]);
        A[j * p + k] = v;
        A[k * p + j] = v;
      }
      A[j * p + j] += params.l2;
    }
    const w = choleskySolve(A, b, p);
    return { formatVersion: 1, loss: 'squared', nFeatures: p, nOutputs: 1, mean, scale, weights: w, intercept: Float64Array.of(ym) };
  }
  const K = params.loss === 'softmax' ? params.nClasses! : 1;
  const theta = new Float64Array(K * p + K);
  const logits = new Float64Array(K);
  const g = new Float64Array(K);
  /** Float64Array of length K * p: w / s, the weights on raw x. */
  const v = new Float64Array(K * p);
  /** Float64Array of length K: sum over rows of the loss gradient (for the mean terms). */
  const gSum = new Float64Array(K);
  const offset = new Float64Array(K);
  // The minimizer sees the objective divided by nRows (same minimum), so one gradient tolerance
  // means the same precision for 100 rows and for 100,000.
  const inv = 1 / nRows;
  const fg = (t: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    gSum.fill(0);
    for (let k = 0; k < K; k++) {
      let c = 0;
      for (let j = 0; j < p; j++) {
        v[k * p + j] = t[k * p + j] / scale[j];
        c += v[k * p + j] * mean[j];
      }
      offset[k] = t[K * p + k] - c;
    }
    let f = 0;
    for (let i = 0; i < nRows; i++) {
      const a0 = rowStart[i];
      const a1 = rowStart[i + 1];
      for (let k = 0; k < K; k++) {
        let s = offset[k];
        const w = k * p;
        for (let a = a0; a < a1; a++) s += v[w + col[a]] * val[a];
        logits[k] = s;
      }
      if (K === 1) {
        const s = logits[0];
        // log(1 + e^s) - y s, computed stably.
        f += (s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s))) - y[i] * s;
        g[0] = 1 / (1 + Math.exp(-s)) - y[i];
      } else {
        let mx = -Infinity;
        for (let k = 0; k < K; k++) mx = Math.max(mx, logits[k]);
        let sum = 0;
        for (let k = 0; k < K; k++) sum += Math.exp(logits[k] - mx);
        const lse = mx + Math.log(sum);
        f += lse - logits[y[i]];
        for (let k = 0; k < K; k++) g[k] = Math.exp(logits[k] - lse) - (y[i] === k ? 1 : 0);
      }
      for (let k = 0; k < K; k++) {
        const gk = g[k];
        gSum[k] += gk;
        const w = k * p;
        for (let a = a0; a < a1; a++) grad[w + col[a]] += gk * val[a];
      }
    }
    // d/dw_kj = (sum_i g_ik x_ij - m_j sum_i g_ik) / s_j; d/db_k = sum_i g_ik.
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < p; j++) grad[k * p + j] = (grad[k * p + j] - mean[j] * gSum[k]) / scale[j];
      grad[K * p + k] = gSum[k];
    }
    for (let j = 0; j < K * p; j++) {
      f += 0.5 * params.l2 * t[j] * t[j];
      grad[j] += params.l2 * t[j];
    }
    for (let j = 0; j < grad.length; j++) grad[j] *= inv;
    return f * inv;
  };
  lbfgs(fg, theta, { maxIter: params.maxIter ?? 100, gradientTolerance: params.gradientTolerance ?? 1e-6 });
  return {
    formatVersion: 1,
    loss: params.loss,
    nFeatures: p,
    nOutputs: K,
    mean,
    scale,
    weights: theta.slice(0, K * p),
    intercept: theta.slice(K * p),
  };
}

/** Raw scores (log-odds, logits or values), row-major: length nRows * nOutputs. */
export function predictGlmRaw(model: GlmModel, x: Float64Array, nRows: number): Float64Array {
  const { nFeatures: p, nOutputs: K } = model;
  const out = new Float64Array(nRows * K);
  for (let i = 0; i < nRows; i++) {
    for (let k = 0; k < K; k++) {
      let s = model.intercept[k];
      for (let j = 0; j < p; j++) s += (model.weights[k * p + j] * (x[i * p + j] - model.mean[j])) / model.scale[j];
      out[i * K + k] = s;
    }
  }
  return out;
}

/** Probabilities (sigmoid / softmax) or values from raw scores. */
export function glmTransform(model: GlmModel, raw: Float64Array): Float64Array {
  if (model.loss === 'squared') return raw.slice();
  if (model.loss === 'logistic') return raw.map((s) => 1 / (1 + Math.exp(-s)));
  const K = model.nOutputs;
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i += K) {
    let mx = -Infinity;
    for (let k = 0; k < K; k++) mx = Math.max(mx, raw[i + k]);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += (out[i + k] = Math.exp(raw[i + k] - mx));
    for (let k = 0; k < K; k++) out[i + k] /= sum;
  }
  return out;
}

/**
 * Exact additive contributions of one row (x: its nFeatures values): length (nFeatures + 1) * nOutputs,
 * per output block the features' w_j (x_j - mean_j) / scale_j, then the bias (intercept) last.
 * Same layout as the tree learner's SHAP rows, so callers treat both alike.
 */
export function glmContributions(model: GlmModel, x: Float64Array): Float64Array {
  const { nFeatures: p, nOutputs: K } = model;
  const out = new Float64Array((p + 1) * K);
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < p; j++) out[k * (p + 1) + j] = (model.weights[k * p + j] * (x[j] - model.mean[j])) / model.scale[j];
    out[k * (p + 1) + p] = model.intercept[k];
  }
  return out;
}

const LOSSES: GlmLoss[] = ['logistic', 'softmax', 'squared'];

/** Versioned binary: u32 version, u32 loss, u32 nFeatures, u32 nOutputs, then float64 mean, scale, weights, intercept. */
export function serializeGlm(model: GlmModel): Uint8Array {
  const p = model.nFeatures;
  const K = model.nOutputs;
  const floats = 2 * p + K * p + K;
  const buf = new ArrayBuffer(16 + 8 * floats);
  const view = new DataView(buf);
  view.setUint32(0, GLM_FORMAT_VERSION, true);
  view.setUint32(4, LOSSES.indexOf(model.loss), true);
  view.setUint32(8, p, true);
  view.setUint32(12, K, true);
  let o = 16;
  for (const arr of [model.mean, model.scale, model.weights, model.intercept]) {
    for (const v of arr) {
      view.setFloat64(o, v, true);
      o += 8;
    }
  }
  return new Uint8Array(buf);
}

export function deserializeGlm(bytes: Uint8Array): GlmModel {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(0, true);
  if (version !== GLM_FORMAT_VERSION) throw new Error(`Unsupported linear model format version ${version} (this release reads ${GLM_FORMAT_VERSION}).`);
  const loss = LOSSES[view.getUint32(4, true)];
  const p = view.getUint32(8, true);
  const K = view.getUint32(12, true);
  let o = 16;
  const read = (len: number): Float64Array => {
    const a = new Float64Array(len);
    for (let i = 0; i < len; i++, o += 8) a[i] = view.getFloat64(o, true);
    return a;
  };
  const mean = read(p);
  const scale = read(p);
  const weights = read(K * p);
  const intercept = read(K);
  return { formatVersion: 1, loss, nFeatures: p, nOutputs: K, mean, scale, weights, intercept };
}
