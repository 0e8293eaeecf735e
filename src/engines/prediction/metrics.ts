// Test metrics of prediction models: accuracy, per-outcome F1, ROC AUC and curve, calibration, R², errors.

export function accuracy(y: ArrayLike<number>, pred: ArrayLike<number>): number {
  let ok = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === pred[i]) ok++;
  return y.length === 0 ? 0 : ok / y.length;
}

/** Float64Array k*k, row = true outcome, column = predicted outcome (row-major counts). */
export function confusionMatrix(y: ArrayLike<number>, pred: ArrayLike<number>, k: number): number[][] {
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < y.length; i++) m[y[i]][pred[i]]++;
  return m;
}

export interface OutcomeScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Per-outcome precision, recall, F1 (0 when undefined, as scikit-learn's zero_division=0). */
export function perOutcome(matrix: number[][]): OutcomeScores[] {
  const k = matrix.length;
  return matrix.map((row, c) => {
    const tp = row[c];
    const support = row.reduce((a, b) => a + b, 0);
    let predicted = 0;
    for (let r = 0; r < k; r++) predicted += matrix[r][c];
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, support };
  });
}

export function macroF1(scores: OutcomeScores[]): number {
  return scores.reduce((a, s) => a + s.f1, 0) / scores.length;
}

/** ROC AUC by the rank-sum (Mann-Whitney) formula; tied scores count one half. NaN with one class only. */
export function rocAuc(y: ArrayLike<number>, score: ArrayLike<number>): number {
  const n = y.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a] - score[b]);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && score[order[j + 1]] === score[order[i]]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) {
      if (y[order[t]] === 1) {
        pos++;
        rankSum += avgRank;
      }
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** ROC curve points from (0,0) to (1,1), one per distinct threshold, thinned to at most maxPoints. */
export function rocCurve(y: ArrayLike<number>, score: ArrayLike<number>, maxPoints = 101): { fpr: number; tpr: number; threshold: number }[] {
  const n = y.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b] - score[a]);
  let P = 0;
  for (let i = 0; i < n; i++) if (y[i] === 1) P++;
  const N = n - P;
  const pts = [{ fpr: 0, tpr: 0, threshold: Infinity }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < n; i++) {
    if (y[order[i]] === 1) tp++;
    else fp++;
    if (i + 1 < n && score[order[i + 1]] === score[order[i]]) continue;
    pts.push({ fpr: N ? fp / N : 0, tpr: P ? tp / P : 0, threshold: score[order[i]] });
  }
  if (pts.length <= maxPoints) return pts;
  const out = [];
  for (let k = 0; k < maxPoints; k++) out.push(pts[Math.round((k * (pts.length - 1)) / (maxPoints - 1))]);
  return out;
}

/** Calibration in 10 equal-width bins of the predicted probability: mean predicted vs observed share. */
export function calibration(hit: ArrayLike<number>, prob: ArrayLike<number>, bins = 10): { from: number; to: number; predicted: number; observed: number; count: number }[] {
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  const cnt = new Float64Array(bins);
  for (let i = 0; i < prob.length; i++) {
    const b = Math.min(bins - 1, Math.floor(prob[i] * bins));
    sumP[b] += prob[i];
    sumY[b] += hit[i];
    cnt[b]++;
  }
  const out = [];
  for (let b = 0; b < bins; b++) {
    if (cnt[b] === 0) continue;
    out.push({ from: b / bins, to: (b + 1) / bins, predicted: sumP[b] / cnt[b], observed: sumY[b] / cnt[b], count: cnt[b] });
  }
  return out;
}

/** Mean negative log-likelihood; probs row-major n*k; probabilities are clipped at 1e-15. */
export function logLoss(y: ArrayLike<number>, probs: Float64Array, k: number): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s -= Math.log(Math.max(1e-15, probs[i * k + y[i]]));
  return s / y.length;
}

export function regressionMetrics(y: ArrayLike<number>, pred: ArrayLike<number>): { r2: number; rmse: number; mae: number } {
  const n = y.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i];
  mean /= n;
  let sse = 0;
  let sst = 0;
  let sae = 0;
  for (let i = 0; i < n; i++) {
    const e = y[i] - pred[i];
    sse += e * e;
    sae += Math.abs(e);
    sst += (y[i] - mean) ** 2;
  }
  return { r2: sst > 0 ? 1 - sse / sst : NaN, rmse: Math.sqrt(sse / n), mae: sae / n };
}

/** At most `max` (actual, predicted) pairs, evenly spaced over the rows: deterministic. */
export function residualSample(y: ArrayLike<number>, pred: ArrayLike<number>, max = 500): { actual: number; predicted: number; residual: number }[] {
  const n = y.length;
  const take = Math.min(n, max);
  const out = [];
  for (let k = 0; k < take; k++) {
    const i = Math.floor((k * n) / take);
    out.push({ actual: y[i], predicted: pred[i], residual: y[i] - pred[i] });
  }
  return out;
}

/** The q-quantile (0..1) of values, linear interpolation between order statistics. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(values).sort();
  if (s.length === 0) return NaN;
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
