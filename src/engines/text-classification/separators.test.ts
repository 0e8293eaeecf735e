import { describe, expect, it } from 'vitest';
import { detectSeparator, splitTags } from './separators.js';

describe('detectSeparator', () => {
  it('finds the comma, semicolon or tab that the cells use', () => {
    expect(detectSeparator(['a,b', 'c', null, 'd,e']).separator).toBe(',');
    expect(detectSeparator(['a;b', 'c']).separator).toBe(';');
    expect(detectSeparator(['a\tb', 'c']).separator).toBe('\t');
  });

  it('chooses "none" when no cell holds a separator', () => {
    expect(detectSeparator(['spam', 'ham', null])).toEqual({ separator: 'none' });
  });

  it('reports which rows use which separator when they are mixed', () => {
    const d = detectSeparator(['a,b', 'c;d', 'e', 'f,g', 'h;i,j']);
    expect(d.mixed).toEqual([
      { separator: ',', name: 'comma', rows: [0, 3, 4] },
      { separator: ';', name: 'semicolon', rows: [1, 4] },
    ]);
  });

  it('looks only at the rows it is given', () => {
    expect(detectSeparator(['a,b', 'c;d'], [1]).separator).toBe(';');
  });
});

describe('splitTags', () => {
  it('trims tags, drops empty pieces and repeated tags', () => {
    expect(splitTags(' billing ; urgent;;billing ', ';')).toEqual(['billing', 'urgent']);
  });

  it('keeps a cell whole with no separator', () => {
    expect(splitTags('Smith, John', 'none')).toEqual(['Smith, John']);
  });

  it('gives no tags for a missing cell', () => {
    expect(splitTags(null, ',')).toEqual([]);
  });
});
