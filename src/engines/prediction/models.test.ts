// Tests of the one-output contributions against the all-outputs path (learner's shapRow, glmContributions).
import { describe, expect, it } from 'vitest';
import { trainGbdt, type GbdtDataset } from '../../learners/gbdt/index.js';
import { trainGlm } from '../../learners/glm/index.js';
import { buildDesign, fitDesign } from './glm-design.js';
import { columnContributions, outputContributions, rawScores, type TrainedModel } from './models.js';

/** Three classes from a number, a category with missing codes and a number with NaN; columns: x, c+z share column 1. */
function data(): { ds: GbdtDataset; y: Float64Array } {
  const n = 300;
  const x = Float64Array.from({ length: n }, (_, i) => (i * 7919) % 100);
  const c = Int32Array.from({ length: n }, (_, i) => (i % 11 === 0 ? -1 : i % 4));
  const z = Float64Array.from({ length: n }, (_, i) => (i % 13 === 0 ? NaN : (i * 104729) % 50));
  const y = Float64Array.from({ length: n }, (_, i) => (x[i] + 15 * Math.max(0, c[i]) + (z[i] || 0) > 90 ? 2 : x[i] > 40 ? 1 : 0));
  return {
    ds: {
      nRows: n,
      features: [
        { name: 'x', kind: 'numeric', values: x },
        { name: 'c', kind: 'categorical', values: c, nCategories: 4 },
        { name: 'z', kind: 'numeric', values: z },
      ],
    },
    y,
  };
}

describe('one-output contributions', () => {
  it('equal the matching block of the all-outputs contributions of a blend, and add up to the raw score', () => {
    const { ds, y } = data();
    const trees = trainGbdt(ds, y, { loss: 'softmax', nClasses: 3, maxIter: 15, learningRate: 0.2, maxLeaves: 9, minSamplesLeaf: 5, minHessianLeaf: 1e-3, l2: 1, maxBins: 255, seed: 1 });
    const design = fitDesign(ds);
    const glm = trainGlm(buildDesign(design, ds), ds.nRows, design.columns.length, y, { loss: 'softmax', nClasses: 3, l2: 1 });
    const featureColumn = Int32Array.from([0, 1, 1]);
    const raw = rawScores({ type: 'blend', parts: [{ type: 'gbdt', model: trees, loss: 'softmax' }, { type: 'glm', model: glm, design }], weights: [0.7, 0.3] }, ds);
    const models: TrainedModel[] = [
      { type: 'gbdt', model: trees, loss: 'softmax' },
      { type: 'blend', parts: [{ type: 'gbdt', model: trees, loss: 'softmax' }, { type: 'glm', model: glm, design }], weights: [0.7, 0.3] },
    ];
    for (const model of models) {
      const contributions = outputContributions(model, featureColumn, 2)(ds);
      for (let row = 0; row < ds.nRows; row += 7) {
        const all = columnContributions(model, ds, row, featureColumn, 2);
        for (let k = 0; k < 3; k++) {
          const one = contributions(row, k);
          for (let c = 0; c < 3; c++) expect(one[c]).toBeCloseTo(all[k * 3 + c], 12);
          if (model.type === 'blend') expect(one[0] + one[1] + one[2]).toBeCloseTo(raw[row * 3 + k], 9);
        }
      }
    }
  });
});
