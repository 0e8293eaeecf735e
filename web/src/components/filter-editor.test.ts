// The filter editor's pure parts: what reaches the draft and how a filter reads.
import { describe, expect, it } from 'vitest';
import { cleanFilter, filterText, type Filter } from './filter-editor.js';

describe('cleanFilter', () => {
  it('drops conditions without a column and the groups they leave empty', () => {
    const f: Filter = { and: [{ column: '', operator: 'equals', value: '' }, { or: [{ column: '', operator: 'equals' }] }] };
    expect(cleanFilter(f)).toBeUndefined();
  });

  it('keeps complete conditions inside their groups', () => {
    const f: Filter = {
      and: [
        { column: 'age', operator: '<', value: 18 },
        { column: '', operator: 'equals', value: '' },
        { or: [{ column: 'sex', operator: 'equals', value: 'female' }] },
      ],
    };
    expect(cleanFilter(f)).toEqual({ and: [{ column: 'age', operator: '<', value: 18 }, { or: [{ column: 'sex', operator: 'equals', value: 'female' }] }] });
  });
});

describe('filterText', () => {
  it('reads a nested filter as a sentence with brackets around inner groups', () => {
    const f: Filter = {
      and: [
        { column: 'embarked', operator: 'is not empty' },
        { or: [{ column: 'age', operator: '<', value: 18 }, { column: 'sex', operator: 'is one of', value: ['female', 'other'] }] },
      ],
    };
    expect(filterText(f)).toBe('embarked is not empty and (age < 18 or sex is one of female, other)');
  });
});
