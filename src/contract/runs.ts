// API schema of a training run (job) and its progress.
import { z } from 'zod';

export const RunStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);

export const Run = z
  .object({
    id: z.string(),
    modelId: z.string(),
    kind: z.enum(['train', 'retrain']),
    status: RunStatus,
    /** Current stage, e.g. "queued", "loading data", "checking data", "training", "evaluating", "saving". */
    stage: z.string(),
    /** Fraction done, 0 to 1. */
    progress: z.number(),
    /** The version it produced (succeeded) or null. */
    version: z.number().int().nullable(),
    /** Why it failed (failed), e.g. "interrupted: the server stopped during training". */
    error: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'Run' });
export type Run = z.infer<typeof Run>;
