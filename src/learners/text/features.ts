// Feature hashing of word n-grams and character n-grams into signed buckets with sublinear term frequency.
import { FNV_BASIS, combine, fnvStep, hashRange, mix32 } from './hashing.js';
import { SOLO, Tokenizer, WORD, normalizeText } from './tokenizer.js';

/** How texts become hashed features. Saved inside the model: prediction must featurize identically. */
export interface FeatureSettings {
  /** log2 of the number of buckets (16..24): bounds memory. Words use the lower half, characters the upper. */
  hashBits: number;
  /** Longest word n-gram (1..3). */
  wordNgrams: number;
  /** Shortest and longest character n-gram inside a word (with boundary marks); charMax 0 = none. */
  charMin: number;
  charMax: number;
  /** Weight of the character block against the word block (each block is L2-normalized first). */
  charWeight: number;
  /**
   * Features in fewer training texts are left out of the vocabulary (1 = keep all). A term of a
   * single text cannot generalize, and dropping such terms shrinks the vocabulary severalfold.
   */
  minDf?: number;
}

/** Marks a word's start and end inside character n-grams (never a token character). */
const BOUNDARY = 0x02;

/** What one hashed term was, for explanations: a word n-gram ("big cat") or a character n-gram ("_ca", "_" = word boundary). */
export interface TermOrigin {
  bucket: number;
  term: string;
}

/**
 * Turns one text at a time into signed bucket counts. The counts of one document live in a small
 * open-addressing table (sized to the document, so it stays in cache) rather than in arrays of
 * 2^hashBits entries, whose random accesses would dominate the cost.
 */
export class Featurizer {
  readonly settings: FeatureSettings;
  private readonly tokenizer = new Tokenizer();
  /** Open-addressing table of the current document: Int32 bucket per slot (-1 = empty), power-of-two length. */
  private slotBucket = new Int32Array(1024).fill(-1);
  /** Float64 signed term count per slot (same length as slotBucket). */
  private slotCount = new Float64Array(1024);
  private slotMask = 1023;
  /** Slots used by the current document, in first-touch order (Int32, length = table size). */
  private touched = new Int32Array(1024);
  private touchedCount = 0;
  /** Token hashes of the current document (Uint32 FNV-1a, grows as needed). */
  private tokenHashes = new Uint32Array(256);
  private readonly halfMask: number;
  private readonly half: number;
  private origins: TermOrigin[] | null = null;
  private originText = '';

  constructor(settings: FeatureSettings) {
    if (settings.hashBits < 8 || settings.hashBits > 26) throw new RangeError('hashBits must be within 8..26');
    this.settings = settings;
    this.half = 1 << (settings.hashBits - 1);
    this.halfMask = this.half - 1;
  }

  /** Number of hash buckets (2^hashBits). */
  get bucketCount(): number {
    return 1 << this.settings.hashBits;
  }

  /** First bucket of the character block. */
  get charBlockStart(): number {
    return this.half;
  }

  /**
   * Featurizes a raw text. Returns the number of buckets written to `buckets`/`values`: signed
   * sublinear term frequencies sign(c)·(1 + ln|c|) of each bucket whose signed count c is not 0.
   * `buckets` and `values` are views into internal buffers, valid until the next call.
   */
  featurize(text: string): { count: number; buckets: Int32Array; values: Float64Array } {
    this.collect(text);
    return this.finish();
  }

  /** Like `featurize`, and also lists which term strings fell into which bucket (slow path for explanations). */
  explain(text: string): { count: number; buckets: Int32Array; values: Float64Array; origins: TermOrigin[] } {
    const origins: TermOrigin[] = [];
    this.origins = origins;
    try {
      this.collect(text);
    } finally {
      this.origins = null;
    }
    return { ...this.finish(), origins };
  }

  private out = { count: 0, buckets: new Int32Array(1024), values: new Float64Array(1024) };

  private finish(): { count: number; buckets: Int32Array; values: Float64Array } {
    const out = this.out;
    if (out.buckets.length < this.touchedCount) {
      out.buckets = new Int32Array(this.touched.length);
      out.values = new Float64Array(this.touched.length);
    }
    let count = 0;
    for (let k = 0; k < this.touchedCount; k++) {
      const slot = this.touched[k];
      const c = this.slotCount[slot];
      const b = this.slotBucket[slot];
      this.slotBucket[slot] = -1; // leave the table empty for the next document
      if (c === 0) continue; // opposite-signed collisions cancelled out
      out.buckets[count] = b;
      out.values[count++] = c > 0 ? 1 + Math.log(c) : -(1 + Math.log(-c));
    }
    out.count = count;
    this.touchedCount = 0;
    return out;
  }

