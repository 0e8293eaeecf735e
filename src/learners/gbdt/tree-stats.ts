// Per-tree facts both TreeSHAP implementations need: the deepest path and each tree's expected value.
import type { GbdtModel } from './types.js';

/** The number of splits on the longest root-to-leaf path over all trees. */
export function maxDepth(model: GbdtModel): number {
  let best = 0;
  const stack: number[] = [];
  for (let t = 0; t < model.nTrees; t++) {
    stack.push(model.treeOffsets[t], 0);
    while (stack.length) {
      const d = stack.pop() as number;
      const n = stack.pop() as number;
      if (d > best) best = d;
      if (model.nodeFeature[n] >= 0) stack.push(model.nodeLeft[n], d + 1, model.nodeRight[n], d + 1);
    }
  }
  return best;
}

/** Cover-weighted mean of the tree's leaves: the prediction when no feature is known. */
export function expectedValue(model: GbdtModel, n: number): number {
  if (model.nodeFeature[n] < 0) return model.nodeValue[n];
  const l = model.nodeLeft[n];
  const r = model.nodeRight[n];
  const w = model.nodeCover[n];
  if (!(w > 0)) return 0.5 * (expectedValue(model, l) + expectedValue(model, r));
  return (model.nodeCover[l] * expectedValue(model, l) + model.nodeCover[r] * expectedValue(model, r)) / w;
}
