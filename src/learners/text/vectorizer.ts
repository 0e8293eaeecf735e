// TF-IDF over hashed features: fitted on training texts, it maps the buckets they use to dense feature ids.
import { Featurizer, type FeatureSettings } from './features.js';
import { CsrBuilder, type CsrMatrix } from './sparse.js';

/** The fitted vocabulary of hashed features (saved in the model). */
export interface Vocabulary {
  settings: FeatureSettings;
  /** Length d, Int32 bucket of each feature id (word block first, then by falling document frequency). */
  buckets: Int32Array;
  /** Length d, Float32 smoothed inverse document frequency ln((1+n)/(1+df)) + 1 of each feature. */
  idf: Float32Array;
}

/** Fits the vocabulary on training texts and returns their TF-IDF rows (unit L2 norm, see `Vectorizer`). */
export function fitTfidf(texts: readonly string[], settings: FeatureSettings): { vocabulary: Vocabulary; matrix: CsrMatrix } {
  const featurizer = new Featurizer(settings);
  /** Length 2^hashBits, Int32 documents per bucket. */
  const df = new Int32Array(featurizer.bucketCount);
  const raw = new CsrBuilder();
  for (const text of texts) {
    const { count, buckets, values } = featurizer.featurize(text);
    for (let k = 0; k < count; k++) df[buckets[k]]++;
    raw.push(count, buckets, values);
  }
  const rawMatrix = raw.build(featurizer.bucketCount);
  const minDf = settings.minDf ?? 1;
  if (minDf > 1) for (let b = 0; b < df.length; b++) if (df[b] < minDf) df[b] = 0;
  // Feature ids: the word block first, then the character block, each by falling document
  // frequency, so the weights the solver touches most often share cache lines.
  const half = featurizer.charBlockStart;
  const n = texts.length;
  const buckets = orderByFrequency(df, half, n);
  const d = buckets.length;
  const idf = new Float32Array(d);
  /** Length 2^hashBits, Int32 feature id of each bucket (-1 = unused). */
  const featureOf = new Int32Array(df.length).fill(-1);
  for (let id = 0; id < d; id++) {
    const b = buckets[id];
    idf[id] = Math.log((1 + n) / (1 + df[b])) + 1;
    featureOf[b] = id;
  }
  const vocabulary: Vocabulary = { settings, buckets, idf };
  const charStart = charBlockStart(buckets, half);
  const { colIdx, values, rowPtr } = rawMatrix;
  // Map buckets to feature ids in place, dropping entries of left-out buckets (rows only shrink).
  let write = 0;
  let read = 0;
  for (let r = 0; r < n; r++) {
    const end = rowPtr[r + 1];
    const start = write;
    for (; read < end; read++) {
      const id = featureOf[colIdx[read]];
      if (id < 0) continue;
      colIdx[write] = id;
      values[write++] = values[read] * idf[id];
    }
    rowPtr[r + 1] = write;
    normalizeBlocks(colIdx, values, start, write, charStart, settings.charWeight);
  }
  return { vocabulary, matrix: { rows: n, columns: d, rowPtr, colIdx: colIdx.slice(0, write), values: values.slice(0, write) } };
}

/**
 * The used buckets (df > 0) in feature-id order: word block (buckets < half) first, each block by
 * falling document frequency, ties by bucket. A counting sort: a comparison sort of ~10^6 buckets
 * would cost more than featurizing the texts.
 */
function orderByFrequency(df: Int32Array, half: number, maxDf: number): Int32Array {
  /** Length maxDf + 2, Int32: first output position of each (block, df) group, filled per block. */
  let total = 0;
  for (let b = 0; b < df.length; b++) if (df[b] > 0) total++;
  const out = new Int32Array(total);
  let offset = 0;
  for (const [from, to] of [[0, half], [half, df.length]]) {
    const start = new Int32Array(maxDf + 2);
    for (let b = from; b < to; b++) if (df[b] > 0) start[maxDf - df[b] + 1]++;
    start[0] = offset;
    for (let k = 1; k < start.length; k++) start[k] += start[k - 1];
    for (let b = from; b < to; b++) if (df[b] > 0) out[start[maxDf - df[b]]++] = b;
    offset = start[maxDf];
  }
  return out;
}

