// The one schema of a prediction model's configuration (API, CLI, form and training share it).
import { z } from 'zod';
import { filterSchema } from './filter.js';

export const PREDICTION_KINDS = ['binary', 'multiclass', 'numerical'] as const;
export type PredictionKind = (typeof PREDICTION_KINDS)[number];

export const predictionConfigurationSchema = z.object({
  tableId: z.string().min(1),
  /** The outcome column. */
  target: z.string().min(1),
  /** Input columns; default: every usable column. */
  features: z.array(z.string().min(1)).optional(),
  filter: filterSchema.optional(),
  /** Binary: the outcome counted as positive. With more than two outcomes it maps them to yes/no. */
  positive: z.string().optional(),
  kind: z.enum(PREDICTION_KINDS).optional(),
  /** Columns the user forces back in after a leakage or identifier exclusion. */
  forceInclude: z.array(z.string().min(1)).optional(),
  /** A column whose values 'train' / 'test' fix the test split; never a feature. */
  splitColumn: z.string().min(1).optional(),
});
export type PredictionConfiguration = z.infer<typeof predictionConfigurationSchema>;
