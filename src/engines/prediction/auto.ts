// Automatic settings: a small, fixed set of candidates (trees, a linear model, a blend of the best
// of each; on small data also the average of the best tree settings), compared on validation rows
// carved from the training part only; the winner is then bagged over the folds (small data), refit
// on every training row (medium) or kept (large).
import { trainGbdt, type GbdtDataset, type GbdtLoss, type GbdtParams } from '../../learners/gbdt/index.js';
import { trainGlm } from '../../learners/glm/index.js';
import type { PredictionKind } from './configuration.js';
import { subsetRows, subsetValues } from './dataset.js';
import { buildDesign, fitDesign } from './glm-design.js';
import { logLoss, regressionMetrics } from './metrics.js';
import { partsOf, predictValues, rawScores, toValues, type SingleModel, type TrainedModel } from './models.js';
import { serializePart } from './artifact.js';
import { rng, shuffle } from './random.js';
import { strata, stratifiedSplit } from './split.js';

export interface Candidate {
  name: string;
  learner: 'gbdt' | 'glm';
  settings: Record<string, number>;
}

/** Tree weights tried for a blend of the best trees and the best linear model (raw scores). */
export const BLEND_WEIGHTS = [0.2, 0.35, 0.5, 0.65, 0.8];

export interface LeaderboardEntry {
  candidate: string;
  learner: 'gbdt' | 'glm' | 'blend';
  settings: Record<string, number>;
  /** Validation log loss (outcomes) or RMSE (numbers): lower is better. */
  validationScore: number;
  validationMetric: 'logloss' | 'rmse';
  /** Boosting rounds chosen by early stopping (trees). */
  iterations?: number;
  trainSeconds: number;
  modelBytes: number;
  predictMsPerRow: number;
  selected: boolean;
}

const GBDT_CANDIDATES: Candidate[] = [
  { name: 'trees: 31 leaves, rate 0.1', learner: 'gbdt', settings: { maxLeaves: 31, learningRate: 0.1, minSamplesLeaf: 20, l2: 0 } },
  { name: 'trees: 31 leaves, rate 0.05, l2 1', learner: 'gbdt', settings: { maxLeaves: 31, learningRate: 0.05, minSamplesLeaf: 20, l2: 1 } },
  { name: 'trees: 15 leaves, rate 0.1, l2 1', learner: 'gbdt', settings: { maxLeaves: 15, learningRate: 0.1, minSamplesLeaf: 10, l2: 1 } },
  { name: 'trees: 7 leaves, rate 0.1, l2 5', learner: 'gbdt', settings: { maxLeaves: 7, learningRate: 0.1, minSamplesLeaf: 30, l2: 5 } },
  { name: 'trees: 63 leaves, rate 0.05, l2 1', learner: 'gbdt', settings: { maxLeaves: 63, learningRate: 0.05, minSamplesLeaf: 10, l2: 1 } },
  { name: 'trees: 4 leaves, rate 0.05, l2 10', learner: 'gbdt', settings: { maxLeaves: 4, learningRate: 0.05, minSamplesLeaf: 20, l2: 10 } },
];
const GLM_CANDIDATES: Candidate[] = [
  { name: 'linear, l2 1', learner: 'glm', settings: { l2: 1 } },
  { name: 'linear, l2 3', learner: 'glm', settings: { l2: 3 } },
  { name: 'linear, l2 10', learner: 'glm', settings: { l2: 10 } },
];

/**
 * Small data: the trees' entry that averages the raw scores of this many best tree settings (by
 * cross-validation). Picking one setting out of six on a few hundred validation rows is mostly
 * luck; their average is steadier and, measured on samples of 300 to 1,500 training rows
 * (bench/small-data.ts), scores better on average than the best one alone.
 */
export const TREE_AVERAGE = 3;

/** Training rows under which candidates are compared by cross-validation instead of one holdout. */
export const CV_MAX_ROWS = 4000;
/**
 * Folds of that cross-validation; the final small-data model bags the fold models, so more folds
 * mean members that each learned from more rows (5: 80%). Measured on samples of 300 to 1,500
 * training rows (bench/small-data.ts), 5 beat 4 on numbers and tied on outcomes.
 */
export const FOLDS = 5;
/** The single validation part: this share of the training part, at most VALIDATION_MAX_ROWS rows. */
export const VALIDATION_FRACTION = 0.15;
export const VALIDATION_MAX_ROWS = 10_000;
/** Rows x features x outputs beyond which the linear model trains on a sample (dense matrix memory). */
export const GLM_MAX_CELLS = 20_000_000;

