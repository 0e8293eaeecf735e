// Test-set evaluation of a text classifier: micro/macro F1, per-tag table, confusion for
// single-label data, misclassified examples, and the performance score with its explanation.
import type { Score } from '../seam.js';

export interface TestPrediction {
  row: number;
  text: string;
  /** True trained tags (indices into tags). */
  truth: number[];
  /** Assigned tags (indices into tags). */
  assigned: number[];
  /** Length tags, confidences. */
  confidences: Float64Array;
}

export interface TagQuality {
  tag: string;
  precision: number;
  recall: number;
  f1: number;
  /** Test texts that carry the tag. */
  support: number;
  threshold: number;
}

export interface TextEvaluation {
  metrics: Record<string, number>;
  perTag: TagQuality[];
  confusion?: { tags: string[]; matrix: number[][] };
  misclassified: { row: number; text: string; predicted: string[]; actual: string[] }[];
  score: Extract<Score, { kind: 'score' }>;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/** Evaluates assigned tags against the truth over every (test text, trained tag) decision. */
export function evaluateTags(tags: readonly string[], singleLabel: boolean, thresholds: ArrayLike<number>, predictions: readonly TestPrediction[]): TextEvaluation {
  const T = tags.length;
  const tp = new Array<number>(T).fill(0);
  const fp = new Array<number>(T).fill(0);
  const fn = new Array<number>(T).fill(0);
  let exact = 0;
  const confusion = singleLabel ? tags.map(() => new Array<number>(T).fill(0)) : undefined;
  const wrong: TestPrediction[] = [];
  for (const p of predictions) {
    for (const t of p.assigned) (p.truth.includes(t) ? tp : fp)[t]++;
    for (const t of p.truth) if (!p.assigned.includes(t)) fn[t]++;
    const same = p.assigned.length === p.truth.length && p.assigned.every((t) => p.truth.includes(t));
    if (same) exact++;
    else wrong.push(p);
    if (confusion && p.truth.length === 1 && p.assigned.length === 1) confusion[p.truth[0]][p.assigned[0]]++;
  }
  const perTag: TagQuality[] = tags.map((tag, t) => {
    const precision = ratio(tp[t], tp[t] + fp[t]);
    const recall = ratio(tp[t], tp[t] + fn[t]);
    return {
      tag,
      precision: round4(precision),
      recall: round4(recall),
      f1: round4(ratio(2 * tp[t], 2 * tp[t] + fp[t] + fn[t])),
      support: tp[t] + fn[t],
      threshold: round4(thresholds[t]),
    };
  });
  const TP = tp.reduce((a, b) => a + b, 0);
  const FP = fp.reduce((a, b) => a + b, 0);
  const FN = fn.reduce((a, b) => a + b, 0);
  const microF1 = ratio(2 * TP, 2 * TP + FP + FN);
  const macroF1 = T === 0 ? 0 : tags.reduce((s, _, t) => s + ratio(2 * tp[t], 2 * tp[t] + fp[t] + fn[t]), 0) / T;
  const metrics: Record<string, number> = {
    microF1: round4(microF1),
    macroF1: round4(macroF1),
    microPrecision: round4(ratio(TP, TP + FP)),
    microRecall: round4(ratio(TP, TP + FN)),
    [singleLabel ? 'accuracy' : 'subsetAccuracy']: round4(ratio(exact, predictions.length)),
  };
  if (singleLabel && T === 2) metrics.rocAuc = round4(rocAuc(predictions));
  // An even spread of examples over the test set, so the sample is not all from its start.
  const step = Math.max(1, Math.floor(wrong.length / 20));
  const misclassified = wrong
    .filter((_, k) => k % step === 0)
    .slice(0, 20)
    .map((p) => ({
      row: p.row + 1,
      text: p.text.length > 300 ? `${p.text.slice(0, 300)}…` : p.text,
      predicted: p.assigned.map((t) => tags[t]),
      actual: p.truth.map((t) => tags[t]),
    }));
  return {
    metrics,
    perTag,
    confusion: confusion ? { tags: [...tags], matrix: confusion } : undefined,
    misclassified,
    score: scoreOf(microF1, metrics, perTag, predictions.length, singleLabel, confusion, tags),
  };
}

/** ROC AUC of tag 1's confidence (single-label, two tags), ties counted as half. */
function rocAuc(predictions: readonly TestPrediction[]): number {
  const items = predictions.map((p) => ({ score: p.confidences[1], positive: p.truth.includes(1) })).sort((a, b) => a.score - b.score);
  let positives = 0;
  let rankSum = 0;
  let k = 0;
  while (k < items.length) {
    let j = k;
    while (j < items.length && items[j].score === items[k].score) j++;
    const meanRank = (k + 1 + j) / 2;
    for (let m = k; m < j; m++) if (items[m].positive) {
      positives++;
      rankSum += meanRank;
    }
    k = j;
  }
  const negatives = items.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export const SCORE_EXPLANATION =
  'Performance = 100 × micro-averaged F1 on the test texts (texts held back from training). Every pair of a test text and a tag is one decision: ' +
  'the tag is either assigned or not. Precision (assigned tags that were right) and recall (true tags that were found) are counted over all ' +
  'those decisions together, and F1 is their harmonic mean. Macro F1, the plain average of each tag\'s F1, is shown beside it; ' +
  'precision, recall and F1 of each tag are in the details.';

function scoreOf(
  microF1: number,
  metrics: Record<string, number>,
  perTag: TagQuality[],
  testCount: number,
  singleLabel: boolean,
  confusion: number[][] | undefined,
  tags: readonly string[],
): Extract<Score, { kind: 'score' }> {
  const value = Math.round(microF1 * 1000) / 10;
  const pct = (x: number): string => `${Math.round(x * 100)}%`;
  const parts: string[] = [];
  const quality = value >= 90 ? 'very reliable' : value >= 75 ? 'good' : value >= 50 ? 'usable with care' : 'not reliable yet';
  parts.push(
    `Score ${value} of 100 (${quality}): on ${testCount.toLocaleString('en-US')} test texts the model found ${pct(metrics.microRecall)} of the true tags, ` +
      `and ${pct(metrics.microPrecision)} of the tags it assigned were right.`,
  );
  const weakest = perTag.filter((q) => q.support > 0).sort((a, b) => a.f1 - b.f1 || a.support - b.support).slice(0, 3).filter((q) => q.f1 < 0.9);
  if (weakest.length > 0) {
    parts.push(`Hardest tags: ${weakest.map((q) => `"${q.tag}" (F1 ${q.f1.toFixed(2)}, ${q.support} test ${q.support === 1 ? 'text' : 'texts'})`).join(', ')}.`);
  }
  if (confusion) {
    let worst: [number, number, number] = [-1, -1, 0];
    confusion.forEach((row, a) => row.forEach((count, b) => {
      if (a !== b && count > worst[2]) worst = [a, b, count];
    }));
    if (worst[2] > 0) parts.push(`Most often confused: texts tagged "${tags[worst[0]]}" predicted as "${tags[worst[1]]}" (${worst[2]} ${worst[2] === 1 ? 'time' : 'times'}).`);
  }
  parts.push(
    'To improve: add more tagged texts, above all for the hardest tags (a few dozen per tag is a minimum, hundreds are better); ' +
      `make tags clearer: merge tags that mean nearly the same, split tags that mix unrelated topics, and tag texts consistently${singleLabel ? '' : ' (every tag that applies, on every text)'}.`,
  );
  return { kind: 'score', value, message: parts.join(' '), explanation: SCORE_EXPLANATION };
}
