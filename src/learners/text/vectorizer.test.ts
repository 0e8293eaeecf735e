import { describe, expect, it } from 'vitest';
import { Featurizer, type FeatureSettings } from './features.js';
import { Vectorizer, fitTfidf } from './vectorizer.js';

const settings: FeatureSettings = { hashBits: 16, wordNgrams: 2, charMin: 3, charMax: 4, charWeight: 0.5, minDf: 1 };
const texts = ['the cat sat on the mat', 'the dog sat', 'a cat and a dog', '猫が好き'];

describe('fitTfidf', () => {
  it('gives every non-empty training row unit L2 norm', () => {
    const { matrix } = fitTfidf(texts, settings);
    for (let r = 0; r < matrix.rows; r++) {
      let sq = 0;
      for (let p = matrix.rowPtr[r]; p < matrix.rowPtr[r + 1]; p++) sq += matrix.values[p] ** 2;
      expect(sq).toBeCloseTo(1, 5);
    }
  });

  it('leaves out features of fewer than minDf texts', () => {
    const all = fitTfidf(texts, settings).vocabulary.buckets.length;
    const pruned = fitTfidf(texts, { ...settings, minDf: 2 }).vocabulary.buckets.length;
    expect(pruned).toBeGreaterThan(0);
    expect(pruned).toBeLessThan(all / 2);
  });

  it('vectorizes a training text at prediction time as it did in training', () => {
    const { vocabulary, matrix } = fitTfidf(texts, settings);
    const v = new Vectorizer(vocabulary).transform(texts[1]);
    const got = new Map<number, number>();
    for (let k = 0; k < v.count; k++) got.set(v.ids[k], v.values[k]);
    expect(got.size).toBe(matrix.rowPtr[2] - matrix.rowPtr[1]);
    for (let p = matrix.rowPtr[1]; p < matrix.rowPtr[2]; p++) expect(got.get(matrix.colIdx[p])).toBeCloseTo(matrix.values[p], 5);
  });

  it('drops terms never seen in training', () => {
    const { vocabulary } = fitTfidf(texts, settings);
    expect(new Vectorizer(vocabulary).transform('zebra xylophone').count).toBe(0);
  });
});

describe('Featurizer', () => {
  it('hashes the same text to the same signed counts every time', () => {
    const f = new Featurizer(settings);
    const a = f.featurize('the cat sat on the mat');
    const first = [Array.from(a.buckets.slice(0, a.count)), Array.from(a.values.slice(0, a.count))];
    const b = new Featurizer(settings).featurize('the cat sat on the mat');
    expect([Array.from(b.buckets.slice(0, b.count)), Array.from(b.values.slice(0, b.count))]).toEqual(first);
  });

  it('counts a repeated word with sublinear frequency 1 + ln(count)', () => {
    const f = new Featurizer({ ...settings, wordNgrams: 1, charMax: 0 });
    const { count, values } = f.featurize('echo echo echo');
    expect(count).toBe(1);
    expect(Math.abs(values[0])).toBeCloseTo(1 + Math.log(3), 12);
  });

  it('names the word n-grams and character n-grams behind each bucket when explaining', () => {
    const terms = new Featurizer(settings).explain('Big cat').origins.map((o) => o.term);
    expect(terms).toEqual(expect.arrayContaining(['big', 'cat', 'big cat', '_bi', '_big', 'cat_']));
  });
});
