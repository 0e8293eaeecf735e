// Training of a text classifier: TF-IDF features, a validated choice of features and C within a
// work budget, held-out calibration and per-tag thresholds, one-vs-rest linear SVMs.
import { bestF1Threshold, fitPlatt, fitSoftmaxScale, plattConfidence, type Platt } from './calibration.js';
import { DEFAULT_SVM_OPTIONS, decision, trainSvm, type SvmOptions } from './dual-cd.js';
import type { FeatureSettings } from './features.js';
import { packWeights, type TextModel } from './model.js';
import { Random } from './random.js';
import type { CsrMatrix } from './sparse.js';
import { fitTfidf, type Vocabulary } from './vectorizer.js';

export interface TextTrainingData {
  texts: readonly string[];
  tags: readonly string[];
  /** Length texts × tags, Uint8 row-major: labels[i × tags + t] = 1 when text i carries tag t. */
  labels: Uint8Array;
  /** Every text carries exactly one tag. */
  singleLabel: boolean;
}

export interface TextTrainingSettings {
  /** Feature settings, or 'auto' to choose among `autoFeatureCandidates` (validated when affordable). */
  features: FeatureSettings | 'auto';
  /** Candidate values of C, cross-validated in order while the work budget lasts; the first is the default. */
  cCandidates: number[];
  /**
   * Positive-class weight: a number, 'sqrt-balanced' = √(negatives / positives) capped at 10, or
   * 'auto' = sqrt-balanced for multi-label data (rare tags) and 1 for single-label data.
   */
  positiveWeight: number | 'sqrt-balanced' | 'auto';
  /** Folds of the cross-validation that gives out-of-fold decisions (calibration, thresholds, C). */
  folds: number;
  /**
   * Work budget in stored matrix entries × scorers × candidate fits (deterministic, unlike a clock).
   * K-fold cross-validation runs when (folds - 1) fits fit in it, and each further C candidate
   * when it still fits; otherwise calibration uses approximate leave-one-out decisions of the
   * one final fit.
   */
  workBudget: number;
  /**
   * Over budget, multi-label data still needs out-of-fold decisions (per-tag thresholds), so one
   * cross-validation runs and the final model is the mean of the fold models instead of a new fit.
   */
  averageFoldsOverBudget: boolean;
  /** Folds of that over-budget cross-validation: 2 halves cost about one fit on all texts. */
  averagedFolds: number;
  /** Stopping tolerance of the dual solver (spread of projected gradients; liblinear's default 0.1). */
  tolerance: number;
  /** Weights smaller than this in absolute value are not saved (a feature value is at most 1, decisions are O(1)). */
  pruneBelow: number;
  seed: number;
}

export const DEFAULT_TRAINING_SETTINGS: TextTrainingSettings = {
  features: 'auto',
  cCandidates: [1, 0.5, 2],
  positiveWeight: 'auto',
  folds: 3,
  workBudget: 2e5,
  averageFoldsOverBudget: true,
  averagedFolds: 2,
  tolerance: 0.1,
  pruneBelow: 0.005,
  seed: 1,
};

/**
 * Feature settings to consider, best guess first. Word 1-2 grams always; character 2-5 grams
 * inside words (misspellings, inflections, very short texts) only while the texts are few and
 * short enough that they cost little: they multiply the stored entries about eightfold.
 */
export function autoFeatureCandidates(texts: readonly string[], scorers = 1, charBudget = 1.5e5): FeatureSettings[] {
  let chars = 0;
  for (const t of texts) chars += t.length;
  // Buckets: about four per distinct word n-gram expected (collisions cost accuracy), 2^18..2^22.
  const hashBits = Math.min(22, Math.max(18, Math.ceil(Math.log2(Math.max(1, chars) * 0.6)) + 2));
  const words: FeatureSettings = { hashBits, wordNgrams: 2, charMin: 2, charMax: 0, charWeight: 0, minDf: 2 };
  if (chars * scorers > charBudget) return [words];
  return [{ ...words, charMax: 5, charWeight: 0.6 }, words];
}

export interface TrainingReport {
  features: FeatureSettings;
  C: number;
  /** How held-out decisions for calibration and thresholds were obtained. */
  calibration: string;
  finalModel: string;
  /** The out-of-fold objective (accuracy or micro F1) of each (C, feature set) tried. */
  cScores: { C: number; characters: boolean; score: number }[];
  /** Out-of-fold F1 at the chosen threshold, per tag (NaN where the default 0.5 was kept). */
  oofF1: number[];
  features_count: number;
  weights: number;
}

