// The prediction engine (binary, multiple outcome, numerical) as the training runner and services see it.
import type { TableData } from '../../tables/table-data.js';
import type { CheckReport, Engine, TableShape } from '../seam.js';
import { checkShape, prepare } from './checks.js';
import { predictionConfigurationSchema, type PredictionConfiguration } from './configuration.js';
import { loadPredictor } from './predictor.js';
import { trainPrediction } from './train.js';

export { predictionConfigurationSchema, type PredictionConfiguration, type PredictionKind } from './configuration.js';
export { filterSchema, type Filter } from './filter.js';
export type { PredictionRow } from './predictor.js';

function check(configuration: unknown, shape: TableShape, data?: TableData): CheckReport {
  const s = checkShape(configuration, shape);
  if (s.errors.length > 0 || !s.config) return { errors: s.errors, warnings: [] };
  if (!data) return { errors: [], warnings: [] };
  const p = prepare(data, s.config);
  return { errors: p.errors, warnings: p.warnings };
}

export const predictionEngine: Engine<PredictionConfiguration> = {
  type: 'prediction',
  configurationSchema: predictionConfigurationSchema,
  check,
  train: trainPrediction,
  load: loadPredictor,
};
