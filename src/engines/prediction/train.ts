// Training a prediction model: checks, split, encoding, automatic settings, evaluation, artifact.
import { LatheError } from '../../domain/errors.js';
import type { TableData } from '../../tables/table-data.js';
import type { TrainOptions, TrainResult } from '../seam.js';
import { writeArtifact } from './artifact.js';
import { autoTrain } from './auto.js';
import { checkShape, prepare } from './checks.js';
import { predictionConfigurationSchema, type PredictionConfiguration } from './configuration.js';
import { encodeTable, featureLayout, fitEncoding } from './encoding.js';
import { evaluate } from './evaluate.js';
import { quantile } from './metrics.js';
import { partsOf, type TrainedModel } from './models.js';
import { makeSplit } from './split.js';
import { kindName } from './target.js';

/** The prediction interval's level: residual quantiles 10% and 90%. */
export const INTERVAL_LEVEL = 0.8;

function treeRounds(m: TrainedModel): number | undefined {
  const trees = partsOf(m).parts.find((p) => p.type === 'gbdt');
  return trees?.type === 'gbdt' ? trees.model.bestIteration : undefined;
}

function shapeOf(data: TableData) {
  return { tableId: data.tableId, name: data.name, rowCount: data.rowCount, columns: data.columns.map((c) => ({ name: c.name, type: c.type })) };
}

export function trainPrediction(data: TableData, configuration: PredictionConfiguration, options: TrainOptions): TrainResult {
  const t0 = performance.now();
  options.progress('checking the data', 0);
  const parsed = predictionConfigurationSchema.safeParse(configuration);
  const shape = checkShape(configuration, shapeOf(data));
  if (!parsed.success || shape.errors.length > 0) {
    const errors = shape.errors.length > 0 ? shape.errors : [{ code: 'INVALID_FIELD', message: 'The configuration is not valid.' }];
    throw new LatheError('INVALID_CONFIGURATION', errors[0].message, { errors });
  }
  const config = parsed.data;
  const prep = prepare(data, config);
  if (prep.errors.length > 0 || !prep.target) {
    throw new LatheError('INVALID_CONFIGURATION', prep.errors[0]?.message ?? 'The configuration cannot be trained.', { errors: prep.errors });
  }
  const target = prep.target;
  const classification = target.kind !== 'numerical';
  const nClasses = classification ? target.outcomes.length : 1;
  const split = makeSplit(data, target.rows, target.y, classification, options.seed, config.splitColumn);
  const trainRows = Int32Array.from(split.train, (i) => target.rows[i]);
  const testRows = Int32Array.from(split.test, (i) => target.rows[i]);
  const yTrain = Float64Array.from(split.train, (i) => target.y[i]);
  const yTest = Float64Array.from(split.test, (i) => target.y[i]);

  const tChecked = performance.now();
  options.progress('preparing the columns', 0.05);
  const encoding = fitEncoding(data, trainRows, prep.plan, { y: yTrain, nClasses });
  const layout = featureLayout(encoding);
  const dsTrain = encodeTable(encoding, data, trainRows, true);
  const dsTest = encodeTable(encoding, data, testRows);

  const tEncoded = performance.now();
  const auto = autoTrain({
    ds: dsTrain,
    y: yTrain,
    kind: target.kind,
    nClasses,
    seed: options.seed,
    threads: Math.max(1, Math.min(2, options.threads)),
    progress: (stage, f) => options.progress(stage, 0.1 + 0.8 * f),
  });
  const interval =
    target.kind === 'numerical' && auto.residuals.length > 0
      ? { level: INTERVAL_LEVEL, low: quantile(auto.residuals, (1 - INTERVAL_LEVEL) / 2), high: quantile(auto.residuals, (1 + INTERVAL_LEVEL) / 2) }
      : undefined;

  const tTrained = performance.now();
  options.progress('evaluating on the test rows', 0.9);
  const classCounts = new Float64Array(nClasses);
  if (classification) for (const c of target.y) classCounts[c]++;
  const columns = encoding.columns.map((c) => c.column);
  const ev = evaluate({ model: auto.model, kind: target.kind, outcomes: target.outcomes, classCounts, test: dsTest, yTest, columns, featureColumn: layout.column, interval });

  const artifact = writeArtifact(
    { kind: target.kind, target: config.target, outcomes: target.outcomes, positive: target.positive, encoding, interval },
    auto.model,
  );
  const selected = auto.leaderboard.find((e) => e.selected)!;
  options.progress('done', 1);
  return {
    artifact,
    evaluation: {
      score: ev.score,
      metrics: ev.metrics,
      details: ev.details,
      influence: ev.influence,
      rows: {
        total: data.rowCount,
        training: trainRows.length,
        test: testRows.length,
        matched: prep.rows.matched,
        withOutcome: target.rows.length,
        toPredict: prep.rows.matched - target.rows.length,
      },
      split: { ...split.record },
    },
    warnings: [...prep.warnings, ...ev.warnings],
    summary: {
      kind: target.kind,
      kindName: kindName(target.kind),
      kindReason: target.reason,
      target: config.target,
      outcomes: target.outcomes,
      positive: target.positive,
      columns: encoding.columns.map((c) => ({
        column: c.column,
        as: c.as,
        ...(c.as === 'category' ? { categories: c.categories.length, pooledOther: c.other } : {}),
        ...(c.as === 'text' ? { words: c.vocabulary } : {}),
        ...(c.as === 'code' ? { sharedValues: c.shared.length, prefixes: c.prefixes.length, pooledOtherPrefixes: c.otherPrefix } : {}),
      })),
      excluded: prep.excluded,
      features: layout.names.length,
      model: { learner: selected.learner, candidate: selected.candidate, settings: selected.settings, iterations: treeRounds(auto.model) },
      selection: auto.selection,
      notes: auto.notes,
      leaderboard: auto.leaderboard,
      interval,
      trainSeconds: (performance.now() - t0) / 1000,
      /** Wall seconds per stage (varies with the machine's load; never part of the artifact). */
      stageSeconds: {
        checks: (tChecked - t0) / 1000,
        encoding: (tEncoded - tChecked) / 1000,
        search: (tTrained - tEncoded) / 1000,
        evaluation: (performance.now() - tTrained) / 1000,
      },
    },
  };
}
