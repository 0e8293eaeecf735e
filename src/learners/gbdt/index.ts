// The public API of Lathe's histogram gradient-boosted-trees learner (pure computation, no I/O).
export type { GbdtFeature, GbdtDataset, GbdtLoss, GbdtParams, TrainGbdtOptions, GbdtModel } from './types.js';
export { trainGbdt } from './boosting.js';
export { predictRaw, transformRaw, featureGain, GBDT_FORMAT_VERSION } from './predictor.js';
export { shapRow } from './shap.js';
export { serializeGbdt, deserializeGbdt } from './serialize.js';