  private add(key: number, charBlock: boolean): number {
    const bucket = (key & this.halfMask) + (charBlock ? this.half : 0);
    const sign = key >>> 31 ? -1 : 1;
    const mask = this.slotMask;
    let slot = Math.imul(bucket, 0x9e3779b1) >>> 0 & mask;
    for (;;) {
      const held = this.slotBucket[slot];
      if (held === bucket) {
        this.slotCount[slot] += sign;
        return bucket;
      }
      if (held === -1) break;
      slot = (slot + 1) & mask;
    }
    this.slotBucket[slot] = bucket;
    this.slotCount[slot] = sign;
    this.touched[this.touchedCount++] = slot;
    return bucket;
  }

  /** Makes the table at least twice as large as the most terms a text of this length can produce. */
  private reserve(length: number): void {
    const { wordNgrams, charMin, charMax } = this.settings;
    const perChar = wordNgrams + 1 + (charMax > 0 ? charMax - charMin + 1 : 0);
    const needed = 2 * (length + 2) * perChar;
    if (this.slotBucket.length >= needed) return;
    let size = this.slotBucket.length;
    while (size < needed) size *= 2;
    this.slotBucket = new Int32Array(size).fill(-1);
    this.slotCount = new Float64Array(size);
    this.touched = new Int32Array(size);
    this.slotMask = size - 1;
  }

  private collect(raw: string): void {
    const text = normalizeText(raw);
    this.reserve(text.length);
    const tokens = this.tokenizer.scan(text);
    const { wordNgrams, charMin, charMax } = this.settings;
    if (this.tokenHashes.length < tokens.count) this.tokenHashes = new Uint32Array(tokens.count * 2);
    const hashes = this.tokenHashes;
    const origins = this.origins;
    if (origins) this.originText = text;
    for (let t = 0; t < tokens.count; t++) {
      const start = tokens.starts[t];
      const end = tokens.ends[t];
      const h = hashRange(text, start, end);
      hashes[t] = h;
      let b = this.add(combine(h, 1), false);
      if (origins) origins.push({ bucket: b, term: text.slice(start, end) });
      if (wordNgrams >= 2 && t >= 1) {
        b = this.add(combine(combine(hashes[t - 1], h), 2), false);
        if (origins) origins.push({ bucket: b, term: text.slice(tokens.starts[t - 1], tokens.ends[t - 1]) + ' ' + text.slice(start, end) });
      }
      if (wordNgrams >= 3 && t >= 2) {
        b = this.add(combine(combine(combine(hashes[t - 2], hashes[t - 1]), h), 3), false);
        if (origins) origins.push({ bucket: b, term: text.slice(tokens.starts[t - 2], tokens.ends[t - 2]) + ' ' + text.slice(tokens.starts[t - 1], tokens.ends[t - 1]) + ' ' + text.slice(start, end) });
      }
      if (charMax > 0 && tokens.kinds[t] === WORD) this.addCharGrams(text, start, end, charMin, charMax);
      else if (charMax > 0 && tokens.kinds[t] === SOLO && t >= 1 && tokens.kinds[t - 1] === SOLO && t + 1 < tokens.count && tokens.kinds[t + 1] === SOLO) {
        // Character trigrams across runs of unspaced script (word bigrams already are character bigrams there).
        const next = hashRange(text, tokens.starts[t + 1], tokens.ends[t + 1]);
        b = this.add(combine(combine(combine(hashes[t - 1], h), next), 4), true);
        if (origins) origins.push({ bucket: b, term: text.slice(tokens.starts[t - 1], tokens.ends[t + 1]) });
      }
    }
  }

  /** Character n-grams of "<word>" with lengths charMin..charMax (boundary marks count as characters). */
  private addCharGrams(text: string, start: number, end: number, charMin: number, charMax: number): void {
    const padded = end - start + 2;
    const origins = this.origins;
    for (let s = 0; s < padded; s++) {
      let h = FNV_BASIS;
      const limit = Math.min(charMax, padded - s);
      for (let k = 0; k < limit; k++) {
        const p = s + k;
        const unit = p === 0 || p === padded - 1 ? BOUNDARY : text.charCodeAt(start + p - 1);
        h = fnvStep(h, unit);
        if (k + 1 >= charMin) {
          const b = this.add(mix32(h ^ Math.imul(k + 1, 0x27d4eb2f)), true);
          if (origins) origins.push({ bucket: b, term: charTerm(this.originText, start, end, s, k + 1) });
        }
      }
    }
  }
}

/** Shows a character n-gram with '_' for a word boundary (the tokenizer never puts '_' inside a word). */
function charTerm(text: string, start: number, end: number, s: number, length: number): string {
  const padded = '_' + text.slice(start, end) + '_';
  return padded.slice(s, s + length);
}