export type TrainingProgress = (stage: string, fraction: number) => void;

/** Trains a TextModel. Pure and deterministic for a given seed. */
export function trainTextClassifier(data: TextTrainingData, settings: TextTrainingSettings = DEFAULT_TRAINING_SETTINGS, progress: TrainingProgress = () => {}): { model: TextModel; report: TrainingReport } {
  const T = data.tags.length;
  const n = data.texts.length;
  const binary = data.singleLabel && T === 2;
  const scorers = binary ? 1 : T;
  /** Per scorer, Int8 ±1 label of every text (length n). */
  const targets: Int8Array[] = [];
  for (let s = 0; s < scorers; s++) {
    const y = new Int8Array(n);
    const tag = binary ? 1 : s;
    for (let i = 0; i < n; i++) y[i] = data.labels[i * T + tag] ? 1 : -1;
    targets.push(y);
  }
  const weighting = settings.positiveWeight === 'auto' ? (data.singleLabel ? 1 : 'sqrt-balanced') : settings.positiveWeight;
  const weights = targets.map((y) => positiveWeightOf(y, weighting));
  const featureCandidates = settings.features === 'auto' ? autoFeatureCandidates(data.texts, scorers) : [settings.features];
  progress('features', 0);
  const fitted = featureCandidates.map((features, k) => (k === 0 ? fitTfidf(data.texts, features) : null));
  const cvCost = (m: CsrMatrix): number => Math.max(1, m.rowPtr[n] * scorers * (settings.folds - 1));

  // Validation within the work budget: every affordable (features, C) pair is cross-validated,
  // C = first candidate across feature sets first, and the best out-of-fold objective wins.
  let budget = settings.workBudget;
  const tried: { features: FeatureSettings; candidate: number; C: number; score: number; oof: Float64Array; alphaSum: Float32Array[] }[] = [];
  const folds = assignFolds(data, settings.folds, settings.seed);
  search: for (const C of settings.cCandidates) {
    for (let k = 0; k < featureCandidates.length; k++) {
      const matrix = (fitted[k] ??= fitTfidf(data.texts, featureCandidates[k])).matrix;
      const cost = cvCost(matrix);
      if (cost > budget) break search;
      budget -= cost;
      progress('cross-validation', Math.min(0.8, 1 - budget / settings.workBudget));
      const cv = crossValidate(matrix, data, targets, weights, folds, settings.folds, C, settings);
      tried.push({ features: featureCandidates[k], candidate: k, C, score: cv.score, oof: cv.oof, alphaSum: cv.alphaSum });
    }
  }
  let best = tried[0];
  for (const t of tried) if (t.score > best.score + 1e-9) best = t;
  const chosen = best ? best.candidate : 0;
  const { vocabulary, matrix } = fitted[chosen] as { vocabulary: Vocabulary; matrix: CsrMatrix };
  for (let k = 0; k < fitted.length; k++) if (k !== chosen) fitted[k] = null; // free the others
  const C = best ? best.C : settings.cCandidates[0];
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const scorerWeights: Float32Array[] = [];
  const intercepts = new Float64Array(scorers);
  let heldOut: Float64Array;
  let calibrationName: string;
  let finalModel = 'fit on all training texts';
  if (best) {
    progress('final model', 0.85);
    heldOut = best.oof;
    calibrationName = `${settings.folds}-fold cross-validation`;
    for (let s = 0; s < scorers; s++) {
      // Each text was a training text in folds - 1 of the cross-validation models: start from their mean.
      const start = best.alphaSum[s].map((a) => a / (settings.folds - 1));
      const sol = trainSvm(matrix, all, targets[s], svmOptions(settings, C, weights[s], s), undefined, start);
      scorerWeights.push(sol.weights);
      intercepts[s] = sol.intercept;
    }
  } else if (!data.singleLabel && settings.averageFoldsOverBudget) {
    // Per-tag thresholds need real held-out decisions: one cross-validation over halves, and the
    // mean of the fold models as the final model (no further fit).
    progress('cross-validation', 0.1);
    const halves = assignFolds(data, settings.averagedFolds, settings.seed);
    const cv = crossValidate(matrix, data, targets, weights, halves, settings.averagedFolds, C, settings, true);
    heldOut = cv.oof;
    calibrationName = `${settings.averagedFolds}-fold cross-validation`;
    finalModel = 'mean of fold models';
    for (let s = 0; s < scorers; s++) {
      scorerWeights.push(cv.weightSum[s]);
      intercepts[s] = cv.interceptSum[s];
    }
  } else {
    progress('final model', 0.3);
    heldOut = new Float64Array(n * T);
    calibrationName = 'approximate leave-one-out';
    for (let s = 0; s < scorers; s++) {
      const sol = trainSvm(matrix, all, targets[s], svmOptions(settings, C, weights[s], s));
      scorerWeights.push(sol.weights);
      intercepts[s] = sol.intercept;
      // Jaakkola-Haussler: removing text i takes away its own term α_i y_i x_i from w (and
      // α_i y_i bias from the intercept); on sparse, nearly orthogonal texts the other dual
      // variables barely move, so this is close to the decision of a model trained without it.
      const b2 = DEFAULT_SVM_OPTIONS.bias * DEFAULT_SVM_OPTIONS.bias;
      for (let i = 0; i < n; i++) {
        let sq = b2;
        for (let p = matrix.rowPtr[i]; p < matrix.rowPtr[i + 1]; p++) sq += matrix.values[p] * matrix.values[p];
        const own = sol.alpha[i] * targets[s][i] * sq;
        setDecision(heldOut, i, T, s, binary, decision(matrix, i, sol.weights, sol.intercept) - own);
      }
    }
  }
  const calibration = calibrate(data, heldOut);
  const packed = packWeights(matrix.columns, scorerWeights, settings.pruneBelow);
  const platt = new Float64Array(2 * T);
  calibration.platt.forEach((p, t) => {
    platt[2 * t] = p.a;
    platt[2 * t + 1] = p.b;
  });
  progress('done', 1);
  const features = vocabulary.settings;
  const model: TextModel = {
    vocabulary,
    tags: [...data.tags],
    singleLabel: data.singleLabel,
    scorers,
    ...packed,
    intercepts,
    platt,
    thresholds: Float64Array.from(calibration.thresholds),
    softmaxScale: calibration.softmaxScale,
    info: { C, features, positiveWeights: weights, calibration: calibrationName, finalModel },
  };
  return {
    model,
    report: {
      features,
      C,
      calibration: calibrationName,
      finalModel,
      cScores: tried.map((t) => ({ C: t.C, characters: t.features.charMax > 0, score: t.score })),
      oofF1: calibration.f1,
      features_count: matrix.columns,
      weights: packed.weightValue.length,
    },
  };
}

