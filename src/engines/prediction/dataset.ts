// Row subsets of an encoded dataset (training part, validation part, folds).
import type { GbdtDataset } from '../../learners/gbdt/index.js';

export function subsetRows(ds: GbdtDataset, idx: Int32Array): GbdtDataset {
  return {
    nRows: idx.length,
    features: ds.features.map((f) =>
      f.kind === 'numeric'
        ? { name: f.name, kind: 'numeric', values: Float64Array.from(idx, (i) => f.values[i]) }
        : { name: f.name, kind: 'categorical', values: Int32Array.from(idx, (i) => f.values[i]), nCategories: f.nCategories },
    ),
  };
}

export function subsetValues(y: Float64Array, idx: Int32Array): Float64Array {
  return Float64Array.from(idx, (i) => y[i]);
}
