// Exact path-dependent TreeSHAP for ONE output of a gbdt model, with per-model work done once:
// the same algorithm as shapRow (its slow, obvious twin: the same numbers up to rounding), without its per-call costs.
import { expectedValue, maxDepth } from './tree-stats.js';
import type { GbdtModel } from './types.js';

/**
 * Why not shapRow per row: it explains every output (26 blocks of trees for 26 outcomes when one
 * is shown), recomputes each tree's expected value and the tree depth on every call, and allocates
 * its path buffers per row. An explainer does those once per model and walks only the trees of the
 * output asked for.
 */
export interface TreeExplainer {
  /**
   * Adds the contributions of `output`'s trees for the row x (Float64Array of length nFeatures,
   * categorical codes as numbers, missing as NaN) to phi (Float64Array of length nFeatures + 1, the
   * last element the bias: base score plus the trees' expected values).
   */
  explain(x: Float64Array, output: number, phi: Float64Array): void;
}

export function treeExplainer(model: GbdtModel): TreeExplainer {
  const nf = model.nFeatures;
  const K = model.nOutputs;
  const depth = maxDepth(model);
  const size = ((depth + 2) * (depth + 3)) / 2 + depth + 4;
  // The path of unique features from the root to the current node, stacked per depth (as in shap.ts).
  const pFeature = new Int32Array(size);
  const pZero = new Float64Array(size);
  const pOne = new Float64Array(size);
  const pWeight = new Float64Array(size);
  /** Float64Array of length nFeatures: one tree's contributions, summed into phi after the tree. */
  const tree = new Float64Array(nf);
  /** Float64Array of length nTrees: each tree's cover-weighted mean leaf value. */
  const expected = new Float64Array(model.nTrees);
  for (let t = 0; t < model.nTrees; t++) expected[t] = expectedValue(model, model.treeOffsets[t]);
  const { nodeFeature, nodeLeft, nodeRight, nodeCover, nodeValue, nodeThreshold, nodeMissingLeft, nodeCatStart, nodeCatWords, catBitsets } = model;
  let x: Float64Array = new Float64Array(nf);

  function goesLeft(n: number, v: number): boolean {
    if (v !== v) return nodeMissingLeft[n] === 1;
    const cs = nodeCatStart[n];
    if (cs < 0) return v <= nodeThreshold[n];
    const w = v >>> 5;
    return v >= 0 && w < nodeCatWords[n] && ((catBitsets[cs + w] >>> (v & 31)) & 1) === 1;
  }

  function extend(s: number, d: number, zero: number, one: number, feature: number): void {
    pFeature[s + d] = feature;
    pZero[s + d] = zero;
    pOne[s + d] = one;
    pWeight[s + d] = d === 0 ? 1 : 0;
    for (let i = d - 1; i >= 0; i--) {
      pWeight[s + i + 1] += (one * pWeight[s + i] * (i + 1)) / (d + 1);
      pWeight[s + i] = (zero * pWeight[s + i] * (d - i)) / (d + 1);
    }
  }

  function unwind(s: number, d: number, k: number): void {
    const one = pOne[s + k];
    const zero = pZero[s + k];
    let next = pWeight[s + d];
    for (let i = d - 1; i >= 0; i--) {
      if (one !== 0) {
        const tmp = pWeight[s + i];
        pWeight[s + i] = (next * (d + 1)) / ((i + 1) * one);
        next = tmp - (pWeight[s + i] * zero * (d - i)) / (d + 1);
      } else {
        pWeight[s + i] = (pWeight[s + i] * (d + 1)) / (zero * (d - i));
      }
    }
    for (let i = k; i < d; i++) {
      pFeature[s + i] = pFeature[s + i + 1];
      pZero[s + i] = pZero[s + i + 1];
      pOne[s + i] = pOne[s + i + 1];
    }
  }

  function unwoundSum(s: number, d: number, k: number): number {
    const one = pOne[s + k];
    const zero = pZero[s + k];
    let next = pWeight[s + d];
    let total = 0;
    for (let i = d - 1; i >= 0; i--) {
      if (one !== 0) {
        const tmp = (next * (d + 1)) / ((i + 1) * one);
        total += tmp;
        next = pWeight[s + i] - (tmp * zero * (d - i)) / (d + 1);
      } else {
        total += pWeight[s + i] / zero / ((d - i) / (d + 1));
      }
    }
    return total;
  }

  function recurse(node: number, parentStart: number, d0: number, zero: number, one: number, feature: number): void {
    const s = parentStart + d0 + 1;
    for (let i = 0; i <= d0; i++) {
      pFeature[s + i] = pFeature[parentStart + i];
      pZero[s + i] = pZero[parentStart + i];
      pOne[s + i] = pOne[parentStart + i];
      pWeight[s + i] = pWeight[parentStart + i];
    }
    extend(s, d0, zero, one, feature);
    const f = nodeFeature[node];
    if (f < 0) {
      const v = nodeValue[node];
      // An element the row does not follow (one = 0) unwinds to (sum_j w_j (d+1)/(d-j)) / zero,
      // so its term (that / zero) * (0 - zero) * v is the same -sum * v for all of them: one O(d)
      // sum per leaf instead of one per element (Fast TreeSHAP's observation).
      let coldTerm = NaN;
      for (let i = 1; i <= d0; i++) {
        if (pOne[s + i] === 0) {
          if (coldTerm !== coldTerm) {
            let sum = 0;
            for (let j = d0 - 1; j >= 0; j--) sum += pWeight[s + j] / ((d0 - j) / (d0 + 1));
            coldTerm = -sum * v;
          }
          tree[pFeature[s + i]] += coldTerm;
        } else tree[pFeature[s + i]] += unwoundSum(s, d0, i) * (pOne[s + i] - pZero[s + i]) * v;
      }
      return;
    }
    const toLeft = goesLeft(node, x[f]);
    const hot = toLeft ? nodeLeft[node] : nodeRight[node];
    const cold = toLeft ? nodeRight[node] : nodeLeft[node];
    const w = nodeCover[node];
    const hotZero = w > 0 ? nodeCover[hot] / w : 0.5;
    const coldZero = w > 0 ? nodeCover[cold] / w : 0.5;
    let inZero = 1;
    let inOne = 1;
    let d = d0;
    let k = 0;
    for (; k <= d; k++) if (pFeature[s + k] === f) break;
    if (k <= d) {
      inZero = pZero[s + k];
      inOne = pOne[s + k];
      unwind(s, d, k);
      d -= 1;
    }
    recurse(hot, s, d + 1, hotZero * inZero, inOne, f);
    recurse(cold, s, d + 1, coldZero * inZero, 0, f);
  }

  return {
    explain(row, output, phi) {
      x = row;
      phi[nf] += model.baseScore[output];
      for (let t = output; t < model.nTrees; t += K) {
        tree.fill(0);
        recurse(model.treeOffsets[t], 0, 0, 1, 1, -1);
        for (let f = 0; f < nf; f++) phi[f] += tree[f];
        phi[nf] += expected[t];
      }
    },
  };
}
