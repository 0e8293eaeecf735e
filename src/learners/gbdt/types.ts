// The public types of the gradient-boosted-trees learner: inputs, parameters and the shipped model.

/** One input column, already encoded by the caller. */
export type GbdtFeature =
  /** values: Float64Array of length nRows, raw numbers, NaN = missing. */
  | { name: string; kind: 'numeric'; values: Float64Array }
  /** values: Int32Array of length nRows, codes 0..nCategories-1, -1 = missing. */
  | { name: string; kind: 'categorical'; values: Int32Array; nCategories: number };

export interface GbdtDataset {
  nRows: number;
  features: GbdtFeature[];
}

export type GbdtLoss = 'logloss' | 'softmax' | 'squared' | 'huber';

export interface GbdtParams {
  loss: GbdtLoss;
  /** softmax only (>= 3); labels are 0..nClasses-1. */
  nClasses?: number;
  /** Boosting rounds (trees per output). */
  maxIter: number;
  learningRate: number;
  /** Leaf-wise growth, like LightGBM num_leaves. */
  maxLeaves: number;
  /** undefined = unlimited. */
  maxDepth?: number;
  minSamplesLeaf: number;
  minHessianLeaf: number;
  /** L2 regularization on leaf values. */
  l2: number;
  /** <= 255 non-missing bins; one more bin is reserved for missing. */
  maxBins: number;
  /** (0,1], per tree, without replacement. */
  rowSubsample?: number;
  /** (0,1], per tree. */
  colSubsample?: number;
  /** Cap on categories on one side of a categorical split. */
  maxCatThreshold?: number;
  /** Quantile of |residual| used as the huber delta (default 0.9). */
  huberAlpha?: number;
  seed: number;
  /**
   * 1 (default) or 2: with 2, and more rows than fit in cache, a worker thread runs the second row
   * shard of every step over shared memory (shards.ts). The model is byte-identical either way; if
   * the worker cannot start, one thread is used.
   */
  threads?: number;
  /** Uses `options.validation`; stops after `patience` rounds without an improvement > tolerance. */
  earlyStopping?: { patience: number; tolerance: number };
  /** Float64Array of length nRows, optional (class weighting). */
  sampleWeight?: Float64Array;
}

export interface TrainGbdtOptions {
  /** Same features as the training data, used for early stopping. */
  validation?: { data: GbdtDataset; y: Float64Array };
  onIteration?: (iteration: number, maxIter: number, validationLoss?: number) => void;
}

/**
 * The shipped model: a flat node table (struct of arrays) for all trees.
 * Trees are stored iteration-major: tree t belongs to output t % nOutputs and iteration
 * floor(t / nOutputs). Child indices are absolute indices into the node table.
 * Leaf values already include the learning rate.
 * Categorical split: a category whose bit is set in the node's bitset goes left, any other
 * category (including ones never seen in training) goes right; missing follows nodeMissingLeft.
 * Numeric split: value <= nodeThreshold goes left; NaN follows nodeMissingLeft.
 */
export interface GbdtModel {
  formatVersion: number;
  /** 1, or nClasses for softmax. */
  nOutputs: number;
  nFeatures: number;
  featureNames: string[];
  /** Length nFeatures: the kind each feature had in training (prediction data must match). */
  featureKinds: ('numeric' | 'categorical')[];
  /** Float64Array of length nOutputs: raw score before trees. */
  baseScore: Float64Array;
  /** Total trees = iterations * nOutputs (trees after bestIteration are dropped). */
  nTrees: number;
  /** Number of boosting rounds kept (1-based count; equals maxIter without early stopping). */
  bestIteration: number;
  /** Int32Array of length nTrees + 1: node range [treeOffsets[t], treeOffsets[t+1]) of tree t. */
  treeOffsets: Int32Array;
  /** Int32Array of length nNodes: split feature index, -1 = leaf. */
  nodeFeature: Int32Array;
  /** Float64Array of length nNodes: numeric threshold (raw value, upper edge of the left bins). */
  nodeThreshold: Float64Array;
  /** Uint8Array of length nNodes: 1 = missing values go left. */
  nodeMissingLeft: Uint8Array;
  /** Int32Array of length nNodes: absolute index of the left child, -1 for leaves. */
  nodeLeft: Int32Array;
  /** Int32Array of length nNodes: absolute index of the right child, -1 for leaves. */
  nodeRight: Int32Array;
  /** Float64Array of length nNodes: leaf value (raw-score units, shrunk); internal nodes hold their would-be value. */
  nodeValue: Float64Array;
  /** Float64Array of length nNodes: sum of hessians of the training rows reaching the node (SHAP cover). */
  nodeCover: Float64Array;
  /** Float64Array of length nNodes: split gain (loss reduction), 0 for leaves. */
  nodeGain: Float64Array;
  /** Int32Array of length nNodes: start word of the node's bitset in catBitsets, -1 if not categorical. */
  nodeCatStart: Int32Array;
  /** Int32Array of length nNodes: number of 32-bit words of the node's bitset (0 if not categorical). */
  nodeCatWords: Int32Array;
  /** Uint32Array: concatenated category bitsets of all categorical splits. */
  catBitsets: Uint32Array;
}
