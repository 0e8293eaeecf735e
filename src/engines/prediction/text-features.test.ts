// Tests of the free-text features.
import { describe, expect, it } from 'vitest';
import { chiSquare95, learnVocabulary, tokenize } from './text-features.js';

describe('text features', () => {
  it('splits words on punctuation and lower-cases them', () => {
    expect(tokenize('Braund, Mr. Owen-Harris 2nd')).toEqual(['braund', 'mr', 'owen', 'harris', '2nd']);
  });

  it('keeps the most frequent words without an outcome, and the most telling ones with it', () => {
    // "common" is in every second row and says nothing; "vip" is rarer but always means outcome 1.
    const texts = Array.from({ length: 100 }, (_, i) => `${i % 2 ? 'common' : 'plain'} ${i % 5 === 0 ? 'vip' : 'guest'} row${i}`);
    const y = Float64Array.from({ length: 100 }, (_, i) => (i % 5 === 0 ? 1 : 0));
    expect(learnVocabulary(texts, 2)).toEqual(['guest', 'common']);
    // Hand-computed scores: vip (16²/4 + 16²/16 = 80) before guest (16²/16 + 16²/64 = 20); common ~0.
    expect(learnVocabulary(texts, 2, { y, nClasses: 2 })).toEqual(['vip', 'guest']);
    // Numbers: 20 (100 - 28)² / 1296 = 80 for vip, 80 (10 - 28)² / 1296 = 20 for guest.
    const price = Float64Array.from({ length: 100 }, (_, i) => (i % 5 === 0 ? 100 : 10));
    expect(learnVocabulary(texts, 2, { y: price, nClasses: 1 })).toEqual(['vip', 'guest']);
  });

  it('keeps, with the outcome, only words that tell about it beyond chance (5% level)', () => {
    // 200 rows, outcome 1 on every second row. "vip" (20 rows) always means 1: chi-square
    // 10²/10 + 10²/10 = 20. "blue" (40 rows, 21 with outcome 1) follows the mix but for one row:
    // 1²/20 + 1²/20 = 0.1, chance; without the outcome it is kept, being frequent.
    const y = Float64Array.from({ length: 200 }, (_, i) => i % 2);
    const blue = (i: number): boolean => (i >= 100 && i < 140 && i !== 100) || i === 141;
    const texts = Array.from({ length: 200 }, (_, i) => [`row${i}`, i % 2 === 1 && i < 40 ? 'vip' : '', blue(i) ? 'blue' : ''].join(' '));
    expect(learnVocabulary(texts, 5)).toEqual(['blue', 'vip']);
    expect(learnVocabulary(texts, 5, { y, nClasses: 2 })).toEqual(['vip']);
  });

  it('knows the 95% quantiles of chi-square within 1%', () => {
    expect(chiSquare95(1)).toBeCloseTo(3.841, 3);
    for (const [df, q] of [[2, 5.991], [3, 7.815], [5, 11.07], [25, 37.652]]) expect(Math.abs(chiSquare95(df) / q - 1)).toBeLessThan(0.01);
  });

  it('ignores words in fewer than 3 rows or in almost every row', () => {
    const texts = [...Array.from({ length: 40 }, () => 'the cat'), ...Array.from({ length: 10 }, () => 'the dog'), 'the bird', 'the bird', null];
    expect(learnVocabulary(texts)).toEqual(['cat', 'dog']);
  });
});
