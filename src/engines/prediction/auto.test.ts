// Tests of the automatic settings: candidate counts from the work budget, stratified folds, the blend
// guard, and the average of the best tree settings on a real small table.
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCsvFile } from '../../tables/read-csv-file.js';
import type { TableData } from '../../tables/table-data.js';
import type { TrainResult } from '../seam.js';
import { readArtifact } from './artifact.js';
import { answersWorse, candidatesFor, FOLDS, refitsFor, stratifiedFolds, TREE_AVERAGE, type LeaderboardEntry } from './auto.js';
import { predictionEngine } from './index.js';

describe('automatic settings', () => {
  it('tries fewer tree candidates as the work (rows x features x outputs) grows, always with a linear one', () => {
    const small = candidatesFor(700, 10, 1);
    const adultLike = candidatesFor(26_000, 14, 1);
    const letterLike = candidatesFor(16_000, 16, 26);
    expect(small.filter((c) => c.learner === 'gbdt').length).toBe(6);
    expect(small.filter((c) => c.learner === 'glm').length).toBe(3);
    expect(adultLike.map((c) => c.learner)).toEqual(['gbdt', 'gbdt', 'glm']);
    expect(letterLike.map((c) => c.learner)).toEqual(['gbdt', 'glm']);
    expect(refitsFor(26_000, 14, 1)).toBe(true);
    expect(refitsFor(16_000, 16, 26)).toBe(true);
    expect(refitsFor(1_000_000, 20, 1)).toBe(false);
  });

  it('deals each outcome evenly over the folds, the same way for the same seed', () => {
    const groups = Int32Array.from({ length: 40 }, (_, i) => (i < 30 ? 0 : 1));
    const folds = stratifiedFolds(groups, 4, 9);
    expect(Array.from(folds)).toEqual(Array.from(stratifiedFolds(groups, 4, 9)));
    for (let f = 0; f < 4; f++) {
      const rows = Array.from(folds.keys()).filter((i) => folds[i] === f);
      expect(rows.length).toBe(10);
      expect(rows.filter((i) => groups[i] === 1).length).toBeGreaterThanOrEqual(2);
    }
  });
});

describe('the blend guard', () => {
  it('refuses only an answer that is significantly worse, row by row', () => {
    const ones = (n: number): number[] => Array.from({ length: n }, () => 1);
    const zeros = (n: number): number[] => Array.from({ length: n }, () => 0);
    // b alone is right on 6 rows, a alone on none: 6 > 2 * sqrt(6).
    expect(answersWorse(Uint8Array.from([...zeros(6), ...ones(50)]), Uint8Array.from([...ones(6), ...ones(50)]))).toBe(true);
    // 3 against 1 of 200 rows is noise: 2 <= 2 * sqrt(4).
    const a = Uint8Array.from([...zeros(3), 1, ...ones(196)]);
    const b = Uint8Array.from([...ones(3), 0, ...ones(196)]);
    expect(answersWorse(a, b)).toBe(false);
    expect(answersWorse(b, a)).toBe(false);
  });
});

describe('small data: the average of the best tree settings', () => {
  let table: TableData;
  let result: TrainResult;
  const train = async (): Promise<TrainResult> =>
    await predictionEngine.train(table, { tableId: table.tableId, target: 'survived', splitColumn: 'split' }, { seed: 42, threads: 1, progress: () => {} });
  beforeAll(async () => {
    table = await readCsvFile(resolve(import.meta.dirname, '../../../../shared/datasets/titanic.csv'));
    result = await train();
  });

  it('joins the leaderboard, scoring no worse than its members on average (log loss is convex in the log-odds)', () => {
    const board = result.summary.leaderboard as LeaderboardEntry[];
    const trees = board.filter((e) => e.learner === 'gbdt' && e.settings.averaged === undefined);
    const average = board.find((e) => e.settings.averaged !== undefined)!;
    expect(average.candidate).toBe(`trees: average of the best ${TREE_AVERAGE}`);
    const members = trees.map((e) => e.validationScore).sort((a, b) => a - b).slice(0, TREE_AVERAGE);
    expect(average.validationScore).toBeLessThanOrEqual(members.reduce((a, b) => a + b, 0) / TREE_AVERAGE);
    expect(board.filter((e) => e.selected)).toHaveLength(1);
  });

  it('ships every member fold model when it is chosen, and the same bytes for the same data and seed', async () => {
    const { header } = readArtifact(result.artifact);
    const board = result.summary.leaderboard as LeaderboardEntry[];
    const chosen = board.find((e) => e.selected)!;
    const usesAverage = chosen.settings.averaged !== undefined || (chosen.learner === 'blend' && chosen.candidate.includes('average of the best'));
    const gbdtParts = header.learner.parts.filter((p) => p.type === 'gbdt').length;
    expect(gbdtParts).toBe(usesAverage ? TREE_AVERAGE * FOLDS : chosen.learner === 'glm' ? 0 : FOLDS);
    expect(header.learner.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(Buffer.from((await train()).artifact).equals(Buffer.from(result.artifact))).toBe(true);
  });
});
