// Public API of the text learner: featurization, training, scoring and the saved-model format.
export { normalizeText, tokenize } from './tokenizer.js';
export type { FeatureSettings } from './features.js';
export { DEFAULT_TRAINING_SETTINGS, autoFeatureCandidates, trainTextClassifier } from './trainer.js';
export type { TextTrainingData, TextTrainingSettings, TrainingReport } from './trainer.js';
export { TextScorer } from './model.js';
export type { TextModel, TermContribution } from './model.js';
export { readTextModel, writeTextModel, TEXT_MODEL_FORMAT } from './artifact.js';
