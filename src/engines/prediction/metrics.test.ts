// Tests of the metric functions against hand-computed values.
import { describe, expect, it } from 'vitest';
import { accuracy, calibration, confusionMatrix, logLoss, macroF1, perOutcome, quantile, regressionMetrics, residualSample, rocAuc, rocCurve } from './metrics.js';

describe('classification metrics', () => {
  it('computes ROC AUC with tied scores counting one half', () => {
    // Pairs (pos, neg): pos scores 0.8, 0.4; neg scores 0.4, 0.1.
    // 0.8 beats both (2), 0.4 ties 0.4 (0.5) and beats 0.1 (1): 3.5 / 4.
    expect(rocAuc([1, 1, 0, 0], [0.8, 0.4, 0.4, 0.1])).toBeCloseTo(0.875, 12);
    expect(rocAuc([1, 0], [0.5, 0.5])).toBeCloseTo(0.5, 12);
    expect(rocAuc([1, 0, 1, 0], [0.9, 0.1, 0.8, 0.2])).toBe(1);
    expect(rocAuc([1, 1], [0.9, 0.1])).toBeNaN();
  });

  it('draws the ROC curve from (0,0) to (1,1) with one point per distinct score', () => {
    const pts = rocCurve([1, 1, 0, 0], [0.8, 0.4, 0.4, 0.1]);
    expect(pts.map((p) => [p.fpr, p.tpr])).toEqual([[0, 0], [0, 0.5], [0.5, 1], [1, 1]]);
  });

  it('computes per-outcome precision, recall, F1 and macro F1 by hand', () => {
    // true: 0 0 0 1 1 2; predicted: 0 0 1 1 2 2
    const m = confusionMatrix([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], 3);
    expect(m).toEqual([[2, 1, 0], [0, 1, 1], [0, 0, 1]]);
    const s = perOutcome(m);
    expect(s[0]).toMatchObject({ precision: 1, recall: 2 / 3, support: 3 });
    expect(s[0].f1).toBeCloseTo(0.8, 12);
    expect(s[1].f1).toBeCloseTo(0.5, 12); // p = 1/2, r = 1/2
    expect(s[2].f1).toBeCloseTo(2 / 3, 12); // p = 1/2, r = 1
    expect(macroF1(s)).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12);
    expect(accuracy([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2])).toBeCloseTo(4 / 6, 12);
  });

  it('gives F1 0 to an outcome never predicted', () => {
    const s = perOutcome(confusionMatrix([0, 1], [0, 0], 2));
    expect(s[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
  });

  it('bins calibration by predicted probability', () => {
    const c = calibration([1, 0, 1, 1], [0.05, 0.08, 0.95, 0.91]);
    expect(c).toHaveLength(2);
    expect(c[0]).toMatchObject({ count: 2, observed: 0.5 });
    expect(c[0].predicted).toBeCloseTo(0.065, 12);
    expect(c[1]).toMatchObject({ count: 2, observed: 1, from: 0.9, to: 1 });
  });

  it('computes log loss with clipping', () => {
    expect(logLoss([0, 1], Float64Array.from([0.5, 0.5, 0.2, 0.8]), 2)).toBeCloseTo(-(Math.log(0.5) + Math.log(0.8)) / 2, 12);
    expect(Number.isFinite(logLoss([0], Float64Array.from([0, 1]), 2))).toBe(true);
  });
});

describe('regression metrics', () => {
  it('computes R², RMSE and MAE by hand', () => {
    // y = 1 2 3 4 (mean 2.5, SST = 5); pred = 1 2 4 3: SSE = 2, R² = 1 - 2/5 = 0.6.
    const m = regressionMetrics([1, 2, 3, 4], [1, 2, 4, 3]);
    expect(m.r2).toBeCloseTo(0.6, 12);
    expect(m.rmse).toBeCloseTo(Math.sqrt(0.5), 12);
    expect(m.mae).toBeCloseTo(0.5, 12);
  });

  it('keeps at most 500 residuals, evenly spaced', () => {
    const y = Array.from({ length: 2000 }, (_, i) => i);
    const r = residualSample(y, y.map((v) => v + 1));
    expect(r).toHaveLength(500);
    expect(r[1]).toEqual({ actual: 4, predicted: 5, residual: -1 });
  });

  it('interpolates quantiles', () => {
    expect(quantile([3, 1, 2, 4], 0.5)).toBeCloseTo(2.5, 12);
    expect(quantile([1, 2, 3, 4, 5], 0.1)).toBeCloseTo(1.4, 12);
  });
});
