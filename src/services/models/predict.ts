// Using a trained version: the quick test form's fields, one quick test row, and batch predict.
import type { z } from 'zod';
import type { PredictResult, QuickTestResult } from '../../contract/models.js';
import { MAX_PREDICT_ROWS } from '../../contract/models.js';
import { LatheError } from '../../domain/errors.js';
import { decide } from '../../domain/lifecycle.js';
import type { SlotName } from '../../domain/model-state.js';
import type { InputField } from '../../engines/seam.js';
import { checkRow } from './input-checks.js';
import type { ModelWriter } from './model-writer.js';
import type { Predictors } from './predictors.js';

export function createPredictMethods(writer: ModelWriter, predictors: Predictors) {
  const { load, ctx } = writer;
  return {
    async inputs(modelId: string, slot?: SlotName): Promise<InputField[]> {
      const { state } = await load(modelId);
      const decision = decide(state, { type: 'quickTest', version: slot }, ctx());
      return (await predictors.predictorFor(state, decision.version!)).inputs;
    },

    async quickTest(modelId: string, input: { version?: SlotName; input: Record<string, unknown> }): Promise<z.infer<typeof QuickTestResult>> {
      const row = checkRow(input?.input, 'The quick test input');
      const { state } = await load(modelId);
      const decision = decide(state, { type: 'quickTest', version: input.version }, ctx());
      const version = decision.version!;
      const slot: SlotName = state.lastTrained?.version === version ? 'lastTrained' : 'published';
      const [result] = (await predictors.predictorFor(state, version)).predict([row]);
      return { version, slot, result };
    },

    async predict(modelId: string, rows: Record<string, unknown>[], options: { explain?: boolean } = {}): Promise<z.infer<typeof PredictResult>> {
      if (!Array.isArray(rows) || rows.length === 0) throw new LatheError('INVALID_INPUT', 'Send at least one row to predict.', { field: 'rows' });
      if (rows.length > MAX_PREDICT_ROWS) {
        throw new LatheError('INVALID_INPUT', `At most ${MAX_PREDICT_ROWS.toLocaleString('en-US')} rows can be predicted per call; this request has ${rows.length}. Split it into smaller batches.`, {
          field: 'rows',
          max: MAX_PREDICT_ROWS,
        });
      }
      const checked = rows.map((r, i) => checkRow(r, `Row ${i + 1}`));
      const { state } = await load(modelId);
      const decision = decide(state, { type: 'predict' }, ctx());
      const version = decision.version!;
      const explain = options.explain ?? true;
      return { modelId, version, results: await predictors.predictRows(state, version, checked, { explain }) };
    },
  };
}