/** Out-of-fold decisions of every (text, tag), the objective they reach, and per-fold sums. */
function crossValidate(
  matrix: CsrMatrix,
  data: TextTrainingData,
  targets: Int8Array[],
  weights: number[],
  folds: Uint8Array,
  foldCount: number,
  C: number,
  settings: TextTrainingSettings,
  average = false,
): { oof: Float64Array; score: number; alphaSum: Float32Array[]; weightSum: Float32Array[]; interceptSum: Float64Array } {
  const T = data.tags.length;
  const n = data.texts.length;
  const scorers = targets.length;
  const binary = scorers === 1 && T === 2 && data.singleLabel;
  /** Length n × tags, Float64 out-of-fold decision value of each (text, tag). */
  const oof = new Float64Array(n * T);
  /** Per scorer, Float32 sum over folds of each text's dual variable (length n): warm start of the final fit. */
  const alphaSum = targets.map(() => new Float32Array(n));
  /** When averaging: per scorer, Float32 mean of the fold models' weights (length columns) and intercepts. */
  const weightSum = average ? targets.map(() => new Float32Array(matrix.columns)) : [];
  const interceptSum = new Float64Array(scorers);
  const w = new Float32Array(matrix.columns);
  for (let f = 0; f < foldCount; f++) {
    const trainRows = rowsWhere(folds, (k) => k !== f);
    const heldOut = rowsWhere(folds, (k) => k === f);
    for (let s = 0; s < scorers; s++) {
      const sol = trainSvm(matrix, trainRows, pick(targets[s], trainRows), svmOptions(settings, C, weights[s], s), w);
      for (let k = 0; k < trainRows.length; k++) alphaSum[s][trainRows[k]] += sol.alpha[k];
      for (const r of heldOut) setDecision(oof, r, T, s, binary, decision(matrix, r, sol.weights, sol.intercept));
      if (average) {
        const sum = weightSum[s];
        for (let j = 0; j < sum.length; j++) sum[j] += sol.weights[j] / foldCount;
        interceptSum[s] += sol.intercept / foldCount;
      }
    }
  }
  return { oof, score: calibrate(data, oof).score, alphaSum, weightSum, interceptSum };
}