/** Work (rows x features x outputs) up to which every tree candidate is tried. */
export const SMALL_WORK = 150_000;
/** Work up to which two tree candidates are tried. */
export const MEDIUM_WORK = 1_500_000;
/**
 * Work up to which the chosen model is refit on every training row (the validation rows join):
 * one more fit at the rounds early stopping found, about 5 s at letter_recognition's 6.7M
 * (16,000 rows x 16 features x 26 outcomes) on the 2-core machine. Beyond it the model trained
 * without the validation rows is kept.
 */
export const REFIT_WORK = 10_000_000;

/**
 * The candidates for a data size, in priority order. The count depends only on the data size (never
 * on the clock) so the same data and seed always give the same model: the time budget is a work
 * budget, proportional to rows x features x outputs.
 */
export function candidatesFor(nRows: number, nFeatures: number, nOutputs: number): Candidate[] {
  const work = nRows * Math.max(1, nFeatures) * nOutputs;
  const trees = work <= SMALL_WORK ? GBDT_CANDIDATES.length : work <= MEDIUM_WORK ? 2 : 1;
  return [...GBDT_CANDIDATES.slice(0, trees), ...GLM_CANDIDATES.slice(0, nRows <= CV_MAX_ROWS ? GLM_CANDIDATES.length : 1)];
}

/** Large data keeps the chosen candidate as trained on the training part minus the validation rows. */
export function refitsFor(nRows: number, nFeatures: number, nOutputs: number): boolean {
  return nRows * Math.max(1, nFeatures) * nOutputs <= REFIT_WORK;
}

export interface AutoInput {
  ds: GbdtDataset;
  /** Float64Array of length ds.nRows: class index or value. */
  y: Float64Array;
  kind: PredictionKind;
  nClasses: number;
  seed: number;
  threads: number;
  progress: (stage: string, fraction: number) => void;
}

export interface AutoResult {
  model: TrainedModel;
  leaderboard: LeaderboardEntry[];
  selection: { method: 'cross-validation' | 'holdout'; folds?: number; validationRows: number; refit: boolean };
  /** Numerical: the chosen candidate's validation residuals (actual - predicted), out of sample. */
  residuals: Float64Array;
  /** Sentences for the version: any sampling done, and whether the chosen model was refit. */
  notes: string[];
}

function lossOf(kind: PredictionKind): GbdtLoss {
  return kind === 'binary' ? 'logloss' : kind === 'multiclass' ? 'softmax' : 'squared';
}

function gbdtParams(c: Candidate, input: AutoInput, ds: GbdtDataset, maxIter: number, early: boolean): GbdtParams {
  const s = c.settings;
  return {
    loss: lossOf(input.kind),
    nClasses: input.kind === 'multiclass' ? input.nClasses : undefined,
    maxIter,
    learningRate: s.learningRate,
    maxLeaves: s.maxLeaves,
    minSamplesLeaf: s.minSamplesLeaf,
    minHessianLeaf: 1e-3,
    l2: s.l2,
    maxBins: 255,
    seed: input.seed,
    // The learner decides where a second thread pays (sets beyond the cache, gbdt/shards.ts).
    threads: input.threads,
    earlyStopping: early ? { patience: Math.round(2 / s.learningRate), tolerance: 0 } : undefined,
  };
}

/** Most boosting rounds a candidate may use: enough for the low learning rates to converge. */
const MAX_ITER = 2000;

function fit(
  c: Candidate,
  input: AutoInput,
  ds: GbdtDataset,
  y: Float64Array,
  iterations: number | null,
  notes: Set<string>,
  valid?: { ds: GbdtDataset; y: Float64Array },
  onIteration?: (iteration: number, maxIter: number) => void,
): SingleModel {
  if (c.learner === 'glm') {
    let rowsDs = ds;
    let rowsY = y;
    const design = fitDesign(ds);
    const p = design.columns.length;
    if (ds.nRows * p * Math.max(1, input.nClasses) > GLM_MAX_CELLS) {
      const keep = Math.max(1000, Math.floor(GLM_MAX_CELLS / (p * Math.max(1, input.nClasses))));
      notes.add(`The linear model learned from a sample of ${keep.toLocaleString('en-US')} of ${ds.nRows.toLocaleString('en-US')} rows (drawn with the seed) to bound memory; the trees used every row.`);
      const idx = Int32Array.from({ length: ds.nRows }, (_, i) => i);
      shuffle(idx, rng(input.seed + 7));
      const sample = idx.slice(0, keep).sort();
      rowsDs = subsetRows(ds, sample);
      rowsY = subsetValues(y, sample);
    }
    const x = buildDesign(design, rowsDs);
    const loss = input.kind === 'binary' ? 'logistic' : input.kind === 'multiclass' ? 'softmax' : 'squared';
    const standardize = Uint8Array.from(design.columns, (d) => (d.kind === 'value' ? 1 : 0));
    const model = trainGlm(x, rowsDs.nRows, p, rowsY, { loss, nClasses: input.nClasses, l2: c.settings.l2, standardize });
    return { type: 'glm', model, design };
  }
  const params = gbdtParams(c, input, ds, iterations ?? MAX_ITER, iterations === null && valid !== undefined);
  const model = trainGbdt(ds, y, params, { validation: valid ? { data: valid.ds, y: valid.y } : undefined, onIteration });
  return { type: 'gbdt', model, loss: params.loss };
}

