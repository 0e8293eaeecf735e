// Tests of the AI Builder grade on its published example tables.
import { describe, expect, it } from 'vitest';
import { accuracyRanges, baselineOf, gradeClassification, gradeNumerical } from './grade.js';

/** Where each grade starts for a baseline, read from the ranges. */
function starts(b: number): Record<string, number> {
  const r = accuracyRanges(b);
  return { C: r.find((x) => x.grade === 'C')!.from, B: r.find((x) => x.grade === 'B')!.from, A: r.find((x) => x.grade === 'A')!.from, tooGood: r.find((x) => x.grade === 'D' && x.from > 0.5)!.from };
}

describe('the AI Builder grade on its example tables', () => {
  it('with 50% / 50% history, accuracy 90% is the start of A', () => {
    const b = baselineOf([50, 50]);
    expect(b).toBeCloseTo(0.5, 12);
    expect(starts(b)).toMatchObject({ C: expect.closeTo(0.55, 9), B: expect.closeTo(0.75, 9), A: expect.closeTo(0.9, 9), tooGood: expect.closeTo(0.99, 9) });
    expect(gradeClassification(0.9, b).grade).toBe('A');
    expect(gradeClassification(0.8999, b).grade).toBe('B');
  });

  it('with 80% / 20% history, accuracy 84% is the start of B', () => {
    // b = 0.8² + 0.2² = 0.68; B starts at 0.68 + 0.5 × 0.32 = 0.84 (hand-computed).
    const b = baselineOf([80, 20]);
    expect(b).toBeCloseTo(0.68, 12);
    expect(starts(b)).toMatchObject({ C: expect.closeTo(0.712, 9), B: expect.closeTo(0.84, 9), A: expect.closeTo(0.936, 9), tooGood: expect.closeTo(0.9936, 9) });
    expect(gradeClassification(0.84, b).grade).toBe('B');
    expect(gradeClassification(0.839, b).grade).toBe('C');
  });

  it('with 25% / 75% history, the ranges equal those of 75% / 25%', () => {
    const b = baselineOf([25, 75]);
    expect(b).toBeCloseTo(0.625, 12);
    expect(starts(b)).toMatchObject({ C: expect.closeTo(0.6625, 9), B: expect.closeTo(0.8125, 9), A: expect.closeTo(0.925, 9), tooGood: expect.closeTo(0.9925, 9) });
    expect(starts(baselineOf([75, 25]))).toEqual(starts(b));
  });

  it('with 95% / 5% history, always answering the majority (95%) is a D', () => {
    const b = baselineOf([95, 5]);
    expect(b).toBeCloseTo(0.905, 12);
    expect(starts(b)).toMatchObject({ C: expect.closeTo(0.9145, 9), B: expect.closeTo(0.9525, 9), A: expect.closeTo(0.981, 9), tooGood: expect.closeTo(0.9981, 9) });
    expect(gradeClassification(0.95, b).grade).toBe('C');
    expect(gradeClassification(0.91, b).grade).toBe('D');
  });

  it('with three outcomes at 33% each, A starts at 86.7%', () => {
    const b = baselineOf([1, 1, 1]);
    expect(b).toBeCloseTo(1 / 3, 12);
    expect(starts(b)).toMatchObject({ C: expect.closeTo(0.4, 9), B: expect.closeTo(2 / 3, 9), A: expect.closeTo(13 / 15, 9), tooGood: expect.closeTo(0.98 + 0.02 / 3, 9) });
  });

  it('with 20% / 40% / 40% history, B starts at 68%', () => {
    const b = baselineOf([20, 40, 40]);
    expect(b).toBeCloseTo(0.36, 12);
    expect(starts(b)).toMatchObject({ C: expect.closeTo(0.424, 9), B: expect.closeTo(0.68, 9), A: expect.closeTo(0.872, 9), tooGood: expect.closeTo(0.9872, 9) });
  });

  it('with 10% / 80% / 10% history, B starts at 83%', () => {
    const b = baselineOf([10, 80, 10]);
    expect(b).toBeCloseTo(0.66, 12);
    expect(starts(b)).toMatchObject({ C: expect.closeTo(0.694, 9), B: expect.closeTo(0.83, 9), A: expect.closeTo(0.932, 9), tooGood: expect.closeTo(0.9932, 9) });
    expect(gradeClassification(0.93, b).grade).toBe('B');
    expect(gradeClassification(0.94, b).grade).toBe('A');
  });
});

describe('the grade message and tooltip', () => {
  it('splits D into underfit and too good to be true', () => {
    const under = gradeClassification(0.52, 0.5);
    const tooGood = gradeClassification(0.995, 0.5);
    expect(under.grade).toBe('D');
    expect(tooGood.grade).toBe('D');
    expect(under.message).toMatch(/^D \(underfit\)/);
    expect(tooGood.message).toMatch(/^D \(too good to be true\)/);
    expect(tooGood.message).toMatch(/leakage/);
  });

  it('says A is the best grade, states the metric and baseline, and explains the rule in the tooltip', () => {
    const s = gradeClassification(0.93, 0.5);
    expect(s).toMatchObject({ kind: 'grade', grade: 'A', metric: 'accuracy', value: 0.93, baseline: 0.5 });
    expect(s.message).toMatch(/A is the best grade/);
    expect(s.message).toMatch(/93%.*50%/);
    expect(s.explanation).toMatch(/\(accuracy - baseline\) \/ \(1 - baseline\)/);
  });

  it('grades numbers on R² with the published bands', () => {
    expect(gradeNumerical(0.85).grade).toBe('A');
    expect(gradeNumerical(0.8499).grade).toBe('B');
    expect(gradeNumerical(0.6).grade).toBe('B');
    expect(gradeNumerical(0.1).grade).toBe('C');
    expect(gradeNumerical(0.0999).grade).toBe('D');
    expect(gradeNumerical(-3).grade).toBe('D');
    expect(gradeNumerical(0.99).message).toMatch(/too good to be true/);
    expect(gradeNumerical(0.5).baseline).toBeNull();
  });
});
