// API schemas of models, drafts, trained versions, history, quick test and predict.
import { z } from 'zod';
import { Message } from './messages.js';
import { Run } from './runs.js';

export const ModelType = z.enum(['prediction', 'text-classification']).meta({ id: 'ModelType' });
export const SlotName = z.enum(['published', 'lastTrained']).meta({ id: 'SlotName' });

/** A model type's configuration; its exact shape is validated by that type's engine schema. */
export const Configuration = z
  .record(z.string(), z.unknown())
  .describe(
    'prediction: {tableId, target, features?, filter?, positive?, kind?, forceInclude?, splitColumn?}; ' +
      'text-classification: {tableId, textColumn, tagColumn, separator?, language?, allowTruncation?, splitColumn?}',
  )
  .meta({ id: 'Configuration' });

export const Score = z
  .record(z.string(), z.unknown())
  .describe("{kind:'grade', grade, metric, value, baseline, ranges, message, explanation} or {kind:'score', value (0-100), message, explanation}")
  .meta({ id: 'Score' });

export const TableRef = z
  .object({ id: z.string(), name: z.string(), revision: z.number().int(), digest: z.string(), rowCount: z.number().int() })
  .meta({ id: 'TableRef' });

/** An immutable trained version, as the history and the two slots show it. */
export const Version = z
  .object({
    modelId: z.string(),
    version: z.number().int(),
    kind: z.enum(['train', 'retrain']),
    basedOn: z.number().int().nullable(),
    configuration: Configuration,
    table: TableRef,
    trainedAt: z.string(),
    trainedBy: z.string(),
    durationMs: z.number(),
    runId: z.string(),
    score: Score,
    metrics: z.record(z.string(), z.number()),
    influence: z.array(z.object({ column: z.string(), share: z.number() })),
    rows: z.record(z.string(), z.number()),
    split: z.record(z.string(), z.unknown()),
    warnings: z.array(Message),
    summary: z.record(z.string(), z.unknown()),
    /** Chart data (confusion matrix, ROC, calibration, per-tag table…); only in GET …/versions/{version}. */
    details: z.record(z.string(), z.unknown()).optional(),
    /** Where the version stands now. */
    status: z.enum(['published', 'lastTrained', 'retained', 'replaced', 'unpublished']),
    artifact: z.object({ bytes: z.number().int(), sha256: z.string() }).nullable(),
  })
  .meta({ id: 'Version' });
export type Version = z.infer<typeof Version>;

export const Draft = z
  .object({
    configuration: Configuration,
    basedOn: z.number().int().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    /** The engine's check of the draft: errors block Train, warnings explain. */
    validation: z.object({ errors: z.array(Message), warnings: z.array(Message) }),
  })
  .meta({ id: 'Draft' });

export const ActionName = z.enum([
  'editDraft',
  'newVersion',
  'resumeDraft',
  'discardDraft',
  'train',
  'retrain',
  'cancel',
  'publish',
  'unpublish',
  'rollback',
  'rename',
  'delete',
  'quickTest',
  'predict',
]);

export const Model = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    type: ModelType,
    owner: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    draft: Draft.nullable(),
    lastTrained: Version.nullable(),
    published: Version.nullable(),
    /** Previously published versions that Roll back can republish, newest first. */
    rollbackVersions: z.array(z.number().int()),
    activeRun: Run.nullable(),
    lastRunOutcome: z
      .object({ runId: z.string(), status: z.enum(['failed', 'cancelled']), message: z.string(), at: z.string() })
      .nullable(),
    /** Model-level warnings (e.g. the last training failed). */
    warnings: z.array(Message),
    /** Which actions the rules allow now, and why not when they don't (for disabled buttons). */
    actions: z.record(z.string(), z.object({ allowed: z.boolean(), reason: z.string().optional() })),
  })
  .meta({ id: 'Model' });
export type Model = z.infer<typeof Model>;

export const ModelList = z.object({ models: z.array(Model) }).meta({ id: 'ModelList' });

export const CreateModelRequest = z
  .object({
    name: z.string().min(1).max(100),
    type: ModelType,
    description: z.string().max(2000).optional(),
    configuration: Configuration.optional(),
  })
  .meta({ id: 'CreateModelRequest' });

export const UpdateModelRequest = z
  .object({ name: z.string().optional(), description: z.string().optional() })
  .meta({ id: 'UpdateModelRequest' });

export const SaveDraftRequest = z.object({ configuration: Configuration }).meta({ id: 'SaveDraftRequest' });
export const NewVersionRequest = z.object({ from: SlotName.optional() }).meta({ id: 'NewVersionRequest' });
export const RetrainRequest = z.object({ from: SlotName.optional() }).meta({ id: 'RetrainRequest' });
export const RollbackRequest = z.object({ version: z.number().int().positive() }).meta({ id: 'RollbackRequest' });

export const PredictionOutput = z.record(z.string(), z.unknown()).meta({ id: 'PredictionOutput' });

export const QuickTestRequest = z
  .object({ version: SlotName.optional(), input: z.record(z.string(), z.unknown()) })
  .meta({ id: 'QuickTestRequest' });
export const QuickTestResult = z
  .object({ version: z.number().int(), slot: SlotName, result: PredictionOutput })
  .meta({ id: 'QuickTestResult' });

/** One field of the quick test form (the engine's InputField). */
export const InputField = z
  .object({
    name: z.string(),
    type: z.enum(['number', 'category', 'boolean', 'text', 'date']),
    choices: z.array(z.string()).optional().describe('For categories: the values seen in training.'),
  })
  .meta({ id: 'InputField' });
export const InputFields = z.object({ fields: z.array(InputField) }).meta({ id: 'InputFields' });

export const MAX_PREDICT_ROWS = 10_000;
export const PredictRequest = z
  .object({
    rows: z.array(z.record(z.string(), z.unknown())).min(1).max(MAX_PREDICT_ROWS),
    explain: z
      .boolean()
      .default(true)
      .describe(
        'Whether each result carries its explanation (prediction: `explanation`, the columns behind it; text classification: `contributions`, the terms behind each assigned tag). Default true; false leaves them out and predicts much faster.',
      ),
  })
  .meta({ id: 'PredictRequest' });
export const PredictResult = z
  .object({ modelId: z.string(), version: z.number().int(), results: z.array(PredictionOutput) })
  .meta({ id: 'PredictResult' });

export const HistoryEvent = z
  .object({
    at: z.string(),
    actor: z.string(),
    type: z.string(),
    version: z.number().int().nullable(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'HistoryEvent' });

export const History = z
  .object({ versions: z.array(Version), events: z.array(HistoryEvent) })
  .meta({ id: 'History' });

export const Comparison = z
  .object({
    a: Version,
    b: Version,
    configuration: z.array(z.object({ path: z.string(), a: z.unknown(), b: z.unknown() })),
    data: z.object({
      sameTable: z.boolean(),
      revisions: z.tuple([z.number().int(), z.number().int()]),
      rowsAdded: z.number().int().nullable(),
      rowsRemoved: z.number().int().nullable(),
      note: z.string().optional(),
    }),
    metrics: z.array(z.object({ metric: z.string(), a: z.number().nullable(), b: z.number().nullable(), delta: z.number().nullable() })),
  })
  .meta({ id: 'Comparison' });
