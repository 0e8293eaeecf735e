import { describe, expect, it } from 'vitest';
import { stratifiedSplit } from './split.js';

describe('stratifiedSplit', () => {
  const rowTags = [...Array.from({ length: 50 }, () => ['common']), ...Array.from({ length: 10 }, () => ['rare', 'common']), ...Array.from({ length: 5 }, () => [])];
  const rows = rowTags.map((_, i) => i);

  it('holds out a fifth of each rarest-tag group, untagged texts included', () => {
    const { train, test } = stratifiedSplit(rows, rowTags, 3);
    expect(test.filter((r) => r < 50)).toHaveLength(10);
    expect(test.filter((r) => r >= 50 && r < 60)).toHaveLength(2);
    expect(test.filter((r) => r >= 60)).toHaveLength(1);
    expect([...train, ...test].sort((a, b) => a - b)).toEqual(rows);
  });

  it('is the same for the same seed and differs for another', () => {
    expect(stratifiedSplit(rows, rowTags, 3)).toEqual(stratifiedSplit(rows, rowTags, 3));
    expect(stratifiedSplit(rows, rowTags, 4).test).not.toEqual(stratifiedSplit(rows, rowTags, 3).test);
  });
});
