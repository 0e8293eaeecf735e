// The predictor of a trained prediction model: quick-test fields and per-row predictions with explanations.
import type { RowInput } from '../../tables/table-data.js';
import type { InputField, PredictionOutput, Predictor } from '../seam.js';
import { readArtifact } from './artifact.js';
import { encodeInputs, featureLayout, inputType } from './encoding.js';
import { outputContributions, predictValues } from './models.js';

/** Columns listed in each row's explanation. */
export const EXPLANATION_COLUMNS = 5;

export type PredictionRow = {
  prediction: string | number;
  /** Binary: of the positive outcome; multiple outcome: of the predicted outcome; numerical: absent. */
  probability?: number;
  probabilities?: Record<string, number>;
  /** Absent when predicted with `explain: false`. */
  explanation?: { column: string; contribution: number; direction: 'up' | 'down' }[];
  interval?: { low: number; high: number; level: number };
};

export function loadPredictor(bytes: Uint8Array): Predictor {
  const { header, model } = readArtifact(bytes);
  const enc = header.encoding;
  const layout = featureLayout(enc);
  const nColumns = enc.columns.length;
  const classification = header.kind !== 'numerical';
  const nClasses = classification ? header.outcomes.length : 1;
  const inputs: InputField[] = enc.columns.map((c) => {
    const field: InputField = { name: c.column, type: inputType(c) };
    if (c.as === 'category') field.choices = [...c.categories].sort();
    return field;
  });
  const explainer = outputContributions(model, layout.column, nColumns);
  return {
    inputs,
    predict(rows: RowInput[], options?: { explain?: boolean }): PredictionOutput[] {
      const explain = options?.explain ?? true;
      const ds = encodeInputs(enc, rows);
      const values = predictValues(model, ds, nClasses);
      const contributions = explain ? explainer(ds) : null;
      return rows.map((_, i): PredictionRow => {
        let block = 0;
        let out: PredictionRow;
        if (!classification) {
          const v = values[i];
          out = { prediction: v };
          if (header.interval) out.interval = { low: v + header.interval.low, high: v + header.interval.high, level: header.interval.level };
        } else {
          let best = 0;
          for (let k = 1; k < nClasses; k++) if (values[i * nClasses + k] > values[i * nClasses + best]) best = k;
          const probabilities: Record<string, number> = {};
          header.outcomes.forEach((o, k) => (probabilities[o] = values[i * nClasses + k]));
          const probability = header.kind === 'binary' ? values[i * 2 + 1] : values[i * nClasses + best];
          out = { prediction: header.outcomes[best], probability, probabilities };
          // Binary explanations push toward (up) or away from (down) the positive outcome; multiple
          // outcome explanations are those of the predicted outcome's score.
          block = header.kind === 'multiclass' ? best : 0;
        }
        if (!contributions) return out;
        // Only the explained output's trees are walked (one of 26 for 26 outcomes).
        const contrib = contributions(i, block);
        out.explanation = enc.columns
          .map((c, j) => ({ column: c.column, contribution: contrib[j] }))
          .filter((e) => e.contribution !== 0)
          .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || (a.column < b.column ? -1 : 1))
          .slice(0, EXPLANATION_COLUMNS)
          .map((e) => ({ ...e, direction: e.contribution > 0 ? 'up' : 'down' }));
        return out;
      });
    },
  };
}
