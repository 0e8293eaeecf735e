// Evaluation of the final model on the test rows: the grade, headline metrics, chart data, influence.
import type { GbdtDataset } from '../../learners/gbdt/index.js';
import type { Evaluation, Message } from '../seam.js';
import type { PredictionKind } from './configuration.js';
import { baselineOf, gradeClassification, gradeNumerical } from './grade.js';
import {
  accuracy,
  calibration,
  confusionMatrix,
  logLoss,
  macroF1,
  perOutcome,
  quantile,
  regressionMetrics,
  residualSample,
  rocAuc,
  rocCurve,
} from './metrics.js';
import { columnContributions, nOutputs, partsOf, predictValues, type TrainedModel } from './models.js';

/** Rows whose explanations are averaged into column influence (evenly spaced test rows)... */
export const INFLUENCE_ROWS = 100;
/** ...fewer for very large forests (at least 30): about this many tree walks in all. */
export const INFLUENCE_TREE_ROWS = 60_000;
/** One column holding this share of the influence or more is flagged as likely leakage. */
export const INFLUENCE_LEAKAGE_SHARE = 0.8;

export interface EvaluateInput {
  model: TrainedModel;
  kind: PredictionKind;
  outcomes: string[];
  /** Class counts over all training rows (for the grade's baseline). */
  classCounts: Float64Array;
  test: GbdtDataset;
  /** Float64Array of length test.nRows. */
  yTest: Float64Array;
  columns: string[];
  featureColumn: Int32Array;
  interval?: { level: number; low: number; high: number };
}

export function evaluate(input: EvaluateInput): Omit<Evaluation, 'rows' | 'split'> & { warnings: Message[] } {
  const { model, kind, test, yTest } = input;
  const warnings: Message[] = [];
  const classification = kind !== 'numerical';
  const k = classification ? input.outcomes.length : 1;
  const values = predictValues(model, test, k);
  const metrics: Record<string, number> = {};
  const details: Record<string, unknown> = {};
  let score: Evaluation['score'];
  if (classification) {
    const pred = new Int32Array(test.nRows);
    for (let i = 0; i < test.nRows; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (values[i * k + c] > values[i * k + best]) best = c;
      pred[i] = best;
    }
    const matrix = confusionMatrix(yTest, pred, k);
    const per = perOutcome(matrix);
    metrics.accuracy = accuracy(yTest, pred);
    metrics.macroF1 = macroF1(per);
    metrics.logLoss = logLoss(yTest, values, k);
    const b = baselineOf(input.classCounts);
    score = gradeClassification(metrics.accuracy, b);
    details.confusionMatrix = { outcomes: input.outcomes, counts: matrix };
    details.perOutcome = input.outcomes.map((o, c) => ({ outcome: o, ...per[c] }));
    if (kind === 'binary') {
      const p = Float64Array.from({ length: test.nRows }, (_, i) => values[2 * i + 1]);
      metrics.rocAuc = rocAuc(yTest, p);
      metrics.f1 = per[1].f1;
      metrics.precision = per[1].precision;
      metrics.recall = per[1].recall;
      details.roc = rocCurve(yTest, p);
      details.calibration = calibration(yTest, p);
    } else {
      // One-vs-rest ROC AUC per outcome, averaged; calibration of the predicted outcome's probability.
      let sum = 0;
      let count = 0;
      for (let c = 0; c < k; c++) {
        const yc = Float64Array.from(yTest, (v) => (v === c ? 1 : 0));
        const pc = Float64Array.from({ length: test.nRows }, (_, i) => values[i * k + c]);
        const auc = rocAuc(yc, pc);
        if (!Number.isNaN(auc)) {
          sum += auc;
          count++;
        }
      }
      if (count > 0) metrics.rocAucOvr = sum / count;
      const conf = Float64Array.from({ length: test.nRows }, (_, i) => values[i * k + pred[i]]);
      const hit = Float64Array.from(pred, (c, i) => (c === yTest[i] ? 1 : 0));
      details.calibration = calibration(hit, conf);
    }
  } else {
    const m = regressionMetrics(yTest, values);
    metrics.r2 = m.r2;
    metrics.rmse = m.rmse;
    metrics.mae = m.mae;
    score = gradeNumerical(m.r2);
    details.residuals = residualSample(yTest, values);
    const abs = Float64Array.from(yTest, (v, i) => Math.abs(v - values[i]));
    details.absoluteError = { median: quantile(abs, 0.5), p90: quantile(abs, 0.9) };
    if (input.interval) {
      let inside = 0;
      for (let i = 0; i < test.nRows; i++) {
        const r = yTest[i] - values[i];
        if (r >= input.interval.low && r <= input.interval.high) inside++;
      }
      metrics.intervalCoverage = inside / test.nRows;
      details.interval = { ...input.interval, testCoverage: metrics.intervalCoverage };
    }
  }

  const influence = columnInfluence(model, test, input.columns, input.featureColumn);
  if (influence.length > 1 && influence[0].share >= INFLUENCE_LEAKAGE_SHARE) {
    warnings.push({
      code: 'INFLUENCE_CONCENTRATED',
      column: influence[0].column,
      message: `"${influence[0].column}" holds ${(100 * influence[0].share).toFixed(0)}% of the influence (flagged from ${INFLUENCE_LEAKAGE_SHARE * 100}%): the model relies almost only on it. If its value is only known after the outcome (leakage), remove it and train again.`,
      details: { share: influence[0].share, threshold: INFLUENCE_LEAKAGE_SHARE },
    });
  }
  return { score, metrics, details, influence, warnings };
}

/** Mean |contribution| per original column over evenly spaced rows, as shares summing to 1, largest first. */
export function columnInfluence(model: TrainedModel, ds: GbdtDataset, columns: string[], featureColumn: Int32Array): { column: string; share: number }[] {
  const nCol = columns.length;
  const K = nOutputs(model);
  const total = new Float64Array(nCol);
  let trees = 0;
  for (const p of partsOf(model).parts) if (p.type === 'gbdt') trees += p.model.nTrees;
  const take = Math.min(ds.nRows, Math.max(30, Math.min(INFLUENCE_ROWS, Math.floor(INFLUENCE_TREE_ROWS / Math.max(1, trees)))));
  for (let t = 0; t < take; t++) {
    const row = Math.floor((t * ds.nRows) / take);
    const phi = columnContributions(model, ds, row, featureColumn, nCol);
    for (let k = 0; k < K; k++) for (let c = 0; c < nCol; c++) total[c] += Math.abs(phi[k * (nCol + 1) + c]);
  }
  const sum = total.reduce((a, b) => a + b, 0);
  return columns
    .map((column, c) => ({ column, share: sum > 0 ? total[c] / sum : 1 / nCol }))
    .sort((a, b) => b.share - a.share || (a.column < b.column ? -1 : 1));
}
