// The text the CLI prints for scores and for the three prediction outputs of each model type.
import { describe, expect, it } from 'vitest';
import { predictionCells, scoreText } from './models-format.js';

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
