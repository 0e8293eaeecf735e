// The trained text classifier as shipped: vocabulary, sparse one-vs-rest weights, calibration and thresholds.
import { plattConfidence } from './calibration.js';
import { Vectorizer, type Vocabulary } from './vectorizer.js';

export interface TextModel {
  vocabulary: Vocabulary;
  tags: string[];
  /** Every training text had exactly one tag: the top tag is the prediction and confidences sum to 1. */
  singleLabel: boolean;
  /**
   * Number of linear scorers: one per tag, except two single-label tags, which share one scorer
   * (tag 1 scores s, tag 0 scores -s) as a binary classifier does.
   */
  scorers: number;
  /** Length d + 1, Int32: the weights of feature j are entries weightPtr[j] .. weightPtr[j+1]-1. */
  weightPtr: Int32Array;
  /** Length nnz, Uint16 scorer of each weight entry. */
  weightScorer: Uint16Array;
  /** Length nnz, Float32 weight of each entry. */
  weightValue: Float32Array;
  /** Length scorers, Float64 intercept of each scorer. */
  intercepts: Float64Array;
  /** Length 2 × tags, Float64 Platt (a, b) of each tag: confidence = 1 / (1 + exp(a·f + b)) (multi-label). */
  platt: Float64Array;
  /**
   * Single-label models: confidences = softmax(softmaxScale × f) over the tags. One shared scale
   * keeps the top tag the one with the largest decision value, as in a linear SVM.
   */
  softmaxScale: number;
  /** Length tags, Float64 confidence at or above which a tag is assigned (multi-label models). */
  thresholds: Float64Array;
  /** Settings chosen during training (for the details page); not needed to predict. */
  info: Record<string, unknown>;
}

/** Builds a TextModel's weight table from one dense weight vector per scorer, dropping |w| < pruneBelow. */
export function packWeights(columns: number, scorerWeights: ArrayLike<number>[], pruneBelow = 0): Pick<TextModel, 'weightPtr' | 'weightScorer' | 'weightValue'> {
  const weightPtr = new Int32Array(columns + 1);
  const kept = (v: number): boolean => v !== 0 && Math.abs(v) >= pruneBelow;
  for (const w of scorerWeights) for (let j = 0; j < columns; j++) if (kept(w[j])) weightPtr[j + 1]++;
  for (let j = 0; j < columns; j++) weightPtr[j + 1] += weightPtr[j];
  const nnz = weightPtr[columns];
  const weightScorer = new Uint16Array(nnz);
  const weightValue = new Float32Array(nnz);
  const fill = weightPtr.slice(0, columns);
  scorerWeights.forEach((w, s) => {
    for (let j = 0; j < columns; j++) {
      if (!kept(w[j])) continue;
      const p = fill[j]++;
      weightScorer[p] = s;
      weightValue[p] = w[j];
    }
  });
  return { weightPtr, weightScorer, weightValue };
}

/** One term's part in a tag's decision: TF-IDF value × weight. */
export interface TermContribution {
  term: string;
  weight: number;
}

/** Scores texts with a TextModel. Holds scratch buffers: one instance per thread. */
export class TextScorer {
  readonly model: TextModel;
  private readonly vectorizer: Vectorizer;
  /** Length scorers, Float64 scratch of raw scorer outputs. */
  private readonly raw: Float64Array;

  constructor(model: TextModel) {
    this.model = model;
    this.vectorizer = new Vectorizer(model.vocabulary);
    this.raw = new Float64Array(model.scorers);
  }

  /** Decision value f of every tag for one text (length tags). */
  decisions(text: string, out = new Float64Array(this.model.tags.length)): Float64Array {
    const v = this.vectorizer.transform(text);
    this.score(v.count, v.ids, v.values);
    this.expand(out);
    return out;
  }

  /** Calibrated confidence in [0, 1] of every tag (length tags); single-label models sum to 1. */
  confidences(text: string, out = new Float64Array(this.model.tags.length)): Float64Array {
    this.decisions(text, out);
    return this.calibrate(out);
  }

  /**
   * Confidences, plus, for the tags `choose` picks from them (e.g. the assigned tags), the terms
   * that pushed each decision up most (TF-IDF value × weight, largest first).
   */
  explain(text: string, choose: (confidences: Float64Array) => number[], top = 8): { confidences: Float64Array; tags: number[]; contributions: Map<number, TermContribution[]> } {
    const m = this.model;
    const v = this.vectorizer.transform(text, true);
    this.score(v.count, v.ids, v.values);
    const confidences = this.calibrate(this.expand(new Float64Array(m.tags.length)));
    const tags = choose(confidences);
    const contributions = new Map<number, TermContribution[]>();
    for (const tag of tags) {
      const { scorer, sign } = this.scorerOf(tag);
      const list: TermContribution[] = [];
      for (let k = 0; k < v.count; k++) {
        const j = v.ids[k];
        for (let p = m.weightPtr[j]; p < m.weightPtr[j + 1]; p++) {
          if (m.weightScorer[p] !== scorer) continue;
          const weight = sign * m.weightValue[p] * v.values[k];
          if (weight > 0) list.push({ term: v.termOf?.get(j) ?? `#${j}`, weight });
        }
      }
      list.sort((x, y) => y.weight - x.weight || (x.term < y.term ? -1 : 1));
      contributions.set(tag, list.slice(0, top));
    }
    return { confidences, tags, contributions };
  }

  /** Which scorer gives tag t's decision, and with which sign. */
  scorerOf(tag: number): { scorer: number; sign: number } {
    if (this.model.scorers === this.model.tags.length) return { scorer: tag, sign: 1 };
    return { scorer: 0, sign: tag === 1 ? 1 : -1 };
  }

  private score(count: number, ids: Int32Array, values: Float64Array): void {
    const m = this.model;
    const raw = this.raw;
    raw.set(m.intercepts);
    for (let k = 0; k < count; k++) {
      const j = ids[k];
      const x = values[k];
      for (let p = m.weightPtr[j]; p < m.weightPtr[j + 1]; p++) raw[m.weightScorer[p]] += m.weightValue[p] * x;
    }
  }

  private expand(out: Float64Array): Float64Array {
    if (this.model.scorers === this.model.tags.length) out.set(this.raw);
    else {
      out[1] = this.raw[0];
      out[0] = -this.raw[0];
    }
    return out;
  }

  /** Turns decision values into confidences in place. */
  calibrate(f: Float64Array): Float64Array {
    const m = this.model;
    if (m.singleLabel) return softmaxInPlace(f, m.softmaxScale);
    for (let t = 0; t < f.length; t++) f[t] = plattConfidence({ a: m.platt[2 * t], b: m.platt[2 * t + 1] }, f[t]);
    return f;
  }
}

/** softmax(scale × f) in place, stable for large values. */
export function softmaxInPlace(f: Float64Array, scale: number): Float64Array {
  let max = -Infinity;
  for (let t = 0; t < f.length; t++) if (scale * f[t] > max) max = scale * f[t];
  let sum = 0;
  for (let t = 0; t < f.length; t++) {
    f[t] = Math.exp(scale * f[t] - max);
    sum += f[t];
  }
  for (let t = 0; t < f.length; t++) f[t] /= sum;
  return f;
}
