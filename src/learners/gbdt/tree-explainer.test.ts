// Tests of the one-output TreeSHAP explainer against its slow twin, shapRow.
import { describe, expect, it } from 'vitest';
import { trainGbdt } from './boosting.js';
import { predictionColumns } from './predictor.js';
import { shapRow } from './shap.js';
import { mixedData, params } from './test-support/test-data.js';
import { treeExplainer } from './tree-explainer.js';

describe('treeExplainer', () => {
  it('gives every output the same contributions and bias as shapRow, rows with missing values included', () => {
    const { data, yClass } = mixedData(400, 21);
    const model = trainGbdt(data, yClass, params({ loss: 'softmax', nClasses: 3, maxIter: 8, maxLeaves: 12, minSamplesLeaf: 3 }));
    const cols = predictionColumns(model, data);
    const explainer = treeExplainer(model);
    const nf = model.nFeatures;
    let compared = 0;
    for (const row of [0, 3, 50, 199, 333]) {
      const x = Float64Array.from(cols.map((c) => c[row]));
      const slow = shapRow(model, data, row);
      for (let k = 0; k < 3; k++) {
        const phi = new Float64Array(nf + 1);
        explainer.explain(x, k, phi);
        for (let f = 0; f <= nf; f++) {
          expect(phi[f]).toBeCloseTo(slow[k * (nf + 1) + f], 10);
          compared++;
        }
      }
    }
    expect(compared).toBe(5 * 3 * (nf + 1));
  });
});
