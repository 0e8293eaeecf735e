import { describe, expect, it } from 'vitest';
import { TEXT_MODEL_FORMAT, readTextModel, writeTextModel } from './artifact.js';
import { TextScorer } from './model.js';
import { Random } from './random.js';
import { DEFAULT_TRAINING_SETTINGS, trainTextClassifier, type TextTrainingData } from './trainer.js';

const TOPICS: Record<string, string[]> = {
  sport: ['match', 'goal', 'team', 'coach', 'league', 'score', 'player', 'season'],
  money: ['bank', 'market', 'shares', 'profit', 'rates', 'investor', 'stock', 'bond'],
  food: ['recipe', 'bake', 'flour', 'sugar', 'oven', 'taste', 'dinner', 'spice'],
};
const FILLER = ['the', 'a', 'of', 'and', 'today', 'new', 'big', 'very'];

/** Texts of 1 or 2 topics with filler words; labels follow the topics drawn. */
function synthetic(n: number, seed: number, multi: boolean): TextTrainingData {
  const tags = Object.keys(TOPICS);
  const random = new Random(seed);
  const texts: string[] = [];
  const labels = new Uint8Array(n * tags.length);
  for (let i = 0; i < n; i++) {
    const chosen = new Set([random.below(3)]);
    if (multi && random.below(3) === 0) chosen.add(random.below(3));
    const words: string[] = [];
    for (const t of chosen) {
      labels[i * tags.length + t] = 1;
      for (let k = 0; k < 4; k++) words.push(TOPICS[tags[t]][random.below(8)]);
    }
    for (let k = 0; k < 4; k++) words.push(FILLER[random.below(8)]);
    random.shuffle(words);
    texts.push(words.join(' '));
  }
  return { texts, tags, labels, singleLabel: !multi };
}

describe('trainTextClassifier', () => {
  it('separates single-label topics with confident, normalized confidences', () => {
    const { model } = trainTextClassifier(synthetic(150, 1, false));
    const c = new TextScorer(model).confidences('the coach and the team won the match');
    expect(c.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(c[0]).toBeGreaterThan(0.8); // sport
  });

  it('assigns several tags to a text about several topics when trained on multi-label data', () => {
    const { model } = trainTextClassifier(synthetic(240, 2, true));
    const scorer = new TextScorer(model);
    const c = scorer.confidences('bank profit and stock market rates with a recipe to bake with flour and sugar');
    expect(c[1]).toBeGreaterThanOrEqual(model.thresholds[1]);
    expect(c[2]).toBeGreaterThanOrEqual(model.thresholds[2]);
    expect(c[0]).toBeLessThan(model.thresholds[0]);
    for (const v of c) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
  });

  it('is deterministic: the same data and seed give the same artifact bytes', () => {
    const data = synthetic(120, 3, true);
    const a = writeTextModel(trainTextClassifier(data, { ...DEFAULT_TRAINING_SETTINGS, seed: 9 }).model);
    const b = writeTextModel(trainTextClassifier(data, { ...DEFAULT_TRAINING_SETTINGS, seed: 9 }).model);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('predicts the same after a save/load round trip', () => {
    const { model } = trainTextClassifier(synthetic(120, 4, true));
    const loaded = readTextModel(writeTextModel(model));
    expect(loaded.tags).toEqual(model.tags);
    const text = 'team goal and bank shares';
    expect(Array.from(new TextScorer(loaded).confidences(text))).toEqual(Array.from(new TextScorer(model).confidences(text)));
  });

  it('cross-validates character n-grams against words alone on small data and keeps the better', () => {
    const { report } = trainTextClassifier(synthetic(150, 6, false));
    expect(report.cScores.map((c) => c.characters)).toEqual(expect.arrayContaining([true, false]));
    expect(report.calibration).toBe('3-fold cross-validation');
  });

  it('recognizes misspelled words through character n-grams', () => {
    const features = { hashBits: 18, wordNgrams: 2, charMin: 2, charMax: 5, charWeight: 0.6, minDf: 1 };
    const { model } = trainTextClassifier(synthetic(150, 7, false), { ...DEFAULT_TRAINING_SETTINGS, features });
    const c = new TextScorer(model).confidences('recipie ovven flourr');
    expect(c[2]).toBeGreaterThan(c[0]);
    expect(c[2]).toBeGreaterThan(c[1]);
  });

  it('uses approximate leave-one-out decisions for single-label data over the work budget', () => {
    const { report } = trainTextClassifier(synthetic(150, 8, false), { ...DEFAULT_TRAINING_SETTINGS, workBudget: 0 });
    expect(report.calibration).toBe('approximate leave-one-out');
    expect(report.cScores).toEqual([]);
  });

  it('averages two half models for multi-label data over the work budget', () => {
    const { model, report } = trainTextClassifier(synthetic(240, 9, true), { ...DEFAULT_TRAINING_SETTINGS, workBudget: 0 });
    expect(report.finalModel).toBe('mean of fold models');
    const c = new TextScorer(model).confidences('coach and team at the match');
    expect(c[0]).toBeGreaterThanOrEqual(model.thresholds[0]);
  });

  it('refuses bytes that are not a text model, and models of a newer format', () => {
    expect(() => readTextModel(new Uint8Array(16))).toThrow(/not a Lathe text model/i);
    const bytes = writeTextModel(trainTextClassifier(synthetic(60, 10, false)).model);
    expect(() => readTextModel(bytes.slice(0, bytes.length - 64))).toThrow(/truncated/);
    new DataView(bytes.buffer).setUint32(4, TEXT_MODEL_FORMAT + 1, true);
    expect(() => readTextModel(bytes)).toThrow(/newer than this release/);
  });

  it('explains a decision with the words of the text that support the tag', () => {
    const { model } = trainTextClassifier(synthetic(150, 5, false));
    const { contributions } = new TextScorer(model).explain('recipe oven flour', () => [2]);
    const terms = (contributions.get(2) ?? []).map((c) => c.term);
    expect(terms).toEqual(expect.arrayContaining(['recipe', 'oven', 'flour']));
  });
});
