// One face for what a prediction model ships: trees, a linear model, or a blend of both raw scores.
import { predictRaw, shapRow, treeExplainer, type GbdtDataset, type GbdtLoss, type GbdtModel } from '../../learners/gbdt/index.js';
import { glmContributions, predictGlmRaw, type GlmModel } from '../../learners/glm/index.js';
import { buildDesign, type GlmDesign } from './glm-design.js';

export type SingleModel = { type: 'gbdt'; model: GbdtModel; loss: GbdtLoss } | { type: 'glm'; model: GlmModel; design: GlmDesign };

/**
 * A blend averages the parts' RAW scores (log-odds, logits or numbers) with fixed weights, so the
 * per-column contributions of the parts combine exactly like the scores do.
 */
export type TrainedModel = SingleModel | { type: 'blend'; parts: SingleModel[]; weights: number[] };

export function partsOf(m: TrainedModel): { parts: SingleModel[]; weights: number[] } {
  return m.type === 'blend' ? { parts: m.parts, weights: m.weights } : { parts: [m], weights: [1] };
}

export function nOutputs(m: TrainedModel): number {
  return partsOf(m).parts[0].model.nOutputs;
}

/** Raw scores, row-major n * nOutputs. */
export function rawScores(m: TrainedModel, ds: GbdtDataset): Float64Array {
  const { parts, weights } = partsOf(m);
  let out: Float64Array | null = null;
  parts.forEach((p, k) => {
    const raw = p.type === 'gbdt' ? predictRaw(p.model, ds) : predictGlmRaw(p.model, buildDesign(p.design, ds), ds.nRows);
    if (parts.length === 1) out = raw;
    else {
      out ??= new Float64Array(raw.length);
      for (let i = 0; i < raw.length; i++) out[i] += weights[k] * raw[i];
    }
  });
  return out!;
}

/**
 * From raw scores to what users see. Classification: probabilities, row-major n * nClasses (binary
 * gives [1 - p, p] from the log-odds); numerical: the values, length n.
 */
export function toValues(raw: Float64Array, nRows: number, nClasses: number): Float64Array {
  if (nClasses === 1) return raw;
  if (nClasses === 2) {
    const out = new Float64Array(nRows * 2);
    for (let i = 0; i < nRows; i++) {
      const p = 1 / (1 + Math.exp(-raw[i]));
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
    }
    return out;
  }
  const K = nClasses;
  const out = new Float64Array(raw.length);
  for (let i = 0; i < raw.length; i += K) {
    let mx = -Infinity;
    for (let k = 0; k < K; k++) mx = Math.max(mx, raw[i + k]);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += out[i + k] = Math.exp(raw[i + k] - mx);
    for (let k = 0; k < K; k++) out[i + k] /= sum;
  }
  return out;
}

/** Probabilities (classification, n * nClasses) or values (numerical, n). nClasses = 1 for numbers. */
export function predictValues(m: TrainedModel, ds: GbdtDataset, nClasses: number): Float64Array {
  return toValues(rawScores(m, ds), ds.nRows, nClasses);
}

function singleContributions(m: SingleModel, ds: GbdtDataset, row: number, featureColumn: Int32Array, nColumns: number, out: Float64Array, weight: number): void {
  const K = m.model.nOutputs;
  if (m.type === 'gbdt') {
    const nf = m.model.nFeatures;
    const phi = shapRow(m.model, ds, row);
    for (let k = 0; k < K; k++) {
      for (let f = 0; f < nf; f++) out[k * (nColumns + 1) + featureColumn[f]] += weight * phi[k * (nf + 1) + f];
      out[k * (nColumns + 1) + nColumns] += weight * phi[k * (nf + 1) + nf];
    }
    return;
  }
  const one: GbdtDataset = {
    nRows: 1,
    features: ds.features.map((f) => (f.kind === 'numeric' ? { ...f, values: f.values.subarray(row, row + 1) } : { ...f, values: f.values.subarray(row, row + 1) })),
  };
  const x = buildDesign(m.design, one);
  const p = m.design.columns.length;
  const phi = glmContributions(m.model, x);
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < p; j++) out[k * (nColumns + 1) + featureColumn[m.design.columns[j].feature]] += weight * phi[k * (p + 1) + j];
    out[k * (nColumns + 1) + nColumns] += weight * phi[k * (p + 1) + p];
  }
}

/**
 * Additive contributions (raw-score units: log-odds, logits or the number) of one row, summed per
 * original column: Float64Array of length (nColumns + 1) * nOutputs, per output block the columns
 * then the bias. `featureColumn` (length nFeatures) maps each encoded feature to its column.
 */
export function columnContributions(m: TrainedModel, ds: GbdtDataset, row: number, featureColumn: Int32Array, nColumns: number): Float64Array {
  const out = new Float64Array((nColumns + 1) * nOutputs(m));
  const { parts, weights } = partsOf(m);
  parts.forEach((p, k) => singleContributions(p, ds, row, featureColumn, nColumns, out, weights[k]));
  return out;
}

/**
 * The contributions of ONE output, per original column, for many rows: the same numbers as that
 * output's block of columnContributions, at a fraction of the cost (trees of the other outputs
 * are not walked; per-model and per-dataset work is done once). Returns, for a dataset, a function
 * of (row, output) giving a Float64Array of length nColumns + 1 (the columns, then the bias).
 */
export function outputContributions(m: TrainedModel, featureColumn: Int32Array, nColumns: number): (ds: GbdtDataset) => (row: number, output: number) => Float64Array {
  const { parts, weights } = partsOf(m);
  const explainers = parts.map((p) => (p.type === 'gbdt' ? treeExplainer(p.model) : null));
  return (ds) => {
    const designs = parts.map((p) => (p.type === 'glm' ? buildDesign(p.design, ds) : null));
    const nf = ds.features.length;
    const x = new Float64Array(nf);
    return (row, output) => {
      const out = new Float64Array(nColumns + 1);
      parts.forEach((p, k) => {
        const weight = weights[k];
        if (p.type === 'gbdt') {
          for (let f = 0; f < nf; f++) {
            const feat = ds.features[f];
            const v = feat.values[row];
            x[f] = feat.kind === 'categorical' && v < 0 ? NaN : v;
          }
          const phi = new Float64Array(nf + 1);
          explainers[k]!.explain(x, output, phi);
          for (let f = 0; f < nf; f++) out[featureColumn[f]] += weight * phi[f];
          out[nColumns] += weight * phi[nf];
          return;
        }
        const g = p.model;
        const cols = p.design.columns;
        const q = cols.length;
        const design = designs[k]!;
        for (let j = 0; j < q; j++) out[featureColumn[cols[j].feature]] += weight * ((g.weights[output * q + j] * (design[row * q + j] - g.mean[j])) / g.scale[j]);
        out[nColumns] += weight * g.intercept[output];
      });
      return out;
    };
  };
}
