// TreeSHAP (path-dependent, exact; Lundberg et al. 2018, Algorithm 2) over the flat node table,
// with node hessian covers as the background distribution.
import { goesLeft } from './predictor.js';
import { expectedValue, maxDepth } from './tree-stats.js';
import type { GbdtDataset, GbdtModel } from './types.js';

/** The path of unique features from the root to the current node, as parallel arrays. */
interface Path {
  /** Int32Array: feature of each path element (-1 for the root's dummy element). */
  feature: Int32Array;
  /** Float64Array: fraction of covered rows that follow the path when the feature is unknown. */
  zero: Float64Array;
  /** Float64Array: 1 if x follows the path on this feature, else 0. */
  one: Float64Array;
  /** Float64Array: the permutation weights. */
  weight: Float64Array;
}

/** TreeSHAP contributions for one row: length (nFeatures + 1) * nOutputs, the last of each block is the bias. */
export function shapRow(model: GbdtModel, data: GbdtDataset, row: number): Float64Array {
  if (!(row >= 0 && row < data.nRows)) throw new Error(`row ${row} is out of range`);
  const nf = model.nFeatures;
  const k = model.nOutputs;
  const out = new Float64Array((nf + 1) * k);
  const x = rowValues(model, data, row);
  const depth = maxDepth(model);
  const size = ((depth + 2) * (depth + 3)) / 2 + depth + 4;
  const path: Path = { feature: new Int32Array(size), zero: new Float64Array(size), one: new Float64Array(size), weight: new Float64Array(size) };
  const phi = new Float64Array(nf + 1);
  for (let c = 0; c < k; c++) out[c * (nf + 1) + nf] = model.baseScore[c];
  for (let t = 0; t < model.nTrees; t++) {
    const o = (t % k) * (nf + 1);
    phi.fill(0);
    const root = model.treeOffsets[t];
    recurse(model, x, phi, path, root, 0, 0, 1, 1, -1);
    for (let f = 0; f < nf; f++) out[o + f] += phi[f];
    out[o + nf] += expectedValue(model, root);
  }
  return out;
}

/** One row's values (categorical codes as numbers, missing as NaN), without converting whole columns. */
function rowValues(model: GbdtModel, data: GbdtDataset, row: number): Float64Array {
  if (data.features.length !== model.nFeatures) throw new Error(`the model has ${model.nFeatures} features, the data ${data.features.length}`);
  const x = new Float64Array(model.nFeatures);
  for (let f = 0; f < model.nFeatures; f++) {
    const feat = data.features[f];
    if (feat.kind !== model.featureKinds[f]) throw new Error(`feature ${model.featureNames[f]} must be ${model.featureKinds[f]}, got ${feat.kind}`);
    const v = feat.values[row];
    x[f] = feat.kind === 'categorical' && v < 0 ? NaN : v;
  }
  return x;
}

/**
 * One step of the recursion: the parent's path (at parentStart) is copied to the slot after it
 * and extended with the split that led here (feature -1 for the root).
 */
function recurse(model: GbdtModel, x: Float64Array, phi: Float64Array, p: Path, node: number, parentStart: number, depth: number, zero: number, one: number, feature: number): void {
  // The parent's elements 0..depth are copied after it (as in the reference implementation;
  // slot `depth` is then overwritten by the extension).
  const s = parentStart + depth + 1;
  p.feature.copyWithin(s, parentStart, parentStart + depth + 1);
  p.zero.copyWithin(s, parentStart, parentStart + depth + 1);
  p.one.copyWithin(s, parentStart, parentStart + depth + 1);
  p.weight.copyWithin(s, parentStart, parentStart + depth + 1);
  extend(p, s, depth, zero, one, feature);
  const f = model.nodeFeature[node];
  if (f < 0) {
    const v = model.nodeValue[node];
    for (let i = 1; i <= depth; i++) {
      const w = unwoundSum(p, s, depth, i);
      phi[p.feature[s + i]] += w * (p.one[s + i] - p.zero[s + i]) * v;
    }
    return;
  }
  const left = model.nodeLeft[node];
  const right = model.nodeRight[node];
  const toLeft = goesLeft(model, node, x[f]);
  const hot = toLeft ? left : right;
  const cold = toLeft ? right : left;
  const w = model.nodeCover[node];
  const hotZero = w > 0 ? model.nodeCover[hot] / w : 0.5;
  const coldZero = w > 0 ? model.nodeCover[cold] / w : 0.5;
  let inZero = 1;
  let inOne = 1;
  let d = depth;
  let k = 0;
  for (; k <= d; k++) if (p.feature[s + k] === f) break;
  if (k <= d) {
    inZero = p.zero[s + k];
    inOne = p.one[s + k];
    unwind(p, s, d, k);
    d -= 1;
  }
  recurse(model, x, phi, p, hot, s, d + 1, hotZero * inZero, inOne, f);
  recurse(model, x, phi, p, cold, s, d + 1, coldZero * inZero, 0, f);
}

function extend(p: Path, s: number, d: number, zero: number, one: number, feature: number): void {
  p.feature[s + d] = feature;
  p.zero[s + d] = zero;
  p.one[s + d] = one;
  p.weight[s + d] = d === 0 ? 1 : 0;
  for (let i = d - 1; i >= 0; i--) {
    p.weight[s + i + 1] += (one * p.weight[s + i] * (i + 1)) / (d + 1);
    p.weight[s + i] = (zero * p.weight[s + i] * (d - i)) / (d + 1);
  }
}

function unwind(p: Path, s: number, d: number, k: number): void {
  const one = p.one[s + k];
  const zero = p.zero[s + k];
  let next = p.weight[s + d];
  for (let i = d - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = p.weight[s + i];
      p.weight[s + i] = (next * (d + 1)) / ((i + 1) * one);
      next = tmp - (p.weight[s + i] * zero * (d - i)) / (d + 1);
    } else {
      p.weight[s + i] = (p.weight[s + i] * (d + 1)) / (zero * (d - i));
    }
  }
  for (let i = k; i < d; i++) {
    p.feature[s + i] = p.feature[s + i + 1];
    p.zero[s + i] = p.zero[s + i + 1];
    p.one[s + i] = p.one[s + i + 1];
  }
}

function unwoundSum(p: Path, s: number, d: number, k: number): number {
  const one = p.one[s + k];
  const zero = p.zero[s + k];
  let next = p.weight[s + d];
  let total = 0;
  for (let i = d - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = (next * (d + 1)) / ((i + 1) * one);
      total += tmp;
      next = p.weight[s + i] - (tmp * zero * (d - i)) / (d + 1);
    } else {
      total += p.weight[s + i] / zero / ((d - i) / (d + 1));
    }
  }
  return total;
}
