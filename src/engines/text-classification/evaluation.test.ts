import { describe, expect, it } from 'vitest';
import { SCORE_EXPLANATION, evaluateTags, type TestPrediction } from './evaluation.js';

const p = (truth: number[], assigned: number[], row = 0): TestPrediction => ({ row, text: `text ${row}`, truth, assigned, confidences: new Float64Array([0.5, 0.5]) });

describe('evaluateTags', () => {
  it('pools (text, tag) decisions for micro F1 and averages tags for macro F1', () => {
    // Tag 0: tp 2, fp 1, fn 0 -> F1 0.8. Tag 1: tp 1, fp 0, fn 2 -> F1 0.5.
    const e = evaluateTags(['a', 'b'], false, [0.5, 0.4], [p([0, 1], [0, 1]), p([0, 1], [0]), p([1], [0]), p([], [])]);
    expect(e.metrics.microF1).toBeCloseTo((2 * 3) / (2 * 3 + 1 + 2), 4);
    expect(e.metrics.macroF1).toBeCloseTo((0.8 + 0.5) / 2, 4);
    expect(e.metrics.subsetAccuracy).toBe(0.5);
    expect(e.perTag[1]).toEqual({ tag: 'b', precision: 1, recall: 0.3333, f1: 0.5, support: 3, threshold: 0.4 });
    expect(e.score.value).toBe(66.7);
    expect(e.score.explanation).toBe(SCORE_EXPLANATION);
    expect(e.misclassified.map((m) => m.predicted)).toEqual([['a'], ['a']]);
  });

  it('counts the confusion between tags and accuracy for single-label data', () => {
    const e = evaluateTags(['ham', 'spam'], true, [0.5, 0.5], [p([0], [0]), p([1], [0]), p([1], [1]), p([0], [0])]);
    expect(e.metrics.accuracy).toBe(0.75);
    expect(e.metrics.microF1).toBe(0.75);
    expect(e.confusion).toEqual({ tags: ['ham', 'spam'], matrix: [[2, 0], [1, 1]] });
    expect(e.score.message).toContain('Most often confused: texts tagged "spam" predicted as "ham" (1 time).');
  });

  it('keeps at most 20 misclassified examples, spread over the test texts', () => {
    const many = Array.from({ length: 100 }, (_, i) => p([0], [1], i));
    const e = evaluateTags(['x', 'y'], true, [0.5, 0.5], many);
    expect(e.misclassified).toHaveLength(20);
    expect(e.misclassified[1].row).toBe(6);
  });
});
