// Tests of the automatic settings: candidate counts from the work budget, stratified folds.
import { describe, expect, it } from 'vitest';
import { candidatesFor, refitsFor, stratifiedFolds } from './auto.js';

describe('automatic settings', () => {
  it('tries fewer tree candidates as the work (rows x features x outputs) grows, always with a linear one', () => {
    const small = candidatesFor(700, 10, 1);
    const adultLike = candidatesFor(26_000, 14, 1);
    const letterLike = candidatesFor(16_000, 16, 26);
    expect(small.filter((c) => c.learner === 'gbdt').length).toBe(6);
    expect(small.filter((c) => c.learner === 'glm').length).toBe(3);
    expect(adultLike.map((c) => c.learner)).toEqual(['gbdt', 'gbdt', 'glm']);
    expect(letterLike.map((c) => c.learner)).toEqual(['gbdt', 'glm']);
    expect(refitsFor(26_000, 14, 1)).toBe(true);
    expect(refitsFor(16_000, 16, 26)).toBe(false);
  });

  it('deals each outcome evenly over the folds, the same way for the same seed', () => {
    const groups = Int32Array.from({ length: 40 }, (_, i) => (i < 30 ? 0 : 1));
    const folds = stratifiedFolds(groups, 4, 9);
    expect(Array.from(folds)).toEqual(Array.from(stratifiedFolds(groups, 4, 9)));
    for (let f = 0; f < 4; f++) {
      const rows = Array.from(folds.keys()).filter((i) => folds[i] === f);
      expect(rows.length).toBe(10);
      expect(rows.filter((i) => groups[i] === 1).length).toBeGreaterThanOrEqual(2);
    }
  });
});
