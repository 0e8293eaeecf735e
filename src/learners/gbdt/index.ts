// The public API of Lathe's histogram gradient-boosted-trees learner (pure computation, no I/O).
// Stages, in call order: binning.ts -> histogram.ts -> splitting.ts -> grower.ts -> predictor.ts
// (the shipped flat node table) <- boosting.ts (the loop; the only module that knows the loss,
// from losses.ts); shap.ts (slow reference), tree-explainer.ts (fast, one output) and serialize.ts
// read the node table. Sets beyond the cache are cut in two row shards (shards.ts), and with
// threads = 2 a worker thread (shard-worker.ts) runs the second one.
export type { GbdtFeature, GbdtDataset, GbdtLoss, GbdtParams, TrainGbdtOptions, GbdtModel } from './types.js';
export { trainGbdt } from './boosting.js';
export { predictRaw, transformRaw, featureGain, GBDT_FORMAT_VERSION } from './predictor.js';
export { shapRow } from './shap.js';
export { treeExplainer, type TreeExplainer } from './tree-explainer.js';
export { serializeGbdt, deserializeGbdt } from './serialize.js';
