// The text classifier behind the quick test and the predict API: every tag's confidence, the top
// tag, the assigned tags and the terms behind each assigned tag.
import type { Predictor } from '../seam.js';
import type { RowInput } from '../../tables/table-data.js';
import { TextScorer, type TermContribution, type TextModel } from '../../learners/text/index.js';
import { MAX_TEXT_LENGTH } from './configuration.js';

export interface TextPrediction {
  [key: string]: unknown;
  /** Every tag with its confidence in [0, 1], highest first. */
  tags: { tag: string; confidence: number }[];
  topTag: string;
  /** Tags at or above their threshold (multi-label); the top tag (single-label). */
  assigned: string[];
  /** For each assigned tag, the words and n-grams of the text that pushed its decision up most; absent when not explained. */
  contributions?: Record<string, TermContribution[]>;
}

/** Which tags a model assigns given confidences: the top tag (single-label) or all above threshold. */
export function assignedTags(model: TextModel, confidences: ArrayLike<number>): number[] {
  const T = model.tags.length;
  if (model.singleLabel) {
    let top = 0;
    for (let t = 1; t < T; t++) if (confidences[t] > confidences[top]) top = t;
    return [top];
  }
  const out: number[] = [];
  for (let t = 0; t < T; t++) if (confidences[t] >= model.thresholds[t]) out.push(t);
  return out;
}

export function textPredictor(model: TextModel, textColumn: string): Predictor & { predict(rows: RowInput[], options?: { explain?: boolean }): TextPrediction[] } {
  const scorer = new TextScorer(model);
  return {
    inputs: [{ name: textColumn, type: 'text' }],
    predict(rows: RowInput[], options?: { explain?: boolean }): TextPrediction[] {
      const explain = options?.explain ?? true;
      return rows.map((row) => {
        const cell = row[textColumn];
        // Training texts are shorter than MAX_TEXT_LENGTH; reading longer ones only that far keeps
        // one request from allocating memory in proportion to an arbitrarily long text.
        const text = cell === null || cell === undefined ? '' : String(cell).slice(0, MAX_TEXT_LENGTH - 1);
        if (!explain) {
          // Confidences alone: no term names kept, no per-tag walk over the text's weights.
          const confidences = scorer.confidences(text);
          return outcome(model, confidences, assignedTags(model, confidences));
        }
        const { confidences, tags: assigned, contributions } = scorer.explain(text, (c) => assignedTags(model, c));
        const byTag: Record<string, TermContribution[]> = {};
        for (const t of assigned) byTag[model.tags[t]] = (contributions.get(t) ?? []).map((c) => ({ term: c.term, weight: Math.round(c.weight * 1e4) / 1e4 }));
        return { ...outcome(model, confidences, assigned), contributions: byTag };
      });
    },
  };
}

/** Every tag by confidence (highest first, ties by tag order), the top tag and the assigned tags. */
function outcome(model: TextModel, confidences: ArrayLike<number>, assigned: number[]): TextPrediction {
  const order = model.tags.map((_, t) => t).sort((a, b) => confidences[b] - confidences[a] || a - b);
  return {
    tags: order.map((t) => ({ tag: model.tags[t], confidence: confidences[t] })),
    topTag: model.tags[order[0]],
    assigned: assigned.map((t) => model.tags[t]),
  };
}
