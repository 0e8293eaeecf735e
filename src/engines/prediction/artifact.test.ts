// Tests of the prediction artifact: blend round trip, refusal of foreign or newer files.
import { describe, expect, it } from 'vitest';
import { LatheError } from '../../domain/errors.js';
import { trainGbdt, type GbdtDataset } from '../../learners/gbdt/index.js';
import { trainGlm } from '../../learners/glm/index.js';
import { readArtifact, writeArtifact } from './artifact.js';
import { buildDesign, fitDesign } from './glm-design.js';
import { rawScores, type TrainedModel } from './models.js';

function data(): { ds: GbdtDataset; y: Float64Array } {
  const n = 200;
  const x = Float64Array.from({ length: n }, (_, i) => (i * 7919) % 100);
  const c = Int32Array.from({ length: n }, (_, i) => i % 3);
  const y = Float64Array.from({ length: n }, (_, i) => (x[i] + 20 * c[i] > 60 ? 1 : 0));
  return { ds: { nRows: n, features: [{ name: 'x', kind: 'numeric', values: x }, { name: 'c', kind: 'categorical', values: c, nCategories: 3 }] }, y };
}

const header = {
  kind: 'binary' as const,
  target: 'y',
  outcomes: ['0', '1'],
  positive: '1',
  encoding: { version: 1 as const, columns: [] },
};

describe('the prediction artifact', () => {
  it('round-trips a blend of trees and a linear model to the same raw scores', () => {
    const { ds, y } = data();
    const trees = trainGbdt(ds, y, { loss: 'logloss', maxIter: 20, learningRate: 0.1, maxLeaves: 7, minSamplesLeaf: 5, minHessianLeaf: 1e-3, l2: 1, maxBins: 255, seed: 1 });
    const design = fitDesign(ds);
    const glm = trainGlm(buildDesign(design, ds), ds.nRows, design.columns.length, y, { loss: 'logistic', l2: 1 });
    const model: TrainedModel = { type: 'blend', parts: [{ type: 'gbdt', model: trees, loss: 'logloss' }, { type: 'glm', model: glm, design }], weights: [0.65, 0.35] };
    const bytes = writeArtifact(header, model);
    const back = readArtifact(bytes);
    expect(back.header).toMatchObject({ ...header, learner: { weights: [0.65, 0.35] } });
    expect(Array.from(rawScores(back.model, ds))).toEqual(Array.from(rawScores(model, ds)));
    expect(Buffer.from(writeArtifact(header, back.model)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('writes format 2 and still reads format 1 files (written before code columns)', () => {
    const { ds, y } = data();
    const design = fitDesign(ds);
    const glm = trainGlm(buildDesign(design, ds), ds.nRows, design.columns.length, y, { loss: 'logistic', l2: 1 });
    const bytes = writeArtifact(header, { type: 'glm', model: glm, design });
    expect(new DataView(bytes.buffer).getUint32(8, true)).toBe(2);
    new DataView(bytes.buffer).setUint32(8, 1, true);
    expect(Array.from(rawScores(readArtifact(bytes).model, ds))).toEqual(Array.from(rawScores({ type: 'glm', model: glm, design }, ds)));
  });

  it('refuses a file that is not a prediction model, or from a newer release', () => {
    expect(() => readArtifact(new TextEncoder().encode('not a model at all'))).toThrow(LatheError);
    const { ds, y } = data();
    const design = fitDesign(ds);
    const glm = trainGlm(buildDesign(design, ds), ds.nRows, design.columns.length, y, { loss: 'logistic', l2: 1 });
    const bytes = writeArtifact(header, { type: 'glm', model: glm, design });
    new DataView(bytes.buffer).setUint32(8, 99, true);
    expect(() => readArtifact(bytes)).toThrow(/newer release \(format 99/);
  });
});