/** Validation loss from raw scores: log loss (outcomes) or RMSE (numbers). */
function lossFromRaw(raw: Float64Array, y: Float64Array, input: AutoInput): number {
  const v = toValues(raw, y.length, input.kind === 'numerical' ? 1 : input.nClasses);
  return input.kind === 'numerical' ? regressionMetrics(y, v).rmse : logLoss(y, v, input.nClasses);
}

/** Per row (Uint8Array of length y.length), 1 when its highest raw score is its outcome (binary: log-odds above 0 means outcome 1). */
function hits(raw: Float64Array, y: Float64Array, K: number): Uint8Array {
  const out = new Uint8Array(y.length);
  for (let i = 0; i < y.length; i++) {
    let best = 0;
    if (K === 1) best = raw[i] > 0 ? 1 : 0;
    else for (let k = 1; k < K; k++) if (raw[i * K + k] > raw[i * K + best]) best = k;
    out[i] = best === y[i] ? 1 : 0;
  }
  return out;
}

/**
 * Whether `a` answers significantly worse than `b` on the same validation rows (arrays of per-row
 * hits): of the rows where exactly one is right, `b` alone is right on more than half plus two
 * standard deviations (McNemar's test, about 95%). A plain "lower accuracy" comparison would turn
 * on a row or two of a few hundred, which is noise.
 */
export function answersWorse(a: Uint8Array, b: Uint8Array): boolean {
  let onlyA = 0;
  let onlyB = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] > b[i]) onlyA++;
    else if (b[i] > a[i]) onlyB++;
  }
  return onlyB - onlyA > 2 * Math.sqrt(onlyA + onlyB);
}

function modelBytes(m: TrainedModel): number {
  return partsOf(m).parts.reduce((a, p) => a + serializePart(p).length, 0);
}

/** Fold index (0..folds-1) of each row, stratified: rows of each stratum dealt round-robin after a seeded shuffle. */
export function stratifiedFolds(groups: Int32Array, folds: number, seed: number): Int32Array {
  const byGroup = new Map<number, number[]>();
  groups.forEach((g, i) => {
    let l = byGroup.get(g);
    if (!l) byGroup.set(g, (l = []));
    l.push(i);
  });
  const out = new Int32Array(groups.length);
  const next = rng(seed);
  let offset = 0;
  for (const g of [...byGroup.keys()].sort((a, b) => a - b)) {
    const l = byGroup.get(g)!;
    shuffle(l, next);
    l.forEach((row, k) => (out[row] = (k + offset) % folds));
    offset += l.length;
  }
  return out;
}

