// Row subsets of an encoded dataset (training part, validation part, folds). Plain loops: typed
// arrays' `from` with a mapping function costs about 35 ns a value (2.4 s for 1M rows x 20 features).
import type { GbdtDataset } from '../../learners/gbdt/index.js';

export function subsetRows(ds: GbdtDataset, idx: Int32Array): GbdtDataset {
  return {
    nRows: idx.length,
    features: ds.features.map((f) =>
      f.kind === 'numeric'
        ? { name: f.name, kind: 'numeric', values: gather(f.values, idx, new Float64Array(idx.length)) }
        : { name: f.name, kind: 'categorical', values: gather(f.values, idx, new Int32Array(idx.length)), nCategories: f.nCategories },
    ),
  };
}

export function subsetValues(y: Float64Array, idx: Int32Array): Float64Array {
  return gather(y, idx, new Float64Array(idx.length));
}

/** out[k] = values[idx[k]]. */
export function gather<T extends Float64Array | Int32Array>(values: T, idx: Int32Array, out: T): T {
  for (let k = 0; k < idx.length; k++) out[k] = values[idx[k]];
  return out;
}
