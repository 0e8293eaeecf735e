// The performance grade A-D (AI Builder's rule): its ranges for one model, the message and the tooltip.
import type { Score } from '../seam.js';

type Grade = 'A' | 'B' | 'C' | 'D';
type Range = { grade: Grade; from: number; to: number; note?: string };

/** r cut-offs of the classification grade. */
export const R_CUTS = { C: 0.1, B: 0.5, A: 0.8, tooGood: 0.98 } as const;
/** R² cut-offs of the numerical grade. */
export const R2_CUTS = { C: 0.1, B: 0.6, A: 0.85, tooGood: 0.99 } as const;

const pct = (x: number): string => `${(100 * x).toFixed(1).replace(/\.0$/, '')}%`;

/** Random-guess baseline: the sum of each outcome's squared share in the training rows. */
export function baselineOf(counts: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < counts.length; i++) n += counts[i];
  let b = 0;
  for (let i = 0; i < counts.length; i++) b += (counts[i] / n) ** 2;
  return b;
}

/** The accuracy ranges of each grade for a baseline b: accuracy = b + r (1 - b). */
export function accuracyRanges(b: number): Range[] {
  const at = (r: number): number => b + r * (1 - b);
  return [
    { grade: 'A', from: at(R_CUTS.A), to: at(R_CUTS.tooGood) },
    { grade: 'B', from: at(R_CUTS.B), to: at(R_CUTS.A) },
    { grade: 'C', from: at(R_CUTS.C), to: at(R_CUTS.B) },
    { grade: 'D', from: 0, to: at(R_CUTS.C), note: 'underfit: barely better than guessing' },
    { grade: 'D', from: at(R_CUTS.tooGood), to: 1, note: 'too good to be true: check for leakage' },
  ];
}

const IMPROVE =
  'To improve it: add more rows (1,000 or more), keep the outcomes in their realistic proportions, add columns that describe each row, remove columns that only add noise, and check that the most influential columns make sense.';

function classificationMessage(grade: Grade, tooGood: boolean, acc: number, b: number): string {
  const vs = `Accuracy on the test rows is ${pct(acc)}, against ${pct(b)} for a random guess that follows the outcome distribution.`;
  switch (grade) {
    case 'A':
      return `A is the best grade: the model predicts well. ${vs} Keep it current by retraining as new rows arrive, and check that the most influential columns make sense.`;
    case 'B':
      return `B is a good grade: the model is clearly better than guessing, with room to improve. ${vs} ${IMPROVE}`;
    case 'C':
      return `C means the model is better than guessing but makes many mistakes. ${vs} ${IMPROVE}`;
    default:
      return tooGood
        ? `D (too good to be true): the model is almost always right on the test rows, which is rarely possible on real data. ${vs} A column probably gives the outcome away (leakage: a value only known after the outcome). Check the most influential columns and remove those that are not known when you predict.`
        : `D (underfit): the model is barely better than guessing. ${vs} The input columns may not relate to the outcome, or there are too few rows. ${IMPROVE}`;
  }
}

/** Binary and multiple outcome: graded on test accuracy relative to the baseline b. */
export function gradeClassification(acc: number, b: number): Extract<Score, { kind: 'grade' }> {
  // The tiny allowance keeps a published boundary in its grade despite rounding: with 80/20 history,
  // (0.84 - 0.68) / 0.32 computes to 0.49999999999999994, yet 84% is the start of B.
  const r = (b >= 1 ? 0 : (acc - b) / (1 - b)) + 1e-12;
  const tooGood = r >= R_CUTS.tooGood;
  const grade: Grade = tooGood || r < R_CUTS.C ? 'D' : r < R_CUTS.B ? 'C' : r < R_CUTS.A ? 'B' : 'A';
  return {
    kind: 'grade',
    grade,
    metric: 'accuracy',
    value: acc,
    baseline: b,
    ranges: accuracyRanges(b),
    message: classificationMessage(grade, tooGood, acc, b),
    explanation:
      `The grade compares the model's accuracy on test rows it never saw in training with a random guess that follows the historical outcome distribution (baseline = the sum of each outcome's squared share = ${pct(b)}). ` +
      'It uses r = (accuracy - baseline) / (1 - baseline): A from 0.80, B from 0.50, C from 0.10, D below 0.10 (underfit) or from 0.98 (too good to be true).',
  };
}

/** The R² ranges of each grade (the same for every numerical model). */
export function r2Ranges(): Range[] {
  return [
    { grade: 'A', from: R2_CUTS.A, to: R2_CUTS.tooGood },
    { grade: 'B', from: R2_CUTS.B, to: R2_CUTS.A },
    { grade: 'C', from: R2_CUTS.C, to: R2_CUTS.B },
    { grade: 'D', from: -Infinity, to: R2_CUTS.C, note: 'underfit: barely better than always predicting the average' },
    { grade: 'D', from: R2_CUTS.tooGood, to: 1, note: 'too good to be true: check for leakage' },
  ];
}

/** Numerical: graded on test R². */
export function gradeNumerical(r2: number): Extract<Score, { kind: 'grade' }> {
  const tooGood = r2 >= R2_CUTS.tooGood;
  const grade: Grade = tooGood || !(r2 >= R2_CUTS.C) ? 'D' : r2 < R2_CUTS.B ? 'C' : r2 < R2_CUTS.A ? 'B' : 'A';
  const vs = `R² on the test rows is ${pct(r2)}: the share of the variation of the outcome the model explains.`;
  const message =
    grade === 'A'
      ? `A is the best grade: the model predicts well. ${vs} Keep it current by retraining as new rows arrive, and check that the most influential columns make sense.`
      : grade === 'B'
        ? `B is a good grade: the predictions follow the outcome closely, with room to improve. ${vs} ${IMPROVE}`
        : grade === 'C'
          ? `C means the model captures part of the variation but its predictions are often far off. ${vs} ${IMPROVE}`
          : tooGood
            ? `D (too good to be true): the predictions are almost exact, which is rarely possible on real data. ${vs} A column probably gives the outcome away (leakage). Check the most influential columns and remove those that are not known when you predict.`
            : `D (underfit): the model barely does better than always predicting the average. ${vs} ${IMPROVE}`;
  return {
    kind: 'grade',
    grade,
    metric: 'r2',
    value: r2,
    baseline: null,
    ranges: r2Ranges(),
    message,
    explanation:
      'The grade uses R² on test rows the model never saw in training: 100% means every prediction is exact, 0% means no better than always predicting the average. A from 85% to under 99%, B from 60%, C from 10%, D under 10% (underfit) or 99% and above (too good to be true).',
  };
}