/** The first feature id of the character block: the number of word-block buckets. */
export function charBlockStart(buckets: Int32Array, half: number): number {
  let count = 0;
  for (let k = 0; k < buckets.length; k++) if (buckets[k] < half) count++;
  return count;
}

/**
 * Scales entries [from, to) so the word block (ids < charStart) and the character block each have
 * L2 norm 1, weighted 1 : charWeight, and the whole row has norm 1.
 */
export function normalizeBlocks(ids: ArrayLike<number>, values: { [k: number]: number }, from: number, to: number, charStart: number, charWeight: number): void {
  let wordSq = 0;
  let charSq = 0;
  for (let p = from; p < to; p++) {
    const v = values[p];
    if (ids[p] < charStart) wordSq += v * v;
    else charSq += v * v;
  }
  const total = Math.sqrt((wordSq > 0 ? 1 : 0) + (charSq > 0 ? charWeight * charWeight : 0));
  if (total === 0) return;
  const wordScale = wordSq > 0 ? 1 / Math.sqrt(wordSq) / total : 0;
  const charScale = charSq > 0 ? charWeight / Math.sqrt(charSq) / total : 0;
  for (let p = from; p < to; p++) values[p] *= ids[p] < charStart ? wordScale : charScale;
}

/** Turns new texts into TF-IDF vectors of a fitted vocabulary (unseen buckets are dropped, as in training). */
export class Vectorizer {
  readonly vocabulary: Vocabulary;
  readonly featurizer: Featurizer;
  /** Length 2^hashBits, Int32 feature id of each bucket (-1 = not in the vocabulary). */
  private readonly featureOf: Int32Array;
  private readonly charStart: number;
  /** Output buffers, valid until the next call: Int32 feature ids and Float64 values. */
  private ids = new Int32Array(1024);
  private values = new Float64Array(1024);

  constructor(vocabulary: Vocabulary) {
    this.vocabulary = vocabulary;
    this.featurizer = new Featurizer(vocabulary.settings);
    this.featureOf = new Int32Array(this.featurizer.bucketCount).fill(-1);
    for (let id = 0; id < vocabulary.buckets.length; id++) this.featureOf[vocabulary.buckets[id]] = id;
    this.charStart = charBlockStart(vocabulary.buckets, this.featurizer.charBlockStart);
  }

  /** The TF-IDF vector of one text; `origins` (explanations) maps feature ids to term strings. */
  transform(text: string, withOrigins = false): { count: number; ids: Int32Array; values: Float64Array; termOf?: Map<number, string> } {
    const f = withOrigins ? this.featurizer.explain(text) : this.featurizer.featurize(text);
    if (this.ids.length < f.count) {
      this.ids = new Int32Array(f.buckets.length);
      this.values = new Float64Array(f.buckets.length);
    }
    let count = 0;
    const idf = this.vocabulary.idf;
    for (let k = 0; k < f.count; k++) {
      const id = this.featureOf[f.buckets[k]];
      if (id < 0) continue;
      this.ids[count] = id;
      this.values[count++] = f.values[k] * idf[id];
    }
    normalizeBlocks(this.ids, this.values, 0, count, this.charStart, this.vocabulary.settings.charWeight);
    if (!withOrigins) return { count, ids: this.ids, values: this.values };
    const termOf = new Map<number, string>();
    for (const o of (f as ReturnType<Featurizer['explain']>).origins) {
      const id = this.featureOf[o.bucket];
      if (id >= 0 && !termOf.has(id)) termOf.set(id, o.term);
    }
    return { count, ids: this.ids, values: this.values, termOf };
  }
}