export function autoTrain(input: AutoInput): AutoResult {
  const { ds, y, kind } = input;
  const classification = kind !== 'numerical';
  const nOut = kind === 'multiclass' ? input.nClasses : 1;
  const candidates = candidatesFor(ds.nRows, ds.features.length, nOut);
  const groups = strata(y, classification);
  const useCv = ds.nRows < CV_MAX_ROWS;
  const parts: { train: Int32Array; valid: Int32Array }[] = [];
  if (useCv) {
    const fold = stratifiedFolds(groups, FOLDS, input.seed + 1);
    for (let f = 0; f < FOLDS; f++) {
      const tr: number[] = [];
      const va: number[] = [];
      fold.forEach((k, i) => (k === f ? va : tr).push(i));
      parts.push({ train: Int32Array.from(tr), valid: Int32Array.from(va) });
    }
  } else {
    const fraction = Math.min(VALIDATION_FRACTION, VALIDATION_MAX_ROWS / ds.nRows);
    const s = stratifiedSplit(groups, fraction, input.seed + 1);
    parts.push({ train: s.keep, valid: s.held });
  }
  const prepared = parts.map((p) => ({
    train: subsetRows(ds, p.train),
    yTrain: subsetValues(y, p.train),
    valid: subsetRows(ds, p.valid),
    yValid: subsetValues(y, p.valid),
  }));

  // Every candidate is scored on the same validation rows (all rows across folds, or the holdout),
  // from its raw scores, so blends can be scored without training anything more.
  const yValid = Float64Array.from(prepared.flatMap((p) => Array.from(p.yValid)));
  const K = nOut;
  const leaderboard: LeaderboardEntry[] = [];
  const notes = new Set<string>();
  const iterationsOf: number[] = [];
  const rawOf: Float64Array[] = [];
  /** Per candidate, the model trained on each fold's (or the holdout's) training rows. */
  const models: SingleModel[][] = [];
  const total = candidates.length + 1;
  candidates.forEach((c, ci) => {
    input.progress(`trying ${c.name}`, ci / total);
    const t0 = performance.now();
    const raw = new Float64Array(yValid.length * K);
    let offset = 0;
    const iters: number[] = [];
    const trained: SingleModel[] = [];
    for (const [fi, p] of prepared.entries()) {
      const m = fit(c, input, p.train, p.yTrain, null, notes, { ds: p.valid, y: p.yValid }, (it, max) =>
        input.progress(`trying ${c.name}`, (ci + (fi + it / max) / prepared.length) / total),
      );
      raw.set(rawScores(m, p.valid), offset);
      offset += p.valid.nRows * K;
      if (m.type === 'gbdt') iters.push(m.model.bestIteration);
      trained.push(m);
    }
    const trainSeconds = (performance.now() - t0) / 1000;
    const iterations = iters.length ? Math.round(iters.reduce((a, b) => a + b, 0) / iters.length) : undefined;
    iterationsOf.push(iterations ?? 0);
    rawOf.push(raw);
    models.push(trained);
    const last = trained[trained.length - 1];
    const t1 = performance.now();
    predictValues(last, prepared[0].valid, input.nClasses);
    const predictMsPerRow = (performance.now() - t1) / Math.max(1, prepared[0].valid.nRows);
    leaderboard.push({
      candidate: c.name,
      learner: c.learner,
      settings: c.settings,
      validationScore: lossFromRaw(raw, yValid, input),
      validationMetric: classification ? 'logloss' : 'rmse',
      iterations,
      trainSeconds,
      modelBytes: modelBytes(last),
      predictMsPerRow,
      selected: false,
    });
  });

  // Small data: the average of the best tree settings' raw scores joins the leaderboard as one more
  // trees entry; it is bagged like the others (every member's fold models, equal weights).
  let averaged: string[] = [];
  if (useCv) {
    const order = leaderboard.map((_, i) => i).filter((i) => leaderboard[i].learner === 'gbdt');
    order.sort((a, b) => leaderboard[a].validationScore - leaderboard[b].validationScore || a - b);
    const members = order.slice(0, TREE_AVERAGE);
    if (members.length > 1) {
      averaged = members.map((i) => leaderboard[i].candidate);
      const raw = new Float64Array(rawOf[members[0]].length);
      for (const i of members) for (let j = 0; j < raw.length; j++) raw[j] += rawOf[i][j] / members.length;
      const its = members.map((i) => leaderboard[i].iterations ?? 0);
      rawOf.push(raw);
      models.push(members.flatMap((i) => models[i]));
      iterationsOf.push(Math.round(its.reduce((a, b) => a + b, 0) / its.length));
      leaderboard.push({
        candidate: `trees: average of the best ${members.length}`,
        learner: 'gbdt',
        settings: { averaged: members.length },
        validationScore: lossFromRaw(raw, yValid, input),
        validationMetric: classification ? 'logloss' : 'rmse',
        iterations: iterationsOf[iterationsOf.length - 1],
        trainSeconds: members.reduce((a, i) => a + leaderboard[i].trainSeconds, 0),
        modelBytes: members.reduce((a, i) => a + leaderboard[i].modelBytes, 0),
        predictMsPerRow: members.reduce((a, i) => a + leaderboard[i].predictMsPerRow, 0),
        selected: false,
      });
    }
  }

  // A blend of the best trees and the best linear model, weights tried on the same validation rows.
  const bestOf = (learner: 'gbdt' | 'glm'): number => {
    let b = -1;
    leaderboard.forEach((e, i) => {
      if (e.learner === learner && (b < 0 || e.validationScore < leaderboard[b].validationScore)) b = i;
    });
    return b;
  };
  const bt = bestOf('gbdt');
  const bl = bestOf('glm');
  let blend: { weight: number; score: number } | null = null;
  if (bt >= 0 && bl >= 0) {
    for (const w of BLEND_WEIGHTS) {
      const raw = rawOf[bt].map((v, i) => w * v + (1 - w) * rawOf[bl][i]);
      const score = lossFromRaw(raw, yValid, input);
      if (!blend || score < blend.score) blend = { weight: w, score };
    }
  }
  let best = 0;
  for (let i = 1; i < leaderboard.length; i++) if (leaderboard[i].validationScore < leaderboard[best].validationScore) best = i;
  // A blend must lower the validation loss without answering significantly worse: a softer mix can
  // improve log loss by calibration alone while answering worse (seen on 26-letter recognition).
  const useBlend =
    blend !== null &&
    blend.score < leaderboard[best].validationScore &&
    (!classification || !answersWorse(hits(rawOf[bt].map((v, i) => blend!.weight * v + (1 - blend!.weight) * rawOf[bl][i]), yValid, K), hits(rawOf[best], yValid, K)));
  const chosenIdx = useBlend ? [bt, bl] : [best];
  // Small data (cross-validation): the final model averages the fold models, each early-stopped on
  // rows it did not see: a bagged ensemble, steadier than one refit on so few rows. Up to
  // REFIT_WORK: refit on every training row with the rounds early stopping found (a little more,
  // as the validation rows join). Beyond: keep the model trained without the validation rows.
  const refit = !useCv && refitsFor(ds.nRows, ds.features.length, nOut);
  input.progress(refit ? 'training the chosen model on every training row' : 'assembling the chosen model', candidates.length / total);
  const t0 = performance.now();
  const finals = chosenIdx.map((i): { parts: SingleModel[]; weights: number[] } => {
    if (useCv) return { parts: models[i], weights: models[i].map(() => 1 / models[i].length) };
    const c = candidates[i];
    const rounds = c.learner === 'gbdt' ? Math.max(1, Math.round(iterationsOf[i] * 1.1)) : null;
    return { parts: [refit ? fit(c, input, ds, y, rounds, notes) : models[i][0]], weights: [1] };
  });
  const combine = (groups: { parts: SingleModel[]; weights: number[] }[], groupWeights: number[]): TrainedModel => {
    const parts = groups.flatMap((g) => g.parts);
    const weights = groups.flatMap((g, k) => g.weights.map((w) => w * groupWeights[k]));
    return parts.length === 1 ? parts[0] : { type: 'blend', parts, weights };
  };
  let model: TrainedModel;
  let chosenRaw: Float64Array;
  if (useBlend) {
    const w = blend!.weight;
    model = combine(finals, [w, 1 - w]);
    chosenRaw = rawOf[bt].map((v, i) => w * v + (1 - w) * rawOf[bl][i]);
    leaderboard.push({
      candidate: `blend: ${w} x ${leaderboard[bt].candidate} + ${Math.round((1 - w) * 100) / 100} x ${leaderboard[bl].candidate}`,
      learner: 'blend',
      settings: { treeWeight: w },
      validationScore: blend!.score,
      validationMetric: classification ? 'logloss' : 'rmse',
      trainSeconds: (performance.now() - t0) / 1000 + leaderboard[bt].trainSeconds + leaderboard[bl].trainSeconds,
      modelBytes: modelBytes(model),
      predictMsPerRow: leaderboard[bt].predictMsPerRow + leaderboard[bl].predictMsPerRow,
      selected: true,
    });
  } else {
    model = combine(finals, [1]);
    chosenRaw = rawOf[best];
    leaderboard[best].selected = true;
  }
  const residuals = kind === 'numerical' ? Float64Array.from(yValid, (v, i) => v - chosenRaw[i]) : new Float64Array(0);
  return {
    model,
    leaderboard,
    selection: useCv
      ? { method: 'cross-validation', folds: FOLDS, validationRows: ds.nRows, refit }
      : { method: 'holdout', validationRows: parts[0].valid.length, refit },
    residuals,
    notes: [
      ...notes,
      ...(averaged.length > 0 && (useBlend ? bt : best) === candidates.length
        ? [`The trees average the ${averaged.length} tree settings that did best in the cross-validation: ${averaged.join('; ')}.`]
        : []),
      useCv
        ? `The chosen model averages the models of the cross-validation: ${FOLDS} per setting, each trained on ${FOLDS - 1} of ${FOLDS} parts of the training rows.`
        : refit
          ? 'The chosen model was trained again on every training row.'
          : `The chosen model is the one trained without its ${parts[0].valid.length.toLocaleString('en-US')} validation rows (retraining on every row would take too long for this data size).`,
    ],
  };
}
