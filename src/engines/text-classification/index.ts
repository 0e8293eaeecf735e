// The text classification engine: multi-label tagging of a text column, in any language, on CPU.
import type { Engine, TrainOptions, TrainResult } from '../seam.js';
import type { TableData } from '../../tables/table-data.js';
import { LatheError } from '../../domain/errors.js';
import {
  DEFAULT_TRAINING_SETTINGS,
  TextScorer,
  readTextModel,
  trainTextClassifier,
  writeTextModel,
} from '../../learners/text/index.js';
import { textClassificationConfigurationSchema, type TextClassificationConfiguration } from './configuration.js';
import { evaluateTags, type TestPrediction } from './evaluation.js';
import { assignedTags, textPredictor } from './predictor.js';
import { applyRules, type PreparedData } from './rules.js';
import { TEST_FRACTION, stratifiedSplit } from './split.js';

export { textClassificationConfigurationSchema, type TextClassificationConfiguration } from './configuration.js';
export type { TextPrediction } from './predictor.js';

/** Texts per tag whose explanations are pooled into the tag's top terms on the details page. */
const TOP_TERM_TEXTS = 20;

function shapeOf(data: TableData) {
  return { tableId: data.tableId, name: data.name, rowCount: data.rowCount, columns: data.columns.map((c) => ({ name: c.name, type: c.type })) };
}

function train(data: TableData, configuration: TextClassificationConfiguration, options: TrainOptions): TrainResult {
  const { report, prepared } = applyRules(configuration, shapeOf(data), data);
  if (report.errors.length > 0 || !prepared) {
    const first = report.errors[0]?.message ?? 'The configuration cannot be trained.';
    const more = report.errors.length > 1 ? ` (and ${report.errors.length - 1} more ${report.errors.length === 2 ? 'problem' : 'problems'})` : '';
    throw new LatheError('INVALID_CONFIGURATION', first + more, { errors: report.errors, warnings: report.warnings });
  }
  const warnings = [...report.warnings];
  const p = prepared;
  let trainRows = p.trainRows;
  let testRows = p.testRows;
  let split: Record<string, unknown> = { method: 'column', column: p.configuration.splitColumn };
  if (testRows === null) {
    const s = stratifiedSplit(trainRows, p.rowTags, options.seed);
    trainRows = s.train;
    testRows = s.test;
    split = { method: 'stratified', stratifiedOn: "each text's rarest tag", testFraction: TEST_FRACTION, seed: options.seed };
  }
  const tagIndex = new Map(p.tags.map((t, k) => [t, k]));
  const trainedTagsOf = (r: number): number[] => p.rowTags[r].map((t) => tagIndex.get(t)).filter((k): k is number => k !== undefined);
  // Single-label data: a text whose only tag was left out belongs to no modelled tag, so it cannot
  // teach "which of these tags"; multi-label data keeps it as a text without (trained) tags.
  if (p.singleLabel) trainRows = trainRows.filter((r) => trainedTagsOf(r).length === 1);
  const T = p.tags.length;
  const labels = new Uint8Array(trainRows.length * T);
  trainRows.forEach((r, i) => {
    for (const t of trainedTagsOf(r)) labels[i * T + t] = 1;
  });
  const { model, report: learned } = trainTextClassifier(
    { texts: trainRows.map((r) => p.texts[r]), tags: p.tags, labels, singleLabel: p.singleLabel },
    { ...DEFAULT_TRAINING_SETTINGS, seed: options.seed },
    (stage, fraction) => options.progress(stage, 0.05 + 0.85 * fraction),
  );
  model.info = { ...model.info, textColumn: p.configuration.textColumn, separator: p.separator };
  const artifact = writeTextModel(model);

  options.progress('evaluation', 0.9);
  const scorer = new TextScorer(model);
  const predictions: TestPrediction[] = [];
  let untrainedOccurrences = 0;
  for (const r of testRows) {
    const confidences = scorer.confidences(p.texts[r]);
    untrainedOccurrences += p.rowTags[r].length - trainedTagsOf(r).length;
    predictions.push({ row: r, text: p.texts[r], truth: trainedTagsOf(r), assigned: assignedTags(model, confidences), confidences });
  }
  const evaluation = evaluateTags(p.tags, p.singleLabel, model.thresholds, predictions);
  const topTerms = topTermsByTag(scorer, p, trainRows, trainedTagsOf);
  options.progress('done', 1);
  return {
    artifact,
    evaluation: {
      score: evaluation.score,
      metrics: evaluation.metrics,
      details: {
        mode: p.singleLabel ? 'single-label' : 'multi-label',
        perTag: evaluation.perTag,
        ...(evaluation.confusion ? { confusion: evaluation.confusion } : {}),
        misclassified: evaluation.misclassified,
        untrainedTags: p.untrained,
        untrainedTagOccurrencesInTest: untrainedOccurrences,
        topTerms,
      },
      // The text column is the model's only input, so it carries all the influence; which words
      // matter is shown per tag in details.topTerms (influence is a per-column share by contract).
      influence: [{ column: p.configuration.textColumn, share: 1 }],
      rows: {
        total: p.rowCount,
        training: trainRows.length,
        test: testRows.length,
        withoutText: p.withoutText,
        truncated: p.truncated,
      },
      split,
    },
    warnings,
    summary: {
      kind: 'text-classification',
      mode: p.singleLabel ? 'single-label' : 'multi-label',
      textColumn: p.configuration.textColumn,
      tagColumn: p.configuration.tagColumn,
      separator: p.separator,
      language: p.configuration.language ?? null,
      tags: p.tags,
      untrainedTags: p.untrained.map((u) => u.tag),
      thresholds: Object.fromEntries(p.tags.map((t, k) => [t, Math.round(model.thresholds[k] * 1e4) / 1e4])),
      features: learned.features,
      C: learned.C,
      calibration: learned.calibration,
      finalModel: learned.finalModel,
      cvScores: learned.cScores,
      vocabularySize: learned.features_count,
      weights: learned.weights,
      artifactBytes: artifact.length,
    },
  };
}

/** The terms that most often push each tag up, pooled over a few of its training texts. */
function topTermsByTag(scorer: TextScorer, p: PreparedData, trainRows: number[], tagsOf: (r: number) => number[]): Record<string, { term: string; weight: number }[]> {
  const out: Record<string, { term: string; weight: number }[]> = {};
  p.tags.forEach((tag, t) => {
    const pooled = new Map<string, number>();
    let used = 0;
    for (const r of trainRows) {
      if (used >= TOP_TERM_TEXTS) break;
      if (!tagsOf(r).includes(t)) continue;
      used++;
      const { contributions } = scorer.explain(p.texts[r], () => [t], 10);
      for (const c of contributions.get(t) ?? []) pooled.set(c.term, (pooled.get(c.term) ?? 0) + c.weight);
    }
    out[tag] = [...pooled.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 10)
      .map(([term, weight]) => ({ term, weight: Math.round((weight / Math.max(1, used)) * 1e4) / 1e4 }));
  });
  return out;
}

export const textClassificationEngine: Engine<TextClassificationConfiguration> = {
  type: 'text-classification',
  configurationSchema: textClassificationConfigurationSchema,
  check: (configuration, shape, data) => applyRules(configuration, shape, data).report,
  train,
  load(artifact: Uint8Array) {
    const model = readTextModel(artifact);
    const textColumn = typeof model.info.textColumn === 'string' ? model.info.textColumn : 'text';
    return textPredictor(model, textColumn);
  },
};
