// The public API of Lathe's histogram gradient-boosted-trees learner (pure computation, no I/O).
export type { GbdtFeature, GbdtDataset, GbdtLoss, GbdtParams, TrainGbdtOptions, GbdtModel } from './types.js';
import type { GbdtDataset, GbdtLoss, GbdtParams, TrainGbdtOptions, GbdtModel } from './types.js';

const NYI = 'not implemented yet';

/** y: length nRows; 0/1 for logloss, 0..nClasses-1 for softmax, real numbers otherwise. */
export function trainGbdt(_data: GbdtDataset, _y: Float64Array, _params: GbdtParams, _options?: TrainGbdtOptions): GbdtModel {
  throw new Error(NYI);
}
/** Raw scores, row-major: length nRows * nOutputs. Allocation-free per row inside. */
export function predictRaw(_model: GbdtModel, _data: GbdtDataset, _out?: Float64Array): Float64Array {
  throw new Error(NYI);
}
/** Probabilities / values from raw scores for the model's loss (sigmoid, softmax, identity). */
export function transformRaw(_model: GbdtModel, _raw: Float64Array, _loss: GbdtLoss): Float64Array {
  throw new Error(NYI);
}
/** TreeSHAP contributions for one row: length (nFeatures + 1) * nOutputs, last of each block is the bias. */
export function shapRow(_model: GbdtModel, _data: GbdtDataset, _row: number): Float64Array {
  throw new Error(NYI);
}
/** Total gain per feature (length nFeatures), for influence. */
export function featureGain(_model: GbdtModel): Float64Array {
  throw new Error(NYI);
}
/** Versioned binary format, deterministic bytes. */
export function serializeGbdt(_model: GbdtModel): Uint8Array {
  throw new Error(NYI);
}
/** Rejects unknown/newer format versions with a clear error. */
export function deserializeGbdt(_bytes: Uint8Array): GbdtModel {
  throw new Error(NYI);
}
