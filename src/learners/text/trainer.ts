// Training of a text classifier: TF-IDF, cross-validated choice of C, out-of-fold Platt calibration
// and per-tag thresholds, then one-vs-rest linear SVMs on every training text.
import { bestF1Threshold, fitPlatt, plattConfidence, type Platt } from './calibration.js';
import { DEFAULT_SVM_OPTIONS, decision, trainSvm, type SvmOptions } from './dual-cd.js';
import type { FeatureSettings } from './features.js';
import { packWeights, type TextModel } from './model.js';
import { Random } from './random.js';
import type { CsrMatrix } from './sparse.js';
import { fitTfidf } from './vectorizer.js';

export interface TextTrainingData {
  texts: readonly string[];
  tags: readonly string[];
  /** Length texts × tags, Uint8 row-major: labels[i × tags + t] = 1 when text i carries tag t. */
  labels: Uint8Array;
  /** Every text carries exactly one tag. */
  singleLabel: boolean;
}

export interface TextTrainingSettings {
  /** Feature settings, or 'auto' to pick them from the texts' lengths and scripts. */
  features: FeatureSettings | 'auto';
  /** Candidate values of C, tried in order while the work budget lasts (the first is always tried). */
  cCandidates: number[];
  /** Positive-class weight: a number, or 'sqrt-balanced' = √(negatives / positives) capped at 10. */
  positiveWeight: number | 'sqrt-balanced';
  /** Folds of the cross-validation that gives out-of-fold decisions (calibration, thresholds, C). */
  folds: number;
  /** Work budget of the C search in sparse multiply-adds (deterministic, unlike a clock). */
  workBudget: number;
  tolerance: number;
  seed: number;
}

export const DEFAULT_TRAINING_SETTINGS: TextTrainingSettings = {
  features: 'auto',
  cCandidates: [1, 0.5, 2],
  positiveWeight: 1,
  folds: 3,
  workBudget: 4e8,
  tolerance: 0.1,
  seed: 1,
};

/** Feature settings chosen from the data: character n-grams for short texts, word bigrams always. */
export function autoFeatures(texts: readonly string[]): FeatureSettings {
  let chars = 0;
  for (const t of texts) chars += t.length;
  const mean = texts.length ? chars / texts.length : 0;
  // Character n-grams rescue short texts and misspellings; on long texts words suffice and
  // character n-grams would multiply the work several times over.
  const short = mean < 400;
  return { hashBits: 21, wordNgrams: 2, charMin: 2, charMax: short ? 5 : 0, charWeight: short ? 0.6 : 0 };
}

export interface TrainingReport {
  features: FeatureSettings;
  C: number;
  /** The out-of-fold objective (accuracy or micro F1) of each C tried. */
  cScores: { C: number; score: number }[];
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
  const features = settings.features === 'auto' ? autoFeatures(data.texts) : settings.features;
  progress('features', 0);
  const { vocabulary, matrix } = fitTfidf(data.texts, features);
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
  const weights = targets.map((y) => positiveWeightOf(y, settings.positiveWeight));
  const folds = assignFolds(data, settings.folds, settings.seed);
  const nnz = matrix.rowPtr[n];
  const costPerC = Math.max(1, nnz * scorers * (settings.folds - 1) * 10);
  const affordable = Math.max(1, Math.floor(settings.workBudget / costPerC));
  const candidates = settings.cCandidates.slice(0, affordable);

  const tried: { C: number; score: number; oof: Float64Array; alphaSum: Float32Array[] }[] = [];
  const steps = candidates.length * settings.folds + 1;
  let done = 0;
  for (const C of candidates) {
    /** Length n × tags, Float64 out-of-fold decision value of each (text, tag). */
    const oof = new Float64Array(n * T);
    /** Per scorer, Float32 sum over folds of each text's dual variable (length n): warm start of the final fit. */
    const alphaSum = targets.map(() => new Float32Array(n));
    const w = new Float64Array(matrix.columns);
    for (let f = 0; f < settings.folds; f++) {
      progress('cross-validation', done++ / steps);
      const trainRows = rowsWhere(folds, (k) => k !== f);
      const heldOut = rowsWhere(folds, (k) => k === f);
      for (let s = 0; s < scorers; s++) {
        const y = pick(targets[s], trainRows);
        const sol = trainSvm(matrix, trainRows, y, svmOptions(settings, C, weights[s], s), w);
        for (let k = 0; k < trainRows.length; k++) alphaSum[s][trainRows[k]] += sol.alpha[k];
        for (const r of heldOut) {
          const v = decision(matrix, r, sol.weights, sol.intercept);
          if (binary) {
            oof[r * T + 1] = v;
            oof[r * T] = -v;
          } else oof[r * T + s] = v;
        }
      }
    }
    const calibration = calibrate(data, oof);
    tried.push({ C, score: calibration.score, oof, alphaSum });
  }
  let best = tried[0];
  for (const t of tried) if (t.score > best.score + 1e-9) best = t;
  const calibration = calibrate(data, best.oof);

