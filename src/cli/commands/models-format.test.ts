// The text the CLI prints for scores and for the three prediction outputs of each model type.
import { describe, expect, it } from 'vitest';
import type { ComparisonReply, VersionReply } from '../../client/models.js';
import { comparisonText, predictionCells, scoreText } from './models-format.js';

describe('predictionCells', () => {
  it('gives a prediction model its outcome, probability and the columns that pushed it, with direction', () => {
    const cells = predictionCells({
      prediction: 'yes',
      probability: 0.83456,
      probabilities: { yes: 0.83456, no: 0.16544 },
      explanation: [
        { column: 'age', contribution: 0.4, direction: 'up' },
        { column: 'fare', contribution: 0.1, direction: 'down' },
      ],
    });
    expect(cells).toEqual({ prediction: 'yes', probability: '0.8346', explanation: 'age ↑, fare ↓' });
  });

  it('leaves the probability empty for a numerical prediction', () => {
    expect(predictionCells({ prediction: 12.5, explanation: [] })).toEqual({ prediction: '12.5', probability: '', explanation: '' });
  });

  it('gives a text model its assigned tags, the top confidence and the terms behind each tag', () => {
    const cells = predictionCells({
      tags: [
        { tag: 'spam', confidence: 0.91 },
        { tag: 'ham', confidence: 0.09 },
      ],
      topTag: 'spam',
      assigned: ['spam'],
      contributions: { spam: [{ term: 'free', weight: 2 }, { term: 'win', weight: 1 }] },
    });
    expect(cells).toEqual({ prediction: 'spam', probability: '0.9100', explanation: 'spam: free, win' });
  });

  it('falls back to the top tag when no tag reaches its threshold', () => {
    const cells = predictionCells({ tags: [{ tag: 'a', confidence: 0.3 }], topTag: 'a', assigned: [], contributions: {} });
    expect(cells.prediction).toBe('a');
  });
});

describe('scoreText', () => {
  it('names the grade with its metric, or the score out of 100', () => {
    expect(scoreText({ kind: 'grade', grade: 'B', metric: 'accuracy', value: 0.8123 })).toBe('grade B (accuracy 0.812)');
    expect(scoreText({ kind: 'score', value: 87.4 })).toBe('score 87/100');
    expect(scoreText(undefined)).toBe('');
  });
});

describe('comparisonText', () => {
  it('shows metric changes, changed settings and how the data moved between two versions', () => {
    const version = (n: number, accuracy: number) => ({ version: n, score: { kind: 'grade', grade: 'B', metric: 'accuracy', value: accuracy } }) as unknown as VersionReply;
    const comparison: ComparisonReply = {
      a: version(1, 0.8),
      b: version(3, 0.85),
      configuration: [{ path: 'features', a: undefined, b: ['age', 'fare'] }],
      data: { sameTable: true, revisions: [1, 2], rowsAdded: 120, rowsRemoved: 0 },
      metrics: [
        { metric: 'accuracy', a: 0.8, b: 0.85, delta: 0.05 },
        { metric: 'logLoss', a: 0.5, b: null, delta: null },
      ],
    };
    const text = comparisonText(comparison);
    expect(text).toMatch(/accuracy\s+0\.8000\s+0\.8500\s+\+0\.0500/);
    expect(text).toMatch(/logLoss\s+0\.5000\s*$/m);
    expect(text).toMatch(/features\s+\(not set\)\s+\["age","fare"\]/);
    expect(text).toContain('Data: same table, revisions 1 → 2, 120 rows added, 0 removed');
  });
});
