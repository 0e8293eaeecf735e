// The learner seam: what every model type (prediction, text classification) provides to the
// training runner and the services. Engines are pure computation: no I/O, no clock, no storage.
import type { z } from 'zod';
import type { CellInput, ColumnType, RowInput, TableData } from '../tables/table-data.js';

/** A validation message or training warning, with a stable code and a sentence a user can act on. */
export interface Message {
  code: string;
  message: string;
  column?: string;
  details?: Record<string, unknown>;
}

/** The result of checking a configuration against a table (before training and inside the run). */
export interface CheckReport {
  errors: Message[];
  warnings: Message[];
}

/** The columns of a table as the draft editor sees them (no rows needed). */
export interface TableShape {
  tableId: string;
  name: string;
  rowCount: number;
  columns: { name: string; type: ColumnType }[];
}

/** Reports training progress: a stage name and the fraction done overall in [0, 1]. */
export type ProgressSink = (stage: string, fraction: number) => void;

export interface TrainOptions {
  /** Seed of every random choice: same data + configuration + seed = same artifact bytes. */
  seed: number;
  progress: ProgressSink;
  /** Threads the engine may use (worker threads of its own); 1 = stay on the calling thread. */
  threads: number;
}

/** The performance score shown on the details page. */
export type Score =
  | {
      kind: 'grade';
      grade: 'A' | 'B' | 'C' | 'D';
      /** The metric the grade is computed from (accuracy or r2) and its value on the test rows. */
      metric: 'accuracy' | 'r2';
      value: number;
      /** Binary / multiple outcome: the baseline sum of p_k^2; numerical: null. */
      baseline: number | null;
      /** The range of `metric` that gives each grade for THIS model. */
      ranges: { grade: 'A' | 'B' | 'C' | 'D'; from: number; to: number; note?: string }[];
      /** What the grade means and how to improve it. */
      message: string;
      /** How this type's score is computed (the tooltip next to "Performance"). */
      explanation: string;
    }
  | {
      kind: 'score';
      /** 0 to 100. */
      value: number;
      message: string;
      explanation: string;
    };

export interface Evaluation {
  score: Score;
  /** Headline metrics on the test rows, e.g. accuracy, rocAuc, macroF1, r2, rmse, microF1. */
  metrics: Record<string, number>;
  /** Engine-specific detail for the charts (confusion matrix, ROC points, per-tag table, ...). */
  details: Record<string, unknown>;
  /** Column influence, shares summing to 1, largest first. */
  influence: { column: string; share: number }[];
  rows: { total: number; training: number; test: number; [k: string]: number };
  /** How the test rows were chosen, enough to rebuild the same split on the same data. */
  split: Record<string, unknown>;
}

export interface TrainResult {
  /** The serialized model; `Engine.load` turns it back into a predictor. */
  artifact: Uint8Array;
  evaluation: Evaluation;
  warnings: Message[];
  /** Facts about the trained model for the details page (kind, outcomes, columns used, ...). */
  summary: Record<string, unknown>;
}

/** One field of the quick test form. */
export interface InputField {
  name: string;
  type: ColumnType;
  /** For categories: the values seen in training. */
  choices?: string[];
}

/** The result of predicting one row (prediction) or one text (text classification). */
export type PredictionOutput = Record<string, unknown>;

export interface Predictor {
  inputs: InputField[];
  /** `explain: false` skips per-row explanations (faster); they are computed by default. */
  predict(rows: RowInput[], options?: { explain?: boolean }): PredictionOutput[];
}

export interface Engine<C = unknown> {
  type: string;
  /** The one schema of this type's configuration (validates the API, drives CLI and form). */
  configurationSchema: z.ZodType<C>;
  /**
   * Checks a (possibly partial) configuration. `data` is given when the rows are at hand;
   * without it only the shape is checked. Never throws for bad configuration: reports it.
   */
  check(configuration: unknown, shape: TableShape, data?: TableData): CheckReport;
  /** Trains on the table's rows. Throws LatheError('INVALID_CONFIGURATION' | 'INVALID_DATA') when the data rules fail. */
  train(data: TableData, configuration: C, options: TrainOptions): TrainResult | Promise<TrainResult>;
  load(artifact: Uint8Array): Predictor;
}

export type { CellInput };