function setDecision(out: Float64Array, r: number, T: number, scorer: number, binary: boolean, v: number): void {
  if (binary) {
    out[r * T + 1] = v;
    out[r * T] = -v;
  } else out[r * T + scorer] = v;
}

function svmOptions(settings: TextTrainingSettings, C: number, positiveWeight: number, scorer: number): SvmOptions {
  return { ...DEFAULT_SVM_OPTIONS, C, positiveWeight, tolerance: settings.tolerance, seed: settings.seed * 7919 + scorer };
}

function positiveWeightOf(y: Int8Array, setting: number | 'sqrt-balanced'): number {
  if (typeof setting === 'number') return setting;
  let pos = 0;
  for (const v of y) if (v > 0) pos++;
  return pos === 0 ? 1 : Math.min(10, Math.max(1, Math.sqrt((y.length - pos) / pos)));
}

function pick(y: Int8Array, rows: Int32Array): Int8Array {
  const out = new Int8Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = y[rows[k]];
  return out;
}

function rowsWhere(folds: Uint8Array, keep: (fold: number) => boolean): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < folds.length; i++) if (keep(folds[i])) out.push(i);
  return Int32Array.from(out);
}

/**
 * Fold of every text (length n, Uint8): texts are grouped by their rarest tag (or "no tag"),
 * shuffled with the seed and dealt round-robin, so each fold sees every tag in proportion.
 */
export function assignFolds(data: TextTrainingData, folds: number, seed: number): Uint8Array {
  const T = data.tags.length;
  const n = data.texts.length;
  const frequency = new Int32Array(T);
  for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) frequency[t] += data.labels[i * T + t];
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    let rarest = -1;
    for (let t = 0; t < T; t++) if (data.labels[i * T + t] && (rarest < 0 || frequency[t] < frequency[rarest])) rarest = t;
    const g = groups.get(rarest);
    if (g) g.push(i);
    else groups.set(rarest, [i]);
  }
  const out = new Uint8Array(n);
  const random = new Random(seed);
  let next = 0;
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const members = groups.get(key) as number[];
    random.shuffle(members);
    for (const i of members) out[i] = next++ % folds;
  }
  return out;
}

/**
 * Platt scaling and thresholds from out-of-fold decisions, and the objective they reach:
 * accuracy of the top tag for single-label data, micro F1 at the thresholds otherwise.
 */
function calibrate(data: TextTrainingData, oof: Float64Array): { platt: Platt[]; softmaxScale: number; thresholds: number[]; f1: number[]; score: number } {
  const T = data.tags.length;
  const n = data.texts.length;
  if (data.singleLabel) {
    const truth = new Int32Array(n);
    for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) if (data.labels[i * T + t]) truth[i] = t;
    const softmaxScale = fitSoftmaxScale(oof, truth, T);
    let correct = 0;
    for (let i = 0; i < n; i++) {
      let top = 0;
      for (let t = 1; t < T; t++) if (oof[i * T + t] > oof[i * T + top]) top = t;
      if (top === truth[i]) correct++;
    }
    return { platt: data.tags.map(() => ({ a: 0, b: 0 })), softmaxScale, thresholds: data.tags.map(() => 0.5), f1: data.tags.map(() => Number.NaN), score: correct / n };
  }
  const platt: Platt[] = [];
  const thresholds: number[] = [];
  const f1: number[] = [];
  const confidence = new Float64Array(n * T);
  const f = new Float64Array(n);
  const truth = new Uint8Array(n);
  const c = new Float64Array(n);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < n; i++) {
      f[i] = oof[i * T + t];
      truth[i] = data.labels[i * T + t];
    }
    const p = fitPlatt(f, truth);
    platt.push(p);
    for (let i = 0; i < n; i++) confidence[i * T + t] = c[i] = plattConfidence(p, f[i]);
    const best = bestF1Threshold(c, truth);
    thresholds.push(best.threshold);
    f1.push(best.f1);
  }
  let tp = 0;
  let predicted = 0;
  let actual = 0;
  for (let i = 0; i < n * T; i++) {
    const yes = confidence[i] >= thresholds[i % T];
    predicted += yes ? 1 : 0;
    actual += data.labels[i];
    if (yes && data.labels[i]) tp++;
  }
  const score = predicted + actual === 0 ? 0 : (2 * tp) / (predicted + actual);
  return { platt, softmaxScale: Number.NaN, thresholds, f1, score };
}
