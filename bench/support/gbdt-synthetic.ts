// A seeded make_classification-like generator for the gbdt scale benchmark (pure TypeScript).

/** Small xorshift-based generator, independent of the learner's own PRNG. */
class Gen {
  private s: number;
  constructor(seed: number) {
    this.s = (seed * 2654435761) >>> 0 || 1;
  }
  uniform(): number {
    let x = this.s;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.s = x;
    return x / 4294967296;
  }
  private spare = NaN;
  normal(): number {
    if (this.spare === this.spare) {
      const v = this.spare;
      this.spare = NaN;
      return v;
    }
    const u = Math.max(1e-300, this.uniform());
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

/**
 * Like sklearn.datasets.make_classification(n_features=20, n_informative=10, n_redundant=5,
 * n_clusters_per_class=2, flip_y=0.01, class_sep=1): Gaussian clusters on hypercube vertices in
 * the informative dimensions, linear combinations for the redundant ones, noise for the rest.
 * Returns columns (Float64Array of length nRows each) and labels (Float64Array of 0/1).
 */
export function makeClassification(nRows: number, seed: number): { columns: Float64Array[]; y: Float64Array } {
  const g = new Gen(seed);
  const nInf = 10;
  const nRed = 5;
  const nNoise = 5;
  const nClusters = 4;
  const centroids: number[][] = [];
  for (let c = 0; c < nClusters; c++) centroids.push(Array.from({ length: nInf }, () => (g.uniform() < 0.5 ? -1 : 1)));
  const cov: number[][][] = [];
  for (let c = 0; c < nClusters; c++) cov.push(Array.from({ length: nInf }, () => Array.from({ length: nInf }, () => 2 * g.uniform() - 1)));
  const red: number[][] = Array.from({ length: nInf }, () => Array.from({ length: nRed }, () => 2 * g.uniform() - 1));
  const columns = Array.from({ length: nInf + nRed + nNoise }, () => new Float64Array(nRows));
  const y = new Float64Array(nRows);
  const z = new Float64Array(nInf);
  const x = new Float64Array(nInf);
  for (let i = 0; i < nRows; i++) {
    const c = i % nClusters;
    y[i] = c % 2;
    for (let d = 0; d < nInf; d++) z[d] = g.normal();
    const a = cov[c];
    for (let d = 0; d < nInf; d++) {
      let s = centroids[c][d];
      for (let e = 0; e < nInf; e++) s += z[e] * a[e][d];
      x[d] = s;
      columns[d][i] = s;
    }
    for (let r = 0; r < nRed; r++) {
      let s = 0;
      for (let d = 0; d < nInf; d++) s += x[d] * red[d][r];
      columns[nInf + r][i] = s;
    }
    for (let q = 0; q < nNoise; q++) columns[nInf + nRed + q][i] = g.normal();
    if (g.uniform() < 0.01) y[i] = g.uniform() < 0.5 ? 0 : 1;
  }
  // Rows were generated cluster by cluster in turn; shuffle them so splits are not periodic.
  for (let i = nRows - 1; i > 0; i--) {
    const j = Math.floor(g.uniform() * (i + 1));
    const t = y[i];
    y[i] = y[j];
    y[j] = t;
    for (const col of columns) {
      const v = col[i];
      col[i] = col[j];
      col[j] = v;
    }
  }
  return { columns, y };
}
