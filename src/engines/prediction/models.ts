// One face for the two learners a prediction model can ship (trees or linear): scores and explanations.
import { predictRaw, shapRow, transformRaw, type GbdtDataset, type GbdtLoss, type GbdtModel } from '../../learners/gbdt/index.js';
import { glmContributions, glmTransform, predictGlmRaw, type GlmModel } from '../../learners/glm/index.js';
import { buildDesign, type GlmDesign } from './glm-design.js';

export type TrainedModel =
  | { type: 'gbdt'; model: GbdtModel; loss: GbdtLoss }
  | { type: 'glm'; model: GlmModel; design: GlmDesign };

export function nOutputs(m: TrainedModel): number {
  return m.model.nOutputs;
}

/**
 * Classification: probabilities, row-major n * nClasses (binary gives [1 - p, p]).
 * Numerical: the predicted values, length n.
 */
export function predictValues(m: TrainedModel, ds: GbdtDataset, nClasses: number): Float64Array {
  let out: Float64Array;
  if (m.type === 'gbdt') out = transformRaw(m.model, predictRaw(m.model, ds), m.loss);
  else out = glmTransform(m.model, predictGlmRaw(m.model, buildDesign(m.design, ds), ds.nRows));
  if (nClasses !== 2) return out;
  const two = new Float64Array(ds.nRows * 2);
  for (let i = 0; i < ds.nRows; i++) {
    two[2 * i] = 1 - out[i];
    two[2 * i + 1] = out[i];
  }
  return two;
}

/**
 * Additive contributions (raw-score units: log-odds, logits or the number) of one row, summed per
 * original column: Float64Array of length (nColumns + 1) * nOutputs, per output block the columns
 * then the bias. `featureColumn` (length nFeatures) maps each encoded feature to its column.
 */
export function columnContributions(m: TrainedModel, ds: GbdtDataset, row: number, featureColumn: Int32Array, nColumns: number): Float64Array {
  const K = m.model.nOutputs;
  const out = new Float64Array((nColumns + 1) * K);
  if (m.type === 'gbdt') {
    const nf = m.model.nFeatures;
    const phi = shapRow(m.model, ds, row);
    for (let k = 0; k < K; k++) {
      for (let f = 0; f < nf; f++) out[k * (nColumns + 1) + featureColumn[f]] += phi[k * (nf + 1) + f];
      out[k * (nColumns + 1) + nColumns] = phi[k * (nf + 1) + nf];
    }
    return out;
  }
  const one: GbdtDataset = {
    nRows: 1,
    features: ds.features.map((f) => (f.kind === 'numeric' ? { ...f, values: f.values.subarray(row, row + 1) } : { ...f, values: f.values.subarray(row, row + 1) })),
  };
  const x = buildDesign(m.design, one);
  const p = m.design.columns.length;
  const phi = glmContributions(m.model, x);
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < p; j++) out[k * (nColumns + 1) + featureColumn[m.design.columns[j].feature]] += phi[k * (p + 1) + j];
    out[k * (nColumns + 1) + nColumns] = phi[k * (p + 1) + p];
  }
  return out;
}
