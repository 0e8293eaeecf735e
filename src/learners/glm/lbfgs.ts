// Limited-memory BFGS minimizer with a backtracking (Armijo) line search: pure math, no allocation per step beyond history.

export interface LbfgsOptions {
  maxIter: number;
  /** Stop when the largest gradient component falls below this. */
  gradientTolerance: number;
  /** Number of (s, y) pairs kept. */
  memory?: number;
}

/**
 * Minimizes f starting from x (updated in place). `fg(x, grad)` returns f(x) and writes the gradient
 * into grad (Float64Array of x's length). Returns the number of iterations done.
 */
export function lbfgs(fg: (x: Float64Array, grad: Float64Array) => number, x: Float64Array, opts: LbfgsOptions): number {
  const n = x.length;
  const m = opts.memory ?? 10;
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const g = new Float64Array(n);
  const gNew = new Float64Array(n);
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  const alpha = new Float64Array(m);
  let f = fg(x, g);
  let iter = 0;
  for (; iter < opts.maxIter; iter++) {
    let gmax = 0;
    for (let i = 0; i < n; i++) gmax = Math.max(gmax, Math.abs(g[i]));
    if (gmax < opts.gradientTolerance) break;
    // Two-loop recursion: d = -H g.
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let k = S.length - 1; k >= 0; k--) {
      let a = 0;
      for (let i = 0; i < n; i++) a += S[k][i] * d[i];
      a *= rho[k];
      alpha[k] = a;
      for (let i = 0; i < n; i++) d[i] -= a * Y[k][i];
    }
    if (S.length > 0) {
      const k = S.length - 1;
      let yy = 0;
      for (let i = 0; i < n; i++) yy += Y[k][i] * Y[k][i];
      const gamma = 1 / (rho[k] * yy);
      for (let i = 0; i < n; i++) d[i] *= gamma;
    } else {
      // First step: a short move along the steepest descent.
      const scale = 1 / Math.max(1, Math.sqrt(g.reduce((s, v) => s + v * v, 0)));
      for (let i = 0; i < n; i++) d[i] *= scale;
    }
    for (let k = 0; k < S.length; k++) {
      let b = 0;
      for (let i = 0; i < n; i++) b += Y[k][i] * d[i];
      b *= rho[k];
      for (let i = 0; i < n; i++) d[i] += S[k][i] * (alpha[k] - b);
    }
    let slope = 0;
    for (let i = 0; i < n; i++) slope += g[i] * d[i];
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i];
      slope = -g.reduce((s, v) => s + v * v, 0);
    }
    let step = 1;
    let fNew = 0;
    let accepted = false;
    for (let ls = 0; ls < 40; ls++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
      fNew = fg(xNew, gNew);
      if (fNew <= f + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) break;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    let sy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
      sy += s[i] * y[i];
    }
    x.set(xNew);
    g.set(gNew);
    const fOld = f;
    f = fNew;
    if (sy > 1e-12) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    if (Math.abs(fOld - f) <= 1e-10 * Math.max(1, Math.abs(f))) break;
  }
  return iter;
}
