// What the model services offer: one method per user action, returning the API's shapes.
import type { z } from 'zod';
import type {
  Comparison,
  History,
  Model,
  PredictResult,
  QuickTestResult,
  Version,
} from '../contract/models.js';
import type { Run } from '../contract/runs.js';
import type { Configuration, ModelType, SlotName } from '../domain/model-state.js';
import type { InputField } from '../engines/seam.js';

export interface ModelsService {
  list(): Promise<Model[]>;
  get(modelId: string): Promise<Model>;
  create(input: { name: string; type: ModelType; description?: string; configuration?: Configuration }): Promise<Model>;
  update(modelId: string, input: { name?: string; description?: string }): Promise<Model>;
  /** Always saves; the returned draft carries the validation messages. */
  saveDraft(modelId: string, configuration: Configuration): Promise<Model>;
  discardDraft(modelId: string): Promise<Model>;
  newVersion(modelId: string, from?: SlotName): Promise<Model>;
  train(modelId: string): Promise<Run>;
  retrain(modelId: string, from?: SlotName): Promise<Run>;
  publish(modelId: string): Promise<Model>;
  unpublish(modelId: string): Promise<Model>;
  rollback(modelId: string, version: number): Promise<Model>;
  /** The typed fields of the quick test form for a slot's version. */
  inputs(modelId: string, slot?: SlotName): Promise<InputField[]>;
  quickTest(modelId: string, input: { version?: SlotName; input: Record<string, unknown> }): Promise<z.infer<typeof QuickTestResult>>;
  /** `options.explain: false` leaves each result's explanation out (much faster); on by default. */
  predict(modelId: string, rows: Record<string, unknown>[], options?: { explain?: boolean }): Promise<z.infer<typeof PredictResult>>;
  history(modelId: string): Promise<z.infer<typeof History>>;
  version(modelId: string, version: number): Promise<Version>;
  compare(modelId: string, a: number, b: number): Promise<z.infer<typeof Comparison>>;
  delete(modelId: string): Promise<void>;
  getRun(runId: string): Promise<Run>;
  cancelRun(runId: string): Promise<Run>;
  /** Calls `listener` on every progress or status change of the run until it ends; returns unsubscribe. */
  subscribeRun(runId: string, listener: (run: Run) => void): () => void;
  /** Resolves when the run has ended (succeeded, failed or cancelled). */
  waitForRun(runId: string): Promise<Run>;
  close(): Promise<void>;
}
