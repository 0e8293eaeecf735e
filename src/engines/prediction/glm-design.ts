// The linear model's view of the encoded features: numbers with the median filled in plus a missing
// flag, categories one-hot. Learned on the training part and shipped in the artifact.
import type { GbdtDataset } from '../../learners/gbdt/index.js';
import { sortFloat64 } from '../../learners/sort-numbers.js';

export type DesignColumn =
  /** The feature's value; a missing value becomes `fill` (the training median). */
  | { feature: number; kind: 'value'; fill: number }
  /** 1 when the feature is missing (only for features with missing values in training). */
  | { feature: number; kind: 'missing' }
  /** 1 when the categorical feature has this code. */
  | { feature: number; kind: 'level'; code: number };

export interface GlmDesign {
  columns: DesignColumn[];
}

/** Levels of one category beyond this count share the all-zero row (keeps the matrix small). */
export const MAX_LEVELS = 64;

export function fitDesign(ds: GbdtDataset): GlmDesign {
  const columns: DesignColumn[] = [];
  ds.features.forEach((f, feature) => {
    if (f.kind === 'numeric') {
      const v = f.values;
      const present = new Float64Array(v.length);
      let m = 0;
      for (let i = 0; i < v.length; i++) if (!Number.isNaN(v[i])) present[m++] = v[i];
      const sorted = sortFloat64(present.subarray(0, m));
      const fill = m === 0 ? 0 : m % 2 ? sorted[(m - 1) / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
      columns.push({ feature, kind: 'value', fill });
      if (m < v.length) columns.push({ feature, kind: 'missing' });
    } else {
      const counts = new Float64Array(f.nCategories);
      for (const c of f.values) if (c >= 0) counts[c]++;
      const codes = Array.from(counts.keys())
        .filter((c) => counts[c] > 0)
        .sort((a, b) => counts[b] - counts[a] || a - b)
        .slice(0, MAX_LEVELS)
        .sort((a, b) => a - b);
      for (const code of codes) columns.push({ feature, kind: 'level', code });
    }
  });
  return { columns };
}

/** The dense design matrix: Float64Array of length nRows * columns.length, row-major, no NaN. */
export function buildDesign(design: GlmDesign, ds: GbdtDataset): Float64Array {
  const p = design.columns.length;
  const n = ds.nRows;
  const x = new Float64Array(n * p);
  design.columns.forEach((c, j) => {
    const f = ds.features[c.feature];
    if (c.kind === 'level') {
      const v = f.values as Int32Array;
      for (let i = 0; i < n; i++) if (v[i] === c.code) x[i * p + j] = 1;
    } else {
      const v = f.values as Float64Array;
      if (c.kind === 'value') for (let i = 0; i < n; i++) x[i * p + j] = Number.isNaN(v[i]) ? c.fill : v[i];
      else for (let i = 0; i < n; i++) if (Number.isNaN(v[i])) x[i * p + j] = 1;
    }
  });
  return x;
}
