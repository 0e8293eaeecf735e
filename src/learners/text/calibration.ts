// Platt scaling (confidence = 1 / (1 + exp(a·f + b))) fitted by Newton's method with backtracking,
// following Lin, Lin & Weng (2007) "A note on Platt's probabilistic outputs for support vector machines".

export interface Platt {
  a: number;
  b: number;
}

/** Fits (a, b) on decision values `f` with 0/1 `truth`, using Platt's smoothed targets against overfitting. */
export function fitPlatt(f: ArrayLike<number>, truth: ArrayLike<number>): Platt {
  const n = f.length;
  let positives = 0;
  for (let i = 0; i < n; i++) if (truth[i]) positives++;
  const negatives = n - positives;
  const hi = (positives + 1) / (positives + 2);
  const lo = 1 / (negatives + 2);
  /** Length n, Float64 smoothed target of each example. */
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = truth[i] ? hi : lo;
  let a = 0;
  let b = Math.log((negatives + 1) / (positives + 1));
  const objective = (A: number, B: number): number => {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const z = f[i] * A + B;
      v += z >= 0 ? t[i] * z + Math.log1p(Math.exp(-z)) : (t[i] - 1) * z + Math.log1p(Math.exp(z));
    }
    return v;
  };
  let value = objective(a, b);
  for (let it = 0; it < 100; it++) {
    let h11 = 1e-12;
    let h22 = 1e-12;
    let h21 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      const z = f[i] * a + b;
      let p: number;
      let q: number;
      if (z >= 0) {
        const e = Math.exp(-z);
        p = e / (1 + e);
        q = 1 / (1 + e);
      } else {
        const e = Math.exp(z);
        p = 1 / (1 + e);
        q = e / (1 + e);
      }
      const d2 = p * q;
      h11 += f[i] * f[i] * d2;
      h22 += d2;
      h21 += f[i] * d2;
      const d1 = t[i] - p;
      g1 += f[i] * d1;
      g2 += d1;
    }
    if (Math.abs(g1) < 1e-5 && Math.abs(g2) < 1e-5) break;
    const det = h11 * h22 - h21 * h21;
    const da = -(h22 * g1 - h21 * g2) / det;
    const db = -(-h21 * g1 + h11 * g2) / det;
    const gd = g1 * da + g2 * db;
    let step = 1;
    while (step >= 1e-10) {
      const na = a + step * da;
      const nb = b + step * db;
      const nv = objective(na, nb);
      if (nv < value + 1e-4 * step * gd) {
        a = na;
        b = nb;
        value = nv;
        break;
      }
      step /= 2;
    }
    if (step < 1e-10) break;
  }
  return { a, b };
}

/** The calibrated confidence of decision value f. */
export function plattConfidence(p: Platt, f: number): number {
  const z = p.a * f + p.b;
  return z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
}

/**
 * The confidence threshold that maximizes F1 of one tag on held-out confidences (midway between
 * the two confidences around the best cut). Returns 0.5 when fewer than `minPositives` positives.
 */
export function bestF1Threshold(confidence: ArrayLike<number>, truth: ArrayLike<number>, minPositives = 10): { threshold: number; f1: number } {
  const n = confidence.length;
  let positives = 0;
  for (let i = 0; i < n; i++) if (truth[i]) positives++;
  if (positives < minPositives) return { threshold: 0.5, f1: Number.NaN };
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => confidence[y] - confidence[x] || x - y);
  let tp = 0;
  let bestF1 = 0;
  let best = 0.5;
  for (let k = 0; k < n; k++) {
    if (truth[order[k]]) tp++;
    const here = confidence[order[k]];
    const next = k + 1 < n ? confidence[order[k + 1]] : 0;
    if (next === here) continue; // cut only between different confidences
    const f1 = (2 * tp) / (k + 1 + positives);
    if (f1 > bestF1) {
      bestF1 = f1;
      best = (here + next) / 2;
    }
  }
  return { threshold: Math.min(Math.max(best, 0.02), 0.98), f1: bestF1 };
}

/**
 * The scale s minimizing the log loss of softmax(s × f_i) against the true tag of each held-out
 * text (f: length n × tags, row-major; truth: length n, tag index). Convex in s: Newton steps.
 */
export function fitSoftmaxScale(f: ArrayLike<number>, truth: ArrayLike<number>, tags: number): number {
  const n = truth.length;
  let s = 1;
  const p = new Float64Array(tags);
  for (let it = 0; it < 50; it++) {
    let g = 0;
    let h = 0;
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let t = 0; t < tags; t++) max = Math.max(max, s * f[i * tags + t]);
      let sum = 0;
      for (let t = 0; t < tags; t++) sum += p[t] = Math.exp(s * f[i * tags + t] - max);
      let mean = 0;
      let second = 0;
      for (let t = 0; t < tags; t++) {
        const v = f[i * tags + t];
        mean += (p[t] / sum) * v;
        second += (p[t] / sum) * v * v;
      }
      g += mean - f[i * tags + truth[i]];
      h += second - mean * mean;
    }
    if (h <= 1e-12) break;
    const next = Math.min(Math.max(s - g / h, s / 4, 1e-3), s * 4, 1e3);
    const converged = Math.abs(next - s) < 1e-6 * s;
    s = next;
    if (converged) break;
  }
  return s;
}
