// How model facts read in lists: status words and the grade or score shown.
import { describe, expect, it } from 'vitest';
import type { Model, Version } from './api.js';
import { modelStatus, percent, scoreText } from './format.js';

const version = (score: Record<string, unknown>) => ({ score }) as unknown as Version;
const model = (parts: Partial<Model>) => ({ draft: null, lastTrained: null, published: null, activeRun: null, ...parts }) as Model;

describe('scoreText', () => {
  it('shows the grade letter of a prediction model and the rounded score of a text model', () => {
    expect(scoreText(version({ kind: 'grade', grade: 'B', value: 0.83 }))).toBe('B');
    expect(scoreText(version({ kind: 'score', value: 98.3 }))).toBe('98');
    expect(scoreText(null)).toBe('—');
  });
});

describe('modelStatus', () => {
  it('says training first, then published, trained or draft', () => {
    const v = version({ kind: 'score', value: 1 });
    expect(modelStatus(model({ activeRun: {} as Model['activeRun'], published: v }))).toBe('Training');
    expect(modelStatus(model({ published: v, draft: {} as Model['draft'] }))).toBe('Published, draft');
    expect(modelStatus(model({ lastTrained: v }))).toBe('Trained');
    expect(modelStatus(model({ draft: {} as Model['draft'] }))).toBe('Draft');
  });
});

describe('percent', () => {
  it('formats a fraction and shows a dash for a missing value', () => {
    expect(percent(0.8567)).toBe('85.7%');
    expect(percent(Number.NaN)).toBe('—');
  });
});
