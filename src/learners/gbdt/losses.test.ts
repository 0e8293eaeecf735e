// Tests of the losses: gradients and hessians against finite differences, base scores.
import { describe, expect, it } from 'vitest';
import { HuberLoss, makeLoss, type Loss } from './losses.js';

/** Per-row loss (value() over a single row) so finite differences see one row at a time. */
function rowLoss(loss: Loss, y: number, raw: Float64Array): number {
  return loss.value(Float64Array.of(y), raw, undefined);
}

function checkAgainstFiniteDifferences(loss: Loss, y: number, raw: number[]): void {
  const k = loss.nOutputs;
  const grad = Array.from({ length: k }, () => new Float64Array(1));
  const hess = Array.from({ length: k }, () => new Float64Array(1));
  loss.gradients(Float64Array.of(y), Float64Array.from(raw), undefined, grad, hess);
  const eps = 1e-4;
  for (let c = 0; c < k; c++) {
    const at = (d: number): number => {
      const r = Float64Array.from(raw);
      r[c] += d;
      return rowLoss(loss, y, r);
    };
    const g = (at(eps) - at(-eps)) / (2 * eps);
    const h = (at(eps) - 2 * at(0) + at(-eps)) / (eps * eps);
    expect(grad[c][0]).toBeCloseTo(g, 5);
    expect(hess[c][0]).toBeCloseTo(h, 3);
  }
}

describe('loss gradients and hessians', () => {
  it('logloss matches finite differences of the loss', () => {
    for (const [y, r] of [
      [0, -1.3],
      [1, 0.4],
      [1, 2.5],
    ])
      checkAgainstFiniteDifferences(makeLoss('logloss', undefined, undefined), y, [r]);
  });

  it('softmax gradients match finite differences; the hessian is the diagonal p(1-p)', () => {
    checkAgainstFiniteDifferences(makeLoss('softmax', 3, undefined), 2, [0.1, -0.5, 0.7]);
    checkAgainstFiniteDifferences(makeLoss('softmax', 4, undefined), 0, [1, 0, -1, 2]);
  });

  it('squared error matches finite differences', () => {
    checkAgainstFiniteDifferences(makeLoss('squared', undefined, undefined), 3.5, [1.25]);
  });

  it('huber matches finite differences in its quadratic and its linear part', () => {
    const loss = new HuberLoss(0.9);
    // With one row, delta = |residual|; then a larger fixed delta keeps us in the quadratic part.
    const grad = [new Float64Array(1)];
    const hess = [new Float64Array(1)];
    loss.gradients(Float64Array.of(2), Float64Array.of(0.5), undefined, grad, hess);
    expect(loss.delta).toBeCloseTo(1.5, 12);
    loss.delta = 10;
    const quad = (r: number): number => loss.value(Float64Array.of(2), Float64Array.of(r), undefined);
    expect((quad(0.5 + 1e-4) - quad(0.5 - 1e-4)) / 2e-4).toBeCloseTo(-1.5, 5);
    loss.delta = 1;
    const lin = (r: number): number => loss.value(Float64Array.of(2), Float64Array.of(r), undefined);
    // Residual 1.5 > delta 1: the slope is -delta, as gradients() gives when delta is 1.
    expect((lin(0.5 + 1e-4) - lin(0.5 - 1e-4)) / 2e-4).toBeCloseTo(-1, 5);
    const y = Float64Array.of(2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    const g = [new Float64Array(11)];
    const h = [new Float64Array(11)];
    loss.gradients(y, new Float64Array(11), undefined, g, h);
    // 90% quantile of |residuals| {2, 0 x10} is 0: the outlier's gradient is clipped to -delta = 0.
    expect(loss.delta).toBe(0);
    expect(g[0][0]).toBeCloseTo(0, 12);
  });

  it('multiplies gradients and hessians by sample weights', () => {
    const loss = makeLoss('logloss', undefined, undefined);
    const g = [new Float64Array(2)];
    const h = [new Float64Array(2)];
    loss.gradients(Float64Array.of(1, 1), Float64Array.of(0, 0), Float64Array.of(1, 3), g, h);
    expect(g[0][1]).toBeCloseTo(3 * g[0][0], 12);
    expect(h[0][1]).toBeCloseTo(3 * h[0][0], 12);
  });

  it('starts from the constant that minimizes each loss', () => {
    expect(makeLoss('logloss', undefined, undefined).baseScore(Float64Array.of(1, 0, 0, 0), undefined)[0]).toBeCloseTo(Math.log(1 / 3), 12);
    expect(makeLoss('squared', undefined, undefined).baseScore(Float64Array.of(1, 2, 6), undefined)[0]).toBeCloseTo(3, 12);
    expect(makeLoss('huber', undefined, 0.9).baseScore(Float64Array.of(1, 2, 600), undefined)[0]).toBe(2);
    const soft = makeLoss('softmax', 3, undefined).baseScore(Float64Array.of(0, 1, 1, 2), undefined);
    expect(soft[1] - soft[0]).toBeCloseTo(Math.log(2), 12);
  });
});