  progress('final model', done / steps);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const scorerWeights: Float64Array[] = [];
  const intercepts = new Float64Array(scorers);
  for (let s = 0; s < scorers; s++) {
    // Each text was a training text in folds - 1 of the cross-validation models: start from their mean.
    const start = best.alphaSum[s].map((a) => a / (settings.folds - 1));
    const sol = trainSvm(matrix, all, targets[s], svmOptions(settings, best.C, weights[s], s), undefined, start);
    scorerWeights.push(sol.weights);
    intercepts[s] = sol.intercept;
  }
  const packed = packWeights(matrix.columns, scorerWeights);
  const platt = new Float64Array(2 * T);
  calibration.platt.forEach((p, t) => {
    platt[2 * t] = p.a;
    platt[2 * t + 1] = p.b;
  });
  progress('done', 1);
  const model: TextModel = {
    vocabulary,
    tags: [...data.tags],
    singleLabel: data.singleLabel,
    scorers,
    ...packed,
    intercepts,
    platt,
    thresholds: Float64Array.from(calibration.thresholds),
    info: { C: best.C, features, positiveWeights: weights },
  };
  return {
    model,
    report: {
      features,
      C: best.C,
      cScores: tried.map((t) => ({ C: t.C, score: t.score })),
      oofF1: calibration.f1,
      features_count: matrix.columns,
      weights: packed.weightValue.length,
    },
  };
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
function calibrate(data: TextTrainingData, oof: Float64Array): { platt: Platt[]; thresholds: number[]; f1: number[]; score: number } {
  const T = data.tags.length;
  const n = data.texts.length;
  const platt: Platt[] = [];
  const thresholds: number[] = [];
  const f1: number[] = [];
  const confidence = new Float64Array(n * T);
  const f = new Float64Array(n);
  const truth = new Uint8Array(n);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < n; i++) {
      f[i] = oof[i * T + t];
      truth[i] = data.labels[i * T + t];
    }
    let p: Platt;
    if (data.singleLabel && T === 2 && t === 0) p = { a: Number.NaN, b: Number.NaN }; // mirrored from tag 1 below
    else p = fitPlatt(f, truth);
    platt.push(p);
  }
  if (data.singleLabel && T === 2) platt[0] = { a: platt[1].a, b: -platt[1].b };
  for (let t = 0; t < T; t++) {
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      c[i] = plattConfidence(platt[t], oof[i * T + t]);
      confidence[i * T + t] = c[i];
      truth[i] = data.labels[i * T + t];
    }
    if (data.singleLabel) {
      thresholds.push(0.5);
      f1.push(Number.NaN);
    } else {
      const best = bestF1Threshold(c, truth);
      thresholds.push(best.threshold);
      f1.push(best.f1);
    }
  }
  let score: number;
  if (data.singleLabel) {
    let correct = 0;
    for (let i = 0; i < n; i++) {
      let top = 0;
      for (let t = 1; t < T; t++) if (confidence[i * T + t] > confidence[i * T + top]) top = t;
      correct += data.labels[i * T + top];
    }
    score = correct / n;
  } else {
    let tp = 0;
    let predicted = 0;
    let actual = 0;
    for (let i = 0; i < n * T; i++) {
      const yes = confidence[i] >= thresholds[i % T];
      predicted += yes ? 1 : 0;
      actual += data.labels[i];
      if (yes && data.labels[i]) tp++;
    }
    score = predicted + actual === 0 ? 0 : (2 * tp) / (predicted + actual);
  }
  return { platt, thresholds, f1, score };
}

/** The training matrix of a model's texts (exported for tests of the solver on real features). */
export function trainingMatrix(texts: readonly string[], features: FeatureSettings): CsrMatrix {
  return fitTfidf(texts, features).matrix;
}
