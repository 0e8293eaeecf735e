import { describe, expect, it } from 'vitest';
import { bestF1Threshold, fitPlatt, fitSoftmaxScale, plattConfidence } from './calibration.js';

describe('fitPlatt', () => {
  it('gives confidences near 1 and near 0 on a well-separated set', () => {
    const f: number[] = [];
    const truth: number[] = [];
    for (let i = 0; i < 200; i++) {
      f.push(i < 100 ? 2 + (i % 7) * 0.1 : -2 - (i % 5) * 0.1);
      truth.push(i < 100 ? 1 : 0);
    }
    const p = fitPlatt(f, truth);
    expect(plattConfidence(p, 2)).toBeGreaterThan(0.98);
    expect(plattConfidence(p, -2)).toBeLessThan(0.02);
  });

  it('gives about the positive rate where decisions carry no information', () => {
    const f = new Array<number>(100).fill(0.3);
    const truth = f.map((_, i) => (i < 25 ? 1 : 0));
    expect(plattConfidence(fitPlatt(f, truth), 0.3)).toBeCloseTo(0.26, 1);
  });
});

describe('bestF1Threshold', () => {
  it('cuts between the confidences that separate positives from negatives', () => {
    const confidence = [0.9, 0.8, 0.7, 0.4, 0.35, 0.2, 0.1, 0.05, 0.04, 0.03, 0.02, 0.01];
    const truth = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0];
    const { threshold, f1 } = bestF1Threshold(confidence, truth);
    expect(f1).toBe(1);
    expect(threshold).toBeCloseTo(0.025, 5);
  });

  it('keeps 0.5 when there are too few positives to tune on', () => {
    expect(bestF1Threshold([0.9, 0.1, 0.2], [1, 0, 0]).threshold).toBe(0.5);
  });
});

describe('fitSoftmaxScale', () => {
  it('sharpens confidences when the largest decision is always right', () => {
    const f: number[] = [];
    const truth: number[] = [];
    for (let i = 0; i < 90; i++) {
      const t = i % 3;
      for (let k = 0; k < 3; k++) f.push(k === t ? 0.5 : -0.5);
      truth.push(t);
    }
    expect(fitSoftmaxScale(f, truth, 3)).toBeGreaterThan(5);
  });
});
